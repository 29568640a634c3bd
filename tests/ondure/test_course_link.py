import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ondure import services
from ondure.models import OndureEducationCourse, SupportProgram, SupportRecord
from tests.actors import TEST_JOB
from tests.courses.factories import (
    AttendanceFactory,
    CourseFactory,
    CourseSessionFactory,
    EnrollmentFactory,
    UserFactory,
)

from .factories import CommunityFactory, CommunityMemberFactory, SupportProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_setup():
    course = CourseFactory(title="협동조합 설립 실무")
    sessions = [CourseSessionFactory(course=course, date=datetime.date(2026, 3, d)) for d in (2, 9, 16)]
    program = SupportProgramFactory(kind=SupportProgram.Kind.COOPERATIVE_EDUCATION, year=2026, budget=0)
    education = services.education_course_mark(course=course, program=program, actor=TEST_JOB)
    community = CommunityFactory(cohort_year=2025)
    return course, sessions, program, education, community


def _attend(course, sessions, user, present=(True, True, True)):
    enrollment = EnrollmentFactory(course=course, user=user)
    for session, is_present in zip(sessions, present, strict=False):
        AttendanceFactory(enrollment=enrollment, session=session, is_present=is_present)
    return enrollment


def test_attendance_of_members_becomes_one_education_record_per_community(course_setup):
    course, sessions, program, education, community = course_setup
    first = CommunityMemberFactory(community=community, joined_on=datetime.date(2025, 5, 1))
    second = CommunityMemberFactory(community=community, joined_on=datetime.date(2025, 5, 1))
    first.user = UserFactory(username="member-1")
    first.save()
    second.user = UserFactory(username="member-2")
    second.save()
    _attend(course, sessions, first.user, present=(True, True, False))
    _attend(course, sessions, second.user, present=(True, False, False))
    _attend(course, sessions, UserFactory(username="not-a-member"))  # attends, belongs to no community

    assert services.education_attendance_sync(education_course_id=education.pk, actor=TEST_JOB) == 1
    record = SupportRecord.objects.get()
    assert record.community == community
    assert record.kind == SupportRecord.Kind.EDUCATION
    assert record.course == course
    assert record.program == program
    assert record.attendance_count == 3
    assert record.supported_on == datetime.date(2026, 3, 9)
    assert "구성원 2명" in record.notes

    # Running it again changes nothing.
    updated_at = record.updated_at
    assert services.education_attendance_sync(education_course_id=education.pk, actor=TEST_JOB) == 0
    record.refresh_from_db()
    assert record.updated_at == updated_at


def test_attendance_before_joining_or_after_leaving_does_not_count(course_setup):
    course, sessions, _program, education, community = course_setup
    member = CommunityMemberFactory(
        community=community,
        user=UserFactory(username="late-joiner"),
        joined_on=datetime.date(2026, 3, 10),
        left_on=datetime.date(2026, 3, 12),
    )
    _attend(course, sessions, member.user)
    services.education_attendance_sync(education_course_id=education.pk, actor=TEST_JOB)
    assert SupportRecord.objects.count() == 0


def test_a_community_that_no_longer_attended_loses_its_record(course_setup):
    from courses.models import Attendance

    course, sessions, _program, education, community = course_setup
    member = CommunityMemberFactory(community=community, user=UserFactory(username="m"), joined_on=None)
    _attend(course, sessions, member.user, present=(True, False, False))
    services.education_attendance_sync(education_course_id=education.pk, actor=TEST_JOB)
    assert SupportRecord.objects.count() == 1
    Attendance.objects.update(is_present=False)  # staff corrected the roll call
    services.education_attendance_sync(education_course_id=education.pk, actor=TEST_JOB)
    assert SupportRecord.objects.count() == 0


def test_only_education_programs_can_be_linked():
    course = CourseFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.education_course_mark(
            course=course,
            program=SupportProgramFactory(kind=SupportProgram.Kind.TAILORED),
            actor=TEST_JOB,
        )
    assert "협동조합 교육 또는 보조금 회계 사전학교" in excinfo.value.messages[0]
    assert OndureEducationCourse.objects.count() == 0


def test_periodic_task_syncs_recent_courses():
    from ondure.tasks import sync_education_attendance

    today = timezone.localdate()
    course = CourseFactory()
    sessions = [
        CourseSessionFactory(course=course, date=today - datetime.timedelta(days=d)) for d in (20, 13, 6)
    ]
    services.education_course_mark(course=course, actor=TEST_JOB)
    old_course = CourseFactory()
    old_session = CourseSessionFactory(course=old_course, date=today - datetime.timedelta(days=800))
    services.education_course_mark(course=old_course, actor=TEST_JOB)
    community = CommunityFactory(cohort_year=2020)
    member = CommunityMemberFactory(community=community, user=UserFactory(username="t"), joined_on=None)
    _attend(course, sessions, member.user)
    _attend(old_course, [old_session], member.user)
    sync_education_attendance.delay()
    assert list(SupportRecord.objects.values_list("course", "attendance_count")) == [(course.pk, 3)]
