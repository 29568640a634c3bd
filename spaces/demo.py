"""Demo spaces and bookings, made through the services with the clock of each step: the center's two rooms and
a community space in a renovated vacant house, a closed day, and bookings in every status (the demo citizen
has an approved one and one waiting)."""

import datetime

from django.contrib.auth import get_user_model

from jeonju_center.demo.base import DEMO_CITIZEN_USERNAME
from regeneration.models import ProgramKind, VacantHouse

from . import rules, services
from .models import Booking, Space, SpaceClosure

SPACES = [
    {
        "slug": "center-hall",
        "name": "센터 대회의실",
        "kind": Space.Kind.CENTER_ROOM,
        "location": "전주도시혁신센터 2층",
        "capacity": 40,
        "equipment": "빔프로젝터, 스크린, 무선 마이크, 화이트보드",
        "description": "주민 총회와 설명회, 공동체 교육에 쓰는 가장 큰 공간입니다.",
        "rules": "음식물은 간단한 다과만 가능합니다.\n사용한 뒤 책상과 의자를 제자리에 놓아 주세요.",
        "open_weekdays": "012345",
        "opens_at": datetime.time(9, 0),
        "closes_at": datetime.time(21, 0),
    },
    {
        "slug": "center-small-room",
        "name": "센터 소회의실",
        "kind": Space.Kind.CENTER_ROOM,
        "location": "전주도시혁신센터 3층",
        "capacity": 10,
        "equipment": "대형 화면, 화이트보드",
        "description": "열 명 안팎의 모임과 회의에 알맞은 공간입니다.",
        "rules": "사용한 뒤 창문을 닫고 불을 꺼 주세요.",
        "open_weekdays": "01234",
        "opens_at": datetime.time(9, 0),
        "closes_at": datetime.time(18, 0),
    },
    {
        "slug": "nosong-village-room",
        "name": "노송동 마을 사랑방",
        "kind": Space.Kind.COMMUNITY_SPACE,
        "location": "전주시 완산구 노송동 빈집 활용 커뮤니티 공간 1층",
        "capacity": 15,
        "equipment": "좌식 탁자, 주방",
        "description": "빈집을 고쳐 만든 마을 공간입니다. 주민 모임과 공동체 활동에 빌려 드립니다.",
        "rules": "이웃을 위해 저녁 8시 이후에는 조용히 해 주세요.",
        "open_weekdays": "0123456",
        "opens_at": datetime.time(10, 0),
        "closes_at": datetime.time(20, 0),
    },
]


def _open_day(space, first, *, skip=0):
    """The first day on or after ``first`` the space is open (the ``skip``-th one)."""
    day = first
    while True:
        if not rules.closed_reason(space, day):
            if skip == 0:
                return day
            skip -= 1
        day += datetime.timedelta(days=1)


def seed(ctx):
    User = get_user_model()
    house = (
        VacantHouse.objects.filter(current_program__kind=ProgramKind.COMMUNITY_SPACE).order_by("pk").first()
    )
    spaces = {}
    for data in SPACES:
        values = {key: value for key, value in data.items() if key != "slug"}
        if data["kind"] == Space.Kind.COMMUNITY_SPACE:
            values["vacant_house"] = house
        spaces[data["slug"]], _made = Space.objects.get_or_create(slug=data["slug"], defaults=values)
    hall = spaces["center-hall"]
    SpaceClosure.objects.get_or_create(
        space=hall,
        date=_open_day(hall, ctx.today + datetime.timedelta(days=20)),
        defaults={"reason": "내부 공사"},
    )
    if Booking.objects.exists():
        yield f"spaces: {len(spaces)} spaces, {Booking.objects.count()} bookings kept"
        return

    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    citizen = User.objects.get(username=DEMO_CITIZEN_USERNAME)
    others = list(User.objects.filter(username__startswith="citizen").order_by("username")[70:80])
    now = rules.local_dt(ctx.today, datetime.time(9, 30))

    def request(space, user, day, start, hours, purpose, headcount, *, at=now, group=""):
        starts_at = rules.local_dt(day, datetime.time(start))
        return services.booking_request(
            space=space,
            user=user,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=hours),
            purpose=purpose,
            headcount=headcount,
            group_name=group,
            agreed=True,
            now=at,
        )

    soon = ctx.today + datetime.timedelta(days=3)
    hall_day = _open_day(hall, soon)
    room = spaces["center-small-room"]
    village = spaces["nosong-village-room"]
    approved = request(hall, citizen, hall_day, 14, 2, "주민 총회 준비 모임", 25, group="풍남동 주민협의체")
    services.booking_approve(booking_id=approved.pk, actor=staff, now=now)
    request(room, citizen, _open_day(room, soon, skip=1), 10, 2, "공동체 회계 교육 스터디", 6)
    for number, (space, start, purpose) in enumerate(
        [(hall, 18, "마을 영화 상영회"), (village, 15, "어르신 뜨개질 모임"), (room, 13, "협동조합 이사회")]
    ):
        booking = request(
            space, others[number], _open_day(space, soon, skip=number + 2), start, 2, purpose, 8
        )
        services.booking_approve(booking_id=booking.pk, actor=staff, now=now)
    waiting = request(
        village, others[3], _open_day(village, soon, skip=5), 11, 3, "아이 돌봄 품앗이 모임", 10
    )
    declined = request(hall, others[4], _open_day(hall, soon, skip=6), 9, 4, "개인 사업 홍보 행사", 30)
    services.booking_decline(
        booking_id=declined.pk, actor=staff, reason="영리 목적의 행사는 대관하지 않습니다.", now=now
    )
    cancelled = request(room, others[5], _open_day(room, soon, skip=7), 15, 1, "동아리 회의", 5)
    services.booking_cancel(booking_id=cancelled.pk, user=others[5], now=now)
    # Last month: one used as booked, one where nobody came (a no-show on record).
    month_ago = now - datetime.timedelta(days=30)
    past_day = _open_day(hall, ctx.today - datetime.timedelta(days=25))
    for user, purpose, came in ((others[6], "마을 기록 워크숍", True), (others[7], "독서 모임", False)):
        start = 10 if came else 15
        booking = request(hall, user, past_day, start, 2, purpose, 12, at=month_ago)
        services.booking_approve(booking_id=booking.pk, actor=staff, now=month_ago)
        if not came:
            services.booking_record_no_show(
                booking_id=booking.pk, actor=staff, now=rules.local_dt(past_day, datetime.time(17, 0))
            )
    yield f"spaces: {len(spaces)} spaces, {Booking.objects.count()} bookings created ({waiting.get_status_display()} 1+)"
