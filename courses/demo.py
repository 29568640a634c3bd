"""Demo data of the citizen courses: ~40 courses per scale in every track and every status.

Every course draws from its own seeded generator (``courses:<slug>``), so its data does not depend on
what exists. A course is keyed on its slug; its sessions, enrolments and attendance are created
together with it, so a second run (or a run on another day) creates and changes nothing.
"""

import datetime
import math

from django.contrib.auth import get_user_model
from django.utils import timezone

from jeonju_center.common.models import Dong
from jeonju_center.demo.base import (
    CITIZENS_PER_SCALE,
    DEMO_CITIZEN_USERNAME,
    DEMO_STAFF_USERNAME,
    citizen_username,
)

from .completion import demo_certificate_code
from .models import (
    Attendance,
    CancelReason,
    Course,
    CourseAudience,
    CourseSession,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Track,
)
from .reference import load_tracks

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

TITLES = {
    "community": [
        "마을공동체 첫걸음", "우리 동네 이웃 만들기", "마을 활동가 양성과정", "공동체 갈등 조정 워크숍",
        "마을 기록가 학교", "주민 모임 퍼실리테이션", "마을축제 기획 실습", "공유공간 운영 학교",
    ],
    "social-economy": [
        "사회적경제 입문", "협동조합 설립 실무", "사회적기업 회계 기초", "마을기업 창업 학교",
        "사회적경제 제품 마케팅", "소셜벤처 아이디어 랩", "협동조합 조합원 교육", "공정무역과 윤리적 소비",
    ],
    "urban-regeneration": [
        "도시재생 시민대학", "빈집 활용 아이디어 학교", "전주 구도심 골목 읽기", "주민 주도 도시재생 사례",
        "집수리 기초 실습", "도시재생 뉴딜 이해하기", "원도심 상권 살리기", "청년과 함께하는 도시재생",
    ],
    "evening-humanities": [
        "주경야독 인문학: 전주의 역사", "주경야독 인문학: 조선의 선비정신", "주경야독 인문학: 판소리와 삶",
        "주경야독 인문학: 철학 산책", "주경야독 인문학: 한옥과 사람", "주경야독 인문학: 동학농민혁명",
        "주경야독 인문학: 고전 함께 읽기", "주경야독 인문학: 음식으로 본 전주",
    ],
    "resident-capacity": [
        "주민협의체 역량강화 교육", "주민 리더십 아카데미", "마을계획 수립 실습", "주민 회의 진행법",
        "도시재생 주민공모사업 준비", "마을 예산 이해하기", "주민 자치와 협치", "마을 사업 정산 실무",
    ],
}  # fmt: skip

INSTRUCTOR_BIOS = [
    "전북대학교 사회학과 교수",
    "전주시 마을공동체지원센터 활동가",
    "사회적협동조합 이사장, 협동조합 컨설턴트",
    "도시계획 기술사, 도시재생 코디네이터",
    "전주역사박물관 학예연구사",
    "전북 사회적경제지원센터 전문위원",
    "마을기업 대표, 15년 차 지역 활동가",
    "인문학 작가, 시민 인문학 강좌 10년 운영",
]
PLACES = [
    "전주도시혁신센터 2층 강의실",
    "전주도시혁신센터 1층 다목적홀",
    "노송동 주민센터 3층 회의실",
    "풍남동 마을카페",
    "팔복예술공장 교육실",
    "전주시청 시민교육장",
]
ROOMS = ["201호", "202호", "다목적홀", "세미나실", "교육실"]
MIDDLE_TOPICS = [
    "사례 탐방",
    "현장 답사",
    "모둠 토론",
    "전문가 특강",
    "실습",
    "발표와 나눔",
    "질의응답",
    "팀 과제",
]
FEES = [5000, 10000, 20000, 30000]


def _aware(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time), timezone.get_current_timezone())


