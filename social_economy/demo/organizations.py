"""The demo's ~300 social-economy organizations of every type and sector, their products and their
networks, drawn from ``data.toml`` in a fixed order for every row whether it exists or not."""

import datetime

from jeonju_center.common.models import Dong
from jeonju_center.common.validators import brn_check_digit
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import date_between

from ..models import (
    Network,
    NetworkMembership,
    Organization,
    OrganizationStatus,
    OrganizationType,
    PreliminaryKind,
    Product,
    ProductCertification,
    Sector,
    SocialPurposeType,
)

ORGANIZATIONS_PER_SCALE = 300
DATA = load_demo_data(__package__)
ORGANIZATIONS = DATA["organizations"]
TYPE_WEIGHTS, SECTOR_WORDS, ROADS = DATA["organization_type_weights"], DATA["sector_words"], DATA["roads"]
T = OrganizationType
G = Product.Kind.GOODS
PURPOSES = list(SocialPurposeType)


def _brn(rng):
    first_nine = f"{rng.randint(101, 999)}{rng.choice([81, 82, 86, 87, 10, 23])}{rng.randint(1, 9999):04d}"
    number = first_nine + brn_check_digit(first_nine)
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


def _name(rng, org_type, sector, dong):
    # Every part is drawn whatever the type, so the draws that follow do not depend on it.
    parts = {
        "area": rng.choice([*ORGANIZATIONS["area_words"], dong.name.rstrip("동").rstrip("0123456789")]),
        "word": rng.choice(SECTOR_WORDS[sector]),
        "corporate": rng.choice(ORGANIZATIONS["corporate_prefixes"]),
        "preliminary_suffix": rng.choice(ORGANIZATIONS["preliminary_suffixes"]),
        "venture_suffix": rng.choice(ORGANIZATIONS["venture_suffixes"]),
    }
    return ORGANIZATIONS["names"][org_type].format(**parts)


def plan_organizations(ctx):
    """Build the wanted organizations in a fixed order (not saved)."""
    rng, fake = ctx.rng("social_economy:organizations"), ctx.faker_for("social_economy:organizations")
    dongs = list(Dong.objects.order_by("name"))
    types, sectors = list(TYPE_WEIGHTS), list(Sector)
    seen_brns, seen_names, organizations = set(), set(), []
    preliminary_seen = 0
    for index in range(ORGANIZATIONS_PER_SCALE * ctx.scale):
        # The first rows cover every type and every sector; the rest follow the city's mix.
        org_type = (
            types[index] if index < len(types) else rng.choices(types, weights=TYPE_WEIGHTS.values())[0]
        )
        sector = sectors[index] if index < len(sectors) else rng.choice(sectors)
        dong = rng.choice(dongs)
        name, attempts = _name(rng, org_type, sector, dong), 0
        while name in seen_names:
            attempts += 1
            # Large scales exhaust the word combinations; a branch number keeps names unique.
            name = _name(rng, org_type, sector, dong) if attempts < 5 else f"{name} {index + 1}"
        seen_names.add(name)
        brn = _brn(rng)
        while brn in seen_brns:
            brn = _brn(rng)
        seen_brns.add(brn)

        founded_on = date_between(rng, datetime.date(2007, 1, 1), datetime.date(2015, 12, 31))
        employees = rng.randint(1, 45)
        roll = rng.random()
        status = (
            OrganizationStatus.CLOSED
            if roll < 0.06
            else OrganizationStatus.SUSPENDED
            if roll < 0.11
            else OrganizationStatus.OPERATING
        )
        closed_on = date_between(rng, datetime.date(2017, 1, 1), ctx.today) if status == "closed" else None
        org = Organization(
            name=name,
            org_type=org_type,
            sector=sector,
            business_registration_number=brn,
            corporate_registration_number=f"{rng.randint(210111, 215999)}-{rng.randint(0, 9999999):07d}",
            representative_name=fake.name(),
            dong=dong,
            address=ORGANIZATIONS["address"].format(
                district=dong.get_district_display(), road=rng.choice(ROADS), number=rng.randint(1, 400)
            ),
            phone=f"063-{rng.randint(210, 299)}-{rng.randint(0, 9999):04d}",
            email=f"se{index + 1:04d}@example.org",
            website=f"https://se{index + 1:04d}.example.org" if rng.random() < 0.4 else "",
            founded_on=founded_on,
            employees_count=employees,
            vulnerable_employees_count=rng.randint(0, employees),
            status=status,
            closed_on=closed_on,
            description=ORGANIZATIONS["description"].format(dong=dong.name, field=SECTOR_WORDS[sector][0]),
        )
        cert_year = rng.randint(2011, 2016)
        certified_on = date_between(rng, datetime.date(cert_year, 1, 1), datetime.date(cert_year, 12, 31))
        serial = rng.randint(1, 999)
        purpose = rng.choice(PURPOSES)
        members = rng.randint(5, 80)
        if certification := ORGANIZATIONS["certifications"].get(org_type):
            org.certification_number = certification["number"].format(year=cert_year, serial=serial)
            org.certified_on = certified_on
            org.designating_body = certification["designating_body"]
            if org_type == T.CERTIFIED_SOCIAL_ENTERPRISE:
                org.social_purpose_type = purpose
        elif org_type == T.PRELIMINARY_SOCIAL_ENTERPRISE:
            preliminary = ORGANIZATIONS["preliminary"]
            preliminary_seen += 1
            # A few designations run out within 90 days, for the expiring-certification view.
            days_left = rng.randint(5, 85) if preliminary_seen <= 6 else rng.randint(-400, 900)
            expires_on = ctx.today + datetime.timedelta(days=days_left)
            kind = rng.choice(list(PreliminaryKind))
            org.preliminary_kind = kind
            org.certification_number = preliminary["number"].format(year=expires_on.year - 3, serial=serial)
            org.certified_on = expires_on - datetime.timedelta(days=365 * 3)
            org.certification_expires_on = expires_on
            org.designating_body = (
                preliminary["regional_body"]
                if kind == PreliminaryKind.REGIONAL
                else rng.choice(preliminary["ministries"])
            )
            org.social_purpose_type = purpose
        elif org_type in (T.COOPERATIVE, T.SOCIAL_COOPERATIVE):
            org.members_count = members
            org.cooperative_filed_on = founded_on
            org.cooperative_filing_number = f"{founded_on.year}-{serial:03d}"
            org.cooperative_authority = ORGANIZATIONS["cooperative_authorities"][org_type]
        organizations.append(org)
    return organizations


