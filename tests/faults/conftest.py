"""Fixtures of the fault tests: the portal served by gunicorn (with the production gunicorn config), Celery
workers in their own processes, a private Redis that a test may kill, an SMTP sink that counts what
arrives, and transactions of another database connection that hold locks for as long as a test needs.

Everything runs against the test database, so these fixtures need PostgreSQL; the shared Redis of the
machine is never stopped (each test that kills a broker kills its own ``redis-server``).
"""

import asyncio
import contextlib
import email
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import policy
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction

from tests import session_clock
from tests.conftest import (
    REPO_ROOT,
    _database_is_postgresql,
    _database_url_for_subprocess,
    _fresh_connection_pools,
)

# Variables of the developer's shell that must not leak into the subprocesses: each test says what it runs on.
_SCRUBBED_ENV = (
    "DATABASE_URL",
    # The portal processes read the test database only (a replica of the developer's database would not have it).
    "DATABASE_REPLICA_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "CACHE_URL",
    "DB_LOCK_TIMEOUT_MS",
    "DB_CONN_MAX_AGE",
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout=20.0, interval=0.05):
    """Poll ``condition()`` until it returns something truthy (returned) or ``timeout`` passes (None)."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def wait_until_settled(read, quiet=1.5, timeout=20.0):
    """Wait until ``read()`` has not changed for ``quiet`` seconds; returns the last value."""
    deadline, last, since = time.monotonic() + timeout, read(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.1)
        current = read()
        if current != last:
            last, since = current, time.monotonic()
    return last


def _subprocess_env(application_name, **overrides):
    """The environment of a portal process on the test database; ``application_name`` marks its
    PostgreSQL connections so a test can find (and terminate) exactly those."""
    env = {
        key: value
        for key, value in session_clock.subprocess_environment().items()
        if key not in _SCRUBBED_ENV
    }
    env.update(
        DJANGO_SETTINGS_MODULE="jeonju_center.settings",
        DJANGO_ENV="development",
        DEBUG="false",
        DATABASE_URL=f"{_database_url_for_subprocess()}?application_name={application_name}",
        CELERY_BROKER_URL="",
        EMAIL_URL="dummymail://",
        LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


def _stop(process):
    """Kill a process we started and everything it started (its own session): at the end of a test
    nothing needs a graceful shutdown, and gunicorn's or Celery's takes seconds."""
    # Also when the leader is gone already: a prefork pool's processes may outlive a killed parent.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def backends(application_name, *, waiting_on_lock=False):
    """Process ids of the PostgreSQL backends of one portal process (and its children)."""
    sql = "SELECT pid FROM pg_stat_activity WHERE application_name = %s"
    if waiting_on_lock:
        sql += " AND wait_event_type = 'Lock'"
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY pid", [application_name])
        return [row[0] for row in cursor.fetchall()]


def terminate_backend(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        return cursor.fetchone()[0]


@pytest.fixture
def postgres_only():
    if not _database_is_postgresql():
        pytest.skip("the portal and worker processes must share the test database: needs PostgreSQL")


# --- Transactions of another connection ------------------------------------------------------------


class OpenTransaction:
    """Run ``work()`` in a transaction of another database connection and keep it open — with every lock
    it took — until the ``with`` block ends; then roll it back. What a concurrent request or a stuck
    session does to ours, without mocking anything."""

    def __init__(self, work):
        self.work = work
        self._ready = threading.Event()
        self._release = threading.Event()
        self.error = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        try:
            with transaction.atomic():
                self.work()
                self._ready.set()
                self._release.wait(timeout=120)
                transaction.set_rollback(True)
        except Exception as error:  # re-raised in the test's thread
            self.error = error
        finally:
            self._ready.set()
            connection.close()

    def __enter__(self):
        self._thread.start()
        assert self._ready.wait(timeout=20), "the other connection never got its locks"
        if self.error is not None:
            raise self.error
        return self

    def __exit__(self, *exc_info):
        self._release.set()
        self._thread.join(timeout=30)
        assert not self._thread.is_alive(), "the other connection did not finish"


# --- The portal, served by gunicorn ----------------------------------------------------------------


class Portal:
    def __init__(self, process, port, application_name, log_path):
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self.application_name = application_name
        self.log_path = log_path
        self._ready = False

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_ready(self):
        """gunicorn's master listens at once; a worker answers only once it has loaded Django (seconds),
        so tests start the portal first and create their data meanwhile."""
        import requests

        def answers():
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.log()[-3000:]}")
            try:
                return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        if not self._ready:
            assert wait_for(answers, timeout=40), f"gunicorn did not start:\n{self.log()[-3000:]}"
            self._ready = True
        return self

    def backends(self, *, waiting_on_lock=False):
        return backends(self.application_name, waiting_on_lock=waiting_on_lock)

    def browser(self, user=None):
        self.wait_ready()
        return Browser(self, user)


def signed_in_session_key(user):
    """A session as signing in creates it (what ``django.contrib.auth.login`` stores), without the form."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The backend must exist in the server's settings too (the test settings may add their own).
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


