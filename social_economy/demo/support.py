"""What the center does for the demo's organizations: the pilot store and the Jeonju Food direct stores that
list their products, and consulting with the partner centers."""

import datetime
from decimal import Decimal

from jeonju_center.common.models import Dong
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import date_between
from jeonju_center.partners.models import PartnerCenter

from ..models import ConsultingCase, ConsultingSession, Product, Store, StoreListing

DATA = load_demo_data(__package__)
ROADS = DATA["roads"]
G = Product.Kind.GOODS
FOOD_CATEGORIES = {Product.Category.FOOD, Product.Category.AGRICULTURAL}


def seed_stores(ctx, products_by_org):
    rng = ctx.rng("social_economy:stores")
    dongs = {dong.name: dong for dong in Dong.objects.all()}
    stores = []
    created_stores = 0
    for row in DATA["stores"]:
        store, created = Store.objects.get_or_create(
            name=row["name"],
            defaults={
                "kind": row["kind"],
                "dong": dongs.get(row["dong"]),
                "address": DATA["store"]["address"].format(
                    dong=row["dong"], road=rng.choice(ROADS), number=rng.randint(1, 300)
                ),
                "operator": row["operator"],
                "opened_on": row["opened_on"],
                "phone": f"063-{rng.randint(210, 299)}-{rng.randint(0, 9999):04d}",
            },
        )
        created_stores += created
        stores.append(store)
    goods = [p for products in products_by_org.values() for p in products if p.kind == G]
    goods.sort(key=lambda p: (p.organization_id, p.name))
    wanted = []
    for store in stores:
        pool = (
            goods if store.kind == Store.Kind.PILOT else [p for p in goods if p.category in FOOD_CATEGORIES]
        )
        for product in rng.sample(pool, min(len(pool), 120 if store.kind == Store.Kind.PILOT else 40)):
            listed_on = date_between(rng, max(store.opened_on, datetime.date(2016, 9, 1)), ctx.today)
            price = product.price + rng.choice([0, 0, 500, 1000]) if product.price is not None else None
            if rng.random() < 0.15:
                # Taken off the shelf and later listed again: one closed listing, one open listing.
                delisted_on = listed_on + datetime.timedelta(days=rng.randint(30, 200))
                closed = StoreListing(
                    store=store,
                    product=product,
                    listed_on=listed_on,
                    delisted_on=delisted_on,
                    shelf_price=price,
                )
                wanted.append(closed)
                relisted_on = delisted_on + datetime.timedelta(days=rng.randint(1, 90))
                if relisted_on <= ctx.today:
                    wanted.append(
                        StoreListing(store=store, product=product, listed_on=relisted_on, shelf_price=price)
                    )
            else:
                wanted.append(
                    StoreListing(store=store, product=product, listed_on=listed_on, shelf_price=price)
                )
    # Keyed on the store and product pair: a pair already on file (from an earlier run, perhaps at
    # another scale, or entered by staff) is left alone, so no second open listing can appear.
    existing = set(StoreListing.objects.values_list("store_id", "product_id"))
    new = [row for row in wanted if (row.store_id, row.product_id) not in existing]
    StoreListing.objects.bulk_create(new, batch_size=1000)
    return [
        f"stores: {created_stores} created, {Store.objects.count()} total",
        f"store listings: {len(new)} created, {StoreListing.objects.count()} total",
    ]


def seed_consulting(ctx, organizations):
    rng, text = ctx.rng("social_economy:consulting"), DATA["consulting"]
    partners = list(
        PartnerCenter.objects.filter(
            kind__in=[PartnerCenter.Kind.PROVINCIAL_SOCIAL_ECONOMY, PartnerCenter.Kind.INTEGRATED_SUPPORT]
        ).order_by("name")
    )
    topics, statuses = list(ConsultingCase.Topic), list(ConsultingCase.Status)
    wanted = []  # (case, sessions)
    for index in range(60 * ctx.scale):
        org = rng.choice(organizations)
        topic = topics[index] if index < len(topics) else rng.choice(topics)
        status = statuses[index] if index < len(statuses) else rng.choices(statuses, weights=[2, 3, 8, 1])[0]
        partner = rng.choice([None, *partners])
        opened_on = ctx.today - datetime.timedelta(days=rng.randint(30, 3000))
        length = rng.randint(14, 120)
        closed_on = (
            min(opened_on + datetime.timedelta(days=length), ctx.today)
            if status in ("completed", "cancelled")
            else None
        )
        session_count = 0 if status in ("requested", "cancelled") else rng.randint(1, 4)
        sessions = []
        for number in range(session_count):
            held_on = min(
                opened_on + datetime.timedelta(days=min(length, 7 + number * 14)), closed_on or ctx.today
            )
            sessions.append(
                ConsultingSession(
                    held_on=held_on,
                    consultant=rng.choice(text["consultants"]),
                    hours=Decimal(rng.choice([1, 2, 2, 3, 4])) + Decimal("0.5") * rng.randint(0, 1),
                    notes=text["session_notes"].format(number=number + 1),
                )
            )
        label = ConsultingCase.Topic(topic).label
        case = ConsultingCase(
            organization=org,
            partner=partner,
            topic=topic,
            title=text["title"].format(organization=org.name, topic=label, opened_on=opened_on),
            opened_on=opened_on,
            closed_on=closed_on,
            status=status,
            summary=text["summary"].format(topic=label),
            outcome=text["outcome"] if status == "completed" else "",
        )
        wanted.append((case, sessions))
    existing = set(ConsultingCase.objects.values_list("organization_id", "title"))
    new, seen = [], set(existing)
    for case, sessions in wanted:
        if (case.organization_id, case.title) not in seen:
            seen.add((case.organization_id, case.title))
            new.append((case, sessions))
    ConsultingCase.objects.bulk_create([case for case, _s in new])
    new_sessions = []
    for case, sessions in new:
        for session in sessions:
            session.case = case
            new_sessions.append(session)
    ConsultingSession.objects.bulk_create(new_sessions)
    return [
        f"consulting cases: {len(new)} created, {ConsultingCase.objects.count()} total",
        f"consulting sessions: {len(new_sessions)} created, {ConsultingSession.objects.count()} total",
    ]
