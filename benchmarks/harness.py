"""Small, dependency-free helpers for the benchmark scripts: a scratch PostgreSQL database, gunicorn
servers, and a keep-alive HTTP load generator that reports throughput and latency percentiles.

Benchmarks print figures; they are not tests. Run them on an otherwise idle machine and compare
ratios (portal ÷ baseline measured the same way, on the same server), not absolute numbers.
"""

import contextlib
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

REPO_ROOT = Path(__file__).resolve().parent.parent


def ensure_database(database_url):
    """Create the scratch database named in ``database_url`` if it does not exist (PostgreSQL only)."""
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql"}:
        sys.exit("Benchmarks need PostgreSQL: pass --database-url postgres://…")
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname or "127.0.0.1", port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password, dbname="postgres",
    )  # fmt: skip
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def portal_env(database_url, **extra):
    """Environment for the portal under load: production-like (DEBUG off), no throttling in the way."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jeonju_center.settings",
        "DJANGO_ENV": "development",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PARTNER_API_RATE_PER_MINUTE": "100000000",
        "PUBLIC_API_RATE_PER_MINUTE": "100000000",
        "CELERY_BROKER_URL": "",
        **extra,
    }


@contextlib.contextmanager
def gunicorn(app, port, env, *, workers=2, ready_path="/"):
    """Serve the WSGI ``app`` ("module:callable") with gunicorn on 127.0.0.1:``port``."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "sync", "--keep-alive", "30", "--log-level", "warning"],
        cwd=REPO_ROOT, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", ready_path)
                connection.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn {app} did not start on port {port}") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def load(base_url, path, *, headers=None, duration=10.0, concurrency=4, warmup=1.0):
    """Keep-alive GETs of ``path`` from ``concurrency`` threads for ``duration`` seconds."""
    parts = urlsplit(base_url)
    latencies, errors, lock = [], [0], threading.Lock()
    stop_at = [0.0]
    measuring = threading.Event()

    def worker():
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        own = []
        while time.monotonic() < stop_at[0]:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers or {})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                ok = False
            elapsed = time.perf_counter() - started
            if measuring.is_set():
                if ok:
                    own.append(elapsed)
                else:
                    with lock:
                        errors[0] += 1
        with lock:
            latencies.extend(own)

    stop_at[0] = time.monotonic() + warmup + duration
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    measuring.set()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
    }


def print_table(rows):
    """rows: (label, result dict)."""
    print(f"{'endpoint':58} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}")
    for label, result in rows:
        print(
            f"{label:58} {result['rps']:9.1f} {result['p50_ms']:9.1f} {result['p99_ms']:9.1f} {result['errors']:7d}"
        )
