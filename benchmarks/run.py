"""``make bench``: the portal's speed on the large data set, each scenario next to its floor, in one table.

1. Creates the benchmark's own PostgreSQL database (``BENCH_DATABASE_URL``, default ``jeonju_bench``),
   migrates it and seeds the large data set once (``benchmarks/seed.py``; a second run adds nothing).
2. Serves ``benchmarks/bench_wsgi.py`` with gunicorn and ``deploy/gunicorn.conf.py`` under the production
   settings (``DJANGO_ENV=production``, Redis cache and broker): the portal, two trivial Django views and,
   under ``/raw/``, the raw psycopg2→JSON baselines of the API — one server, one configuration.
3. For every scenario, runs locust headless in a separate process (16 users = 16 keep-alive connections, no
   think time), first against the baseline (once per baseline: rows that share it share the measurement),
   then against the portal: warm-up, then a fixed measured window. Then the enrolment rush.
4. Does the same for the demo-data rows (``DEMO_SCENARIOS``) on a second database that holds the demo data
   only (``BENCH_DEMO_DATABASE_URL``, default ``jeonju_bench_demo``), against the bare floor.
5. Prints one table: throughput, p50/p99 latency and errors of each scenario, its baseline's throughput,
   the ratio, the goals and whether they are met, and the peak resident memory of a gunicorn worker.

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

# (locust user class, label, baseline label, throughput goal as a fraction of the baseline or None,
#  p50 goal in ms or None). Rows with the same baseline label share one baseline measurement per run.
SCENARIOS = [
    ("Catalogue", "catalogue page /courses/", "trivial view", 0.30, None),
    ("CourseDetail", "course detail /courses/<slug>/", "trivial view", 0.30, None),
    ("SiteSearch", "site search /search/?q=재생", "trivial view", None, None),
    ("Enrollment", "enrolment POST (enrol/cancel)", "trivial POST", None, None),
    ("ApiProducts", "API products ?page_size=100", "raw psycopg", 0.50, 30),
    ("ApiOrganization", "API organization detail", "raw psycopg org", 0.50, 30),
    ("AdminProducts", "admin products (list/filter/q)", "trivial staff", 0.30, 150),
    ("AdminOrganizations", "admin organizations", "trivial staff", 0.30, 150),
    ("AdminEnrollments", "admin enrolments", "trivial staff", 0.30, 150),
    ("AdminVacantHouses", "admin vacant houses", "trivial staff", 0.30, 150),
]
# Run on a second database holding the demo data only (``--demo`` runs only these).
DEMO_SCENARIOS = [
    ("ApiProductsDemo", "API products, demo data", "bare floor", 0.50, None),
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
    """Print the rush's line; True when it met its goal (or did not run)."""
    if not figures:
        return True
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
    return not problems


