"""Demo data of the social economy app: ~300 organizations of every type and sector, their products,
the 2016 full survey, the pilot store and Jeonju Food direct stores, consulting and networks (the rows and
texts are in ``data.toml`` beside this file).

Every random value is drawn, in a fixed order, for every row whether it exists or not, so the data are
the same on every run; rows are keyed on natural keys, so a second run creates nothing.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from jeonju_center.common.models import Dong
from jeonju_center.common.validators import brn_check_digit
from jeonju_center.demo.base import DEMO_ORG_MEMBER_USERNAME
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import date_between, mobile_number
from jeonju_center.demo.steps import demo_step
from jeonju_center.partners.models import PartnerCenter

from .. import members, profiles, services, surveys
from ..models import (
    NEW_PRODUCT,
    ORGANIZATION_MEMBER_FIELDS,
    PRODUCT_MEMBER_FIELDS,
    ConsultingCase,
    ConsultingSession,
    Network,
    NetworkMembership,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    OrganizationType,
    PreliminaryKind,
    Product,
    ProductCertification,
    ProfileChange,
    ProfileFieldPolicy,
    ProfileTarget,
    SalesChannel,
    Sector,
    SocialPurposeType,
    Store,
    StoreListing,
    SupportNeed,
    SurveyCampaign,
    SurveyProductItem,
    SurveyResponse,
)
from ..reference import load_social_economy_lookups

ORGANIZATIONS_PER_SCALE = 300

DATA = load_demo_data(__name__)
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


def _organizations(ctx):
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


def _seed_organizations(ctx):
    wanted = _organizations(ctx)
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


def _seed_products(ctx, organizations):
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


def _seed_survey(ctx, organizations, products_by_org):
    rng, fake = ctx.rng("social_economy:survey"), ctx.faker_for("social_economy:survey")
    survey = DATA["survey_2016"]
    campaign, campaign_created = SurveyCampaign.objects.get_or_create(
        name=survey["name"],
        defaults={
            "year": survey["year"],
            "starts_on": survey["starts_on"],
            "ends_on": survey["ends_on"],
            "status": SurveyCampaign.Status.CLOSED,
            "description": survey["description"],
        },
    )
    channels = list(SalesChannel.objects.order_by("code"))
    needs = list(SupportNeed.objects.order_by("code"))
    statuses = list(SurveyResponse.Status)
    weights = [survey["status_weights"][status] for status in statuses]
    wanted = []  # (response, channels, needs, product items)
    for index, org in enumerate(organizations):
        status = statuses[index] if index < len(statuses) else rng.choices(statuses, weights=weights)[0]
        completed = status in SurveyResponse.COMPLETED_STATUSES
        surveyed_on = date_between(rng, campaign.starts_on, campaign.ends_on)
        respondent_name = fake.name()
        respondent_phone = mobile_number(rng)
        revenue = rng.randrange(10_000_000, 2_000_000_000, 1_000_000)
        employees = rng.randint(1, 45)
        chosen_channels = rng.sample(channels, rng.randint(1, 3))
        chosen_needs = rng.sample(needs, rng.randint(1, 3))
        items = []
        for product in products_by_org.get(org.pk, [])[:4]:
            sales = rng.randrange(1_000_000, 300_000_000, 100_000)
            items.append(SurveyProductItem(product=product, annual_sales=sales, unit_price=product.price))
        reached = status not in (SurveyResponse.Status.NOT_STARTED, SurveyResponse.Status.UNREACHABLE)
        response = SurveyResponse(
            campaign=campaign,
            organization=org,
            status=status,
            surveyed_on=surveyed_on if completed or status == SurveyResponse.Status.IN_PROGRESS else None,
            respondent_name=respondent_name if reached else "",
            respondent_phone=respondent_phone if reached else "",
            annual_revenue=revenue if completed else None,
            employees_count=employees if completed else None,
            notes="" if status != SurveyResponse.Status.DECLINED else survey["declined_note"],
        )
        wanted.append(
            (response, chosen_channels if completed else [], chosen_needs if completed else [], items)
        )
    existing = set(SurveyResponse.objects.filter(campaign=campaign).values_list("organization_id", flat=True))
    new = [row for row in wanted if row[0].organization_id not in existing]
    SurveyResponse.objects.bulk_create([row[0] for row in new], batch_size=500)
    ChannelLink, NeedLink = SurveyResponse.sales_channels.through, SurveyResponse.needs.through
    ChannelLink.objects.bulk_create(
        [ChannelLink(surveyresponse_id=r.pk, saleschannel_id=c.pk) for r, chans, _n, _i in new for c in chans]
    )
    NeedLink.objects.bulk_create(
        [NeedLink(surveyresponse_id=r.pk, supportneed_id=n.pk) for r, _c, ns, _i in new for n in ns]
    )
    new_items = []
    for response, _c, _n, items in new:
        if response.status in SurveyResponse.COMPLETED_STATUSES:
            for item in items:
                item.response = response
                new_items.append(item)
    SurveyProductItem.objects.bulk_create(new_items, batch_size=1000)
    return [
        f"survey campaigns: {int(campaign_created)} created, {SurveyCampaign.objects.count()} total",
        f"survey responses: {len(new)} created, {SurveyResponse.objects.count()} total",
    ]


FOOD_CATEGORIES = {Product.Category.FOOD, Product.Category.AGRICULTURAL}


def _seed_stores(ctx, products_by_org):
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


def _seed_consulting(ctx, organizations):
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
            partner_center=partner,
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


def _seed_networks(ctx, organizations):
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


@demo_step("social_economy", after=["base"])
def seed(ctx):
    summary = [load_social_economy_lookups()]
    organizations, line = _seed_organizations(ctx)
    summary.append(line)
    products_by_org, line = _seed_products(ctx, organizations)
    summary.append(line)
    summary += _seed_survey(ctx, organizations, products_by_org)
    summary += _seed_stores(ctx, products_by_org)
    summary += _seed_consulting(ctx, organizations)
    summary += _seed_networks(ctx, organizations)
    summary.append(_seed_members())
    summary.append(_seed_online_survey(ctx))
    summary.append(_seed_profile_changes())
    return summary


def _seed_members():
    """Portal members through the services: the demo organization member (``org@example.com``) invited and
    accepted as 대표 of an organization, another citizen's join request waiting for the staff."""
    User = get_user_model()
    member_user = User.objects.filter(username=DEMO_ORG_MEMBER_USERNAME).first()
    if member_user is None or OrganizationMember.objects.exists():
        return f"organization members: 0 created, {OrganizationMember.objects.count()} total"
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    with_numbers = (
        Organization.objects.exclude(status=OrganizationStatus.CLOSED)
        .exclude(business_registration_number="")
        .order_by("name", "pk")
    )
    organization, other = list(with_numbers[:2])
    invited = members.member_invite(
        organization=organization,
        email=member_user.email,
        role=OrganizationMember.Role.REPRESENTATIVE,
        actor=staff,
    )
    members.invitation_accept(token=members.invitation_token(invited), user=member_user)
    applicant = User.objects.filter(username__startswith="citizen").order_by("username").first()
    members.member_request(
        user=applicant,
        business_registration_number=other.business_registration_number,
        role=OrganizationMember.Role.CONTACT,
    )
    # The member asks for consulting: the accepted requests are under way, the others wait for the team.
    requests = DATA["member_consulting_requests"]
    for row in requests:
        request = members.consulting_request_submit(
            organization=organization, user=member_user, topic=row["topic"], description=row["description"]
        )
        if "accepted_as" in row:
            members.consulting_request_accept(request_id=request.pk, actor=staff, title=row["accepted_as"])
    return (
        f"organization members: {OrganizationMember.objects.count()} created ({organization.name}: org login), "
        f"consulting requests: {len(requests)} created"
    )


