"""Space booking: the rules of a request (Korean messages, nothing written), approval that never lets two
approved bookings overlap (service, PostgreSQL exclusion constraint, concurrent approvals), cancellation
window, no-shows limiting new requests, the calendar without personal data, .ics, /me/bookings/, retention."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, transaction
from django.urls import reverse
from django.utils import timezone

from jeonju_center.common.models import OutboxEmail
from spaces import retention, services
from spaces.models import Booking, BookingStatus, SpaceClosure
from tests.courses.factories import StaffFactory, UserFactory

from .factories import at, book, room

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime.date(2027, 3, 10)


def messages_of(error):
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"day": datetime.date(2027, 3, 1)}, "지난 시간"),
        ({"day": datetime.date(2027, 3, 3)}, "2일 전까지 신청해야"),  # tomorrow: too soon
        ({"day": datetime.date(2027, 7, 1)}, "90일 뒤"),
        ({"day": datetime.date(2027, 3, 14)}, "정기 휴관일"),  # a Sunday
        ({"day": datetime.date(2027, 5, 5)}, "어린이날"),
        ({"start": 7}, "이용 시간은 09:00부터 21:00까지"),
        ({"start": 20, "hours": 2}, "이용 시간은 09:00부터 21:00까지"),
        ({"hours": 5}, "4시간까지"),
        ({"headcount": 11}, "10명까지"),
        ({"headcount": 0}, "1명 이상"),
        ({"purpose": ""}, "이용 목적을 적어"),
        ({"purpose": "가" * 501}, "500자까지"),
        ({"purpose": "<script>alert(1)</script>"}, "HTML 태그"),
        ({"agreed": False}, "동의해야"),
    ],
)
def test_bad_requests_get_a_korean_message_and_write_nothing(kwargs, message):
    space = room()
    with pytest.raises(ValidationError) as error:
        book(space, **kwargs)
    assert message in messages_of(error)
    assert Booking.objects.count() == 0 and OutboxEmail.objects.count() == 0


def test_a_closure_day_and_an_off_grid_time_are_refused():
    space = room(slot_minutes=60)
    SpaceClosure.objects.create(space=space, date=WEDNESDAY, reason="내부 공사")
    with pytest.raises(ValidationError, match="내부 공사"):
        book(space)
    with pytest.raises(ValidationError, match="60분 단위"):
        services.booking_request(
            space=space, actor=UserFactory(), starts_at=at(datetime.date(2027, 3, 11), 10, 30),
            ends_at=at(datetime.date(2027, 3, 11), 11, 30), purpose="모임", headcount=3, agreed=True,
        )  # fmt: skip


def test_approval_declines_colliding_requests_and_later_requests_are_refused():
    space = room()
    staff = StaffFactory()
    first, second = book(space, start=10, hours=2), book(space, start=11, hours=2)
    apart = book(space, start=12, hours=1)  # starts when the first ends: no overlap
    services.booking_approve(booking_id=first.pk, actor=staff)
    second.refresh_from_db()
    apart.refresh_from_db()
    assert (second.status, second.decline_reason) == (
        BookingStatus.DECLINED,
        "같은 시간에 다른 신청이 먼저 승인되었습니다.",
    )
    assert apart.status == BookingStatus.REQUESTED
    declined_mail = [mail for mail in OutboxEmail.objects.order_by("pk") if second.user.email in mail.to][-1]
    assert "먼저 승인되었습니다" in declined_mail.body
    with pytest.raises(ValidationError, match="이미 승인된 예약"):
        book(space, start=9, hours=2)
    with pytest.raises(ValidationError, match="승인 대기 중인 신청만"):
        services.booking_approve(booking_id=second.pk, actor=staff)
    with pytest.raises(ValidationError, match="거절 사유"):
        services.booking_decline(booking_id=apart.pk, actor=staff, reason="  ")


@pytest.mark.postgres
def test_the_database_refuses_two_overlapping_approved_bookings_of_one_space():
    space, other_space = room(), room(slug="hall", name="대회의실")
    user = UserFactory()
    values = {"user": user, "purpose": "모임", "headcount": 3, "status": BookingStatus.APPROVED}
    Booking.objects.create(space=space, starts_at=at(WEDNESDAY, 10), ends_at=at(WEDNESDAY, 12), **values)
    Booking.objects.create(
        space=space, starts_at=at(WEDNESDAY, 12), ends_at=at(WEDNESDAY, 13), **values
    )  # adjacent
    Booking.objects.create(
        space=other_space, starts_at=at(WEDNESDAY, 10), ends_at=at(WEDNESDAY, 12), **values
    )
    Booking.objects.create(
        space=space,
        starts_at=at(WEDNESDAY, 11),
        ends_at=at(WEDNESDAY, 12),
        **{**values, "status": "requested"},
    )
    with pytest.raises(IntegrityError, match="spaces_booking_no_overlap"), transaction.atomic():
        Booking.objects.create(space=space, starts_at=at(WEDNESDAY, 11), ends_at=at(WEDNESDAY, 14), **values)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_colliding_requests_approve_exactly_one():
    space = room()
    requests = [book(space, start=10, hours=2), book(space, start=11, hours=2)]
    staff = [StaffFactory(), StaffFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(booking, actor):
        try:
            barrier.wait(timeout=10)
            services.booking_approve(booking_id=booking.pk, actor=actor)
            outcomes.append("approved")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(requests, staff, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["approved", "승인 대기 중인 신청만 승인할 수 있습니다."]), outcomes
    statuses = sorted(Booking.objects.values_list("status", flat=True))
    assert statuses == [BookingStatus.APPROVED, BookingStatus.DECLINED]


def test_citizens_cancel_requests_any_time_and_approved_bookings_until_the_deadline(pinned_now):
    space = room(cancel_until_days=2)
    citizen = UserFactory()
    waiting = book(space, user=citizen, day=datetime.date(2027, 3, 5))
    services.booking_cancel(booking_id=waiting.pk, actor=citizen)  # a request: any time before it starts
    approved = book(space, user=citizen, day=WEDNESDAY)
    services.booking_approve(booking_id=approved.pk, actor=StaffFactory())
    with pytest.raises(ValidationError, match="대관 신청을 찾을 수 없습니다"):
        services.booking_cancel(booking_id=approved.pk, actor=UserFactory())  # someone else's
    pinned_now.move_to(
        datetime.datetime(2027, 3, 9, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    )
    with pytest.raises(ValidationError, match="2027-03-08\\)까지만"):
        services.booking_cancel(booking_id=approved.pk, actor=citizen)
    approved.refresh_from_db()
    assert approved.status == BookingStatus.APPROVED
    pinned_now.move_to(
        datetime.datetime(2027, 3, 8, 23, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    )
    services.booking_cancel(booking_id=approved.pk, actor=citizen)  # the last day still counts
    approved.refresh_from_db()
    assert approved.status == BookingStatus.CANCELLED and approved.cancelled_at is not None


def test_two_recent_no_shows_stop_new_requests_until_the_window_passes(pinned_now):
    space = room()
    citizen = UserFactory()
    staff = StaffFactory()
    for day in (datetime.date(2027, 3, 4), datetime.date(2027, 3, 5)):
        booking = book(space, user=citizen, day=day)
        services.booking_approve(booking_id=booking.pk, actor=staff)
    with pytest.raises(ValidationError, match="시작 시각이 지난"):
        services.booking_record_no_show(booking_id=booking.pk, actor=staff)
    pinned_now.move_to(
        datetime.datetime(2027, 3, 6, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    )
    for booking in Booking.objects.filter(user=citizen):
        services.booking_record_no_show(booking_id=booking.pk, actor=staff)
    with pytest.raises(ValidationError, match="불참\\(노쇼\\)이 2번 있어 2027-08-31까지"):
        book(space, user=citizen, day=datetime.date(2027, 3, 12))
    pinned_now.move_to(
        datetime.datetime(2027, 9, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9)))
    )
    assert book(space, user=citizen, day=datetime.date(2027, 9, 8)).status == BookingStatus.REQUESTED


def test_the_calendar_shows_taken_slots_without_personal_data(client):
    space = room()
    citizen = UserFactory(name="김비밀")
    approved = book(
        space,
        user=citizen,
        day=WEDNESDAY,
        start=14,
        hours=2,
        purpose="비공개 가족 모임",
        group_name="비밀 동호회",
    )
    services.booking_approve(booking_id=approved.pk, actor=StaffFactory())
    book(space, day=WEDNESDAY, start=10, hours=1, purpose="대기 중인 신청")
    SpaceClosure.objects.create(space=space, date=datetime.date(2027, 3, 11), reason="소독")
    page = client.get(f"/spaces/{space.slug}/?week=2027-03-10")
    html = page.content.decode()
    assert page.status_code == 200
    taken = {
        slot.starts_at.hour for day in page.context["days"] for slot in day.slots if slot.state == "taken"
    }
    assert taken == {14, 15}
    free_on_wednesday = [
        s.starts_at.hour
        for d in page.context["days"]
        if d.date == WEDNESDAY
        for s in d.slots
        if s.state == "free"
    ]
    assert 10 in free_on_wednesday  # a pending request does not take the slot
    assert "소독" in html and "정기 휴관일" in html  # Thursday closed, Sunday closed weekly
    for private in ("김비밀", "비공개 가족 모임", "비밀 동호회", "대기 중인 신청"):
        assert private not in html
    month = client.get(f"/spaces/{space.slug}/?view=month&month=2027-03")
    assert month.status_code == 200 and "삼일절" in month.content.decode()
    for query in ("?week=bad", "?view=month&month=2027-13", "?view=month&month=x"):
        assert client.get(f"/spaces/{space.slug}/{query}").status_code == 200


def test_the_calendar_costs_the_same_queries_for_more_bookings(client, django_assert_max_num_queries):
    space = room()
    staff = StaffFactory()
    services.booking_approve(booking_id=book(space, start=9, hours=1).pk, actor=staff)
    with django_assert_max_num_queries(12) as few:
        client.get(f"/spaces/{space.slug}/?week=2027-03-08")
    for start in (10, 12, 14, 16, 18):
        services.booking_approve(booking_id=book(space, start=start, hours=1).pk, actor=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/spaces/{space.slug}/?week=2027-03-08")


def test_the_booking_page_books_and_my_bookings_show_cancel_and_ics(client):
    space = room()
    citizen = UserFactory()
    client.force_login(citizen)
    form = {
        "date": "2027-03-10",
        "start": "10:00",
        "end": "12:00",
        "headcount": "4",
        "purpose": "주민 모임",
        "agree": "on",
    }
    response = client.post(reverse("spaces:book", args=[space.slug]), form)
    assert response.status_code == 302 and response["Location"] == "/me/bookings/"
    booking = Booking.objects.get()
    assert (booking.user, booking.local_start.hour, booking.local_end.hour) == (citizen, 10, 12)
    bad = client.post(reverse("spaces:book", args=[space.slug]), {**form, "headcount": "99"})
    assert bad.status_code == 400 and "10명까지" in bad.content.decode()
    past = client.post(reverse("spaces:book", args=[space.slug]), {**form, "date": "2020-01-01"})
    assert past.status_code == 400 and "지난 시간" in past.content.decode()
    assert Booking.objects.count() == 1
    assert client.get(reverse("spaces:ics", args=[booking.pk])).status_code == 404  # not approved yet
    services.booking_approve(booking_id=booking.pk, actor=StaffFactory())
    ics = client.get(reverse("spaces:ics", args=[booking.pk]))
    assert ics.status_code == 200 and b"DTSTART;TZID=Asia/Seoul:20270310T100000" in ics.content
    mine = client.get("/me/bookings/").content.decode()
    assert "센터 소회의실" in mine and "승인" in mine and reverse("spaces:cancel", args=[booking.pk]) in mine
    client.force_login(UserFactory())
    assert client.get(reverse("spaces:ics", args=[booking.pk])).status_code == 404
    assert client.get(reverse("spaces:book", args=[space.slug])).status_code == 200
    client.logout()
    assert client.get(reverse("spaces:book", args=[space.slug])).status_code == 302  # to the sign-in


def test_retention_erases_the_requester_a_year_after_the_booking():
    space = room()
    booking = book(space, user=UserFactory(), group_name="모임", contact_phone="010-1234-5678")
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=at(datetime.date(2025, 3, 10), 10), ends_at=at(datetime.date(2025, 3, 10), 12)
    )
    recent = book(space, day=datetime.date(2027, 3, 11))
    now = timezone.now()
    erased = retention.anonymise_old_bookings(
        cutoff=timezone.localdate(now) - datetime.timedelta(days=365), now=now
    )
    assert erased == 1
    booking.refresh_from_db()
    assert (booking.user, booking.contact_phone, booking.group_name, booking.purpose) == (None, "", "", "")
    recent.refresh_from_db()
    assert recent.purpose == "마을 모임"


def test_staff_decide_in_the_back_office_and_a_decline_without_a_reason_is_refused_on_the_form(client):
    from django.contrib.auth.models import Group

    from jeonju_center.accounts.models import User
    from jeonju_center.common.teams import CENTER_ADMINS, load_team_groups

    load_team_groups()
    manager = User.objects.create_user(username="manager", password="pw-123456789", is_staff=True)
    manager.groups.set([Group.objects.get(name=CENTER_ADMINS)])
    booking = book(room())
    client.force_login(manager)
    url = reverse("admin:spaces_booking_change", args=[booking.pk])
    refused = client.post(url, {"decision": "decline", "reason": ""})
    assert refused.status_code == 200 and "사유를 적어 주세요" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    assert client.post(url, {"decision": "decline", "reason": "내부 행사와 겹칩니다."}).status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason, booking.decided_by) == (
        "declined",
        "내부 행사와 겹칩니다.",
        manager,
    )

    # The service's own refusal shows on the form too, and a reason without a decision is not a decision.
    approving = client.post(url, {"decision": "approve", "reason": ""})
    assert approving.status_code == 200 and approving.context["adminform"].form.non_field_errors()
    reason_only = client.post(url, {"decision": "", "reason": "다시 봐 주세요"})
    assert reason_only.context["adminform"].form.errors["decision"] == [
        "사유를 적었다면 거절 또는 승인 취소를 골라 주세요."
    ]
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason) == ("declined", "내부 행사와 겹칩니다.")
