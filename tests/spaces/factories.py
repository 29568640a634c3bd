import datetime

from spaces import services
from spaces.models import Space
from tests.courses.factories import UserFactory

KST = datetime.timezone(datetime.timedelta(hours=9))


def room(**kwargs):
    values = {
        "name": "센터 소회의실",
        "slug": "small-room",
        "location": "센터 3층",
        "capacity": 10,
        "open_weekdays": "012345",
        "book_ahead_days": 90,
        "min_notice_days": 2,
        "cancel_until_days": 2,
        "max_hours": 4,
    }
    return Space.objects.create(**{**values, **kwargs})


def at(day, hour, minute=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


def book(space, *, user=None, day=datetime.date(2027, 3, 10), start=10, hours=2, **kwargs):
    values = {"purpose": "마을 모임", "headcount": 5, "agreed": True}
    return services.booking_request(
        space=space,
        actor=user or UserFactory(),
        starts_at=at(day, start),
        ends_at=at(day, start) + datetime.timedelta(hours=hours),
        **{**values, **kwargs},
    )
