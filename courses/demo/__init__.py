"""Demo data of the citizen courses: ~40 courses per scale in every track and every status (the titles and
texts are in ``data.toml`` beside this file; ``planning.py`` draws each course, this module saves them).

Every course draws from its own seeded generator (``courses:<slug>``), so its data does not depend on
what exists. A course is keyed on its slug; its sessions, enrolments and attendance are created
together with it, so a second run (or a run on another day) creates and changes nothing.
"""

from django.contrib.auth import get_user_model

from jeonju_center.common.models import Dong
from jeonju_center.demo.base import CITIZENS_PER_SCALE, DEMO_STAFF_USERNAME, citizen_username
from jeonju_center.demo.steps import demo_step

from ..models import Attendance, Course, CourseSession, Enrollment, Track
from ..reference import load_tracks
from . import citizen, planning
from .planning import COURSES_PER_SCALE, DATA


@demo_step("courses", after=["base"])
def seed(ctx):
    summary = [load_tracks()]
    User = get_user_model()
    tracks = {track.slug: track for track in Track.objects.all()}
    ordered_tracks = [tracks[slug] for slug in DATA["titles"] if slug in tracks]
    dongs = list(Dong.objects.order_by("pk"))
    wanted_usernames = {citizen_username(n) for n in range(1, CITIZENS_PER_SCALE * ctx.scale + 1)}
    citizens = [
        (user_id, dong_id)
        for user_id, username, dong_id in User.objects.filter(username__startswith="citizen")
        .order_by("username")
        .values_list("id", "username", "dong_id")
        if username in wanted_usernames
    ]
    staff_id = User.objects.filter(username=DEMO_STAFF_USERNAME).values_list("id", flat=True).first()

    existing_slugs = set(Course.objects.values_list("slug", flat=True))
    plans = []
    for index in range(COURSES_PER_SCALE * ctx.scale):
        track = ordered_tracks[index % len(ordered_tracks)]
        rng = ctx.rng(f"courses:{track.slug}-{index + 1:03d}")
        plan = planning.plan_course(ctx, index, track, rng, citizens, dongs)
        if plan[0].slug not in existing_slugs:
            plans.append(plan)

    new_courses = Course.objects.bulk_create([plan[0] for plan in plans], batch_size=500)
    through = Course.audience_dongs.through
    links = [
        through(course_id=course.pk, dong_id=dong.pk)
        for course, plan in zip(new_courses, plans, strict=True)
        for dong in plan[1]
    ]
    through.objects.bulk_create(links, batch_size=1000)
    sessions, enrollments = [], []
    for course, (_, _, course_sessions, course_enrollments, _) in zip(new_courses, plans, strict=True):
        for session in course_sessions:
            session.course = course
        for enrollment in course_enrollments:
            enrollment.course = course
        sessions.extend(course_sessions)
        enrollments.extend(course_enrollments)
    CourseSession.objects.bulk_create(sessions, batch_size=1000)
    Enrollment.objects.bulk_create(enrollments, batch_size=1000)

    attendance = []
    for _, _, course_sessions, course_enrollments, marks in plans:
        for enrollment_position, session_number, present in marks:
            session = course_sessions[session_number]
            attendance.append(
                Attendance(
                    session=session,
                    enrollment=course_enrollments[enrollment_position],
                    is_present=present,
                    checked_by_id=staff_id,
                    checked_at=planning.aware(session.date, session.end_time),
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=2000)

    summary.append(citizen.seed_citizen_enrollments(ctx, staff_id))
    summary.append(citizen.seed_feedback(ctx))
    summary += [
        f"courses: {len(new_courses)} created, {Course.objects.count()} total",
        f"course sessions: {len(sessions)} created, {CourseSession.objects.count()} total",
        f"enrollments: {len(enrollments)} created, {Enrollment.objects.count()} total",
        f"attendance: {len(attendance)} created, {Attendance.objects.count()} total",
    ]
    return summary