def _plan_course(ctx, index, track, rng, citizens, dongs):
    """Draw one course with its sessions and enrolments (no database writes)."""
    profile = PROFILES[index % len(PROFILES)]
    today = ctx.today
    now = _aware(today, datetime.time(9, 0))
    titles = TITLES[track.slug]
    position = index // len(TITLES)
    title = titles[position % len(titles)]
    if index >= COURSES_PER_SCALE:
        title = f"{title} ({index // COURSES_PER_SCALE + 1}기)"

    session_count = rng.randint(2, 10)
    start_hour = 19 if track.slug == "evening-humanities" else rng.choice([10, 14, 19])
    start_time = datetime.time(start_hour, 0)
    end_time = datetime.time(start_hour + 2, 0)
    capacity = rng.choice([15, 20, 25, 30, 40])
    waitlist_limit = rng.choice([0, 5, 10])
    fee = rng.choice(FEES) if profile == "finished_fee" or rng.random() < 0.1 else 0

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
        opens_at = _aware(today - datetime.timedelta(days=rng.randint(3, 14)), datetime.time(9, 0))
        closes_at = _aware(first_day - datetime.timedelta(days=rng.randint(3, 7)), datetime.time(18, 0))
    elif profile == "preparing":
        opens_at = _aware(first_day - datetime.timedelta(days=30), datetime.time(9, 0))
        closes_at = _aware(first_day - datetime.timedelta(days=5), datetime.time(18, 0))
    else:
        opens_at = _aware(first_day - datetime.timedelta(days=30), datetime.time(9, 0))
        closes_at = _aware(first_day - datetime.timedelta(days=3), datetime.time(18, 0))
    cancellation_deadline = (
        _aware(first_day - datetime.timedelta(days=1), datetime.time(18, 0)) if rng.random() < 0.6 else None
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
    instructor_name = rng.choice(["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]) + rng.choice(
        ["민준", "서연", "도윤", "하은", "지훈", "수빈", "현우", "은지", "영호", "미경"]
    )
    place = rng.choice(PLACES)
    summary = f"{track.name} 분야 시민강좌, {session_count}회 과정"
    # Drawn in the order the demo always drew them; the description quotes the same percentage.
    instructor_bio = rng.choice(INSTRUCTOR_BIOS)
    completion_percent = rng.choice([70, 80, 80, 80, 100])
    course = Course(
        title=title,
        slug=f"{track.slug}-{index + 1:03d}",
        track=track,
        summary=summary,
        description=(
            f"{title} 과정은 전주시민 누구나 함께 배우고 나누는 {track.name} 강좌입니다. "
            f"{session_count}회에 걸쳐 강의와 실습, 토론을 진행하며 출석률 {completion_percent}% 이상이면 수료증을 드립니다."
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

    room = rng.choice(ROOMS)
    sessions = []
    for number in range(session_count):
        if number == 0:
            topic = "오리엔테이션"
        elif number == session_count - 1:
            topic = "마무리와 수료식"
        else:
            topic = rng.choice(MIDDLE_TOPICS)
        sessions.append(
            CourseSession(
                date=first_day + datetime.timedelta(days=7 * number),
                start_time=start_time,
                end_time=end_time,
                room=room,
                topic=f"{number + 1}회차: {topic}",
            )
        )

    # Enrolment volume per profile; confirmed never exceeds capacity, waiting never the limit.
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

    last_session_end = _aware(sessions[-1].date, end_time)
    first_session_start = _aware(sessions[0].date, start_time)
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
                enrollment.cancel_note = "최소 인원 미달로 폐강되었습니다."
            else:
                enrollment.confirmed_at = requested_at
                enrollment.cancelled_at = requested_at + datetime.timedelta(hours=rng.randint(1, 48))
                enrollment.cancel_reason = rng.choice(
                    [CancelReason.BY_USER, CancelReason.BY_USER, CancelReason.BY_STAFF]
                )
        enrollments.append(enrollment)

    # Attendance for the sessions already held; completion and certificates once the course ended.
    attendance = []
    held = [number for number, session in enumerate(sessions) if _aware(session.date, end_time) <= now]
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


def seed(ctx):
    summary = [load_tracks()]
    User = get_user_model()
    tracks = {track.slug: track for track in Track.objects.all()}
    ordered_tracks = [tracks[slug] for slug in TITLES if slug in tracks]
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
        plan = _plan_course(ctx, index, track, rng, citizens, dongs)
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
                    checked_at=_aware(session.date, session.end_time),
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=2000)

    summary.append(_demo_citizen_enrollments(ctx, staff_id))
    summary.append(_demo_feedback(ctx))
    summary += [
        f"courses: {len(new_courses)} created, {Course.objects.count()} total",
        f"course sessions: {len(sessions)} created, {CourseSession.objects.count()} total",
        f"enrollments: {len(enrollments)} created, {Enrollment.objects.count()} total",
        f"attendance: {len(attendance)} created, {Attendance.objects.count()} total",
    ]
    return summary


FEEDBACK_COMMENTS = [
    "마을 이야기를 직접 들을 수 있어 좋았습니다.",
    "실습 시간이 조금 더 길었으면 좋겠습니다.",
    "강의실이 좁아 뒤에서는 화면이 잘 보이지 않았습니다.",
    "다음 기수에도 꼭 참여하고 싶습니다.",
    "",
    "",
]


def _demo_feedback(ctx):
    """Satisfaction answers of the finished courses: the attendees were asked (before this demo database
    existed, so no e-mail goes out now) and about two in three answered, through the survey's service."""
    from .feedback import feedback_submit
    from .models import FEEDBACK_ITEMS, CourseFeedback

    if CourseFeedback.objects.exists():
        return f"course feedback: {CourseFeedback.objects.count()} kept"
    now = _aware(ctx.today, datetime.time(9, 0))
    finished = (
        Enrollment.objects.filter(user__isnull=False, attendances__is_present=True)
        .filter(course__sessions__date__lt=ctx.today)
        .exclude(course__sessions__date__gte=ctx.today)
        .select_related("course")
        .distinct()
        .order_by("course__slug", "pk")
    )
    asked = list(finished)
    Enrollment.objects.filter(pk__in=[e.pk for e in asked]).update(feedback_requested_at=now)
    rng = ctx.rng("courses:feedback")
    answered = 0
    for enrollment in asked:
        if rng.random() > 0.66:
            continue
        mood = rng.choice([5, 5, 4, 4, 4, 3])
        answers = {name: max(1, min(5, mood + rng.choice([-1, 0, 0, 1]))) for name, _label in FEEDBACK_ITEMS}
        feedback_submit(
            enrollment=enrollment,
            answers=answers,
            comment=rng.choice(FEEDBACK_COMMENTS),
            actor=enrollment.user,
            now=now,
        )
        answered += 1
    return f"course feedback: {len(asked)} attendees asked, {answered} answered"


def _demo_citizen_enrollments(ctx, staff_id):
    """The demo citizen's own enrolments, one in each state a citizen meets on /me/: a seat in a course still to
    come, a place on a waiting list, a cancelled application and a finished course with its certificate."""
    User = get_user_model()
    citizen = User.objects.filter(username=DEMO_CITIZEN_USERNAME).first()
    if citizen is None or Enrollment.objects.filter(user=citizen).exists():
        return "demo citizen's enrolments: kept"
    now = _aware(ctx.today, datetime.time(9, 0))  # as the rest of the plan: the same data for the same day
    open_courses = list(
        Course.objects.filter(
            status=CourseStatus.RECRUITING,
            is_published=True,
            audience=CourseAudience.EVERYONE,
            enrollment_opens_at__lte=now,
            enrollment_closes_at__gt=now,
        ).order_by("slug")
    )
    confirmed_counts = {
        course.pk: course.enrollments.filter(status=EnrollmentStatus.CONFIRMED).count()
        for course in open_courses
    }
    waiting_counts = {
        course.pk: course.enrollments.filter(status=EnrollmentStatus.WAITING).count()
        for course in open_courses
    }
    with_seats = [course for course in open_courses if confirmed_counts[course.pk] < course.capacity]
    full = [
        course
        for course in open_courses
        if confirmed_counts[course.pk] >= course.capacity
        and waiting_counts[course.pk] < course.waitlist_limit
    ]
    finished = (
        Course.objects.filter(status=CourseStatus.FINISHED, audience=CourseAudience.EVERYONE, fee=0)
        .order_by("-slug")
        .first()
    )
    consent = {"consent_version": CONSENT_VERSION, "applicant_dong_id": citizen.dong_id}
    created = []
    if with_seats:
        requested = now - datetime.timedelta(days=2)
        created.append(
            Enrollment(
                course=with_seats[0], user=citizen, status=EnrollmentStatus.CONFIRMED, requested_at=requested,
                confirmed_at=requested, consented_at=requested, **consent,
            )
        )  # fmt: skip
    if full:
        requested = now - datetime.timedelta(hours=5)
        created.append(
            Enrollment(
                course=full[0], user=citizen, status=EnrollmentStatus.WAITING, requested_at=requested,
                consented_at=requested, **consent,
            )
        )  # fmt: skip
    if len(with_seats) > 1:
        requested = now - datetime.timedelta(days=3)
        created.append(
            Enrollment(
                course=with_seats[1], user=citizen, status=EnrollmentStatus.CANCELLED, requested_at=requested,
                confirmed_at=requested, consented_at=requested, cancelled_at=requested + datetime.timedelta(hours=20),
                cancel_reason=CancelReason.BY_USER, **consent,
            )
        )  # fmt: skip
    if finished is not None:
        sessions = list(finished.sessions.order_by("date", "start_time"))
        last = sessions[-1]
        requested = finished.enrollment_opens_at + datetime.timedelta(hours=1)
        number = f"JUIC-{last.date.year}-{finished.slug.rsplit('-', 1)[-1]}-900"
        completed = Enrollment(
            course=finished, user=citizen, status=EnrollmentStatus.CONFIRMED, requested_at=requested,
            confirmed_at=requested, consented_at=requested, is_completed=True,
            completed_at=_aware(last.date, last.end_time) + datetime.timedelta(days=1),
            certificate_number=number, certificate_code=demo_certificate_code(number), **consent,
        )  # fmt: skip
        created.append(completed)
    Enrollment.objects.bulk_create(created)
    if finished is not None:
        Attendance.objects.bulk_create(
            Attendance(
                session=session, enrollment=completed, is_present=True, checked_by_id=staff_id,
                checked_at=_aware(session.date, session.end_time),
            )
            for session in sessions
        )  # fmt: skip
    return f"demo citizen's enrolments: {len(created)} created"
