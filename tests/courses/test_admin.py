import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Attendance, Course, CourseSession, Enrollment, EnrollmentStatus

from .factories import (
    AttendanceFactory,
    CourseFactory,
    DongFactory,
    EnrollmentFactory,
    StaffFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _url(model, view, *args):
    return reverse(f"admin:courses_{model._meta.model_name}_{view}", args=args)


def test_course_changelist_shows_annotated_seat_and_waiting_counts(admin_client):
    course = CourseFactory(title="협동조합 설립 실무", capacity=2)
    EnrollmentFactory.create_batch(2, course=course)
    EnrollmentFactory.create_batch(3, course=course, status=EnrollmentStatus.WAITING)
    now = timezone.now()
    EnrollmentFactory(course=course, status=EnrollmentStatus.CANCELLED, requested_at=now, cancelled_at=now,
                      cancel_reason="by_user")  # fmt: skip
    response = admin_client.get(_url(Course, "changelist"))
    row = next(result for result in response.context["cl"].result_list if result.pk == course.pk)
    assert (row.seats_taken, row.waiting_count) == (2, 3)


def test_enrollment_changelist_masks_the_enrollee_and_filters(client):
    # Staff of the courses app without the 개인정보 열람 permission (tests/courses/test_personal_data.py
    # covers viewers with it).
    admin_client = client
    admin_client.force_login(StaffFactory())
    user = UserFactory(name="박서연")
    enrollment = EnrollmentFactory(user=user, status=EnrollmentStatus.WAITING)
    EnrollmentFactory(course=enrollment.course)
    response = admin_client.get(_url(Enrollment, "changelist"))
    content = response.content.decode()
    assert "박*연" in content
    assert "박서연" not in content
    filtered = admin_client.get(
        _url(Enrollment, "changelist"),
        {"course__id__exact": enrollment.course_id, "status__exact": "waiting"},
    )
    assert [e.pk for e in filtered.context["cl"].result_list] == [enrollment.pk]


def test_attendance_changelist_masks_the_enrollee(client):
    admin_client = client
    admin_client.force_login(StaffFactory())
    AttendanceFactory(enrollment__user__name="이현우")
    content = admin_client.get(_url(Attendance, "changelist")).content.decode()
    assert "이*우" in content
    assert "이현우" not in content


def _course_form(track, **overrides):
    data = {
        "title": "마을 기록가 학교",
        "slug": "village-archivist",
        "track": track.pk,
        "status": Course.Status.RECRUITING,
        "is_published": "on",
        "summary": "",
        "description": "",
        "instructor_name": "김민준",
        "instructor_bio": "",
        "place": "전주도시혁신센터 2층 강의실",
        "audience": Course.Audience.EVERYONE,
        "capacity": "20",
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
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-date": "2026-03-25",
        "sessions-0-start_time": "19:00",
        "sessions-0-end_time": "21:00",
        "sessions-0-room": "201호",
        "sessions-0-topic": "오리엔테이션",
    }
    data.update(overrides)
    return data


def test_course_add_form_creates_a_course_with_its_session(admin_client):
    track = TrackFactory()
    response = admin_client.post(_url(Course, "add"), _course_form(track))
    assert response.status_code == 302
    course = Course.objects.get(slug="village-archivist")
    assert list(course.sessions.values_list("start_time", flat=True)) == [datetime.time(19, 0)]


def test_course_add_form_rejects_a_closed_window_in_korean(admin_client):
    track = TrackFactory()
    response = admin_client.post(
        _url(Course, "add"), _course_form(track, enrollment_closes_at_0="2026-02-01")
    )
    assert response.status_code == 200
    assert "신청 마감은 신청 시작보다 늦어야 합니다." in response.content.decode()
    assert not Course.objects.exists()
    assert not CourseSession.objects.exists()


def test_course_add_form_requires_dongs_for_a_restricted_course(admin_client):
    track = TrackFactory()
    response = admin_client.post(
        _url(Course, "add"), _course_form(track, audience=Course.Audience.DONG_RESIDENTS)
    )
    assert response.status_code == 200
    assert "지정 행정동 주민 대상 강좌는 대상 행정동을 하나 이상 고르세요." in response.content.decode()
    assert not Course.objects.exists()
    dong = DongFactory(name="풍남동")
    response = admin_client.post(
        _url(Course, "add"),
        _course_form(track, audience=Course.Audience.DONG_RESIDENTS, audience_dongs=[dong.pk]),
    )
    assert response.status_code == 302
    assert list(Course.objects.get().audience_dongs.all()) == [dong]


def test_course_add_form_rejects_a_session_ending_before_it_starts(admin_client):
    track = TrackFactory()
    response = admin_client.post(_url(Course, "add"), _course_form(track, **{"sessions-0-end_time": "18:00"}))
    assert response.status_code == 200
    assert "종료 시각은 시작 시각보다 늦어야 합니다." in response.content.decode()
    assert not Course.objects.exists()


def test_enrollment_add_form_rejects_a_second_active_enrollment(admin_client):
    existing = EnrollmentFactory()
    data = {
        "course": existing.course_id,
        "user": existing.user_id,
        "applicant_dong": "",
        "status": EnrollmentStatus.WAITING,
        "requested_at_0": "2026-03-02",
        "requested_at_1": "10:00:00",
        "cancel_reason": "",
        "cancel_note": "",
        "consent_version": "",
        "certificate_number": "",
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
        "attendances-MIN_NUM_FORMS": "0",
        "attendances-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(_url(Enrollment, "add"), data)
    assert response.status_code == 200
    assert "이미 이 강좌에 신청(확정 또는 대기)되어 있습니다." in response.content.decode()
    assert Enrollment.objects.count() == 1


def test_enrolments_are_listed_newest_first_and_filtered_by_a_recent_or_any_chosen_course(admin_client):
    from courses.admin import RecentCourseListFilter

    now = timezone.now()
    old_course = CourseFactory(title="지난 강좌", enrollment_opens_at=now - datetime.timedelta(days=400))
    older = EnrollmentFactory(course=old_course, requested_at=now - datetime.timedelta(days=399))
    recent_courses = [
        CourseFactory(enrollment_opens_at=now - datetime.timedelta(days=n))
        for n in range(RecentCourseListFilter.OFFERED)
    ]
    newer = EnrollmentFactory(course=recent_courses[0], requested_at=now)
    url = _url(Enrollment, "changelist")
    response = admin_client.get(url)
    assert [e.pk for e in response.context["cl"].result_list] == [newer.pk, older.pk]
    offered = _course_choices(response)
    assert str(old_course.pk) not in offered  # not among the most recently opened
    assert str(recent_courses[0].pk) in offered

    chosen = admin_client.get(url, {"course__id__exact": old_course.pk})
    assert [e.pk for e in chosen.context["cl"].result_list] == [older.pk]
    assert str(old_course.pk) in _course_choices(chosen)  # the chosen course is shown as chosen

    refused = admin_client.get(url, {"course__id__exact": "x"})
    assert refused.status_code == 302 and "e=1" in refused["Location"]


def _course_choices(response):
    from courses.admin import RecentCourseListFilter

    [spec] = [
        spec for spec in response.context["cl"].filter_specs if isinstance(spec, RecentCourseListFilter)
    ]
    return {value for value, _title in spec.lookup_choices}
