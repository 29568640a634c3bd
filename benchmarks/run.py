"""``make bench``: the portal's speed on the large data set, each scenario next to its floor, in one table.

1. Creates the benchmark's own PostgreSQL database (``BENCH_DATABASE_URL``, default ``jeonju_bench``),
   migrates it and seeds the large data set once (``benchmarks/seed.py``; a second run adds nothing).
2. Serves ``benchmarks/bench_wsgi.py`` with gunicorn and ``deploy/gunicorn.conf.py`` under the production
   settings (``DJANGO_ENV=production``, Redis cache and broker): the portal, two trivial Django views and,
   under ``/raw/``, the raw psycopg2→JSON baseline of the API — one server, one configuration.
3. For every scenario, runs locust headless in a separate process (16 users = 16 keep-alive connections, no
   think time), first against the baseline, then against the portal: warm-up, then a fixed measured window.
4. Prints one table: throughput, p50/p99 latency and errors of each scenario, its baseline's throughput,
   the ratio, the goal and whether it is met, and the peak resident memory of a gunicorn worker.

Not a test and not part of ``make test``/CI: figures depend on the machine. Compare ratios, not req/s.

    make bench                       # full size, 20 s per measurement
    make bench BENCH_ARGS="--small --duration 5"
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import harness, rush

# (locust user class, label, baseline label, throughput goal as a fraction of the baseline or None)
SCENARIOS = [
    ("Catalogue", "catalogue page /courses/", "trivial view", 0.30),
    ("CourseDetail", "course detail /courses/<slug>/", "trivial view", 0.30),
    ("SiteSearch", "site search /search/?q=재생", "trivial view", None),
    ("Enrollment", "enrolment POST (enrol/cancel)", "trivial POST", None),
    ("ApiProducts", "API products ?page_size=100", "raw psycopg", 0.50),
    ("ApiOrganization", "API organization detail", "raw psycopg", None),
    ("AdminChangelist", "admin product changelist", "trivial view", None),
]
# Tail latency goal at 16 concurrent connections, for every scenario.
P99_OVER_P50 = 3.0
RUSH = "EnrollmentRush"
RUSH_P99_MS = 2000


def run_rush(env, *, port, work_dir, log):
    """The enrolment rush (``benchmarks/rush.py``): prepared with the server's settings, fired from this
    process, and its outcome read back from the database."""
    prepared_file = work_dir / "rush.json"
    python = sys.executable
    harness.run_checked(
        [python, "-m", "benchmarks.rush", "prepare", "--out", str(prepared_file)],
        env,
        log=log,
        what="rush prepare",
    )
    prepared = json.loads(prepared_file.read_text())
    results = rush.fire("127.0.0.1", port, prepared)
    figures = rush.summary(results)
    counted = harness.run_output(
        [python, "-m", "benchmarks.rush", "outcome", "--course", prepared["course"]], env
    )
    figures.update(json.loads(counted), seats=prepared["seats"])
    return figures


def print_rush(figures):
    if not figures:
        return
    wanted_waiting = figures["requests"] - figures["seats"]
    problems = []
    if figures["errors"]:
        problems.append(f"{figures['errors']} errors (first: {figures['first_error']})")
    if figures["p99_ms"] > RUSH_P99_MS:
        problems.append(f"p99 > {RUSH_P99_MS} ms")
    if (figures["confirmed"], figures["waiting"]) != (figures["seats"], wanted_waiting):
        problems.append(f"{figures['confirmed']} confirmed, {figures['waiting']} waiting")
    print(
        f"Enrolment rush: {figures['requests']:,} signed-in citizens POST enrol on one course of {figures['seats']} "
        f"seats, sent evenly over {rush.SPREAD_SECONDS:g} s: {figures['rps']:.1f} req/s over {figures['seconds']:.1f} s, "
        f"p50 {figures['p50_ms']:.0f} ms, p99 {figures['p99_ms']:.0f} ms, {figures['errors']} errors; "
        f"{figures['confirmed']} confirmed and {figures['waiting']} waiting in the order the portal took them. "
        f"Goal: no error, p99 ≤ {RUSH_P99_MS} ms, exactly {figures['seats']} confirmed and {wanted_waiting} waiting: "
        f"{'met' if not problems else 'NOT met: ' + '; '.join(problems)}."
    )


def verdict(result, baseline, goal):
    problems = []
    if result.get("error"):
        return "NO: " + result["error"]
    if result["errors"]:
        problems.append(f"{result['errors']} errors")
    if result["p99_ms"] > P99_OVER_P50 * result["p50_ms"]:
        problems.append(f"p99 > {P99_OVER_P50:g}×p50")
    if goal is not None and baseline.get("rps") and result["rps"] / baseline["rps"] < goal:
        problems.append(f"ratio < {goal:.2f}")
    return "yes" if not problems else "NO: " + ", ".join(problems)


def print_report(rows, *, info, counts, args, workers, elapsed):
    print()
    print(
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']:.0f} GB RAM; {info['os']}; "
        f"PostgreSQL {info['postgresql']}, Redis {info['redis']}; Python {info['python']}, Django "
        f"{info['django']}, gunicorn {info['gunicorn']}, locust {info['locust']}; load before the run "
        f"{info['load'][0]:.2f}"
    )
    print(
        f"Data: {counts['organizations']:,} organizations, {counts['products']:,} products, {counts['courses']:,} "
        f"published courses, {counts['enrolments']:,} enrolments. Server: gunicorn {workers} workers × "
        f"{os.environ.get('GUNICORN_THREADS', 1)} thread(s) (deploy/gunicorn.conf.py), DJANGO_ENV=production. "
        f"Load: locust, {args.users} users, {args.warmup:g} s warm-up + {args.duration:g} s measured per row."
    )
    print()
    header = (
        f"{'scenario':32} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}  {'baseline':13} "
        f"{'req/s':>8} {'ratio':>6} {'goal':>6} {'RSS MB':>7}  met?"
    )
    print(header)
    print("-" * len(header))
    for label, base_label, goal, result, baseline, rss in rows:
        if result.get("error") or baseline.get("error"):
            print(f"{label:32} {'—':>8}  {result.get('error') or baseline.get('error')}")
            continue
        ratio = result["rps"] / baseline["rps"] if baseline["rps"] else 0.0
        goal_text = f"≥{goal:.2f}" if goal is not None else "—"
        print(
            f"{label:32} {result['rps']:8.1f} {result['p50_ms']:7.0f} {result['p99_ms']:7.0f} {result['errors']:6d}  "
            f"{base_label:13} {baseline['rps']:8.1f} {ratio:6.2f} {goal_text:>6} {rss:7.0f}  "
            f"{verdict(result, baseline, goal)}"
        )
    print()
    print(
        f"Goals: ratio as shown; p99 ≤ {P99_OVER_P50:g}× p50 and no errors in every row. RSS MB: the highest peak "
        f"resident memory (VmHWM) of one gunicorn worker during the row. Total time {elapsed / 60:.1f} min."
    )
    for label, _base, _goal, result, baseline, _rss in rows:
        for name, figures in (("portal", result), ("baseline", baseline)):
            for sample in figures.get("error_samples", []):
                print(f"  {label} ({name}) error: {sample}")


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="default: postgres://postgres@127.0.0.1:5432/jeonju_bench (jeonju_bench_small with --small)",
    )
    parser.add_argument("--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument(
        "--broker-url", default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
    )
    parser.add_argument("--small", action="store_true", help="a tenth of the data (a quick run)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured per row and baseline")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of load before measuring")
    parser.add_argument("--users", type=int, default=16, help="locust users = concurrent connections")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the config's)")
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--only", nargs="*", help="run only these scenarios (locust class names)")
    args = parser.parse_args(argv)

    if not args.database_url:
        # Each size in its own database: the seed only ever adds rows.
        name = "jeonju_bench_small" if args.small else "jeonju_bench"
        args.database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    started = time.monotonic()
    work_dir = Path(tempfile.gettempdir()) / "jeonju-bench"
    work_dir.mkdir(exist_ok=True)
    log = work_dir / "bench.log"
    log.write_text("")
    fixtures = work_dir / "fixtures.json"
    print(f"make bench: database {args.database_url}, cache {args.cache_url}; logs in {log}", flush=True)

    harness.ensure_database(args.database_url)
    seed_env = harness.seed_env(args.database_url, args.cache_url, work_dir)
    python = sys.executable
    took = harness.run_checked(
        [python, "manage.py", "migrate", "--noinput"], seed_env, log=log, what="migrate"
    )
    print(f"  migrated ({took:.0f} s)", flush=True)
    took = harness.run_checked([python, "manage.py", "seed_demo"], seed_env, log=log, what="seed_demo")
    print(f"  demo data ({took:.0f} s)", flush=True)
    took = harness.run_checked(
        [python, "-m", "benchmarks.seed", "--size", "small" if args.small else "full", "--users", str(args.users),
         "--fixtures", str(fixtures)],
        seed_env, log=log, what="benchmark data",
    )  # fmt: skip
    print(f"  large data set and run fixtures ({took:.0f} s)", flush=True)

    env = harness.production_env(args.database_url, args.cache_url, args.broker_url, work_dir, port=args.port)
    if harness.static_files_are_current(env["STATIC_ROOT"]):
        print("  static files: already collected", flush=True)
    else:
        took = harness.run_checked(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"], env, log=log, what="collectstatic"
        )
        print(f"  static files collected with their manifest ({took:.0f} s)", flush=True)
    harness.flush_redis(args.cache_url)
    harness.flush_redis(args.broker_url)
    info = harness.machine(args.database_url, args.cache_url)
    counts = json.loads(fixtures.read_text())["counts"]

    rows = []
    rush_figures = None
    host = f"http://127.0.0.1:{args.port}"
    scenarios = [s for s in SCENARIOS if not args.only or s[0] in args.only]
    with harness.gunicorn(env, port=args.port, log=log, workers=args.workers) as master:
        workers = len(harness.worker_pids(master))
        for user_class, label, base_label, goal in scenarios:
            measured = {}
            for target in ("baseline", "portal"):
                with harness.WorkerMemory(master) as memory:
                    measured[target] = harness.locust(
                        user_class, host=host, env=env, fixtures=fixtures, target=target, users=args.users,
                        warmup=args.warmup, duration=args.duration, work_dir=work_dir, log=log,
                    )  # fmt: skip
                measured[f"{target}_rss"] = memory.max_mb
            result, baseline = measured["portal"], measured["baseline"]
            rows.append((label, base_label, goal, result, baseline, measured["portal_rss"]))
            if result.get("error") or baseline.get("error"):
                print(f"  {label}: {result.get('error') or baseline.get('error')}", flush=True)
            else:
                print(
                    f"  {label}: {result['rps']:.1f} req/s, baseline {baseline['rps']:.1f} req/s "
                    f"({result['rps'] / baseline['rps']:.2f}×)",
                    flush=True,
                )
        if not args.only or RUSH in args.only:
            rush_figures = run_rush(env, port=args.port, work_dir=work_dir, log=log)
            print(
                f"  enrolment rush: {rush_figures['rps']:.1f} req/s, p99 {rush_figures['p99_ms']:.0f} ms",
                flush=True,
            )
    # Tasks the enrolments queued (confirmation e-mails) have no worker here.
    harness.flush_redis(args.broker_url)
    print_report(
        rows, info=info, counts=counts, args=args, workers=workers, elapsed=time.monotonic() - started
    )
    print_rush(rush_figures)
    failed = any(verdict(result, baseline, goal) != "yes" for _l, _b, goal, result, baseline, _r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
