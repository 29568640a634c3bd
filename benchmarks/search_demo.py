"""Site search on the demo data: how long /search/?q= takes, measured in-process with Django's test client
(the whole view: every kind's count and first hits, the template), on the database of ``DATABASE_URL``.

    DATABASE_URL=postgres://…/jeonju_search make bench-search

Seeds the demo data when the database has none, then prints p50/p95/max per query. Goal: p50 under 200 ms.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeonju_center.settings")

QUERIES = ["재생", "도시재생", "공동체", "한지", "협동조합", "강좌", "없는낱말"]
ROUNDS = 30


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from courses.models import Course
    from jeonju_center.search.selectors import search

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    if not Course.objects.exists():
        call_command("seed_demo", verbosity=0)
    client = Client()
    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {ROUNDS} requests per query"
    )
    print(f"{'query':12} {'hits':>5} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for query in QUERIES:
        client.get("/search/", {"q": query})  # warm
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        hits = sum(group.count for group in search(query))
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{query:12} {hits:5d} {statistics.median(timings):7.1f} {p95:7.1f} {timings[-1]:7.1f}")


if __name__ == "__main__":
    main()
