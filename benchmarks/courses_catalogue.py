"""Benchmark of the public course catalogue on PostgreSQL under gunicorn (a script, not a test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jc_bench_courses \\
        .venv/bin/python benchmarks/courses_catalogue.py [--small] [--requests 400] [--concurrency 8]

1. Refuses anything but PostgreSQL. Migrates the (scratch) database and seeds a large data set once:
   2,000 published courses with 4 sessions each and 200,000 enrolments of 20,000 citizens (``--small``:
   200 courses, 10,000 enrolments). Rows are added with ``bulk_create`` and are recognisable by the
   ``bench-`` prefix; a second run reuses them. Nothing else in the database is touched.
2. Starts gunicorn on ``benchmarks.courses_catalogue_wsgi`` (the portal plus one trivial Django view, ``/bench/trivial/``).
3. Loads ``/bench/trivial/``, ``/courses/`` and one ``/courses/<slug>/`` with concurrent clients and prints
   requests/s, p50 and p99 for each, and their ratios to the trivial view.
"""

import argparse
import datetime
import http.client
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_PREFIX = "bench-"
SIZES = {
    "full": {"courses": 2000, "enrolments": 200_000, "citizens": 20_000},
    "small": {"courses": 200, "enrolments": 10_000, "citizens": 2_000},
}


def setup_django():
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeonju_center.settings")
    import django

    django.setup()


def refuse_unless_postgresql():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Refusing to run: set DATABASE_URL to a scratch PostgreSQL database, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jc_bench_courses"
        )
    return url


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


# --- serving and loading ----------------------------------------------------------------------------


def start_gunicorn(*, port, workers, database_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jeonju_center.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "DB_CONN_MAX_AGE": "60",
        "PYTHONPATH": str(REPO),
        # WhiteNoise warns that collectstatic was not run; the benchmark serves no static files.
        "PYTHONWARNINGS": "ignore::UserWarning",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "benchmarks.courses_catalogue_wsgi:application", f"--workers={workers}", f"--bind=127.0.0.1:{port}",
         "--log-level=warning", "--access-logfile=-" if os.environ.get("BENCH_ACCESS_LOG") else "--access-logfile=/dev/null"],
        cwd=REPO, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _body = fetch(port, "/bench/trivial/")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    sys.exit("gunicorn did not answer within 30 s")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Language": "ko"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port, path, *, requests, concurrency, warmup=20):
    for _ in range(warmup):
        status, _body = fetch(port, path)
        if status != 200:
            sys.exit(f"{path} answered {status}")
    latencies, errors, lock = [], [], threading.Lock()
    remaining = iter(range(requests))

    def worker():
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            started = time.perf_counter()
            status, _body = fetch(port, path)
            elapsed = time.perf_counter() - started
            with lock:
                (latencies if status == 200 else errors).append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "path": path,
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--small", action="store_true", help="200 courses and 10,000 enrolments (a quick run)"
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per page (default 400)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    database_url = refuse_unless_postgresql()
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Refusing to run: the configured database is not PostgreSQL.")
    size = SIZES["small" if args.small else "full"]
    seed(size)
    from courses.models import Course, Enrollment

    # The detail page of the benchmark course with the most enrolments (the heaviest one).
    detail = (
        Course.objects.filter(slug__startswith=BENCH_PREFIX)
        .order_by("-capacity", "-waitlist_limit", "slug")
        .first()
    )
    totals = (
        Course.objects.filter(is_published=True).count(),
        Enrollment.objects.count(),
    )
    connection.close()

    process = start_gunicorn(port=args.port, workers=args.workers, database_url=database_url)
    try:
        results = [
            load(port, path, requests=args.requests, concurrency=args.concurrency)
            for port, path in [
                (args.port, "/bench/trivial/"),
                (args.port, "/courses/"),
                (args.port, f"/courses/{detail.slug}/"),
            ]
        ]
    finally:
        stop(process)

    trivial = results[0]
    print()
    print(
        f"database: {totals[0]} published courses, {totals[1]} enrolments · gunicorn {args.workers} sync workers · "
        f"{args.requests} requests per page, {args.concurrency} concurrent clients (same machine, {os.cpu_count()} CPUs)"
    )
    print(
        f"{'page':<45} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'req/s ratio':>12} {'p50 ratio':>10} {'errors':>7}"
    )
    for row in results:
        print(
            f"{row['path'][:45]:<45} {row['rps']:>8.1f} {row['p50']:>8.1f} {row['p99']:>8.1f} "
            f"{row['rps'] / trivial['rps']:>12.2f} {row['p50'] / trivial['p50']:>10.2f} {row['errors']:>7}"
        )


if __name__ == "__main__":
    main()