class Browser:
    """A visitor's HTTP session with the portal (cookies, CSRF token), signed in when ``user`` is given.

    Every request closes its connection: a kept-alive connection that gunicorn closed meanwhile would
    make a POST fail on the client side, which is not what these tests are about."""

    def __init__(self, portal, user=None):
        import requests

        self.portal = portal
        self.session = requests.Session()
        self.session.headers.update({"Connection": "close", "User-Agent": "faults-test"})
        self.csrf_token = None
        if user is not None:
            self.session.cookies.set(settings.SESSION_COOKIE_NAME, signed_in_session_key(user))

    def get(self, path, **kwargs):
        kwargs.setdefault("timeout", 20)
        return self.session.get(self.portal.url + path, **kwargs)

    def open_form(self, path):
        """GET a page with a form and keep its CSRF token (the cookie stays in the session)."""
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        assert match, f"no form with a CSRF token on {path}"
        self.csrf_token = match.group(1)
        return response

    def post(self, path, data, **kwargs):
        kwargs.setdefault("timeout", 20)
        kwargs.setdefault("allow_redirects", False)
        return self.session.post(
            self.portal.url + path, data={"csrfmiddlewaretoken": self.csrf_token, **data}, **kwargs
        )


def page_messages(html):
    """The texts of the Django messages shown on a page."""
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<p class="message[^"]*">(.*?)</p>', html, re.S)
    ]


@pytest.fixture
def start_portal(postgres_only, transactional_db, tmp_path):
    """``start_portal(workers=1, threads=2, **environment)`` → a ``Portal`` booting (see ``wait_ready``).

    gunicorn with the project's own ``deploy/gunicorn.conf.py`` against the test database, DEBUG off,
    persistent connections as in production (``DB_CONN_MAX_AGE=60``), tasks inline (no broker) unless
    the environment names one."""
    portals = []

    def start(*, workers=1, threads=2, **env):
        port = free_port()
        name = f"faults-web-{uuid.uuid4().hex[:8]}"
        log_path = tmp_path / f"{name}.log"
        environment = _subprocess_env(
            name,
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS=workers,
            GUNICORN_THREADS=threads,
            **{"DB_CONN_MAX_AGE": 60, **env},
        )
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "jeonju_center.wsgi:application", "--config", "deploy/gunicorn.conf.py",
                 "--no-control-socket"],
                cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        portal = Portal(process, port, name, log_path)
        portals.append(portal)
        return portal

    yield start
    for portal in portals:
        _stop(portal.process)


# --- A Redis of the test's own -------------------------------------------------------------------


