"""Demo data of the social economy app: ~300 organizations of every type and sector, their products,
the 2016 full survey, the pilot store and Jeonju Food direct stores, consulting and networks.

Every random value is drawn, in a fixed order, for every row whether it exists or not, so the data are
the same on every run; rows are keyed on natural keys, so a second run creates nothing.
"""

import datetime
from decimal import Decimal

from jeonju_center.common.actors import Actor
from jeonju_center.common.models import Dong
from jeonju_center.common.validators import brn_check_digit
from jeonju_center.partners.models import PartnerCenter

from .models import (
    ConsultingCase,
    ConsultingSession,
    Network,
    NetworkMembership,
    Organization,
    OrganizationStatus,
    OrganizationType,
    PreliminaryKind,
    Product,
    ProductCertification,
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
from .reference import load_social_economy_lookups

ORGANIZATIONS_PER_SCALE = 300
SURVEY_2016_NAME = "2016 사회적경제 생산품·서비스 전수조사"

T = OrganizationType
S = Sector

TYPE_WEIGHTS = {
    T.CERTIFIED_SOCIAL_ENTERPRISE: 18,
    T.PRELIMINARY_SOCIAL_ENTERPRISE: 14,
    T.COOPERATIVE: 30,
    T.SOCIAL_COOPERATIVE: 8,
    T.VILLAGE_ENTERPRISE: 10,
    T.SELF_SUFFICIENCY_ENTERPRISE: 8,
    T.RURAL_COMMUNITY_COMPANY: 4,
    T.SOCIAL_VENTURE: 5,
    T.OTHER: 3,
}

# Words that name a business of each sector, and the products/services it sells:
# (name, category, kind, unit, (min price, max price)).
SECTOR_WORDS = {
    S.MANUFACTURING: ["한지", "목공", "수제화", "봉제", "가구", "도자기", "천연비누"],
    S.FOOD_SERVICE: ["비빔밥", "콩나물국밥", "전통주", "수제떡", "반찬", "제과", "도시락", "한과"],
    S.CARE: ["돌봄", "요양", "아이돌봄", "장애인자립", "가사지원"],
    S.CULTURE_TOURISM: ["한옥마을문화", "전통공연", "여행", "문화예술", "공방체험"],
    S.EDUCATION: ["교육", "진로교육", "코딩교육", "평생학습", "숲교육"],
    S.ENVIRONMENT: ["자원순환", "업사이클", "재활용", "에너지", "녹색"],
    S.AGRICULTURE: ["로컬푸드", "친환경농산", "버섯", "도시농업", "잡곡"],
    S.RETAIL: ["공정무역", "로컬마켓", "나눔가게", "생활협동"],
    S.CLEANING: ["청소", "방역", "시설관리", "환경관리"],
    S.IT_DESIGN: ["디자인", "미디어", "웹개발", "영상"],
    S.OTHER: ["공유", "나눔", "행복", "더불어"],
}

G, V = Product.Kind.GOODS, Product.Kind.SERVICE
C = Product.Category
SECTOR_PRODUCTS = {
    S.MANUFACTURING: [
        ("전주 한지 노트", C.CRAFT_DESIGN, G, "권", (3000, 15000)),
        ("한지 조명등", C.CRAFT_DESIGN, G, "개", (30000, 120000)),
        ("원목 도마", C.HOUSEHOLD, G, "개", (15000, 45000)),
        ("수제 가죽 지갑", C.CRAFT_DESIGN, G, "개", (25000, 90000)),
        ("천연 수제비누", C.HOUSEHOLD, G, "개", (4000, 12000)),
        ("에코백", C.HOUSEHOLD, G, "개", (8000, 25000)),
        ("한지 부채", C.CRAFT_DESIGN, G, "개", (5000, 20000)),
    ],
    S.FOOD_SERVICE: [
        ("전주비빔밥 밀키트", C.FOOD, G, "2인분", (9000, 18000)),
        ("콩나물 장아찌", C.FOOD, G, "500g", (6000, 12000)),
        ("수제 찹쌀떡", C.FOOD, G, "10개", (8000, 15000)),
        ("모주", C.FOOD, G, "500ml", (3000, 8000)),
        ("전통 한과 선물세트", C.FOOD, G, "세트", (20000, 60000)),
        ("단체 도시락", C.FOOD, G, "1인분", (7000, 12000)),
        ("수제 쿠키", C.FOOD, G, "봉", (3000, 9000)),
        ("전통 고추장", C.FOOD, G, "1kg", (12000, 30000)),
    ],
    S.CARE: [
        ("방문 돌봄 서비스", C.CARE, V, "1시간", (10000, 20000)),
        ("노인 주간보호", C.CARE, V, "1일", (30000, 60000)),
        ("아이돌봄 서비스", C.CARE, V, "1시간", (9000, 15000)),
        ("장애인 활동지원", C.CARE, V, "1시간", (12000, 18000)),
        ("산모 신생아 돌봄", C.CARE, V, "1주", (300000, 900000)),
    ],
    S.CULTURE_TOURISM: [
        ("한옥마을 골목 투어", C.TOURISM, V, "1인", (10000, 30000)),
        ("한지 뜨기 체험", C.TOURISM, V, "1인", (10000, 25000)),
        ("전통 판소리 공연", C.EDUCATION_CULTURE, V, "1회", (300000, 1500000)),
        ("남부시장 야시장 투어", C.TOURISM, V, "1인", (10000, 20000)),
        ("공예 원데이 클래스", C.EDUCATION_CULTURE, V, "1인", (20000, 50000)),
    ],
    S.EDUCATION: [
        ("청소년 진로 교육", C.EDUCATION_CULTURE, V, "1회", (100000, 500000)),
        ("어린이 코딩 교실", C.EDUCATION_CULTURE, V, "1인", (30000, 80000)),
        ("협동조합 설립 교육", C.EDUCATION_CULTURE, V, "1회", (200000, 800000)),
        ("숲 생태 교육", C.EDUCATION_CULTURE, V, "1인", (10000, 30000)),
        ("교구 키트", C.EDUCATION_CULTURE, G, "세트", (15000, 50000)),
    ],
    S.ENVIRONMENT: [
        ("업사이클 가방", C.HOUSEHOLD, G, "개", (20000, 60000)),
        ("폐현수막 재생 파우치", C.HOUSEHOLD, G, "개", (5000, 15000)),
        ("재생 목재 벤치", C.HOUSEHOLD, G, "개", (150000, 400000)),
        ("자원순환 교육", C.EDUCATION_CULTURE, V, "1회", (100000, 300000)),
        ("태양광 점검 서비스", C.OTHER, V, "1회", (50000, 200000)),
    ],
    S.AGRICULTURE: [
        ("친환경 쌀", C.AGRICULTURAL, G, "10kg", (30000, 50000)),
        ("유기농 잡곡 세트", C.AGRICULTURAL, G, "세트", (20000, 45000)),
        ("표고버섯", C.AGRICULTURAL, G, "1kg", (15000, 35000)),
        ("제철 채소 꾸러미", C.AGRICULTURAL, G, "박스", (20000, 40000)),
        ("블루베리", C.AGRICULTURAL, G, "500g", (10000, 20000)),
        ("배즙", C.FOOD, G, "30포", (20000, 40000)),
    ],
    S.RETAIL: [
        ("공정무역 커피 원두", C.FOOD, G, "200g", (9000, 18000)),
        ("로컬 선물 꾸러미", C.FOOD, G, "세트", (30000, 70000)),
        ("생활용품 묶음", C.HOUSEHOLD, G, "세트", (10000, 30000)),
        ("공정무역 초콜릿", C.FOOD, G, "개", (3000, 7000)),
        ("친환경 세제", C.HOUSEHOLD, G, "1L", (6000, 12000)),
    ],
    S.CLEANING: [
        ("건물 청소 용역", C.CLEANING, V, "월", (500000, 3000000)),
        ("방역 소독", C.CLEANING, V, "1회", (50000, 300000)),
        ("저수조 청소", C.CLEANING, V, "1회", (200000, 600000)),
        ("시설물 유지관리", C.CLEANING, V, "월", (800000, 4000000)),
        ("입주 청소", C.CLEANING, V, "1회", (200000, 500000)),
    ],
    S.IT_DESIGN: [
        ("홈페이지 제작", C.OTHER, V, "1건", (1000000, 5000000)),
        ("패키지 디자인", C.CRAFT_DESIGN, V, "1건", (500000, 3000000)),
        ("홍보 영상 제작", C.PRINTING, V, "1건", (1000000, 6000000)),
        ("인쇄물 제작", C.PRINTING, G, "1000부", (100000, 600000)),
        ("브랜드 아이덴티티 디자인", C.CRAFT_DESIGN, V, "1건", (1000000, 5000000)),
    ],
    S.OTHER: [
        ("공유공간 대관", C.OTHER, V, "1시간", (10000, 30000)),
        ("마을 축제 기획", C.EDUCATION_CULTURE, V, "1건", (1000000, 5000000)),
        ("수선 서비스", C.OTHER, V, "1건", (5000, 30000)),
        ("중고 물품", C.HOUSEHOLD, G, "개", (1000, 20000)),
    ],
}

AREA_WORDS = [
    "전주",
    "한옥마을",
    "남부시장",
    "완산",
    "덕진",
    "객리단길",
    "서학동",
    "풍남",
    "기린",
    "모악",
    "건지",
]
ROADS = [
    "기린대로",
    "팔달로",
    "백제대로",
    "온고을로",
    "효자로",
    "홍산로",
    "견훤로",
    "송천중앙로",
    "아중로",
    "서신로",
]
MINISTRIES = ["행정안전부", "농림축산식품부", "문화체육관광부", "환경부", "보건복지부"]
PURPOSES = list(SocialPurposeType)


def _brn(rng):
    first_nine = f"{rng.randint(101, 999)}{rng.choice([81, 82, 86, 87, 10, 23])}{rng.randint(1, 9999):04d}"
    number = first_nine + brn_check_digit(first_nine)
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


def _date_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _area_word(rng, dong):
    return rng.choice([*AREA_WORDS, dong.name.rstrip("동").rstrip("0123456789")])


def _name(rng, org_type, sector, dong):
    area, word = _area_word(rng, dong), rng.choice(SECTOR_WORDS[sector])
    corporate = rng.choice(["(주)", "(주)", "(주)", "주식회사 ", "(유)"])
    return {
        T.CERTIFIED_SOCIAL_ENTERPRISE: f"{corporate}{area}{word}",
        T.PRELIMINARY_SOCIAL_ENTERPRISE: f"{corporate}{word}{rng.choice(['나눔', '공감', '함께', '온'])}",
        T.COOPERATIVE: f"{area} {word} 협동조합",
        T.SOCIAL_COOPERATIVE: f"{area}{word} 사회적협동조합",
        T.VILLAGE_ENTERPRISE: f"{area} {word} 마을기업",
        T.SELF_SUFFICIENCY_ENTERPRISE: f"{corporate}{area}{word} 자활",
        T.RURAL_COMMUNITY_COMPANY: f"농업회사법인 {area}{word}",
        T.SOCIAL_VENTURE: f"{corporate}{word}{rng.choice(['랩', '플러스', '웍스', '스튜디오'])}",
        T.OTHER: f"{area} {word} 영농조합법인",
    }[org_type]


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

        founded_on = _date_between(rng, datetime.date(2007, 1, 1), datetime.date(2015, 12, 31))
        employees = rng.randint(1, 45)
        roll = rng.random()
        status = (
            OrganizationStatus.CLOSED
            if roll < 0.06
            else OrganizationStatus.SUSPENDED
            if roll < 0.11
            else OrganizationStatus.OPERATING
        )
        closed_on = _date_between(rng, datetime.date(2017, 1, 1), ctx.today) if status == "closed" else None
        org = Organization(
            name=name,
            org_type=org_type,
            sector=sector,
            business_registration_number=brn,
            corporate_registration_number=f"{rng.randint(210111, 215999)}-{rng.randint(0, 9999999):07d}",
            representative_name=fake.name(),
            dong=dong,
            address=f"전주시 {dong.get_district_display()} {rng.choice(ROADS)} {rng.randint(1, 400)}",
            phone=f"063-{rng.randint(210, 299)}-{rng.randint(0, 9999):04d}",
            email=f"se{index + 1:04d}@example.org",
            website=f"https://se{index + 1:04d}.example.org" if rng.random() < 0.4 else "",
            founded_on=founded_on,
            employees_count=employees,
            vulnerable_employees_count=rng.randint(0, employees),
            status=status,
            closed_on=closed_on,
            description=f"{dong.name}에서 {SECTOR_WORDS[sector][0]} 분야 사회적경제 활동을 하는 조직입니다.",
        )
        cert_year = rng.randint(2011, 2016)
        certified_on = _date_between(rng, datetime.date(cert_year, 1, 1), datetime.date(cert_year, 12, 31))
        serial = rng.randint(1, 999)
        purpose = rng.choice(PURPOSES)
        members = rng.randint(5, 80)
        if org_type == T.CERTIFIED_SOCIAL_ENTERPRISE:
            org.certification_number = f"제{cert_year}-{serial:03d}호"
            org.certified_on = certified_on
            org.designating_body = "고용노동부"
            org.social_purpose_type = purpose
        elif org_type == T.PRELIMINARY_SOCIAL_ENTERPRISE:
            preliminary_seen += 1
            # A few designations run out within 90 days, for the expiring-certification view.
            days_left = rng.randint(5, 85) if preliminary_seen <= 6 else rng.randint(-400, 900)
            expires_on = ctx.today + datetime.timedelta(days=days_left)
            kind = rng.choice(list(PreliminaryKind))
            org.preliminary_kind = kind
            org.certification_number = f"예비-{expires_on.year - 3}-{serial:03d}"
            org.certified_on = expires_on - datetime.timedelta(days=365 * 3)
            org.certification_expires_on = expires_on
            org.designating_body = (
                "전북특별자치도" if kind == PreliminaryKind.REGIONAL else rng.choice(MINISTRIES)
            )
            org.social_purpose_type = purpose
        elif org_type in (T.COOPERATIVE, T.SOCIAL_COOPERATIVE):
            org.members_count = members
            org.cooperative_filed_on = founded_on
            org.cooperative_filing_number = f"{founded_on.year}-{serial:03d}"
            org.cooperative_authority = "전북특별자치도" if org_type == T.COOPERATIVE else "기획재정부"
        elif org_type == T.VILLAGE_ENTERPRISE:
            org.certification_number = f"마을-{cert_year}-{serial:03d}"
            org.certified_on = certified_on
            org.designating_body = "행정안전부"
        elif org_type == T.SELF_SUFFICIENCY_ENTERPRISE:
            org.certification_number = f"자활-{cert_year}-{serial:03d}"
            org.certified_on = certified_on
            org.designating_body = "전주시"
        elif org_type == T.RURAL_COMMUNITY_COMPANY:
            org.certification_number = f"농어촌-{cert_year}-{serial:03d}"
            org.certified_on = certified_on
            org.designating_body = "농림축산식품부"
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
        catalogue = SECTOR_PRODUCTS[org.sector]
        count = min(rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6]), len(catalogue))
        for name, category, kind, unit, (low, high) in rng.sample(catalogue, count):
            product = Product(
                organization=org,
                name=name,
                kind=kind,
                category=category,
                description=f"{org.name}의 {name}입니다.",
                price=rng.randrange(low, high + 1, 500) if rng.random() < 0.9 else None,
                unit=unit,
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
    campaign, campaign_created = SurveyCampaign.objects.get_or_create(
        name=SURVEY_2016_NAME,
        defaults={
            "year": 2016,
            "starts_on": datetime.date(2016, 4, 1),
            "ends_on": datetime.date(2016, 11, 30),
            "status": SurveyCampaign.Status.CLOSED,
            "description": "전주시 사회적경제조직 약 300곳의 생산품·서비스를 전수조사해 생산품 데이터베이스를 구축합니다.",
        },
    )
    channels = list(SalesChannel.objects.order_by("code"))
    needs = list(SupportNeed.objects.order_by("code"))
    statuses = list(SurveyResponse.Status)
    weights = [3, 4, 6, 25, 50, 6, 6]
    wanted = []  # (response, channels, needs, product items)
    for index, org in enumerate(organizations):
        status = statuses[index] if index < len(statuses) else rng.choices(statuses, weights=weights)[0]
        completed = status in SurveyResponse.COMPLETED_STATUSES
        surveyed_on = _date_between(rng, campaign.starts_on, campaign.ends_on)
        respondent_name = fake.name()
        respondent_phone = f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}"
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
            notes="" if status != SurveyResponse.Status.DECLINED else "조사 참여를 원하지 않음",
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


