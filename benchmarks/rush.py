"""The enrolment rush of ``make bench``: 1,000 signed-in citizens POST "enrol" on one course of 30 seats,
their requests spread evenly over about 10 seconds (an open loop: each is sent at its moment whether or not
the earlier ones have been answered, as people pressing the button at 10:00 would).

    python -m benchmarks.rush prepare --out rush.json   # production settings: the course, citizens, sessions
    (the harness fires the requests and reads the outcome: ``fire`` and ``outcome`` below)

The course is reset on every run (its enrolments deleted); the citizens (``bench-rush-0000``…) are kept and get
fresh sessions, made with the server's own secret key (so the run needs no 1,000 password checks).
"""

import argparse
import base64
import http.client
import json
import os
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

RUSH_COURSE_SLUG = "bench-rush"
RUSH_USERNAME_PREFIX = "bench-rush-"
SEATS = 30
CITIZENS = 1_000
SPREAD_SECONDS = 10.0
MESSAGE_SUCCESS, MESSAGE_ERROR = 25, 40


def message_levels(cookie_value):
    """The levels of the messages in Django's signed ``messages`` cookie (read, not verified: the client
    does not know the secret). Format: ``[.]base64(json, zlib-compressed if "."):…signature``."""
    payload = cookie_value.strip('"').split(":", 1)[0]
    compressed = payload.startswith(".")
    payload = payload.lstrip(".")
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if compressed:
        data = zlib.decompress(data)
    return [item[2] for item in json.loads(data) if isinstance(item, list) and item[:1] == ["__json_message"]]


# --- prepare (inside Django, production settings) --------------------------------------------------------


def prepare(citizens=CITIZENS, seats=SEATS):
    """Reset the rush course and give each rush citizen a fresh signed-in session and CSRF secret."""
    import datetime

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from courses.models import Course, CourseSession, Enrollment, Track

    User = get_user_model()
    now = timezone.now()
    course, _created = Course.objects.update_or_create(
        slug=RUSH_COURSE_SLUG,
        defaults={
            "title": "수강신청 몰림 시험 강좌", "track": Track.objects.order_by("pk").first(),
            "instructor_name": "김강사", "place": "전주도시혁신센터", "capacity": seats,
            "waitlist_limit": citizens, "enrollment_opens_at": now - datetime.timedelta(hours=1),
            "enrollment_closes_at": now + datetime.timedelta(days=7), "status": Course.Status.RECRUITING,
            "is_published": True, "cancellation_deadline": None,
        },
    )  # fmt: skip
    CourseSession.objects.update_or_create(
        course=course, date=(now + datetime.timedelta(days=14)).date(),
        defaults={"start_time": datetime.time(19, 0), "end_time": datetime.time(21, 0)},
    )  # fmt: skip
    Enrollment.objects.filter(course=course).delete()

    names = [f"{RUSH_USERNAME_PREFIX}{n:04d}" for n in range(citizens)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = [User(username=name, name=f"몰림 시민 {name[-4:]}", email=f"{name}@example.com") for name in names]
    for user in new:
        user.set_unusable_password()
    User.objects.bulk_create([user for user in new if user.username not in existing], batch_size=500)
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    backend = settings.AUTHENTICATION_BACKENDS[-1]
    cookies = []
    for name in names:
        user = users[name]
        session = store_class()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append({"session": session.session_key, "csrf": _get_new_csrf_string()})
    return {
        "course": course.slug,
        "seats": seats,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "citizens": cookies,
    }


def outcome(course_slug):
    """How many of the course's enrolments are confirmed and how many wait."""
    from courses.models import Enrollment, EnrollmentStatus

    enrollments = Enrollment.objects.filter(course__slug=course_slug)
    confirmed = enrollments.filter(status=EnrollmentStatus.CONFIRMED).count()
    waiting = list(
        enrollments.filter(status=EnrollmentStatus.WAITING)
        .order_by("requested_at", "pk")
        .values_list("pk", flat=True)
    )
    return confirmed, len(waiting)


# --- fire (a client process, no Django) ---------------------------------------------------------------


def fire(host, port, prepared, *, spread=SPREAD_SECONDS, threads=400):
    """Send every citizen's POST at its moment; returns per-request (sent offset, latency ms, ok, detail)."""
    citizens = prepared["citizens"]
    path = f"/courses/{prepared['course']}/enroll/"
    start = time.monotonic() + 1.0  # everyone is ready before the first moment
    results = [None] * len(citizens)

    def one(index):
        citizen = citizens[index]
        moment = start + spread * index / len(citizens)
        time.sleep(max(0.0, moment - time.monotonic()))
        sent = time.monotonic()
        body = urlencode({"agree_privacy": "on", "csrfmiddlewaretoken": citizen["csrf"]})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{prepared['session_cookie']}={citizen['session']}; {prepared['csrf_cookie']}={citizen['csrf']}",
            # The production settings trust one proxy: each citizen comes from their own address.
            "X-Forwarded-For": f"10.88.{index // 250}.{index % 250 + 1}",
        }
        try:
            connection = http.client.HTTPConnection(host, port, timeout=60)
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            cookies = [value for name, value in response.getheaders() if name.lower() == "set-cookie"]
            connection.close()
        except OSError as error:
            results[index] = (
                sent - start,
                (time.monotonic() - sent) * 1000,
                False,
                f"{type(error).__name__}",
            )
            return
        levels = []
        for cookie in cookies:
            if cookie.startswith("messages="):
                levels = message_levels(cookie.split("=", 1)[1].split(";", 1)[0])
        ok = response.status == 302 and MESSAGE_SUCCESS in levels and MESSAGE_ERROR not in levels
        detail = "" if ok else f"status {response.status}, message levels {levels}"
        results[index] = (sent - start, (time.monotonic() - sent) * 1000, ok, detail)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(len(citizens))))
    return results


def summary(results):
    latencies = sorted(latency for _sent, latency, _ok, _detail in results)
    errors = [detail for _sent, _latency, ok, detail in results if not ok]
    finished = max(sent + latency / 1000 for sent, latency, _ok, _detail in results)

    def percentile(p):
        return latencies[min(len(latencies) - 1, round(p / 100 * (len(latencies) - 1)))]

    return {
        "requests": len(results),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "seconds": finished,
        "rps": len(results) / finished,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["prepare", "outcome"])
    parser.add_argument("--out", help="prepare: the JSON file to write")
    parser.add_argument("--course", default=RUSH_COURSE_SLUG)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeonju_center.settings")
    import django

    django.setup()
    if args.action == "prepare":
        Path(args.out).write_text(json.dumps(prepare()))
    else:
        confirmed, waiting = outcome(args.course)
        print(json.dumps({"confirmed": confirmed, "waiting": waiting}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