class PrivateRedis:
    """A ``redis-server`` on a free port, without persistence: killing it loses whatever it held, as a
    crashed broker without AOF would."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_for(self.ping, timeout=10), "redis-server did not start"

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=1, socket_timeout=2)

    def ping(self):
        try:
            return self.client().ping()
        except Exception:
            return False


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server (apt-get install redis-server) to run a broker the test may stop")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


# --- An SMTP server that counts ----------------------------------------------------------------------


class SmtpSink:
    """aiosmtpd handler: every message that reaches DATA is ``arrived``; it is ``delivered`` only once the
    server answered 250. ``hold()`` makes the server keep the client waiting for that answer (the message
    is in, the verdict is not) until ``let_go()``; a client that dies meanwhile lands in ``cut_off``."""

    def __init__(self):
        self.arrived, self.delivered, self.cut_off = [], [], []
        self._open = threading.Event()
        self._open.set()

    def hold(self):
        self._open.clear()

    def let_go(self):
        self._open.set()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.arrived.append(message)
        try:
            while not self._open.is_set():
                await asyncio.sleep(0.02)
        except asyncio.CancelledError:
            self.cut_off.append(message)
            raise
        self.delivered.append(message)
        return "250 Message accepted for delivery"

    def delivered_to(self, address):
        return [
            message
            for message in self.delivered
            if address in {recipient.addr_spec for recipient in message["To"].addresses}
        ]

    def delivered_count(self):
        return len(self.delivered)


@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.url = f"smtp://127.0.0.1:{controller.port}"
    yield sink
    sink.let_go()
    controller.stop()


# --- Celery workers -----------------------------------------------------------------------------


class Worker:
    def __init__(self, process, application_name, log_path):
        self.process = process
        self.application_name = application_name
        self.log_path = log_path

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def backends(self, *, waiting_on_lock=False):
        return backends(self.application_name, waiting_on_lock=waiting_on_lock)

    def pool_processes(self):
        """Pids of the prefork pool's child processes (Linux)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill(self):
        """SIGKILL the whole worker, pool processes included: no clean-up, no acknowledgement, as when its
        container or machine dies."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def received(self, task_name):
        """Ids of the tasks of ``task_name`` this worker received, in order (one per delivery)."""
        return re.findall(rf"Task {re.escape(task_name)}\[([0-9a-f-]+)\] received", self.log())


@pytest.fixture
def celery_workers(postgres_only, transactional_db, private_redis, smtp_sink, tmp_path, monkeypatch):
    """``start(redeliver_after=None, **environment)`` → a ready ``Worker`` on the test's private Redis,
    sending e-mail to ``smtp_sink``: a prefork worker as in production (one pool process). This test
    process publishes to that Redis too (tasks are not run inline).

    ``redeliver_after=N``: Redis gives the task of a worker that died to another one after N seconds
    instead of an hour (see ``tests/faults/worker_settings.py``)."""
    from jeonju_center.celery import app

    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    # Celery prefers the CELERY_BROKER_URL environment variable (set in CI) to its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", private_redis.url)
    app.conf.update(task_always_eager=False, broker_url=private_redis.url)
    _fresh_connection_pools(app)
    workers = []

    def start(*, redeliver_after=None, **env):
        if redeliver_after is not None:
            env["FAULTS_VISIBILITY_TIMEOUT"] = redeliver_after
        name = f"faults-worker-{uuid.uuid4().hex[:8]}"
        log_path = tmp_path / f"{name}.log"
        environment = _subprocess_env(
            name,
            DJANGO_SETTINGS_MODULE="tests.faults.worker_settings",
            CELERY_BROKER_URL=private_redis.url,
            EMAIL_URL=smtp_sink.url,
            LOG_LEVEL="INFO",
            **env,
        )
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "jeonju_center", "worker", "--pool=prefork", "--concurrency=1",
                 "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=INFO", f"--hostname={name}@%h"],
                cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        worker = Worker(process, name, log_path)
        workers.append(worker)

        def ready():
            if process.poll() is not None:
                raise AssertionError(f"the worker exited:\n{worker.log()[-3000:]}")
            return " ready." in worker.log()

        assert wait_for(ready, timeout=30), f"the worker did not start:\n{worker.log()[-3000:]}"
        return worker

    yield start
    for worker in workers:
        _stop(worker.process)
    app.conf.update(previous)
    _fresh_connection_pools(app)
