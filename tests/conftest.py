import os

import pytest
from django.conf import settings

from tests import session_clock


def pytest_configure(config):
    """Move the whole session's clock where ``TEST_CLOCK`` says, before any test or connection exists.

    ``random`` is drawn once, here, and written back so pytest-xdist's workers stand at the same moment."""
    from django.db.backends.signals import connection_created

    connection_created.connect(session_clock.follow_pinned_clocks)
    moment = session_clock.parse(os.environ.get("TEST_CLOCK"))
    if moment is not None:
        os.environ["TEST_CLOCK"] = session_clock.format_moment(moment)
        session_clock.start(moment)
        # Settings were read before the offset existed: this process's connections get it here.
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        if _database_is_postgresql():
            options["options"] = f"{options.get('options', '')} {session_clock.database_option()}".strip()


@pytest.fixture
def teams(db):
    """The team groups with their permissions, and the rest of the reference data an installation has."""
    from jeonju_center.common.reference import load_all_reference_data

    load_all_reference_data()


def _database_is_postgresql():
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not _database_is_postgresql():
        pytest.skip("needs PostgreSQL (row locks/constraints): set DATABASE_URL=postgres://… to run it")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits (API throttles, allauth's e-mail cooldowns) live in the cache: start every test clean. The
    process's own page cache too: ids start again in every test's database, and so do data versions."""
    from django.core.cache import caches

    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    moment = session_clock.session_moment()
    clock = (
        session_clock.describe(moment) if moment else "real (set TEST_CLOCK=random or a moment to move it)"
    )
    return [f"clock: {clock}", f"database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db['NAME']})"]


# --- A real Celery worker on Redis --------------------------------------------------------------

import subprocess  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEST_BROKER = "redis://127.0.0.1:6379/15"


def _redis_broker_url():
    url = os.environ.get("CELERY_BROKER_URL") or DEFAULT_TEST_BROKER
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception as error:
        pytest.skip(f"needs a running Redis broker at {url}: {error}")
    return url


def _database_url_for_subprocess():
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _fresh_connection_pools(app):
    """Drop kombu's connection/producer pools so the next publish uses the current broker URL
    (closing them instead makes kombu 5.x refuse to publish: "Acquire on closed pool")."""
    from kombu import pools

    pools.reset()
    app._after_fork()


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start a real ``celery worker`` process on Redis against the test database.

    Yields a function ``send(task, *args)`` that queues a task for that worker only (its own queue), so
    the test exercises JSON serialisation, the broker and a separate process, as in production.
    """
    if not _database_is_postgresql():
        pytest.skip("the worker process must share the test database: needs PostgreSQL (DATABASE_URL)")
    broker_url = _redis_broker_url()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **session_clock.subprocess_environment(),
        "DJANGO_SETTINGS_MODULE": "jeonju_center.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": _database_url_for_subprocess(),
        "DATABASE_REPLICA_URL": "",  # the worker reads the test database only
        "CELERY_BROKER_URL": broker_url,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "jeonju_center", "worker", "--pool=solo", "--concurrency=1",
         f"--queues={queue}", "--without-mingle", "--without-gossip", "--loglevel=WARNING"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip

    from jeonju_center.celery import app

    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    app.conf.update(task_always_eager=False, broker_url=broker_url)
    _fresh_connection_pools(app)

    def send(task, *args):
        return task.apply_async(args=args, queue=queue)

    try:
        yield send
    finally:
        app.conf.update(previous)
        _fresh_connection_pools(app)
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


# --- A real browser -------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A Playwright page in Debian's Chromium, for tests against ``live_server.url``."""
    # Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are still
    # synchronous, so Django's async-safety guard must not refuse them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture(autouse=True)
def _staff_test_logins_pass_two_factor(request, monkeypatch):
    """A test that signs a staff member in (``force_login``, ``login``) gets the session a real sign-in gets
    after the authenticator code, so back-office tests test the back office. The two-factor gate itself is
    tested with ``@pytest.mark.two_factor_pending`` (tests/common/test_two_factor.py)."""
    if request.node.get_closest_marker("two_factor_pending"):
        return
    from django.test.client import ClientMixin

    original_login = ClientMixin._login

    def login_with_second_factor(self, user, backend=None):
        original_login(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        from jeonju_center.common.two_factor import needs_two_factor

        if needs_two_factor(user):
            device, _created = StaticDevice.objects.get_or_create(user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "_login", login_with_second_factor)
