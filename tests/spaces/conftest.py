import datetime

import pytest
import time_machine

KST = datetime.timezone(datetime.timedelta(hours=9))
# Tuesday 2 March 2027, 10:00 in Korea (the day after 삼일절).
NOW = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=KST)


@pytest.fixture(autouse=True)
def pinned_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
