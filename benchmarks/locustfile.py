"""The load of ``make bench``: one locust user class per scenario, started by ``benchmarks/run.py`` as

    locust -f benchmarks/locustfile.py --headless --users 16 --spawn-rate 16 --host http://… <UserClass>

with ``BENCH_FIXTURES`` (the JSON written by ``benchmarks/seed.py``), ``BENCH_TARGET`` (``portal`` or
``baseline``), ``BENCH_WARMUP``/``BENCH_DURATION`` (seconds) and ``BENCH_RESULT`` (where to write the
figures). Every virtual user has one connection open at a time (gunicorn's sync worker closes it after each
answer, as it would behind the load balancer) and sends its next request as soon as the previous one is
answered (no think time), so 16 users are 16 concurrent connections.

Users that sign in do it first; the clock starts when all of them are in, the statistics are reset after
the warm-up, and the figures cover exactly ``BENCH_DURATION`` seconds. A response counts as an error
unless it is the expected status *and* content (a page marker, or the success message of an enrolment).
"""

import json
import os
import random
import re
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task
from locust.runners import LocalRunner

from benchmarks.rush import MESSAGE_ERROR, MESSAGE_SUCCESS, message_levels

FIXTURES = json.loads(Path(os.environ["BENCH_FIXTURES"]).read_text(encoding="utf-8"))
BASELINE = os.environ.get("BENCH_TARGET", "portal") == "baseline"
WARMUP = float(os.environ.get("BENCH_WARMUP", "5"))
DURATION = float(os.environ.get("BENCH_DURATION", "20"))
RUN = int(os.environ.get("BENCH_RUN", "0"))  # this process's number in the run (benchmarks/harness.py)
MAX_USERS = int(
    os.environ.get("BENCH_MAX_USERS", "64")
)  # staff recovery codes per process (benchmarks/seed.py)
ADMIN_PATH = "/" + os.environ.get("ADMIN_URL", "admin/")
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_ready = {"users": 0, "accounts": 0, "staff": 0, "addresses": 0}


def _csrf_token(response):
    match = CSRF_INPUT.search(response.content or b"")
    if match is None:
        raise RuntimeError(f"no CSRF token in {response.request.url} ({response.status_code})")
    return match.group(1).decode()


def _plain_http_cookies(client):
    """The production settings mark every cookie ``Secure`` (TLS ends at the load balancer); the benchmark
    talks plain HTTP to gunicorn, so the client keeps sending them anyway (as the proxy would)."""
    for cookie in client.cookiejar:
        cookie.secure = False


class BenchUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    insecure = True

    def __init__(self, environment):
        # Each virtual user is a different visitor behind the load balancer, which appends the client's
        # address to X-Forwarded-For (the production settings trust one proxy): per-address limits, such as
        # the login rate limit, apply per user as they would to real visitors.
        number = _ready["addresses"] = _ready["addresses"] + 1
        self.default_headers = {"X-Forwarded-For": f"10.77.{number // 250}.{number % 250 + 1}"}
        super().__init__(environment)

    def on_start(self):
        self.sign_in()
        _ready["users"] += 1

    def sign_in(self):
        pass

    def submit_form(self, path, data, *, what):
        """Open the page with the form, send it with its CSRF token as a browser would; it must redirect."""
        page = self.client.get(path, name="sign-in")
        _plain_http_cookies(self.client)
        response = self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": _csrf_token(page)},
            allow_redirects=False,
            name="sign-in",
        )
        if response.status_code != 302:
            raise RuntimeError(f"{what} failed: {response.status_code}")
        _plain_http_cookies(self.client)

    def expect(self, path, marker, *, name, headers=None):
        _plain_http_cookies(self.client)
        with self.client.get(path, headers=headers, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif marker not in response.content:
                response.failure(f"marker {marker!r} missing")
            else:
                response.success()


class CitizenUser(BenchUser):
    abstract = True

    def sign_in(self):
        # One account per virtual user (gevent switches only on I/O, so the counter needs no lock).
        email = FIXTURES["citizens"][_ready["accounts"] % len(FIXTURES["citizens"])]
        _ready["accounts"] += 1
        self.submit_form(
            "/accounts/login/",
            {"login": email, "password": FIXTURES["citizen_password"]},
            what="citizen sign-in",
        )
        # Signing in rotates the CSRF secret: take a token from a page with a form, as a browser would.
        course = self.client.get(f"/courses/{FIXTURES['enroll_courses'][0]}/", name="sign-in")
        self.csrf_token = _csrf_token(course)


class StaffUser(BenchUser):
    abstract = True

    def sign_in(self):
        credentials = {"username": FIXTURES["staff_username"], "password": FIXTURES["staff_password"]}
        self.submit_form(f"{ADMIN_PATH}login/", {**credentials, "next": ADMIN_PATH}, what="staff sign-in")
        # The second factor: one of the run's recovery codes per virtual user.
        code = FIXTURES["staff_codes"][RUN * MAX_USERS + _ready["staff"]]
        _ready["staff"] += 1
        self.submit_form(
            f"{ADMIN_PATH}two-factor/verify/", {"code": code, "next": ADMIN_PATH}, what="staff second factor"
        )


# --- Scenarios ------------------------------------------------------------------------------------------

TRIVIAL = ("/bench/trivial/", b"ok")


class Catalogue(BenchUser):
    """Anonymous visitors on the catalogue's first page."""

    @task
    def scenario(self):
        path, marker = TRIVIAL if BASELINE else ("/courses/", "강좌 목록".encode())
        self.expect(path, marker, name="catalogue")


class SiteSearch(BenchUser):
    """Anonymous visitors searching a word that occurs inside compound nouns of every kind (/search/?q=)."""

    @task
    def scenario(self):
        path, marker = TRIVIAL if BASELINE else ("/search/?q=%EC%9E%AC%EC%83%9D", "검색 결과".encode())
        self.expect(path, marker, name="site search")


class CourseDetail(BenchUser):
    """Anonymous visitors on the page of the benchmark course with the most enrolments."""

    @task
    def scenario(self):
        path, marker = (
            TRIVIAL if BASELINE else (f"/courses/{FIXTURES['course_slug']}/", "회차별 일정".encode())
        )
        self.expect(path, marker, name="course detail")


class Enrollment(CitizenUser):
    """Signed-in citizens (one account each) enrol in a random open course and cancel again: every POST
    takes the course's row lock, counts seats, writes the enrolment (or its cancellation), the consent
    record, the confirmation e-mail to the outbox, the change-feed event and the history row."""

    def _post(self, path, data, *, name):
        data = {**data, "csrfmiddlewaretoken": self.csrf_token}
        _plain_http_cookies(self.client)
        with self.client.post(
            path, data=data, allow_redirects=False, name=name, catch_response=True
        ) as response:
            if BASELINE:
                ok = response.status_code == 200 and response.content.startswith(b"ok")
                return response.success() if ok else response.failure(f"status {response.status_code}")
            if response.status_code != 302:
                return response.failure(f"status {response.status_code}")
            levels = []
            for cookie in list(self.client.cookiejar):
                if cookie.name == "messages":
                    levels = message_levels(cookie.value)
                    # The browser shows the message on the next page, which empties the cookie.
                    self.client.cookiejar.clear(cookie.domain, cookie.path, cookie.name)
            if MESSAGE_SUCCESS in levels and MESSAGE_ERROR not in levels:
                response.success()
            else:
                response.failure(f"no success message (levels {levels})")

    @task
    def scenario(self):
        if BASELINE:
            self._post("/bench/trivial-post/", {}, name="enrolment POST")
            return
        slug = random.choice(FIXTURES["enroll_courses"])
        self._post(f"/courses/{slug}/enroll/", {"agree_privacy": "on"}, name="enrolment POST")
        self._post(f"/courses/{slug}/cancel/", {"confirm": "yes"}, name="enrolment POST")


class ApiProducts(BenchUser):
    """A partner pulling the product list, 100 per page."""

    @task
    def scenario(self):
        prefix = "/raw" if BASELINE else ""
        headers = {"Authorization": f"Api-Key {FIXTURES['api_key']}"}
        self.expect(
            f"{prefix}/api/v1/products/?page_size=100", b'"results"', name="API products", headers=headers
        )


class ApiOrganization(BenchUser):
    """A partner reading one organization (the one with the most products)."""

    @task
    def scenario(self):
        prefix = "/raw" if BASELINE else ""
        headers = {"Authorization": f"Api-Key {FIXTURES['api_key']}"}
        path = f"{prefix}/api/v1/organizations/{FIXTURES['organization_id']}/"
        self.expect(path, b'"product_count"', name="API organization", headers=headers)


class ApiProductsDemo(BenchUser):
    """The product list on the demo data (about 1,000 products), against the bare floor: one SELECT of 100
    product rows plus a COUNT, encoded with orjson (``/raw/floor/products/``)."""

    @task
    def scenario(self):
        headers = {"Authorization": f"Api-Key {FIXTURES['api_key']}"}
        path = "/raw/floor/products/" if BASELINE else "/api/v1/products/?page_size=100"
        self.expect(path, b'"results"', name="API products (demo data)", headers=headers)


class AdminList(StaffUser):
    """Staff on one changelist of the back office, 100 rows per page, taking in turn its first page as it
    opens, a page under its usual filters and a search (``paths``); the baseline is the trivial view."""

    abstract = True
    paths = ()

    def on_start(self):
        super().on_start()
        self.turn = random.randrange(len(self.paths))

    @task
    def scenario(self):
        if BASELINE:
            self.expect(*TRIVIAL, name="admin changelist")
            return
        self.turn = (self.turn + 1) % len(self.paths)
        self.expect(f"{ADMIN_PATH}{self.paths[self.turn]}", b'id="result_list"', name="admin changelist")


class AdminProducts(AdminList):
    paths = (
        "social_economy/product/",
        "social_economy/product/?category__exact=food&is_active__exact=1",
        "social_economy/product/?q=%EC%83%9D%EC%82%B0%ED%92%88+01234",  # 생산품 01234
    )


class AdminOrganizations(AdminList):
    paths = (
        "social_economy/organization/",
        "social_economy/organization/?org_type__exact=cooperative&status__exact=operating",
        "social_economy/organization/?q=%EC%A1%B0%EC%A7%81+01234",  # 조직 01234
    )


class AdminEnrollments(AdminList):
    paths = (
        "courses/enrollment/",
        "courses/enrollment/?status__exact=waiting",
        "courses/enrollment/?q=bench-citizen001234",
    )


class AdminVacantHouses(AdminList):
    paths = (
        "regeneration/vacanthouse/",
        "regeneration/vacanthouse/?status__exact=surveyed&current_grade_scheme__exact=urban4",
        "regeneration/vacanthouse/?q=BENCH-0123",
    )


# --- The clock ------------------------------------------------------------------------------------------


def _write(result):
    with open(os.environ["BENCH_RESULT"], "w", encoding="utf-8") as handle:
        json.dump(result, handle)


def _control(environment):
    runner = environment.runner
    wanted = runner.target_user_count or 0
    deadline = time.monotonic() + 180
    while not wanted or _ready["users"] < wanted:
        if time.monotonic() > deadline:
            _write({"error": f"only {_ready['users']} of {wanted} users started (see the locust log)"})
            runner.quit()
            return
        gevent.sleep(0.1)
        wanted = runner.target_user_count or 0
    gevent.sleep(WARMUP)
    environment.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(DURATION)
    total = environment.stats.total
    elapsed = time.monotonic() - started
    _write(
        {
            "requests": total.num_requests,
            "errors": total.num_failures,
            # Answered correctly per second (failed requests are counted in num_requests too).
            "rps": (total.num_requests - total.num_failures) / elapsed,
            "p50_ms": total.get_response_time_percentile(0.5),
            "p99_ms": total.get_response_time_percentile(0.99),
            "error_samples": [
                f"{e.name}: {e.error} ×{e.occurrences}" for e in environment.stats.errors.values()
            ][:5],
        }
    )
    runner.quit()


@events.init.add_listener
def _start_clock(environment, **kwargs):
    if isinstance(environment.runner, LocalRunner):
        gevent.spawn(_control, environment)