STORES = [
    (
        "전주 사회적경제생산품 시범매장",
        Store.Kind.PILOT,
        "중앙동",
        "전주시 사회적경제지원센터",
        datetime.date(2016, 9, 1),
    ),
    ("전주푸드 효자점", Store.Kind.JEONJU_FOOD, "효자4동", "(재)전주푸드", datetime.date(2015, 7, 15)),
    ("전주푸드 송천점", Store.Kind.JEONJU_FOOD, "송천1동", "(재)전주푸드", datetime.date(2016, 5, 20)),
    ("전주푸드 혁신점", Store.Kind.JEONJU_FOOD, "혁신동", "(재)전주푸드", datetime.date(2018, 3, 2)),
]
FOOD_CATEGORIES = {C.FOOD, C.AGRICULTURAL}


def _seed_stores(ctx, products_by_org):
    rng = ctx.rng("social_economy:stores")
    dongs = {dong.name: dong for dong in Dong.objects.all()}
    stores = []
    created_stores = 0
    for name, kind, dong_name, operator, opened_on in STORES:
        store, created = Store.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "dong": dongs.get(dong_name),
                "address": f"전북특별자치도 전주시 {dong_name} {rng.choice(ROADS)} {rng.randint(1, 300)}",
                "operator": operator,
                "opened_on": opened_on,
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
            listed_on = _date_between(rng, max(store.opened_on, datetime.date(2016, 9, 1)), ctx.today)
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


