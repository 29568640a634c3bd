"""Demo data that needs the courses demo: cooperative-education courses marked as Ondure education."""

from courses.models import Course
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.steps import demo_step

from .. import services
from ..models import OndureEducationCourse, SupportProgram

TITLE_WORD = load_demo_data(__package__)["cooperative_education"]["course_title_word"]


@demo_step("ondure.courses", after=["ondure", "courses"])
def seed(ctx):
    courses = Course.objects.filter(title__contains=TITLE_WORD).order_by("pk")
    programs = {
        p.year: p for p in SupportProgram.objects.filter(kind=SupportProgram.Kind.COOPERATIVE_EDUCATION)
    }
    marked = set(OndureEducationCourse.objects.values_list("course_id", flat=True))
    created = 0
    for course in courses:
        if course.pk in marked:
            continue
        first = course.sessions.order_by("date").first()
        program = programs.get(first.date.year) if first else None
        education = services.education_course_mark(course=course, program=program, actor=ctx.job)
        services.education_attendance_sync(education_course_id=education.pk, actor=ctx.job)
        created += 1
    return [f"ondure education courses: {created} created, {OndureEducationCourse.objects.count()} total"]
