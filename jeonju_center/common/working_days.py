"""Working days (근무일) in Korea: Monday to Friday except public holidays, substitute holidays (대체공휴일)
and election days included, as the ``holidays`` package's KR calendar keeps them.

Deadlines counted in working days (an inquiry's answer, 민원 처리기간) start on the day after the request, as
the 민원 처리에 관한 법률 시행령 counts periods of days: the day of the request is not counted."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _korean_holidays(year):
    return holidays.country_holidays("KR", years=year, language="ko")


def holiday_name(day):
    """The name of the public holiday on ``day`` (in Korean), or ``""``."""
    return _korean_holidays(day.year).get(day, "")


def is_working_day(day):
    return day.weekday() < 5 and not holiday_name(day)


def add_working_days(start, days):
    """The date that is ``days`` working days after ``start`` (``start`` itself never counts)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day = start
    remaining = days
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
