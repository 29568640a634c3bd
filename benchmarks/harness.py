"""Plumbing of ``make bench``: the scratch database, the environments, gunicorn, locust, worker memory and
the machine's description. ``benchmarks/run.py`` puts them together."""

import contextlib
import http.client
import itertools
import json
import os
import platform
import runpy
import secrets
import subprocess
import sys
import threading
import time
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

REPO_ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = REPO_ROOT / "deploy" / "gunicorn.conf.py"


def _connect(database_url, dbname=None):
    parts = urlsplit(database_url)
    return psycopg2.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname=dbname or parts.path.lstrip("/"),
    )  # fmt: skip


def ensure_database(database_url):
    """Create the benchmark's own database if it does not exist (PostgreSQL only)."""
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit("make bench needs PostgreSQL: BENCH_DATABASE_URL=postgres://…")
    name = parts.path.lstrip("/")
    admin = _connect(database_url, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def flush_redis(url):
    """Empty the benchmark's own Redis database (cached pages, throttle histories, queued tasks)."""
    import redis

    redis.Redis.from_url(url).flushdb()


def _base_env(database_url, cache_url, work_dir):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "jeonju_center.settings",
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url,
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": str(work_dir / "static"),
            "MEDIA_ROOT": str(work_dir / "media"),
            "PYTHONPATH": str(REPO_ROOT),
        }
    )
    return env


def seed_env(database_url, cache_url, work_dir):
    """Development mode (``seed_demo`` refuses production), tasks inline, e-mail dropped."""
    return {**_base_env(database_url, cache_url, work_dir), "DJANGO_ENV": "development", "DEBUG": "false",
            "CELERY_BROKER_URL": ""}  # fmt: skip


def production_env(database_url, cache_url, broker_url, work_dir, *, port):
    """The production settings as docker-compose gives them, except the HTTPS redirect: TLS would end at the
    load balancer, and the bench talks plain HTTP to gunicorn. The load generator sends X-Forwarded-For as
    that load balancer would (one trusted proxy, the production default)."""
    return {
        **_base_env(database_url, cache_url, work_dir),
        "DJANGO_ENV": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_BROKER_URL": broker_url,
        "SECURE_SSL_REDIRECT": "false",
        "PORTAL_URL": f"http://127.0.0.1:{port}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }


def static_files_are_current(static_root):
    """True when the collected files (with their manifest) are newer than every source static file and the
    installed packages, so collecting again (half a minute of hashing and compressing) can be skipped."""
    manifest = Path(static_root) / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [
        REPO_ROOT / ".venv" / ".installed",
        *(p for p in (REPO_ROOT / "static").rglob("*") if p.is_file()),
    ]
    newest = max((p.stat().st_mtime for p in sources if p.exists()), default=0)
    return manifest.stat().st_mtime > newest


def run_checked(command, env, *, log, what):
    started = time.monotonic()
    with open(log, "a", encoding="utf-8") as output:
        process = subprocess.run(command, cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    if process.returncode != 0:
        sys.exit(f"{what} failed (exit {process.returncode}); see {log}")
    return time.monotonic() - started


def run_output(command, env):
    """Run a command to completion and return what it printed (it must succeed)."""
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True).stdout


# --- gunicorn -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(env, *, port, log, workers=None):
    """``benchmarks/bench_wsgi.py`` under gunicorn with the production configuration
    (``deploy/gunicorn.conf.py``); yields the master's pid."""
    env = dict(env)
    if workers:
        env["GUNICORN_WORKERS"] = str(workers)
    with open(log, "a", encoding="utf-8") as output:
        process = subprocess.Popen(
            # No control socket: it lives at one path per user, which another gunicorn may be using.
            [sys.executable, "-m", "gunicorn", "benchmarks.bench_wsgi:application", "--config", str(GUNICORN_CONFIG),
             "--no-control-socket"],
            cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"gunicorn did not start on port {port}; see {log}")
            time.sleep(0.3)
        # The first worker answers while the master is still forking the others: measure with all of them.
        expected = int(env.get("GUNICORN_WORKERS") or runpy.run_path(str(GUNICORN_CONFIG))["workers"])
        while len(worker_pids(process.pid)) < expected and time.monotonic() < deadline:
            time.sleep(0.1)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_pids(master_pid):
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def _status_kb(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


class WorkerMemory:
    """Peak resident memory (VmHWM) of each gunicorn worker during one scenario.

    The peak is reset when the scenario starts (``clear_refs``); workers that gunicorn replaces
    (``max_requests``) are sampled every half second until they go.
    """

    def __init__(self, master_pid):
        self.master_pid = master_pid
        self.peaks = {}
        self._stop = threading.Event()
        self._thread = None

    def __enter__(self):
        for pid in worker_pids(self.master_pid):
            with contextlib.suppress(OSError):
                Path(f"/proc/{pid}/clear_refs").write_text("5")
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while True:
            for pid in worker_pids(self.master_pid):
                peak = _status_kb(pid, "VmHWM")
                if peak is not None:
                    self.peaks[pid] = max(peak, self.peaks.get(pid, 0))
            if self._stop.wait(0.5):
                return

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample_once()

    def _sample_once(self):
        for pid in worker_pids(self.master_pid):
            peak = _status_kb(pid, "VmHWM")
            if peak is not None:
                self.peaks[pid] = max(peak, self.peaks.get(pid, 0))

    @property
    def max_mb(self):
        return max(self.peaks.values(), default=0) / 1024


# --- locust ---------------------------------------------------------------------------------------------


_locust_runs = itertools.count()


def locust(user_class, *, host, env, fixtures, target, users, warmup, duration, work_dir, log):
    """One headless locust process (a separate process from the server) for one scenario; returns its
    figures (see ``benchmarks/locustfile.py``). Each process of a run has its own number (``BENCH_RUN``), so
    what a sign-in uses up (a staff recovery code) is never offered twice."""
    result_file = work_dir / f"result-{user_class}-{target}.json"
    result_file.unlink(missing_ok=True)
    locust_env = {
        **env,
        "BENCH_FIXTURES": str(fixtures),
        "BENCH_TARGET": target,
        "BENCH_WARMUP": str(warmup),
        "BENCH_DURATION": str(duration),
        "BENCH_RESULT": str(result_file),
        "BENCH_RUN": str(next(_locust_runs)),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(REPO_ROOT / "benchmarks" / "locustfile.py"), "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--host", host, "--only-summary",
        "--loglevel", "WARNING", "--run-time", f"{int(warmup + duration + 240)}s", "--stop-timeout", "10",
        user_class,
    ]  # fmt: skip
    with open(log, "a", encoding="utf-8") as output:
        output.write(f"\n=== {user_class} ({target}) ===\n")
        output.flush()
        subprocess.run(command, cwd=REPO_ROOT, env=locust_env, stdout=output, stderr=subprocess.STDOUT)
    if not result_file.exists():
        return {"error": f"locust wrote no result; see {log}"}
    return json.loads(result_file.read_text())


# --- the machine ----------------------------------------------------------------------------------------


def machine(database_url, cache_url):
    """What the figures were measured on."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = (_meminfo_kb("MemTotal") or 0) / 1024 / 1024
    connection = _connect(database_url)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    connection.close()
    import redis

    # Versions from the package metadata: importing locust here would monkey-patch this process (gevent).
    redis_version = redis.Redis.from_url(cache_url).info("server").get("redis_version", "?")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "load": os.getloadavg(),
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "locust": version("locust"),
        "postgresql": postgres,
        "redis": redis_version,
    }


def _meminfo_kb(field):
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    return None
