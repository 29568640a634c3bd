import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from courses.models import Attendance, Course, CourseSession, Enrollment, EnrollmentStatus, Track
from jeonju_center.common.models import District, Dong


class DongFactory(DjangoModelFactory):
    class Meta:
        model = Dong
        django_get_or_create = ["name"]

    name = factory.Iterator(["풍남동", "노송동", "중앙동", "완산동", "서서학동"])
    district = District.WANSAN


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"courses_user{n:05d}")
    name = factory.Faker("name", locale="ko_KR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    phone = factory.Sequence(lambda n: f"010-{1000 + n % 9000:04d}-{n % 10000:04d}")
    dong = factory.SubFactory(DongFactory)


class TrackFactory(DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"시민교육 분야 {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")
    description = factory.Faker("sentence", locale="ko_KR")
    display_order = factory.Sequence(lambda n: n)


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"마을공동체 첫걸음 {n}기")
    slug = factory.Sequence(lambda n: f"course-{n}")
    track = factory.SubFactory(TrackFactory)
    summary = factory.Faker("sentence", locale="ko_KR")
    description = factory.Faker("paragraph", locale="ko_KR")
    instructor_name = factory.Faker("name", locale="ko_KR")
    instructor_bio = "전주시 마을공동체지원센터 활동가"
    place = "전주도시혁신센터 2층 강의실"
    capacity = 20
    waitlist_limit = 5
    enrollment_opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    enrollment_closes_at = factory.LazyAttribute(
        lambda c: c.enrollment_opens_at + datetime.timedelta(days=21)
    )
    fee = 0
    completion_percent = 80
    status = Course.Status.RECRUITING
    is_published = True

    @factory.post_generation
    def audience_dongs(self, create, extracted, **kwargs):
        if create and extracted:
            self.audience_dongs.set(extracted)


class CourseSessionFactory(DjangoModelFactory):
    class Meta:
        model = CourseSession

    course = factory.SubFactory(CourseFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 3, 2) + datetime.timedelta(days=7 * n))
    start_time = datetime.time(19, 0)
    end_time = datetime.time(21, 0)
    room = "201호"
    topic = factory.Faker("catch_phrase", locale="ko_KR")


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    course = factory.SubFactory(CourseFactory)
    user = factory.SubFactory(UserFactory)
    applicant_dong = factory.LazyAttribute(lambda e: e.user.dong if e.user else None)
    status = EnrollmentStatus.CONFIRMED
    requested_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyAttribute(
        lambda e: e.requested_at if e.status == EnrollmentStatus.CONFIRMED else None
    )
    consent_version = "2026-01"
    consented_at = factory.SelfAttribute("requested_at")


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    enrollment = factory.SubFactory(EnrollmentFactory)
    session = factory.SubFactory(CourseSessionFactory, course=factory.SelfAttribute("..enrollment.course"))
    is_present = True
    checked_by = factory.SubFactory(UserFactory, is_staff=True)
    checked_at = factory.LazyFunction(timezone.now)


def future_course(*, sessions=2, first_session_in_days=21, **kwargs):
    """A published course open for enrolment now, whose ``sessions`` weekly sessions start in the future."""
    course = CourseFactory(**kwargs)
    first = timezone.localdate() + datetime.timedelta(days=first_session_in_days)
    for number in range(sessions):
        CourseSessionFactory(course=course, date=first + datetime.timedelta(days=7 * number))
    return course


class StaffFactory(UserFactory):
    """A member of the education team's staff with every permission of the courses app."""

    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"courses_staff{n:05d}")
    is_staff = True

    @factory.post_generation
    def course_permissions(self, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Permission

            self.user_permissions.set(Permission.objects.filter(content_type__app_label="courses"))