CONSULTANTS = ["김경영 컨설턴트", "박마케팅 전문위원", "이품질 기술지도사", "최회계 세무사", "정디자인 실장"]


def _seed_consulting(ctx, organizations):
    rng = ctx.rng("social_economy:consulting")
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
                    consultant=rng.choice(CONSULTANTS),
                    hours=Decimal(rng.choice([1, 2, 2, 3, 4])) + Decimal("0.5") * rng.randint(0, 1),
                    notes=f"{number + 1}회차 현장 방문 컨설팅",
                )
            )
        label = ConsultingCase.Topic(topic).label
        case = ConsultingCase(
            organization=org,
            partner=partner,
            topic=topic,
            title=f"{org.name} {label} 컨설팅 ({opened_on:%Y-%m})",
            opened_on=opened_on,
            closed_on=closed_on,
            status=status,
            summary=f"{label} 관련 지원 요청",
            outcome="개선 방안 보고서 전달" if status == "completed" else "",
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


NETWORKS = [
    ("전주시 사회적경제네트워크", Network.Level.LOCAL, datetime.date(2013, 3, 15), 110),
    ("전북 사회적경제연대회의", Network.Level.PROVINCIAL, datetime.date(2012, 6, 1), 60),
    ("전국 사회적경제 지역네트워크", Network.Level.NATIONAL, datetime.date(2010, 11, 20), 25),
]


def _seed_networks(ctx, organizations):
    rng = ctx.rng("social_economy:networks")
    created_networks, wanted = 0, []
    for name, level, founded_on, size in NETWORKS:
        network, created = Network.objects.get_or_create(
            name=name,
            defaults={
                "level": level,
                "founded_on": founded_on,
                "description": f"{name}: 사회적경제조직 간 교류와 협력",
            },
        )
        created_networks += created
        roles = [NetworkMembership.Role.CHAIR, NetworkMembership.Role.SECRETARIAT] + [
            NetworkMembership.Role.BOARD
        ] * 3
        for position, org in enumerate(rng.sample(organizations, min(size, len(organizations)))):
            joined_on = _date_between(rng, max(founded_on, org.founded_on), datetime.date(2020, 12, 31))
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
    from django.contrib.auth import get_user_model

    from jeonju_center.demo.base import DEMO_ORG_MEMBER_USERNAME

    from . import members
    from .models import OrganizationMember

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
    members.invitation_accept(token=members.invitation_token(invited), actor=member_user)
    applicant = User.objects.filter(username__startswith="citizen").order_by("username").first()
    members.member_request(
        actor=applicant,
        business_registration_number=other.business_registration_number,
        role=OrganizationMember.Role.CONTACT,
    )
    # The member asks for consulting twice: the first is under way, the second waits for the team.
    first = members.consulting_request_submit(
        organization=organization,
        actor=member_user,
        topic="marketing",
        description="온라인 판매를 시작하고 싶은데 상세페이지와 사진을 어떻게 준비할지 모르겠습니다.",
    )
    members.consulting_request_accept(request_id=first.pk, actor=staff, title="온라인 판로 개척 컨설팅")
    members.consulting_request_submit(
        organization=organization,
        actor=member_user,
        topic="accounting_legal",
        description="협동조합 결산과 총회 준비에 필요한 회계 처리를 배우고 싶습니다.",
    )
    return (
        f"organization members: {OrganizationMember.objects.count()} created ({organization.name}: org login), "
        "consulting requests: 2 created"
    )


ONLINE_SUBMISSIONS = 12
STAFF_ENTRIES = 8
RETURN_COMMENT = "연 매출액이 생산품별 매출액 합계보다 적습니다. 단위(원)를 확인해 다시 제출해 주세요."


def _seed_online_survey(ctx):
    """This year's campaign, open today whatever the date: opened through the service (every operating
    organization gets its record, every contact its personal link), a dozen organizations answered online
    (some verified by staff, one sent back with a comment), a few answered by phone and entered by staff,
    and the demo member's organization has a draft it can finish at ``/me/organization/``."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jeonju_center.demo.base import DEMO_ORG_MEMBER_USERNAME

    from . import services, surveys
    from .models import OrganizationMember

    today = timezone.localdate()
    name = f"{today.year} 사회적경제 생산품·서비스 전수조사"
    if SurveyCampaign.objects.filter(name=name).exists():
        return f"open survey campaign: 0 created ({name})"
    rng = ctx.rng("social_economy:online-survey")
    campaign = SurveyCampaign.objects.create(
        name=name,
        year=today.year,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=40),
        description="사회적경제조직이 직접 온라인으로 응답하는 올해 전수조사입니다. 전화·방문 조사도 함께 합니다.",
    )
    User = get_user_model()
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    services.survey_campaign_open(campaign=campaign, actor=staff)
    surveys.survey_invitations_send(campaign_id=campaign.pk, actor=staff)
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
            "respondent_phone": f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}",
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
        # Answered from the e-mailed link, without signing in.
        surveys.survey_response_open(response_id=response.pk, actor=Actor.citizen(None))
        surveys.survey_response_save(
            response_id=response.pk,
            answers=answers(),
            product_rows=rows(response),
            submit=True,
            actor=Actor.citizen(None),
        )
        if index < 4:
            surveys.survey_response_verify(response_id=response.pk, actor=staff)
        elif index == 4:
            surveys.survey_response_return(response_id=response.pk, comment=RETURN_COMMENT, actor=staff)
    S = SurveyResponse.Status
    for response in by_phone:
        response = services.survey_response_transition(response=response, to_status=S.CONTACTING, actor=staff)
        filled = answers()
        for field in ("respondent_name", "respondent_phone", "annual_revenue", "employees_count"):
            setattr(response, field, filled[field])
        response.vulnerable_employees_count = filled["vulnerable_employees_count"]
        services.survey_response_record(response=response, actor=staff)
        for row in rows(response):
            services.survey_product_item_save(item=SurveyProductItem(response=response, **row), actor=staff)
        services.survey_response_transition(response=response, to_status=S.SUBMITTED, actor=staff)
    # The demo member's organization has opened the form and saved a draft to finish.
    drafts = 0
    if member is not None:
        for response in campaign.responses.filter(organization_id__in=member_organizations):
            surveys.survey_response_open(response_id=response.pk, actor=member)
            surveys.survey_response_save(
                response_id=response.pk,
                answers={"respondent_name": member.name, "employees_count": 6},
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
    from jeonju_center.demo.base import DEMO_ORG_MEMBER_USERNAME

    from . import profiles
    from .models import (
        NEW_PRODUCT,
        ORGANIZATION_MEMBER_FIELDS,
        PRODUCT_MEMBER_FIELDS,
        OrganizationMember,
        ProfileChange,
        ProfileFieldPolicy,
        ProfileTarget,
    )

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
    profiles.organization_profile_update(
        organization=organization,
        changes={
            "description": "전주 구도심에서 한지와 전통 공예품을 만들고, 주민과 함께 공예 체험 교실을 엽니다.",
            "phone": "063-283-4567",
        },
        actor=user,
    )
    profiles.organization_profile_update(
        organization=organization,
        changes={"representative_name": "한새봄"},
        actor=user,
    )
    product = organization.products.filter(is_active=True).order_by("name", "pk").first()
    if product is not None:
        profiles.product_update(
            product=product,
            changes={"price": (product.price or 10000) + 2000},
            actor=user,
        )
    name = "전통 한지 손거울"
    if not organization.products.filter(name=name).exists():
        profiles.product_create(
            organization=organization,
            values={
                "name": name,
                "kind": "goods",
                "category": "craft",
                "description": "한지로 겉을 싸서 만든 작은 손거울입니다.",
                "price": 18000,
                "unit": "개",
            },
            actor=user,
        )
    return f"profile changes: {ProfileChange.objects.count()} created ({organization.name})"
