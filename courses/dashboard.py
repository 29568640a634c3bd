"""The education team's (교육팀) attention panel on the back-office home."""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.common.dashboard import DashboardItem, dashboard_panel
from jeonju_center.common.teams import EDUCATION_TEAM

from .admin import courses_starting_between, sessions_without_attendance
from .models import Course, CourseSession, Enrollment, EnrollmentStatus


@dashboard_panel("courses", team=EDUCATION_TEAM, title=gettext_lazy("시민강좌"), order=300)
def courses_items(*, today):
    """Four counts, four queries; each link opens the changelist filtered to exactly the counted rows."""
    enrollments_url = reverse("admin:courses_enrollment_changelist")
    monday = today - datetime.timedelta(days=today.weekday())
    waiting = Enrollment.objects.filter(status=EnrollmentStatus.WAITING).aggregate(
        people=Count("pk"), courses=Count("course", distinct=True)
    )
    return [
        DashboardItem(
            label=_("오늘 들어온 수강신청"),
            count=Enrollment.objects.filter(requested_at__date=today).count(),
            url=f"{enrollments_url}?requested_at__date={today.isoformat()}",
            model="courses.enrollment",
        ),
        DashboardItem(
            label=_("대기 중인 신청자"),
            count=waiting["people"],
            url=f"{enrollments_url}?status__exact={EnrollmentStatus.WAITING}",
            model="courses.enrollment",
            detail=_("강좌 %(count)d개") % {"count": waiting["courses"]},
        ),
        DashboardItem(
            label=_("이번 주 시작하는 강좌"),
            count=courses_starting_between(
                Course.objects.all(), monday, monday + datetime.timedelta(days=6)
            ).count(),
            url=f"{reverse('admin:courses_course_changelist')}?starts_week={monday.isoformat()}",
            model="courses.course",
        ),
        DashboardItem(
            label=_("출석 입력이 필요한 회차"),
            count=sessions_without_attendance(CourseSession.objects.filter(date__lt=today)).count(),
            url=f"{reverse('admin:courses_coursesession_changelist')}?attendance=missing&date__lt={today.isoformat()}",
            model="courses.coursesession",
            level="warning",
        ),
    ]
