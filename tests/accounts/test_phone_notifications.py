"""A citizen proves a mobile number with a 6-digit code and chooses which notices come by 알림톡/SMS.
Limits on codes, no notice to an unproven number, and the course events reaching exactly those who chose."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from courses.services import course_cancel, enrollment_cancel, enrollment_create, enrollment_reminder_send
from jeonju_center.accounts.models import MessageEvent, MessageSubscription, PhoneVerification, User
from jeonju_center.accounts.notifications import (
    message_subscriptions_set,
    phone_verification_confirm,
    phone_verification_start,
)
from jeonju_center.accounts.services import account_delete, citizen_profile_update
from jeonju_center.common import message_backends
from jeonju_center.common.models import OutboxMessage
from jeonju_center.common.tasks import flush_outbox
from tests.actors import TEST_JOB
from tests.courses.factories import StaffFactory, future_course

pytestmark = pytest.mark.django_db
KST = ZoneInfo("Asia/Seoul")
AFTERNOON = datetime.datetime(2027, 3, 3, 14, 0, tzinfo=KST)
PASSWORD = "전주-시민-비밀번호-2026"


@pytest.fixture(autouse=True)
def _afternoon(time_machine):
    time_machine.move_to(AFTERNOON, tick=False)


@pytest.fixture(autouse=True)
def _empty_locmem():
    message_backends.sent_messages.clear()
    yield
    message_backends.sent_messages.clear()


@pytest.fixture
def citizen():
    return User.objects.create_user(
        "minji", email="minji@example.com", password=PASSWORD, name="김민지", phone="010-1234-5678"
    )


def sent_code(phone="010-1234-5678"):
    message = OutboxMessage.objects.filter(phone=phone, event="phone_verification").latest("created_at")
    return re.search(r"\d{6}", message.text).group(0)


def verify(user, phone="010-1234-5678"):
    phone_verification_start(user=user, actor=user, phone=phone)
    phone_verification_confirm(user=user, actor=user, code=sent_code(phone))
    user.refresh_from_db()
    return user


# --- Proving the number -----------------------------------------------------------------------------


def test_the_code_goes_to_the_number_and_proves_it(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        phone_verification_start(user=citizen, actor=citizen, phone="010 9876 5432")
    [sms] = message_backends.sent_messages
    assert sms["to"] == "010-9876-5432" and sms["channel"] == "sms"
    assert re.fullmatch(
        r"\[전주도시혁신센터\] 인증번호는 \d{6}입니다\. 5분 안에 입력해 주세요\.", sms["text"]
    )
    # Only a hash is kept.
    code = re.search(r"\d{6}", sms["text"]).group(0)
    assert code not in PhoneVerification.objects.get().code_hash

    phone_verification_confirm(user=citizen, actor=citizen, code=code)
    citizen.refresh_from_db()
    assert citizen.phone == "010-9876-5432"
    assert citizen.phone_verified_at == AFTERNOON


def test_a_wrong_code_counts_and_five_wrong_codes_lock_it(citizen):
    phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")
    right = sent_code()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"남은 입력 횟수 {left}번"):
            phone_verification_confirm(user=citizen, actor=citizen, code=wrong)
    with pytest.raises(ValidationError, match="다시 받아 주세요"):
        phone_verification_confirm(user=citizen, actor=citizen, code=wrong)
    with pytest.raises(ValidationError, match="입력 횟수를 넘었습니다"):
        phone_verification_confirm(user=citizen, actor=citizen, code=right)  # even the right one, now
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is None


def test_a_code_expires_after_five_minutes(citizen, time_machine):
    phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")
    time_machine.move_to(AFTERNOON + datetime.timedelta(minutes=5), tick=False)
    with pytest.raises(ValidationError, match="유효시간"):
        phone_verification_confirm(user=citizen, actor=citizen, code=sent_code())
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is None


def test_codes_are_limited_to_one_a_minute_and_five_a_day(citizen, time_machine):
    moment = AFTERNOON
    phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")
    with pytest.raises(ValidationError, match="1분에 한 번"):
        phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")
    for _ in range(4):
        moment += datetime.timedelta(seconds=61)
        time_machine.move_to(moment, tick=False)
        phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")
    time_machine.move_to(moment + datetime.timedelta(minutes=10), tick=False)
    with pytest.raises(ValidationError, match="하루에 5번까지"):
        phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")
    assert PhoneVerification.objects.count() == 5
    assert OutboxMessage.objects.count() == 5

    time_machine.move_to(AFTERNOON + datetime.timedelta(days=1, minutes=1), tick=False)
    phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")  # the day has passed


def test_one_number_cannot_be_flooded_from_several_accounts(citizen, time_machine):
    for number in range(5):
        other = User.objects.create_user(f"other{number}", password=PASSWORD)
        phone_verification_start(user=other, actor=other, phone="010-5555-0000")
    with pytest.raises(ValidationError, match="하루에 5번까지"):
        phone_verification_start(user=citizen, actor=citizen, phone="010-5555-0000")


@pytest.mark.parametrize("phone", ["063-281-0000", "02-123-4567", "12345"])
def test_only_mobile_numbers_can_be_proven(citizen, phone):
    with pytest.raises(ValidationError):
        phone_verification_start(user=citizen, actor=citizen, phone=phone)
    assert not OutboxMessage.objects.exists()


# --- Choosing notices --------------------------------------------------------------------------------


def test_notices_can_be_chosen_only_with_a_proven_number(citizen):
    with pytest.raises(ValidationError, match="먼저 휴대전화 번호를 인증"):
        message_subscriptions_set(user=citizen, actor=citizen, events=[MessageEvent.ENROLLMENT_CONFIRMED])
    assert not MessageSubscription.objects.exists()
    verify(citizen)
    message_subscriptions_set(
        user=citizen, actor=citizen, events=[MessageEvent.ENROLLMENT_CONFIRMED, MessageEvent.SESSION_REMINDER]
    )
    assert set(citizen.message_subscriptions.values_list("event", flat=True)) == {
        "enrollment_confirmed",
        "session_reminder",
    }


def test_course_notices_reach_exactly_those_who_chose_them(citizen, django_capture_on_commit_callbacks):
    verify(citizen)
    message_subscriptions_set(user=citizen, actor=citizen, events=[MessageEvent.ENROLLMENT_CONFIRMED])
    unproven = User.objects.create_user("unproven", password=PASSWORD, name="박서준", phone="010-2222-3333")
    MessageSubscription.objects.create(user=unproven, event=MessageEvent.ENROLLMENT_CONFIRMED)  # planted
    not_chosen = verify(User.objects.create_user("quiet", password=PASSWORD, name="이하은"), "010-4444-5555")
    course = future_course(title="마을공동체 첫걸음", capacity=5)
    message_backends.sent_messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        for person in (citizen, unproven, not_chosen):
            enrollment_create(course=course, user=person, consent_version="2026-01", actor=TEST_JOB)
    [notice] = message_backends.sent_messages
    assert notice["to"] == "010-1234-5678"
    assert notice["text"].startswith(
        "[전주도시혁신센터] 김민지님, ‘마을공동체 첫걸음’ 수강신청이 확정되었습니다."
    )
    assert "/courses/me/" in notice["text"] or "나의 강좌" in notice["text"]
    assert OutboxMessage.objects.filter(event="enrollment_confirmed").count() == 1


def test_a_promotion_at_night_goes_out_at_once_and_a_reminder_waits(
    citizen, time_machine, django_capture_on_commit_callbacks
):
    verify(citizen)
    message_subscriptions_set(
        user=citizen, actor=citizen, events=[MessageEvent.WAITLIST_PROMOTED, MessageEvent.SESSION_REMINDER]
    )
    course = future_course(capacity=1, first_session_in_days=1)
    first = enrollment_create(
        course=course,
        user=User.objects.create_user("first", password=PASSWORD),
        consent_version="v",
        actor=TEST_JOB,
    )
    waiting = enrollment_create(course=course, user=citizen, consent_version="v", actor=TEST_JOB)
    message_backends.sent_messages.clear()

    time_machine.move_to(datetime.datetime(2027, 3, 3, 23, 30, tzinfo=KST), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_cancel(enrollment=first, actor=StaffFactory())
    [promotion] = message_backends.sent_messages
    assert "자리가 나서 수강이 확정되었습니다" in promotion["text"]

    with django_capture_on_commit_callbacks(execute=True):
        assert enrollment_reminder_send(enrollment_id=waiting.pk, actor=TEST_JOB) is True
    assert len(message_backends.sent_messages) == 1  # the reminder waits for the morning
    reminder = OutboxMessage.objects.get(event="session_reminder")
    assert reminder.not_before == datetime.datetime(2027, 3, 4, 8, 0, tzinfo=KST)
    time_machine.move_to(datetime.datetime(2027, 3, 4, 8, 0, 30, tzinfo=KST), tick=False)
    flush_outbox()
    assert len(message_backends.sent_messages) == 2
    assert "첫 수업이" in message_backends.sent_messages[-1]["text"]


def test_a_cancelled_course_is_time_critical_and_carries_the_reason(
    citizen, time_machine, django_capture_on_commit_callbacks
):
    verify(citizen)
    message_subscriptions_set(user=citizen, actor=citizen, events=[MessageEvent.COURSE_CANCELLED])
    course = future_course(title="도시재생 아카데미", capacity=5)
    enrollment_create(course=course, user=citizen, consent_version="v", actor=TEST_JOB)
    message_backends.sent_messages.clear()
    time_machine.move_to(datetime.datetime(2027, 3, 3, 21, 30, tzinfo=KST), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        course_cancel(course=course, actor=StaffFactory(), reason="강사 사정으로 폐강합니다.")
    [notice] = message_backends.sent_messages
    assert (
        notice["text"]
        == "[전주도시혁신센터] ‘도시재생 아카데미’ 강좌가 폐강되어 수강신청이 취소되었습니다. 강사 사정으로 폐강합니다."
    )


def test_turning_a_notice_off_cancels_what_was_waiting(citizen, time_machine):
    verify(citizen)
    message_subscriptions_set(user=citizen, actor=citizen, events=[MessageEvent.ENROLLMENT_CONFIRMED])
    time_machine.move_to(datetime.datetime(2027, 3, 3, 22, 0, tzinfo=KST), tick=False)
    enrollment_create(course=future_course(), user=citizen, consent_version="v", actor=TEST_JOB)
    message_subscriptions_set(user=citizen, actor=citizen, events=[])
    assert OutboxMessage.objects.get(event="enrollment_confirmed").status == "cancelled"
    time_machine.move_to(datetime.datetime(2027, 3, 4, 9, 0, tzinfo=KST), tick=False)
    message_backends.sent_messages.clear()
    flush_outbox()
    assert message_backends.sent_messages == []


def test_a_changed_number_is_unproven_and_gets_nothing(citizen, time_machine):
    verify(citizen)
    message_subscriptions_set(user=citizen, actor=citizen, events=[MessageEvent.ENROLLMENT_CONFIRMED])
    time_machine.move_to(datetime.datetime(2027, 3, 3, 22, 0, tzinfo=KST), tick=False)
    enrollment_create(course=future_course(), user=citizen, consent_version="v", actor=TEST_JOB)
    citizen_profile_update(actor=citizen, name=citizen.name, phone="010-7777-8888")
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is None
    assert OutboxMessage.objects.get(event="enrollment_confirmed").status == "cancelled"
    enrollment_create(course=future_course(), user=citizen, consent_version="v", actor=TEST_JOB)
    assert OutboxMessage.objects.filter(event="enrollment_confirmed").count() == 1

    # Saving the profile with the same number keeps the proof.
    verify(citizen, "010-7777-8888")
    citizen_profile_update(actor=citizen, name="김민지", phone="01077778888")
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is not None


def test_deleting_the_account_deletes_its_notices_and_codes(citizen):
    verify(citizen)
    message_subscriptions_set(user=citizen, actor=citizen, events=[MessageEvent.ENROLLMENT_CONFIRMED])
    enrollment_create(course=future_course(), user=citizen, consent_version="v", actor=TEST_JOB)
    assert OutboxMessage.objects.filter(user=citizen).count() == 2
    account_delete(actor=citizen, password=PASSWORD)
    assert not OutboxMessage.objects.exists()
    assert not PhoneVerification.objects.exists()
    assert not MessageSubscription.objects.exists()


# --- The page ----------------------------------------------------------------------------------------


def test_the_settings_page_walks_a_citizen_through(client, citizen):
    client.force_login(citizen)
    page = client.get("/accounts/notifications/")
    assert page.status_code == 200
    assert "아직 인증되지 않아" in page.content.decode()

    response = client.post(
        "/accounts/notifications/", {"action": "save_events", "events-events": ["enrollment_confirmed"]}
    )
    assert response.status_code == 400
    assert "먼저 휴대전화 번호를 인증해 주세요" in response.content.decode()

    response = client.post("/accounts/notifications/", {"action": "send_code", "phone-phone": "063-281-0000"})
    assert response.status_code == 400
    assert "휴대전화 번호(010 등)만" in response.content.decode()

    response = client.post(
        "/accounts/notifications/", {"action": "send_code", "phone-phone": "010-1234-5678"}, follow=True
    )
    assert "인증번호를 보냈습니다" in response.content.decode()
    assert "인증번호 6자리" in response.content.decode()

    response = client.post("/accounts/notifications/", {"action": "confirm_code", "code-code": "12a456"})
    assert response.status_code == 400
    assert "숫자 6자리" in response.content.decode()

    response = client.post(
        "/accounts/notifications/", {"action": "confirm_code", "code-code": sent_code()}, follow=True
    )
    assert "휴대전화 번호를 인증했습니다" in response.content.decode()
    response = client.post(
        "/accounts/notifications/",
        {"action": "save_events", "events-events": ["enrollment_confirmed", "waitlist_promoted"]},
        follow=True,
    )
    assert "알림 설정을 저장했습니다" in response.content.decode()
    assert set(citizen.message_subscriptions.values_list("event", flat=True)) == {
        "enrollment_confirmed",
        "waitlist_promoted",
    }

    response = client.post(
        "/accounts/notifications/", {"action": "save_events", "events-events": ["advertising"]}
    )
    assert response.status_code == 400
    assert citizen.message_subscriptions.count() == 2


def test_the_settings_page_needs_a_login(client):
    response = client.get("/accounts/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_verification_records_are_deleted_after_thirty_days(citizen, time_machine):
    from jeonju_center.common.retention import apply_retention_policies

    phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")
    time_machine.move_to(AFTERNOON + datetime.timedelta(days=29), tick=False)
    phone_verification_start(user=citizen, actor=citizen, phone="010-1234-5678")
    time_machine.move_to(AFTERNOON + datetime.timedelta(days=31), tick=False)
    assert apply_retention_policies()["phone_verifications"] == 1
    assert PhoneVerification.objects.get().created_at == AFTERNOON + datetime.timedelta(days=29)