ONLINE_SUBMISSIONS = 12
STAFF_ENTRIES = 8


def _seed_online_survey(ctx):
    """This year's campaign, open today whatever the date: opened through the service (every operating
    organization gets its record, every contact its personal link), a dozen organizations answered online
    (some verified by staff, one sent back with a comment), a few answered by phone and entered by staff,
    and the demo member's organization has a draft it can finish at ``/me/organization/``."""
    survey = DATA["online_survey"]
    today = timezone.localdate()
    name = survey["name"].format(year=today.year)
    if SurveyCampaign.objects.filter(name=name).exists():
        return f"open survey campaign: 0 created ({name})"
    rng = ctx.rng("social_economy:online-survey")
    campaign = SurveyCampaign.objects.create(
        name=name,
        year=today.year,
        starts_on=today + datetime.timedelta(days=survey["starts_days_from_today"]),
        ends_on=today + datetime.timedelta(days=survey["ends_days_from_today"]),
        description=survey["description"],
    )
    services.survey_campaign_open(campaign=campaign)
    surveys.survey_invitations_send(campaign_id=campaign.pk)
    User = get_user_model()
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    member = User.objects.filter(username=DEMO_ORG_MEMBER_USERNAME).first()
    member_organizations = set(
        OrganizationMember.objects.filter(status=OrganizationMember.Status.ACTIVE).values_list(
            "organization_id", flat=True
        )
    )
    channels = list(SalesChannel.objects.order_by("code").values_list("pk", flat=True))
    needs = list(SupportNeed.objects.order_by("code").values_list("pk", flat=True))
    products = {}
    for product in Product.objects.filter(organization__survey_responses__campaign=campaign, is_active=True):
        products.setdefault(product.organization_id, []).append(product)
    responses = [
        response
        for response in campaign.responses.order_by("organization__name", "pk")
        if response.organization_id in products and response.organization_id not in member_organizations
    ]
    chosen = rng.sample(responses, min(len(responses), ONLINE_SUBMISSIONS + STAFF_ENTRIES))

    def answers():
        employees = rng.randint(2, 40)
        return {
            "respondent_name": ctx.faker_for("social_economy:online-survey").name(),
            "respondent_phone": mobile_number(rng),
            "annual_revenue": rng.randrange(30_000_000, 1_500_000_000, 1_000_000),
            "employees_count": employees,
            "vulnerable_employees_count": rng.randint(0, employees),
            "sales_channels": rng.sample(channels, min(len(channels), 2)),
            "needs": rng.sample(needs, min(len(needs), 2)),
        }

    def rows(response):
        return [
            {
                "product_id": product.pk,
                "annual_sales": rng.randrange(1_000_000, 200_000_000, 100_000),
                "unit_price": product.price,
            }
            for product in products[response.organization_id][:4]
        ]

    online, by_phone = chosen[:ONLINE_SUBMISSIONS], chosen[ONLINE_SUBMISSIONS:]
    for index, response in enumerate(online):
        surveys.survey_response_open(response_id=response.pk)
        surveys.survey_response_save(
            response_id=response.pk, answers=answers(), product_rows=rows(response), submit=True
        )
        if index < 4:
            surveys.survey_response_verify(response_id=response.pk, actor=staff)
        elif index == 4:
            surveys.survey_response_return(
                response_id=response.pk, comment=survey["return_comment"], actor=staff
            )
    S = SurveyResponse.Status
    for response in by_phone:
        response = services.survey_response_transition(
            response=response, to_status=S.CONTACTING, surveyor=staff
        )
        filled = answers()
        for field in ("respondent_name", "respondent_phone", "annual_revenue", "employees_count"):
            setattr(response, field, filled[field])
        response.vulnerable_employees_count = filled["vulnerable_employees_count"]
        response.save()
        for row in rows(response):
            SurveyProductItem.objects.create(response=response, **row)
        services.survey_response_transition(response=response, to_status=S.SUBMITTED, surveyor=staff)
    # The demo member's organization has opened the form and saved a draft to finish.
    drafts = 0
    if member is not None:
        for response in campaign.responses.filter(organization_id__in=member_organizations):
            surveys.survey_response_open(response_id=response.pk, actor=member)
            surveys.survey_response_save(
                response_id=response.pk,
                answers={"respondent_name": member.name, "employees_count": survey["draft_employees_count"]},
                product_rows=rows(response) if response.organization_id in products else [],
                submit=False,
                actor=member,
            )
            drafts += 1
    return (
        f"open survey campaign: 1 created ({name}), {campaign.responses.count()} organizations invited, "
        f"{len(online)} answered online, {len(by_phone)} entered by staff, {drafts} draft"
    )