def seed_organizations(ctx):
    wanted = plan_organizations(ctx)
    existing = set(Organization.objects.values_list("business_registration_number", flat=True))
    new = [org for org in wanted if org.business_registration_number not in existing]
    Organization.objects.bulk_create(new, batch_size=500)
    by_brn = {
        org.business_registration_number: org
        for org in Organization.objects.filter(
            business_registration_number__in=[org.business_registration_number for org in wanted]
        )
    }
    ordered = [by_brn[org.business_registration_number] for org in wanted]
    return ordered, f"organizations: {len(new)} created, {Organization.objects.count()} total"


def seed_products(ctx, organizations):
    rng = ctx.rng("social_economy:products")
    certifications = list(ProductCertification.objects.order_by("code"))
    wanted = []  # (product, [certifications])
    for org in organizations:
        catalogue = DATA["sector_products"][org.sector]
        count = min(rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6]), len(catalogue))
        for row in rng.sample(catalogue, count):
            low, high = row["price"]
            kind = row["kind"]
            product = Product(
                organization=org,
                name=row["name"],
                kind=kind,
                category=row["category"],
                description=DATA["products"]["description"].format(
                    organization=org.name, product=row["name"]
                ),
                price=rng.randrange(low, high + 1, 500) if rng.random() < 0.9 else None,
                unit=row["unit"],
                is_public_procurement=rng.random() < 0.25,
                is_active=org.status == OrganizationStatus.OPERATING and rng.random() < 0.92,
            )
            chosen = rng.sample(certifications, rng.choice([0, 0, 0, 1, 1, 2])) if kind == G else []
            wanted.append((product, chosen))
    existing = set(Product.objects.values_list("organization_id", "name"))
    new = [(p, certs) for p, certs in wanted if (p.organization_id, p.name) not in existing]
    Product.objects.bulk_create([p for p, _ in new], batch_size=500)
    Through = Product.certifications.through
    Through.objects.bulk_create(
        [Through(product_id=p.pk, productcertification_id=c.pk) for p, certs in new for c in certs],
        batch_size=1000,
    )
    products = {
        (p.organization_id, p.name): p for p in Product.objects.filter(organization__in=organizations)
    }
    by_org = {}
    for product, _certs in wanted:
        by_org.setdefault(product.organization_id, []).append(
            products[(product.organization_id, product.name)]
        )
    return by_org, f"products: {len(new)} created, {Product.objects.count()} total"


def seed_networks(ctx, organizations):
    rng = ctx.rng("social_economy:networks")
    created_networks, wanted = 0, []
    for row in DATA["networks"]:
        founded_on, size = row["founded_on"], row["members"]
        network, created = Network.objects.get_or_create(
            name=row["name"],
            defaults={
                "level": row["level"],
                "founded_on": founded_on,
                "description": DATA["network"]["description"].format(name=row["name"]),
            },
        )
        created_networks += created
        roles = [NetworkMembership.Role.CHAIR, NetworkMembership.Role.SECRETARIAT] + [
            NetworkMembership.Role.BOARD
        ] * 3
        for position, org in enumerate(rng.sample(organizations, min(size, len(organizations)))):
            joined_on = date_between(rng, max(founded_on, org.founded_on), datetime.date(2020, 12, 31))
            left = rng.random() < 0.1 and position >= len(roles)
            wanted.append(
                NetworkMembership(
                    network=network,
                    organization=org,
                    role=roles[position] if position < len(roles) else NetworkMembership.Role.MEMBER,
                    joined_on=joined_on,
                    left_on=joined_on + datetime.timedelta(days=rng.randint(200, 1500)) if left else None,
                )
            )
    existing = set(NetworkMembership.objects.values_list("network_id", "organization_id"))
    new = [m for m in wanted if (m.network_id, m.organization_id) not in existing]
    NetworkMembership.objects.bulk_create(new, batch_size=1000)
    return [
        f"networks: {created_networks} created, {Network.objects.count()} total",
        f"network memberships: {len(new)} created, {NetworkMembership.objects.count()} total",
    ]
