"""Benchmark of the public course catalogue on PostgreSQL under gunicorn (a script, not a test).

    .venv/bin/python benchmarks/courses_catalogue.py [--small] [--database-url postgres://…] [--duration 15]

1. Creates the scratch PostgreSQL database if needed, migrates it and seeds a large data set once:
   2,000 published courses with 4 sessions each and 200,000 enrolments of 20,000 citizens (``--small``:
   200 courses, 10,000 enrolments). Rows are added with ``bulk_create`` and are recognisable by the
   ``bench-`` prefix; a second run reuses them. Nothing else in the database is touched.
2. Starts gunicorn on ``benchmarks.courses_catalogue_wsgi`` (the portal plus one trivial Django view, ``/bench/trivial/``).
3. Loads ``/bench/trivial/``, ``/courses/`` and one ``/courses/<slug>/`` with keep-alive clients
   (``benchmarks/harness.py``, the same measurement as the API benchmark) and prints
   requests/s, p50 and p99 for each, and their ratios to the trivial view.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.harness import ensure_database, gunicorn, load, portal_env, print_table  # noqa: E402

BENCH_PREFIX = "bench-"
SIZES = {
    "full": {"courses": 2000, "enrolments": 200_000, "citizens": 20_000},
    "small": {"courses": 200, "enrolments": 10_000, "citizens": 2_000},
}


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeonju_center.settings")
    import django

    django.setup()


# --- seeding ----------------------------------------------------------------------------------------


def seed(size, *, stdout=print):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from courses.models import Course, CourseSession, Enrollment, EnrollmentStatus, Track
    from courses.reference import load_tracks
    from jeonju_center.common.models import Dong
    from jeonju_center.partners.changes import CREATED, UPDATED, record_changes

    call_command("migrate", verbosity=0)
    load_tracks()
    User = get_user_model()
    existing = Course.objects.filter(slug__startswith=BENCH_PREFIX).count()
    if existing >= size["courses"]:
        stdout(f"seed: {existing} benchmark courses already there, reusing them")
        return
    if existing:
        sys.exit(
            f"seed: found {existing} of {size['courses']} benchmark courses; use a fresh scratch database"
        )

    rng = random.Random(20261125)
    started = time.monotonic()
    now = timezone.now()
    tracks = list(Track.objects.all())
    dong = Dong.objects.first()
    with transaction.atomic():
        citizens = User.objects.bulk_create(
            [
                User(
                    username=f"{BENCH_PREFIX}citizen{n:06d}",
                    name=f"시민{n:06d}",
                    email=f"{BENCH_PREFIX}citizen{n:06d}@example.com",
                    password="!",  # unusable
                    dong=dong,
                )
                for n in range(size["citizens"])
            ],
            batch_size=5000,
        )
        courses = []
        for n in range(size["courses"]):
            opens = now - datetime.timedelta(days=rng.randint(-10, 30))
            courses.append(
                Course(
                    title=f"시민강좌 벤치마크 {n + 1}기 — 마을공동체와 사회적경제",
                    slug=f"{BENCH_PREFIX}course-{n:05d}",
                    track=tracks[n % len(tracks)],
                    summary="벤치마크용 강좌입니다.",
                    description="벤치마크용 강좌 소개 " * 10,
                    instructor_name="김강사",
                    place="전주도시혁신센터 2층 강의실",
                    capacity=rng.choice([20, 30, 40, 60, 80]),
                    waitlist_limit=rng.choice([10, 20, 30]),
                    enrollment_opens_at=opens,
                    enrollment_closes_at=opens + datetime.timedelta(days=21),
                    status=Course.Status.RECRUITING,
                    is_published=True,
                )
            )
        courses = Course.objects.bulk_create(courses, batch_size=2000)
        record_changes("courses", [c.pk for c in courses], CREATED)

        sessions = []
        for course in courses:
            first = (course.enrollment_closes_at + datetime.timedelta(days=3)).date()
            for number in range(4):
                sessions.append(
                    CourseSession(
                        course=course,
                        date=first + datetime.timedelta(days=7 * number),
                        start_time=datetime.time(19, 0),
                        end_time=datetime.time(21, 0),
                        room="201호",
                        topic=f"{number + 1}회차",
                    )
                )
        CourseSession.objects.bulk_create(sessions, batch_size=5000)

        per_course = size["enrolments"] // size["courses"]
        batch = []
        for course in courses:
            people = rng.sample(citizens, per_course)
            for position, user in enumerate(people):
                requested = course.enrollment_opens_at + datetime.timedelta(minutes=position)
                if position < course.capacity:
                    status, confirmed_at, cancelled_at = EnrollmentStatus.CONFIRMED, requested, None
                elif position < course.capacity + course.waitlist_limit:
                    status, confirmed_at, cancelled_at = EnrollmentStatus.WAITING, None, None
                else:
                    status, confirmed_at = EnrollmentStatus.CANCELLED, requested
                    cancelled_at = requested + datetime.timedelta(hours=1)
                batch.append(
                    Enrollment(
                        course=course,
                        user=user,
                        applicant_dong=dong,
                        status=status,
                        requested_at=requested,
                        confirmed_at=confirmed_at,
                        cancelled_at=cancelled_at,
                        cancel_reason="by_user" if cancelled_at else "",
                        consent_version="bench",
                        consented_at=requested,
                    )
                )
            if len(batch) >= 20_000:
                Enrollment.objects.bulk_create(batch, batch_size=5000)
                batch = []
        Enrollment.objects.bulk_create(batch, batch_size=5000)
        # Enrolments change a course's seats left: one "updated" event per course, as the signals would.
        record_changes("courses", [c.pk for c in courses], UPDATED)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    stdout(
        f"seed: {len(courses)} courses, {len(sessions)} sessions, {size['enrolments']} enrolments, "
        f"{len(citizens)} citizens in {time.monotonic() - started:.1f}s"
    )


# --- serving and measuring ------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/jc_bench_courses")
    parser.add_argument(
        "--small", action="store_true", help="200 courses and 10,000 enrolments (a quick run)"
    )
    parser.add_argument("--duration", type=float, default=15.0, help="seconds measured per page")
    parser.add_argument("--concurrency", type=int, default=4, help="keep-alive clients")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    ensure_database(args.database_url)
    # The trivial view's WhiteNoise warns that collectstatic was not run; no static files are served.
    env = portal_env(args.database_url, PYTHONWARNINGS="ignore::UserWarning")
    os.environ.update(env)
    setup_django()
    size = SIZES["small" if args.small else "full"]
    seed(size)
    from django.db import connection

    from courses.models import Course, Enrollment

    # The detail page of the benchmark course with the most enrolments (the heaviest one).
    detail = (
        Course.objects.filter(slug__startswith=BENCH_PREFIX)
        .order_by("-capacity", "-waitlist_limit", "slug")
        .first()
    )
    totals = (Course.objects.filter(is_published=True).count(), Enrollment.objects.count())
    connection.close()

    paths = ["/bench/trivial/", "/courses/", f"/courses/{detail.slug}/"]
    with gunicorn(
        "benchmarks.courses_catalogue_wsgi:application", args.port, env, workers=args.workers,
        ready_path="/bench/trivial/",
    ) as url:  # fmt: skip
        results = {
            path: load(
                url,
                path,
                headers={"Accept-Language": "ko"},
                duration=args.duration,
                concurrency=args.concurrency,
            )
            for path in paths
        }

    print(
        f"\n{totals[0]:,} published courses, {totals[1]:,} enrolments; gunicorn {args.workers} sync workers; "
        f"{args.concurrency} keep-alive clients; {args.duration:.0f} s per page\n"
    )
    print_table([(path, results[path]) for path in paths])
    print()
    trivial = results[paths[0]]
    for path in paths[1:]:
        print(
            f"{path} ÷ trivial Django view: throughput {results[path]['rps'] / trivial['rps']:.2f}, "
            f"p50 latency {results[path]['p50_ms'] / trivial['p50_ms']:.1f}×"
        )


if __name__ == "__main__":
    main()
