"""Personal data in the courses back office: masking by permission on every list, page and export that
shows enrollees, one access-log row per unmasked view / export / search, other teams refused, history."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Course, Enrollment, EnrollmentStatus
from jeonju_center.accounts.models import User
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.teams import (
    CENTER_ADMINS,
    EDUCATION_TEAM,
    PERSONAL_DATA_VIEWERS,
    REGENERATION_TEAM,
)

from .factories import AttendanceFactory, CourseFactory, CourseSessionFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NAME, PHONE = "김철용", "010-1234-5678"
CERTIFICATE, NOTE = "JUIC-2026-0001-000001", "전화로 취소 요청함"


def staff_member(*groups, username="staff"):
    user = User.objects.create_user(username=username, password="pw-123456789", is_staff=True, name="직원")
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def people(teams):
    now = timezone.now()
    course = CourseFactory(title="마을 기록가 학교", slug="archivist")
    session = CourseSessionFactory(course=course, date=timezone.localdate() - datetime.timedelta(days=1))
    enrollment = EnrollmentFactory(
        course=course,
        user=UserFactory(name=NAME, phone=PHONE),
        is_completed=True,
        completed_at=now,
        certificate_number=CERTIFICATE,
        certificate_code="ABCDEFGHJKLM",
    )
    cancelled = EnrollmentFactory(
        course=course,
        user=UserFactory(name="박서연", phone="010-9876-5432"),
        status=EnrollmentStatus.CANCELLED,
        cancelled_at=now,
        cancel_reason="by_staff",
        cancel_note=NOTE,
    )
    AttendanceFactory(enrollment=enrollment, session=session)
    return {"course": course, "session": session, "enrollment": enrollment, "cancelled": cancelled}


def _admin(name, *args):
    return reverse(f"admin:{name}", args=args)


# screen → (url, is an export, full values it shows to a viewer with the permission)
SCREENS = {
    "enrollment list": (lambda p: _admin("courses_enrollment_changelist"), False, [NAME, CERTIFICATE]),
    "enrollment page": (
        lambda p: _admin("courses_enrollment_change", p["enrollment"].pk),
        False,
        [NAME, PHONE, CERTIFICATE],
    ),
    "cancelled enrollment page": (
        lambda p: _admin("courses_enrollment_change", p["cancelled"].pk),
        False,
        ["박서연", NOTE],
    ),
    "attendance list": (lambda p: _admin("courses_attendance_changelist"), False, [NAME]),
    "roster": (
        lambda p: _admin("courses_course_roster", p["course"].pk),
        False,
        [NAME, PHONE, CERTIFICATE, NOTE],
    ),
    "attendance page": (
        lambda p: _admin("courses_course_attendance", p["course"].pk, p["session"].pk),
        False,
        [NAME, PHONE],
    ),
    "sign-in sheet": (
        lambda p: _admin("courses_course_sign_in_sheet", p["course"].pk, p["session"].pk),
        False,
        [NAME, PHONE],
    ),
    "roster excel": (
        lambda p: _admin("courses_course_roster_xlsx", p["course"].pk),
        True,
        [NAME, PHONE, CERTIFICATE],
    ),
    "attendance excel": (
        lambda p: _admin("courses_course_attendance_xlsx", p["course"].pk),
        True,
        [NAME, PHONE],
    ),
}


def _text(response, is_export):
    if not is_export:
        return response.content.decode()
    sheet = load_workbook(io.BytesIO(response.content)).active
    return "\n".join(
        str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None
    )


@pytest.mark.parametrize("screen", SCREENS)
def test_without_the_permission_every_screen_is_masked_and_only_exports_are_logged(client, people, screen):
    url, is_export, full_values = SCREENS[screen]
    client.force_login(staff_member(EDUCATION_TEAM))
    response = client.get(url(people), {"reason": "attendance"} if is_export else {})
    assert response.status_code == 200
    text = _text(response, is_export)
    for value in full_values:
        assert value not in text
    if "박서연" in full_values:
        assert "박*연" in text
    else:
        assert "김*용" in text
    if PHONE in full_values:
        assert "010-1234-****" in text
    logged = list(PersonalDataAccess.objects.values_list("action", "masked"))
    assert logged == ([("export", True)] if is_export else [])


@pytest.mark.parametrize("screen", SCREENS)
def test_with_the_permission_every_screen_is_unmasked_and_logged_once(client, people, screen):
    url, is_export, full_values = SCREENS[screen]
    viewer = staff_member(EDUCATION_TEAM, PERSONAL_DATA_VIEWERS)
    client.force_login(viewer)
    # Excel files are unmasked only when the viewer says why and asks for it.
    reason = {"reason": "other", "detail": "수료자 명단 제출", "unmasked": "on"}
    response = client.get(url(people), reason if is_export else {}, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    text = _text(response, is_export)
    for value in full_values:
        assert value in text
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.staff_id, entry.ip_address, entry.masked) == (viewer.pk, "10.0.0.7", False)
    assert entry.action == ("export" if is_export else "view")
    assert entry.model_label in ("courses.enrollment", "courses.attendance")
    assert entry.object_ids
    if is_export:
        assert entry.reason == "수료자 명단 제출"


@pytest.mark.parametrize("screen", ["roster excel", "attendance excel"])
def test_no_file_without_a_reason_and_a_reason_alone_keeps_it_masked(client, people, screen):
    url, _is_export, _values = SCREENS[screen]
    client.force_login(staff_member(EDUCATION_TEAM, PERSONAL_DATA_VIEWERS))
    asked = client.get(url(people))
    assert asked.status_code == 200 and "spreadsheetml" not in asked["Content-Type"]
    assert "내려받는 사유" in asked.content.decode()
    refused = client.get(url(people), {"reason": "other", "detail": ""})
    assert refused.status_code == 400 and "기타 사유를 적어 주세요." in refused.content.decode()
    assert not PersonalDataAccess.objects.exists()

    text = _text(client.get(url(people), {"reason": "contact"}), True)
    assert NAME not in text and "김*용" in text
    assert list(PersonalDataAccess.objects.values_list("action", "masked", "reason")) == [
        ("export", True, "참여자 연락 (변경·취소 안내)")
    ]


@pytest.mark.parametrize(
    "url",
    [
        lambda p: _admin("courses_enrollment_changelist"),
        lambda p: _admin("courses_course_roster", p["course"].pk),
    ],
    ids=["enrollment list", "roster"],
)
def test_a_search_for_a_person_is_logged_with_its_hits_and_a_miss_is_not(client, people, url):
    client.force_login(staff_member(EDUCATION_TEAM))
    client.get(url(people), {"q": NAME})
    client.get(url(people), {"q": "아무도없음"})
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.action, entry.search_term) == ("search", NAME)
    assert entry.object_ids == [people["enrollment"].pk]


def test_masked_values_cannot_be_read_through_the_enrollment_form(client, people):
    client.force_login(staff_member(EDUCATION_TEAM))
    response = client.get(_admin("courses_enrollment_change", people["cancelled"].pk))
    assert list(response.context["adminform"].form.fields) == []
    assert NOTE not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        lambda p: _admin("courses_course_roster", p["course"].pk),
        lambda p: _admin("courses_course_attendance", p["course"].pk, p["session"].pk),
        lambda p: _admin("courses_course_sign_in_sheet", p["course"].pk, p["session"].pk),
        lambda p: _admin("courses_course_roster_xlsx", p["course"].pk),
        lambda p: _admin("courses_course_attendance_xlsx", p["course"].pk),
        lambda p: _admin("courses_enrollment_changelist"),
        lambda p: _admin("courses_enrollment_change", p["enrollment"].pk),
    ],
    ids=["roster", "attendance", "sign-in sheet", "roster excel", "attendance excel", "list", "page"],
)
def test_staff_of_another_team_are_refused_even_with_the_personal_data_permission(client, people, url):
    client.force_login(staff_member(REGENERATION_TEAM, PERSONAL_DATA_VIEWERS))
    assert client.get(url(people)).status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_center_admins_see_the_roster_masked(client, people):
    client.force_login(staff_member(CENTER_ADMINS))
    text = client.get(_admin("courses_course_roster", people["course"].pk)).content.decode()
    assert "김*용" in text and NAME not in text
    assert not PersonalDataAccess.objects.exists()


def test_strings_of_enrollments_and_attendance_never_show_a_full_name(people):
    enrollment = people["enrollment"]
    assert NAME not in str(enrollment) and "김*용" in str(enrollment)
    assert NAME not in str(enrollment.attendances.get())


# --- history --------------------------------------------------------------------------------------


def test_a_course_change_in_the_admin_keeps_who_when_and_why(client, teams):
    course = CourseFactory(title="마을 기록가 학교", slug="archivist", capacity=20)
    staff = staff_member(EDUCATION_TEAM)
    client.force_login(staff)
    data = {
        "title": "마을 기록가 학교 2기",
        "slug": "archivist",
        "track": course.track_id,
        "status": Course.Status.RECRUITING,
        "is_published": "on",
        "summary": "",
        "description": "",
        "instructor_name": course.instructor_name,
        "instructor_bio": "",
        "place": course.place,
        "audience": Course.Audience.EVERYONE,
        "waitlist_limit": "5",
        "enrollment_opens_at_0": "2026-03-01",
        "enrollment_opens_at_1": "09:00:00",
        "enrollment_closes_at_0": "2026-03-20",
        "enrollment_closes_at_1": "18:00:00",
        "cancellation_deadline_0": "",
        "cancellation_deadline_1": "",
        "fee": "0",
        "completion_percent": "80",
        "image_alt": "",
        "history_change_reason": "강사 요청으로 기수 표기",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    before = timezone.now()
    response = client.post(_admin("courses_course_change", course.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = course.history.order_by("-history_id").first()
    assert (latest.title, latest.history_type) == ("마을 기록가 학교 2기", "~")
    assert (latest.history_user_id, latest.history_change_reason) == (staff.pk, "강사 요청으로 기수 표기")
    assert latest.history_date >= before
    page = client.get(_admin("courses_course_history", course.pk)).content.decode()
    assert "강사 요청으로 기수 표기" in page


def test_enrollment_history_keeps_no_personal_data():
    fields = {field.name for field in Enrollment.history.model._meta.get_fields()}
    assert {"status", "course", "requested_at"} <= fields
    assert not {"user", "cancel_note", "certificate_number", "certificate_code"} & fields


def test_the_history_pages_of_an_enrollment_open_and_mask_like_the_change_page(client, people):
    # History rows do not store personal fields; simple-history fills them from the current row, so the
    # past-version page follows the same masking (and logging) as the change page.
    enrollment = people["enrollment"]
    version = enrollment.history.latest()
    for groups, shown in (((EDUCATION_TEAM,), False), ((EDUCATION_TEAM, PERSONAL_DATA_VIEWERS), True)):
        User.objects.filter(username="staff").delete()
        client.force_login(staff_member(*groups))
        assert client.get(_admin("courses_enrollment_history", enrollment.pk)).status_code == 200
        past = client.get(_admin("courses_enrollment_simple_history", enrollment.pk, version.pk))
        assert past.status_code == 200
        assert (CERTIFICATE in past.content.decode()) is shown
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.action, entry.object_ids) == ("view", [enrollment.pk])
