#!/usr/bin/env python
"""Partner API throughput next to its floor.

Seeds a large data set into a scratch PostgreSQL database (default 30,000 organizations and 300,000
products), serves the portal with gunicorn, and measures ``/api/v1/products/?page_size=100`` and
``/api/v1/organizations/{id}/`` next to ``api_baseline_wsgi.py`` (the same SQL with psycopg, rows encoded
as JSON) served by the same gunicorn. Prints requests/s, p50/p99 and the ratio portal ÷ baseline.

    .venv/bin/python benchmarks/api_throughput.py                      # full size
    .venv/bin/python benchmarks/api_throughput.py --organizations 3000 --products 30000 --duration 5
"""

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness import ensure_database, gunicorn, load, portal_env, print_table


def seed(organizations, products):
    """Bulk-create organizations and products up to the wanted counts; returns a raw partner key."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    from jeonju_center.common.models import Dong
    from jeonju_center.partners.models import PartnerCenter
    from jeonju_center.partners.scopes import SCOPES
    from jeonju_center.partners.services import partner_key_create
    from social_economy.models import Organization, Product, ProductCertification

    rng = random.Random(2026)
    dongs = list(Dong.objects.values_list("pk", flat=True))
    types = [
        choice for choice, _ in Organization._meta.get_field("org_type").choices if choice != "preliminary_se"
    ]
    sectors = [choice for choice, _ in Organization._meta.get_field("sector").choices]
    have = Organization.objects.count()
    for start in range(have, organizations, 5000):
        Organization.objects.bulk_create(
            Organization(
                name=f"벤치마크 사회적경제조직 {n:06d}", org_type=rng.choice(types), sector=rng.choice(sectors),
                dong_id=rng.choice(dongs), description="전주 지역 사회적경제조직입니다.", employees_count=rng.randint(1, 40),
            )
            for n in range(start, min(start + 5000, organizations))
        )  # fmt: skip
        print(f"organizations: {min(start + 5000, organizations)}", flush=True)
    org_ids = list(Organization.objects.values_list("pk", flat=True))
    categories = [choice for choice, _ in Product._meta.get_field("category").choices]
    certifications = list(ProductCertification.objects.values_list("pk", flat=True))
    have = Product.objects.count()
    through = Product.certifications.through
    for start in range(have, products, 10000):
        batch = Product.objects.bulk_create(
            Product(
                organization_id=org_ids[n % len(org_ids)], name=f"전주 생산품 {n:07d}", category=rng.choice(categories),
                description="지역에서 만든 착한 생산품입니다.", price=rng.randrange(1000, 90000, 500), unit="1개",
            )
            for n in range(start, min(start + 10000, products))
        )  # fmt: skip
        through.objects.bulk_create(
            through(product_id=product.pk, productcertification_id=rng.choice(certifications))
            for product in batch
            if certifications and rng.random() < 0.3
        )
        print(f"products: {min(start + 10000, products)}", flush=True)
    partner, _ = PartnerCenter.objects.get_or_create(name="벤치마크 협력기관")
    _, raw_key = partner_key_create(partner=partner, scopes=list(SCOPES), name="benchmark")
    return raw_key, org_ids[len(org_ids) // 2]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/jc_bench_api")
    parser.add_argument("--organizations", type=int, default=30_000)
    parser.add_argument("--products", type=int, default=300_000)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds measured per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for both servers")
    args = parser.parse_args()

    ensure_database(args.database_url)
    env = portal_env(args.database_url)
    os.environ.update(env)
    raw_key, organization_id = seed(args.organizations, args.products)
    headers = {"Authorization": f"Api-Key {raw_key}"}
    paths = ["/api/v1/products/?page_size=100", f"/api/v1/organizations/{organization_id}/"]

    results = {}
    for name, app, port in [
        ("portal", "jeonju_center.wsgi:application", 8781),
        ("baseline", "benchmarks.api_baseline_wsgi:application", 8782),
    ]:
        with gunicorn(
            app, port, env, workers=args.workers, ready_path="/healthz" if name == "portal" else "/"
        ) as url:
            for path in paths:
                results[(name, path)] = load(
                    url, path, headers=headers, duration=args.duration, concurrency=args.concurrency
                )

    print(f"\n{args.organizations:,} organizations, {args.products:,} products; gunicorn {args.workers} sync "
          f"workers; {args.concurrency} keep-alive clients; {args.duration:.0f} s per endpoint\n")  # fmt: skip
    print_table(
        [(f"{name:9} {path}", results[(name, path)]) for name in ("portal", "baseline") for path in paths]
    )
    print()
    for path in paths:
        ratio = results[("portal", path)]["rps"] / results[("baseline", path)]["rps"]
        print(f"portal ÷ baseline throughput, {path}: {ratio:.2f}")


if __name__ == "__main__":
    main()