def verdict(result, baseline, goal, p50_goal=None):
    problems = []
    if result.get("error"):
        return "NO: " + result["error"]
    if result["errors"]:
        problems.append(f"{result['errors']} errors")
    if result["p99_ms"] > P99_OVER_P50 * result["p50_ms"]:
        problems.append(f"p99 > {P99_OVER_P50:g}×p50")
    if goal is not None and baseline.get("rps") and result["rps"] / baseline["rps"] < goal:
        problems.append(f"ratio < {goal:.2f}")
    if p50_goal is not None and result["p50_ms"] > p50_goal:
        problems.append(f"p50 > {p50_goal} ms")
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
        f"published courses, {counts['enrolments']:,} enrolments, {counts.get('vacant_houses', 0):,} vacant "
        f"houses. Server: gunicorn {workers} workers × {os.environ.get('GUNICORN_THREADS', 1)} thread(s) "
        f"(deploy/gunicorn.conf.py), DJANGO_ENV=production. Load: locust, {args.users} users, {args.warmup:g} s "
        f"warm-up + {args.duration:g} s measured per row."
    )
    print()
    header = (
        f"{'scenario':32} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}  {'baseline':15} "
        f"{'req/s':>8} {'ratio':>6} {'goal':>6} {'p50 goal':>8} {'RSS MB':>7}  met?"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        label, base_label, goal, p50_goal, result, baseline, rss = row
        if result.get("error") or baseline.get("error"):
            print(f"{label:32} {'—':>8}  {result.get('error') or baseline.get('error')}")
            continue
        ratio = result["rps"] / baseline["rps"] if baseline["rps"] else 0.0
        goal_text = f"≥{goal:.2f}" if goal is not None else "—"
        p50_text = f"≤{p50_goal}" if p50_goal is not None else "—"
        print(
            f"{label:32} {result['rps']:8.1f} {result['p50_ms']:7.0f} {result['p99_ms']:7.0f} {result['errors']:6d}  "
            f"{base_label:15} {baseline['rps']:8.1f} {ratio:6.2f} {goal_text:>6} {p50_text:>8} {rss:7.0f}  "
            f"{verdict(result, baseline, goal, p50_goal)}"
        )
    print()
    print(
        f"Goals: ratio and p50 as shown; p99 ≤ {P99_OVER_P50:g}× p50 and no errors in every row. RSS MB: the highest "
        f"peak resident memory (VmHWM) of one gunicorn worker during the row. Total time {elapsed / 60:.1f} min."
    )
    for label, _base, _goal, _p50, result, baseline, _rss in rows:
        for name, figures in (("portal", result), ("baseline", baseline)):
            for sample in figures.get("error_samples", []):
                print(f"  {label} ({name}) error: {sample}")


def prepare_database(database_url, *, size, args, work_dir, log, fixtures):
    """Migrate and seed one benchmark database; write its run fixtures."""
    harness.ensure_database(database_url)
    seed_env = harness.seed_env(database_url, args.cache_url, work_dir)
    python = sys.executable
    took = harness.run_checked(
        [python, "manage.py", "migrate", "--noinput"], seed_env, log=log, what="migrate"
    )
    print(f"  {size}: migrated ({took:.0f} s)", flush=True)
    took = harness.run_checked([python, "manage.py", "seed_demo"], seed_env, log=log, what="seed_demo")
    print(f"  {size}: demo data ({took:.0f} s)", flush=True)
    took = harness.run_checked(
        [python, "-m", "benchmarks.seed", "--size", size, "--users", str(args.users), "--fixtures", str(fixtures)],
        seed_env, log=log, what="benchmark data",
    )  # fmt: skip
    print(f"  {size}: data set and run fixtures ({took:.0f} s)", flush=True)


def measure(scenarios, *, master, host, env, fixtures, args, work_dir, log):
    """One row per scenario; rows with the same baseline label share the first row's baseline."""
    rows, baselines = [], {}
    for user_class, label, base_label, goal, p50_goal in scenarios:
        measured = {}
        for target in ("baseline", "portal"):
            if target == "baseline" and base_label in baselines:
                measured["baseline"] = baselines[base_label]
                continue
            with harness.WorkerMemory(master) as memory:
                measured[target] = harness.locust(
                    user_class, host=host, env=env, fixtures=fixtures, target=target, users=args.users,
                    warmup=args.warmup, duration=args.duration, work_dir=work_dir, log=log,
                )  # fmt: skip
            measured[f"{target}_rss"] = memory.max_mb
        result, baseline = measured["portal"], measured["baseline"]
        baselines.setdefault(base_label, baseline)
        rows.append((label, base_label, goal, p50_goal, result, baseline, measured["portal_rss"]))
        if result.get("error") or baseline.get("error"):
            print(f"  {label}: {result.get('error') or baseline.get('error')}", flush=True)
        else:
            print(
                f"  {label}: {result['rps']:.1f} req/s, p50 {result['p50_ms']:.0f} ms, baseline "
                f"{baseline['rps']:.1f} req/s ({result['rps'] / baseline['rps']:.2f}×)",
                flush=True,
            )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="default: postgres://postgres@127.0.0.1:5432/jeonju_bench (jeonju_bench_small with --small)",
    )
    parser.add_argument(
        "--demo-database-url",
        default=os.environ.get(
            "BENCH_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jeonju_bench_demo"
        ),
        help="the database of the demo-data rows (the demo data alone)",
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
    if args.users > 64:
        parser.error(
            "--users: at most 64 (the staff's recovery codes per locust process, benchmarks/seed.py)"
        )

    if not args.database_url:
        # Each size in its own database: the seed only ever adds rows.
        name = "jeonju_bench_small" if args.small else "jeonju_bench"
        args.database_url = f"postgres://postgres@127.0.0.1:5432/{name}"
    started = time.monotonic()
    work_dir = Path(tempfile.gettempdir()) / "jeonju-bench"
    work_dir.mkdir(exist_ok=True)
    log = work_dir / "bench.log"
    log.write_text("")
    print(f"make bench: database {args.database_url}, cache {args.cache_url}; logs in {log}", flush=True)

    def chosen(scenarios):
        return [s for s in scenarios if not args.only or s[0] in args.only]

    phases = [
        ("small" if args.small else "full", args.database_url, chosen(SCENARIOS), not args.only or RUSH in args.only),
        ("demo", args.demo_database_url, chosen(DEMO_SCENARIOS), False),
    ]  # fmt: skip
    phases = [phase for phase in phases if phase[2] or phase[3]]
    python = sys.executable
    rows, rush_figures, counts, info, workers = [], None, None, None, 0
    host = f"http://127.0.0.1:{args.port}"
    for size, database_url, scenarios, with_rush in phases:
        fixtures = work_dir / f"fixtures-{size}.json"
        prepare_database(database_url, size=size, args=args, work_dir=work_dir, log=log, fixtures=fixtures)
        env = harness.production_env(database_url, args.cache_url, args.broker_url, work_dir, port=args.port)
        if harness.static_files_are_current(env["STATIC_ROOT"]):
            print("  static files: already collected", flush=True)
        else:
            took = harness.run_checked(
                [python, "manage.py", "collectstatic", "--noinput", "-v0"], env, log=log, what="collectstatic"
            )
            print(f"  static files collected with their manifest ({took:.0f} s)", flush=True)
        harness.flush_redis(args.cache_url)
        harness.flush_redis(args.broker_url)
        if info is None:
            info = harness.machine(database_url, args.cache_url)
            counts = json.loads(fixtures.read_text())["counts"]
        with harness.gunicorn(env, port=args.port, log=log, workers=args.workers) as master:
            workers = len(harness.worker_pids(master))
            rows += measure(
                scenarios, master=master, host=host, env=env, fixtures=fixtures, args=args, work_dir=work_dir,
                log=log,
            )  # fmt: skip
            if with_rush:
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
    rush_met = print_rush(rush_figures)
    failed = not rush_met or any(
        verdict(result, baseline, goal, p50) != "yes" for _l, _b, goal, p50, result, baseline, _r in rows
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
