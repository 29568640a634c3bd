"""Retention of enrolment personal data (time travel with explicit cutoffs) and account deletion."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, Enrollment, EnrollmentStatus
from courses.retention import anonymize_expired_enrollments
from jeonju_center.accounts.models import ConsentRecord, User
from jeonju_center.accounts.services import consent_record
from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.retention import cutoff_for, retention_policies

from .factories import (
    AttendanceFactory,
    CourseFactory,
    CourseSessionFactory,
    EnrollmentFactory,
    UserFactory,
    future_course,
)

pytestmark = pytest.mark.django_db

CUTOFF = datetime.date(2023, 6, 1)
NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 3, 0))


def course_ending(day, **kwargs):
    course = CourseFactory(status=Course.Status.FINISHED, **kwargs)
    CourseSessionFactory(course=course, date=day - datetime.timedelta(days=7))
    CourseSessionFactory(course=course, date=day)
    return course


def personal_state():
    return sorted(
        Enrollment.objects.values_list(
            "pk", "user_id", "cancel_note", "certificate_number", "certificate_code", "anonymised_at"
        )
    )


@pytest.fixture
def expired_and_kept():
    ended = course_ending(CUTOFF - datetime.timedelta(days=1))
    completed = EnrollmentFactory(
        course=ended,
        is_completed=True,
        completed_at=NOW - datetime.timedelta(days=1200),
        certificate_number="JUIC-2023-0001-000001",
        certificate_code="ABCDEFGHJKLM",
    )
    AttendanceFactory(enrollment=completed, session=ended.sessions.first())
    cancelled = EnrollmentFactory(
        course=ended,
        status=EnrollmentStatus.CANCELLED,
        cancelled_at=NOW - datetime.timedelta(days=1300),
        cancel_reason="by_staff",
        cancel_note="전화로 취소",
    )
    # A course cancelled before any session was scheduled ends with its enrolment window.
    never_held = CourseFactory(
        status=Course.Status.CANCELLED,
        enrollment_opens_at=timezone.make_aware(datetime.datetime(2023, 4, 1)),
        enrollment_closes_at=timezone.make_aware(datetime.datetime(2023, 5, 1)),
    )
    unscheduled = EnrollmentFactory(
        course=never_held,
        status=EnrollmentStatus.CANCELLED,
        cancelled_at=NOW - datetime.timedelta(days=1200),
        cancel_reason="course_cancelled",
        requested_at=NOW - datetime.timedelta(days=1200),
    )
    # Ends exactly on the cutoff: still within the period.
    kept = EnrollmentFactory(course=course_ending(CUTOFF), cancel_note="")
    return {"expired": [completed, cancelled, unscheduled], "kept": [kept], "completed": completed}


def test_exactly_the_expired_enrollments_are_anonymised_and_a_second_run_changes_nothing(
    client, expired_and_kept
):
    users_before = User.objects.count()
    assert anonymize_expired_enrollments(cutoff=CUTOFF, now=NOW) == 3
    for enrollment in expired_and_kept["expired"]:
        enrollment.refresh_from_db()
        assert enrollment.user_id is None and enrollment.is_anonymised
        assert (enrollment.cancel_note, enrollment.certificate_number, enrollment.certificate_code) == (
            "",
            "",
            "",
        )
        assert enrollment.anonymised_at == NOW
    (kept,) = expired_and_kept["kept"]
    kept.refresh_from_db()
    assert kept.user_id is not None and not kept.is_anonymised
    # Statistics survive: status, completion, attendance, dong; the accounts themselves are untouched.
    completed = expired_and_kept["completed"]
    completed.refresh_from_db()
    assert (completed.status, completed.is_completed) == (EnrollmentStatus.CONFIRMED, True)
    assert completed.applicant_dong_id is not None and completed.attendances.count() == 1
    assert User.objects.count() == users_before
    # The old certificate code gets the neutral "cannot be confirmed" answer, naming nobody.
    page = client.get(reverse("courses:certificate_verify"), {"code": "ABCD-EFGH-JKLM"}).content.decode()
    assert "확인할 수 없는 코드입니다" in page

    before = personal_state()
    assert anonymize_expired_enrollments(cutoff=CUTOFF, now=NOW + datetime.timedelta(days=1)) == 0
    assert personal_state() == before


def test_the_policy_is_registered_for_three_years_and_configurable(expired_and_kept):
    policy = retention_policies()["enrollments"]
    assert policy.days == 3 * 365
    assert cutoff_for(policy, NOW) == datetime.date(2023, 6, 2)
    with override_settings(PERSONAL_DATA_RETENTION_DAYS={"enrollments": 10}):
        assert policy.days == 10
        # With ten days, the course that ended on the old cutoff is past retention too.
        assert policy.apply(cutoff=cutoff_for(policy, NOW), now=NOW) == 4
    assert not Enrollment.objects.filter(anonymised_at__isnull=True).exists()


# --- account deletion ---------------------------------------------------------------------------------

PASSWORD = "pw-123456789"


def citizen_with_history():
    citizen = UserFactory(name="김철용")
    citizen.set_password(PASSWORD)
    citizen.save()
    consent_record(
        user=citizen,
        item=ConsentRecord.Item.PRIVACY_ENROLLMENT,
        version="2026-01",
        ip_address=None,
        actor=citizen,
    )
    full = future_course(capacity=1, waitlist_limit=5)
    start = timezone.now() - datetime.timedelta(hours=2)
    seat = EnrollmentFactory(course=full, user=citizen, requested_at=start)
    first = EnrollmentFactory(
        course=full, status=EnrollmentStatus.WAITING, requested_at=start + datetime.timedelta(minutes=1)
    )
    second = EnrollmentFactory(
        course=full, status=EnrollmentStatus.WAITING, requested_at=start + datetime.timedelta(minutes=2)
    )
    also_waiting = EnrollmentFactory(
        course=future_course(capacity=0, waitlist_limit=5), user=citizen, status=EnrollmentStatus.WAITING
    )
    past = EnrollmentFactory(
        course=course_ending(timezone.localdate() - datetime.timedelta(days=30)), user=citizen
    )
    return citizen, {
        "seat": seat,
        "first": first,
        "second": second,
        "also_waiting": also_waiting,
        "past": past,
    }


def test_deleting_an_account_frees_the_seat_for_the_first_person_waiting(client):
    citizen, rows = citizen_with_history()
    client.force_login(citizen)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert not ConsentRecord.objects.filter(user_id=citizen.pk).exists()
    for key in rows:
        rows[key].refresh_from_db()
    assert (rows["seat"].status, rows["seat"].cancel_reason) == (
        EnrollmentStatus.CANCELLED,
        "account_deleted",
    )
    assert rows["seat"].user_id is None
    assert rows["also_waiting"].status == EnrollmentStatus.CANCELLED
    assert rows["first"].status == EnrollmentStatus.CONFIRMED and rows["first"].promoted_at is not None
    assert rows["second"].status == EnrollmentStatus.WAITING
    # The finished course keeps its row for statistics, without the person.
    assert rows["past"].status == EnrollmentStatus.CONFIRMED and rows["past"].user_id is None
    # The person promoted is told; the departing citizen's address is not kept in a new e-mail.
    assert OutboxEmail.objects.filter(to=[rows["first"].user.email]).exists()
    assert not OutboxEmail.objects.filter(to=[citizen.email]).exists()


def test_a_wrong_password_changes_nothing(client):
    citizen, _rows = citizen_with_history()
    client.force_login(citizen)
    before = sorted(Enrollment.objects.values_list("pk", "status", "user_id"))
    response = client.post(reverse("accounts:delete"), {"password": "wrong-password", "confirm": "on"})
    assert response.status_code == 400
    assert "비밀번호가 맞지 않습니다" in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()
    assert sorted(Enrollment.objects.values_list("pk", "status", "user_id")) == before
    assert ConsentRecord.objects.filter(user=citizen).exists()


def test_a_staff_account_is_refused_and_keeps_its_enrollment(client):
    staff = UserFactory(is_staff=True)
    staff.set_password(PASSWORD)
    staff.save()
    staff.groups.set(Group.objects.none())
    enrollment = EnrollmentFactory(course=future_course(), user=staff)
    client.force_login(staff)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 400
    assert "직원 계정은" in response.content.decode()
    assert User.objects.filter(pk=staff.pk).exists()
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.user_id) == (EnrollmentStatus.CONFIRMED, staff.pk)


def test_my_enrollments_page_links_to_account_deletion(client):
    citizen = UserFactory()
    client.force_login(citizen)
    content = client.get(reverse("courses:my_enrollments")).content.decode()
    assert f'href="{reverse("accounts:delete")}"' in content
