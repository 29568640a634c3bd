"""One demo course planned in memory: its profile (finished, recruiting, full, …) places its dates around
the demo's day; its sessions, enrolments, attendance and certificates follow from it. Every value is drawn
from the course's own generator, so the plan does not depend on what exists."""

import datetime
import math

from django.utils import timezone

from jeonju_center.demo.data import load_demo_data

from ..completion import demo_certificate_code
from ..models import (
    CancelReason,
    Course,
    CourseAudience,
    CourseSession,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
)

COURSES_PER_SCALE = 40
CONSENT_VERSION = "2026-01"

# The course profiles cycle with the index while the tracks cycle by five, so 40 courses cover
# every (track, profile) pair.
PROFILES = [
    "finished",
    "finished_fee",
    "in_progress",
    "recruiting",
    "full",
    "dongs",
    "preparing",
    "cancelled",
]

DATA = load_demo_data(__package__)
COURSE_TEXT, SESSION_TEXT = DATA["courses"], DATA["sessions"]


def aware(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_current_timezone())


def plan_course(ctx, index, track, rng, citizens, dongs):
    """Draw one course with its sessions and enrolments (no database writes)."""
    profile = PROFILES[index % len(PROFILES)]
    today = ctx.today
    now = aware(today, datetime.time(9, 0))
    titles = DATA["titles"][track.slug]
    position = index // len(DATA["titles"])
    title = titles[position % len(titles)]
    if index >= COURSES_PER_SCALE:
        title = COURSE_TEXT["repeated_title"].format(title=title, round=index // COURSES_PER_SCALE + 1)

    session_count = rng.randint(2, 10)
    start_hour = 19 if track.slug == "evening-humanities" else rng.choice([10, 14, 19])
    start_time = datetime.time(start_hour, 0)
    end_time = datetime.time(start_hour + 2, 0)
    capacity = rng.choice([15, 20, 25, 30, 40])
    waitlist_limit = rng.choice([0, 5, 10])
    fee = rng.choice(COURSE_TEXT["fees"]) if profile == "finished_fee" or rng.random() < 0.1 else 0

    if profile in ("finished", "finished_fee"):
        first_day = today - datetime.timedelta(days=rng.randint(30, 240) + 7 * session_count)
    elif profile == "in_progress":
        first_day = today - datetime.timedelta(days=rng.randint(7, 20))
        session_count = max(session_count, 4)
    elif profile in ("recruiting", "full", "dongs"):
        first_day = today + datetime.timedelta(days=rng.randint(15, 30))
    elif profile == "preparing":
        first_day = today + datetime.timedelta(days=rng.randint(45, 90))
    else:  # cancelled: the window closed without enough applicants
        first_day = today - datetime.timedelta(days=rng.randint(-2, 40))

    if profile in ("recruiting", "full", "dongs"):
        opens_at = aware(today - datetime.timedelta(days=rng.randint(3, 14)), datetime.time(9, 0))
        closes_at = aware(first_day - datetime.timedelta(days=rng.randint(3, 7)), datetime.time(18, 0))
    elif profile == "preparing":
        opens_at = aware(first_day - datetime.timedelta(days=30), datetime.time(9, 0))
        closes_at = aware(first_day - datetime.timedelta(days=5), datetime.time(18, 0))
    else:
        opens_at = aware(first_day - datetime.timedelta(days=30), datetime.time(9, 0))
        closes_at = aware(first_day - datetime.timedelta(days=3), datetime.time(18, 0))
    cancellation_deadline = (
        aware(first_day - datetime.timedelta(days=1), datetime.time(18, 0)) if rng.random() < 0.6 else None
    )

    restricted = profile == "dongs" or track.slug == "resident-capacity"
    audience_dongs = sorted(rng.sample(dongs, 4), key=lambda d: d.pk) if restricted and dongs else []
    if profile == "full":
        capacity, waitlist_limit = rng.choice([10, 12, 15]), rng.choice([5, 8])

    status = {
        "finished": CourseStatus.FINISHED,
        "finished_fee": CourseStatus.FINISHED,
        "in_progress": CourseStatus.IN_PROGRESS,
        "recruiting": CourseStatus.RECRUITING,
        "full": CourseStatus.RECRUITING,
        "dongs": CourseStatus.RECRUITING,
        "preparing": CourseStatus.PREPARING,
        "cancelled": CourseStatus.CANCELLED,
    }[profile]
    instructor_name = rng.choice(COURSE_TEXT["instructor_family_names"]) + rng.choice(
        COURSE_TEXT["instructor_given_names"]
    )
    place = rng.choice(COURSE_TEXT["places"])
    summary = COURSE_TEXT["summary"].format(track=track.name, sessions=session_count)
    # Drawn in the order the demo always drew them; the description quotes the same percentage.
    instructor_bio = rng.choice(COURSE_TEXT["instructor_bios"])
    completion_percent = rng.choice([70, 80, 80, 80, 100])
    course = Course(
        title=title,
        slug=f"{track.slug}-{index + 1:03d}",
        track=track,
        summary=summary,
        description=COURSE_TEXT["description"].format(
            title=title, track=track.name, sessions=session_count, completion_percent=completion_percent
        ),
        instructor_name=instructor_name,
        instructor_bio=instructor_bio,
        place=place,
        audience=CourseAudience.DONG_RESIDENTS if audience_dongs else CourseAudience.EVERYONE,
        capacity=capacity,
        waitlist_limit=waitlist_limit,
        enrollment_opens_at=opens_at,
        enrollment_closes_at=closes_at,
        cancellation_deadline=cancellation_deadline,
        fee=fee,
        completion_percent=completion_percent,
        status=status,
        is_published=status != CourseStatus.PREPARING or rng.random() < 0.5,
    )

    room = rng.choice(SESSION_TEXT["rooms"])
    sessions = []
    for number in range(session_count):
        if number == 0:
            topic = SESSION_TEXT["first_topic"]
        elif number == session_count - 1:
            topic = SESSION_TEXT["last_topic"]
        else:
            topic = rng.choice(SESSION_TEXT["middle_topics"])
        sessions.append(
            CourseSession(
                date=first_day + datetime.timedelta(days=7 * number),
                start_time=start_time,
                end_time=end_time,
                room=room,
                topic=SESSION_TEXT["topic"].format(number=number + 1, topic=topic),
            )
        )

    # Enrollment volume per profile; confirmed never exceeds capacity, waiting never the limit.
    if profile in ("finished", "finished_fee", "in_progress"):
        confirmed, waiting, cancelled = rng.randint(capacity * 6 // 10, capacity), 0, rng.randint(1, 4)
    elif profile == "recruiting":
        confirmed, waiting, cancelled = rng.randint(capacity // 5, capacity * 8 // 10), 0, rng.randint(0, 2)
    elif profile == "full":
        confirmed, waiting, cancelled = capacity, rng.randint(2, waitlist_limit), rng.randint(1, 3)
    elif profile == "dongs":
        confirmed, waiting, cancelled = rng.randint(3, capacity // 2), 0, rng.randint(0, 1)
    elif profile == "cancelled":
        confirmed, waiting, cancelled = 0, 0, rng.randint(2, 5)
    else:
        confirmed, waiting, cancelled = 0, 0, 0

    candidates = citizens
    if audience_dongs:
        allowed = {dong.pk for dong in audience_dongs}
        candidates = [citizen for citizen in citizens if citizen[1] in allowed]
    wanted = confirmed + waiting + cancelled
    picked = rng.sample(candidates, min(wanted, len(candidates)))
    confirmed = min(confirmed, len(picked))
    waiting = min(waiting, len(picked) - confirmed)

    window_end = min(closes_at, now)
    window_seconds = max(int((window_end - opens_at).total_seconds()) - 3600, 60)
    offsets = sorted(rng.randrange(window_seconds) for _ in picked)
    # Cancelled applicants applied early (they hold a place in the order); the waiting list comes last.
    cancelled_picks = picked[confirmed + waiting :]
    order = (
        cancelled_picks[: len(cancelled_picks) // 2]
        + picked[:confirmed]
        + picked[confirmed : confirmed + waiting]
    )
    order += cancelled_picks[len(cancelled_picks) // 2 :]
    kinds = {}
    for citizen in picked[:confirmed]:
        kinds[citizen] = EnrollmentStatus.CONFIRMED
    for citizen in picked[confirmed : confirmed + waiting]:
        kinds[citizen] = EnrollmentStatus.WAITING
    for citizen in cancelled_picks:
        kinds[citizen] = EnrollmentStatus.CANCELLED

    last_session_end = aware(sessions[-1].date, end_time)
    first_session_start = aware(sessions[0].date, start_time)
    promoted_budget = 2 if profile in ("full", "finished", "in_progress") else 0
    enrollments = []
    for citizen, offset in zip(order, offsets, strict=True):
        user_id, dong_id = citizen
        requested_at = opens_at + datetime.timedelta(seconds=offset)
        enrollment = Enrollment(
            user_id=user_id,
            applicant_dong_id=dong_id,
            status=kinds[citizen],
            requested_at=requested_at,
            consent_version=CONSENT_VERSION,
            consented_at=requested_at,
        )
        if enrollment.status == EnrollmentStatus.CONFIRMED:
            enrollment.confirmed_at = requested_at
            if promoted_budget and rng.random() < 0.3:
                # Joined the waiting list first, then took a seat someone freed.
                enrollment.promoted_at = requested_at + datetime.timedelta(hours=rng.randint(2, 72))
                enrollment.confirmed_at = enrollment.promoted_at
                promoted_budget -= 1
            if first_session_start <= now + datetime.timedelta(days=1):
                enrollment.reminder_sent_at = first_session_start - datetime.timedelta(days=1)
        elif enrollment.status == EnrollmentStatus.CANCELLED:
            if profile == "cancelled":
                enrollment.confirmed_at = requested_at
                enrollment.cancelled_at = closes_at + datetime.timedelta(hours=1)
                enrollment.cancel_reason = CancelReason.COURSE_CANCELLED
                enrollment.cancel_note = COURSE_TEXT["cancelled_note"]
            else:
                enrollment.confirmed_at = requested_at
                enrollment.cancelled_at = requested_at + datetime.timedelta(hours=rng.randint(1, 48))
                enrollment.cancel_reason = rng.choice(
                    [CancelReason.BY_USER, CancelReason.BY_USER, CancelReason.BY_STAFF]
                )
        enrollments.append(enrollment)

    # Attendance for the sessions already held; completion and certificates once the course ended.
    attendance = []
    held = [number for number, session in enumerate(sessions) if aware(session.date, end_time) <= now]
    needed = math.ceil(course.completion_percent * len(sessions) / 100)
    certificate_sequence = 0
    for position_in_list, enrollment in enumerate(enrollments):
        if enrollment.status != EnrollmentStatus.CONFIRMED:
            continue
        rate = rng.choice([0.5, 0.7, 0.85, 0.95, 1.0, 1.0])
        present_count = 0
        for number in held:
            present = rng.random() < rate
            present_count += present
            attendance.append((position_in_list, number, present))
        if profile in ("finished", "finished_fee") and present_count >= needed:
            certificate_sequence += 1
            enrollment.is_completed = True
            enrollment.completed_at = last_session_end + datetime.timedelta(days=1)
            enrollment.certificate_number = (
                f"JUIC-{sessions[-1].date.year}-{index + 1:04d}-{certificate_sequence:03d}"
            )
            enrollment.certificate_code = demo_certificate_code(enrollment.certificate_number)
    if profile in ("finished", "finished_fee") and (today - sessions[-1].date).days > 120 and enrollments:
        # Past the retention period: the retention job has already anonymised the first enrolment.
        oldest = enrollments[0]
        oldest.user_id = None
        oldest.anonymised_at = last_session_end + datetime.timedelta(days=90)
    return course, audience_dongs, sessions, enrollments, attendance
