"""gunicorn settings for the web service; every value can be overridden from the environment.

The web containers keep no state of their own (sessions and the cache live in PostgreSQL/Redis, uploads on
the shared media volume), so ``docker compose up --scale web=N`` behind the load balancer needs nothing else.
"""

import multiprocessing
import os


def _flag(name, default):
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# One thread per worker (gunicorn's sync worker): the portal's requests are CPU-bound, the load balancer in
# front buffers slow clients, and each free worker takes the next connection from the shared queue, which
# keeps the slowest requests close to the typical ones (make bench: p99 within 3× p50 at 16 connections,
# where two threads per worker with sticky keep-alive connections let one busy worker's queue grow).
threads = int(os.environ.get("GUNICORN_THREADS", 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
# Seconds an idle keep-alive connection is kept (threaded workers only; the sync worker closes each one).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Workers are replaced after this many requests (a guard against slow leaks); the jitter spreads the restarts.
# A new worker opens its connections and compiles templates and catalogues again, so its first requests are
# slow: at 2,000, under make bench's load one of five workers was replaced every ~4 s, which cost a fifth of the
# throughput and more than doubled p99. Workers' peak memory stays flat (~120 MB): replacing them rarely is enough.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 20000))
max_requests_jitter = max_requests // 10
# The application is imported once in the master and the workers are forked from it: replacing a worker
# costs a fork instead of importing Django again (a second of CPU), and the workers share the code's memory.
# Nothing opens a connection at import time (Django connects on the first query).
preload_app = _flag("GUNICORN_PRELOAD", "true")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
