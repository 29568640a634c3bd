"""The 알림톡/SMS channel of the outbox: once per event, 알림톡 with SMS/LMS fallback, retries that never
send twice, outcomes nobody can know left to staff, and no non-urgent notice at night (Korea time)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jeonju_center.common import message_backends
from jeonju_center.common.message_backends import HttpProviderBackend, MessageNotSent
from jeonju_center.common.messaging import message_enqueue, message_send, messages_cancel, messages_resend
from jeonju_center.common.models import OutboxMessage
from jeonju_center.common.retention import apply_retention_policies
from jeonju_center.common.tasks import flush_outbox, send_outbox_message
from tests.fake_message_provider import API_KEY, API_SECRET, FakeMessageProvider

pytestmark = pytest.mark.django_db
KST = ZoneInfo("Asia/Seoul")
PHONE = "010-2345-6789"
SHORT = "[전주도시혁신센터] 수강신청이 확정되었습니다."
LONG = "[전주도시혁신센터] 홍길동님, ‘마을공동체 첫걸음 1기’ 수강신청이 확정되었습니다. 첫 수업 3월 2일 19:00, 2층 강의실."


@pytest.fixture(autouse=True)
def _daytime(time_machine):
    """A weekday afternoon in Jeonju unless a test moves the clock itself."""
    time_machine.move_to(datetime.datetime(2027, 3, 3, 14, 0, tzinfo=KST), tick=False)


@pytest.fixture(autouse=True)
def _empty_locmem():
    message_backends.sent_messages.clear()
    yield
    message_backends.sent_messages.clear()


@pytest.fixture
def provider(settings):
    fake = FakeMessageProvider().start()
    settings.MESSAGE_BACKEND = "http"
    settings.MESSAGE_PROVIDER_URL = fake.url
    settings.MESSAGE_API_KEY = API_KEY
    settings.MESSAGE_API_SECRET = API_SECRET
    settings.MESSAGE_SENDER = "063-281-0000"
    settings.MESSAGE_KAKAO_CHANNEL_ID = "KA01PF-center"
    yield fake
    fake.stop()


def enqueue(key="event:1", text=SHORT, **overrides):
    arguments = {"phone": PHONE, "event": "enrollment_confirmed", "variables": {}, **overrides}
    return message_enqueue(dedup_key=key, text=text, **arguments)


def test_a_notice_is_sent_once_after_commit_as_sms_without_a_template(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue()
        enqueue()  # the same event again: nothing new
    assert OutboxMessage.objects.count() == 1
    [sent] = message_backends.sent_messages
    assert (sent["channel"], sent["to"], sent["text"]) == ("sms", PHONE, SHORT)
    message = OutboxMessage.objects.get()
    assert (message.status, message.channel, message.attempts) == ("sent", "sms", 1)
    assert message_send(message_id=message.pk) is False  # a retried task sends nothing
    assert len(message_backends.sent_messages) == 1


def test_an_approved_template_goes_as_alimtalk_with_its_variables(
    settings, django_capture_on_commit_callbacks
):
    settings.MESSAGE_TEMPLATES = {"enrollment_confirmed": "TPL-CONFIRMED"}
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(variables={"#{강좌명}": "마을공동체 첫걸음"})
    [sent] = message_backends.sent_messages
    assert (sent["channel"], sent["template_id"], sent["variables"]) == (
        "alimtalk",
        "TPL-CONFIRMED",
        {"#{강좌명}": "마을공동체 첫걸음"},
    )
    assert OutboxMessage.objects.get().channel == "alimtalk"


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the enrolment failed")
    assert OutboxMessage.objects.count() == 0
    assert message_backends.sent_messages == []


# --- Through the provider's HTTP API ----------------------------------------------------------------


def test_the_provider_gets_a_signed_alimtalk_request(provider, settings):
    settings.MESSAGE_TEMPLATES = {"enrollment_confirmed": "TPL-CONFIRMED"}
    message = enqueue(variables={"#{이름}": "홍길동"})
    assert message_send(message_id=message.pk) is True
    [accepted] = provider.accepted
    assert accepted["to"] == "01023456789" and accepted["from"] == "0632810000"
    assert accepted["type"] == "ATA"
    assert accepted["kakaoOptions"] == {
        "pfId": "KA01PF-center",
        "templateId": "TPL-CONFIRMED",
        "variables": {"#{이름}": "홍길동"},
        "disableSms": True,  # our fallback, not the provider's: never two copies
    }
    message.refresh_from_db()
    assert (message.status, message.channel, message.provider_message_id) == ("sent", "alimtalk", "M1")


@pytest.mark.parametrize(("text", "kind"), [(SHORT, "SMS"), (LONG, "LMS")], ids=["short", "long"])
def test_someone_without_kakaotalk_gets_the_text_as_sms_or_lms(provider, settings, text, kind):
    settings.MESSAGE_TEMPLATES = {"enrollment_confirmed": "TPL-CONFIRMED"}
    provider.no_kakaotalk.add("01023456789")
    message = enqueue(text=text)
    assert message_send(message_id=message.pk) is True
    assert [request["type"] for request in provider.requests] == ["ATA", kind]
    [accepted] = provider.accepted
    assert (accepted["type"], accepted["text"]) == (kind, text)
    assert accepted.get("subject", "") == ("전주도시혁신센터" if kind == "LMS" else "")
    message.refresh_from_db()
    assert (message.status, message.channel) == ("sent", kind.lower())


def test_a_busy_provider_is_retried_and_the_notice_arrives_once(provider):
    provider.unavailable_for = 2
    message = enqueue()
    # Each call is one delivery of the task: the first two meet a busy provider and ask for a retry.
    for _attempt in range(2):
        with pytest.raises(MessageNotSent):
            send_outbox_message(message.pk)
    assert send_outbox_message(message.pk) is True
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 3)
    assert len(provider.delivered_to(PHONE)) == 1
    assert send_outbox_message(message.pk) is False  # a duplicated task
    assert flush_outbox() == 0
    assert len(provider.delivered_to(PHONE)) == 1


def test_a_failed_attempt_is_recorded_and_the_flush_sends_it(provider, time_machine):
    provider.unavailable_for = 1
    message = enqueue()
    with pytest.raises(MessageNotSent):
        message_send(message_id=message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert "503" in message.last_error
    time_machine.shift(datetime.timedelta(minutes=2))
    assert flush_outbox() == 1
    assert flush_outbox() == 0
    assert len(provider.delivered_to(PHONE)) == 1


def test_a_refused_number_fails_for_good_without_retrying(provider):
    provider.rejected_numbers.add("01023456789")
    message = enqueue()
    assert message_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 1)
    assert "수신번호" in message.last_error
    assert flush_outbox() == 0
    assert len(provider.requests) == 1


def test_a_provider_that_goes_silent_leaves_the_notice_for_staff_and_never_repeats_it(provider, monkeypatch):
    monkeypatch.setattr(HttpProviderBackend, "READ_TIMEOUT", 0.5)
    provider.hold()
    message = enqueue()
    assert message_send(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.status == "sending"  # it may have left: nobody can say
    assert "MessageUncertain" in message.last_error
    provider.let_go()
    assert message_send(message_id=message.pk) is False
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert flush_outbox() == 0
    assert len(provider.requests) == 1

    # Staff checked the provider's console: it did not arrive. They send it again, once.
    assert messages_resend(message_ids=[message.pk]) == 1
    assert flush_outbox() == 1
    assert len(provider.delivered_to(PHONE)) == 1


# --- Night-time rule --------------------------------------------------------------------------------


def test_a_notice_queued_at_night_waits_for_eight_o_clock(time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(datetime.datetime(2027, 3, 3, 22, 30, tzinfo=KST), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue()
    assert message.not_before == datetime.datetime(2027, 3, 4, 8, 0, tzinfo=KST)
    assert message_backends.sent_messages == []
    assert message_send(message_id=message.pk) is False

    time_machine.move_to(datetime.datetime(2027, 3, 4, 7, 59, 59, tzinfo=KST), tick=False)
    assert flush_outbox() == 0
    time_machine.move_to(datetime.datetime(2027, 3, 4, 8, 0, tzinfo=KST), tick=False)
    assert flush_outbox() == 1
    assert len(message_backends.sent_messages) == 1


def test_early_morning_waits_for_the_same_day_s_eight_o_clock(time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 4, 5, 10, tzinfo=KST), tick=False)
    assert enqueue().not_before == datetime.datetime(2027, 3, 4, 8, 0, tzinfo=KST)
    time_machine.move_to(datetime.datetime(2027, 3, 4, 20, 59, 59, tzinfo=KST), tick=False)
    assert enqueue(key="event:2").not_before is None


def test_a_time_critical_notice_goes_out_at_night(time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(datetime.datetime(2027, 3, 3, 23, 45, tzinfo=KST), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(time_critical=True)
    assert message.not_before is None
    assert len(message_backends.sent_messages) == 1


def test_a_notice_whose_turn_comes_after_nine_pm_is_held_too(time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 3, 20, 59, tzinfo=KST), tick=False)
    message = enqueue()  # queued in the evening; the broker was down and the flush comes at 21:01
    time_machine.move_to(datetime.datetime(2027, 3, 3, 21, 1, tzinfo=KST), tick=False)
    assert flush_outbox() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert message.not_before == datetime.datetime(2027, 3, 4, 8, 0, tzinfo=KST)
    time_machine.move_to(datetime.datetime(2027, 3, 4, 8, 0, tzinfo=KST), tick=False)
    assert flush_outbox() == 1


def test_a_notice_past_its_deadline_is_cancelled_not_sent(time_machine):
    deadline = datetime.datetime(2027, 3, 3, 14, 5, tzinfo=KST)
    message = enqueue(time_critical=True, send_by=deadline)  # e.g. a verification code valid five minutes
    time_machine.move_to(deadline, tick=False)
    assert flush_outbox() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("cancelled", 0)
    assert message_backends.sent_messages == []


# --- Cancelling and retention -------------------------------------------------------------------------


def test_cancelling_stops_waiting_notices_only(django_user_model, time_machine):
    person = django_user_model.objects.create_user("minji", password="pw-123456789")
    sent = enqueue(key="event:sent", user=person, time_critical=True)
    message_send(message_id=sent.pk)
    time_machine.move_to(datetime.datetime(2027, 3, 3, 22, 0, tzinfo=KST), tick=False)
    held = enqueue(key="event:held", user=person)
    other_number = enqueue(key="event:other", user=person, phone="010-9999-0000")
    stranger = enqueue(key="event:stranger")

    assert messages_cancel(user_id=person.pk, keep_phone="010-9999-0000") == 1
    statuses = dict(OutboxMessage.objects.values_list("dedup_key", "status"))
    assert statuses == {
        sent.dedup_key: "sent",
        held.dedup_key: "cancelled",
        other_number.dedup_key: "pending",
        stranger.dedup_key: "pending",
    }
    time_machine.move_to(datetime.datetime(2027, 3, 4, 8, 0, tzinfo=KST), tick=False)
    assert flush_outbox() == 2
    assert {m["to"] for m in message_backends.sent_messages[1:]} == {PHONE, "010-9999-0000"}


def test_delivered_notices_are_deleted_after_the_retention_period(time_machine):
    old = enqueue(key="event:old", time_critical=True)
    message_send(message_id=old.pk)
    waiting = enqueue(key="event:waiting")
    time_machine.move_to(datetime.datetime(2027, 3, 3, 14, 0, tzinfo=KST) + datetime.timedelta(days=182))
    recent = enqueue(key="event:recent", time_critical=True)
    message_send(message_id=recent.pk)
    counts = apply_retention_policies()
    assert counts["sent_messages"] == 1
    assert set(OutboxMessage.objects.values_list("dedup_key", flat=True)) == {
        waiting.dedup_key,
        recent.dedup_key,
    }