def _seed_profile_changes():
    """The review policy as the team keeps it (the code's defaults written out, and prices reviewed too), and
    the demo member's edits through the service: a published description and phone number, a new
    representative's name, a product's price and a new product waiting in the review queue."""
    for target, fields in (
        (ProfileTarget.ORGANIZATION, ORGANIZATION_MEMBER_FIELDS),
        (ProfileTarget.PRODUCT, (*PRODUCT_MEMBER_FIELDS, NEW_PRODUCT)),
    ):
        for name in fields:
            review = name in profiles.DEFAULT_REVIEW[target] or (
                target == ProfileTarget.PRODUCT and name == "price"
            )
            ProfileFieldPolicy.objects.get_or_create(
                target=target, field_name=name, defaults={"requires_review": review}
            )
    member = (
        OrganizationMember.objects.filter(
            user__username=DEMO_ORG_MEMBER_USERNAME, status=OrganizationMember.Status.ACTIVE
        )
        .select_related("organization", "user")
        .first()
    )
    if member is None or ProfileChange.objects.exists():
        return f"profile changes: 0 created, {ProfileChange.objects.count()} total"
    organization, user = member.organization, member.user
    for changes in DATA["member_profile_changes"]:
        profiles.organization_profile_update(
            organization=organization, changes=dict(changes), actor=user, channel=profiles.MEMBER
        )
    product = organization.products.filter(is_active=True).order_by("name", "pk").first()
    if product is not None:
        edit = DATA["member_product_edit"]
        profiles.product_update(
            product=product,
            changes={"price": (product.price or edit["price_when_none"]) + edit["price_rise"]},
            actor=user,
            channel=profiles.MEMBER,
        )
    new_product = DATA["member_new_product"]
    if not organization.products.filter(name=new_product["name"]).exists():
        profiles.product_create(
            organization=organization, values=dict(new_product), actor=user, channel=profiles.MEMBER
        )
    return f"profile changes: {ProfileChange.objects.count()} created ({organization.name})"
