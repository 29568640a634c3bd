import datetime
import decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from jeonju_center.common.models import District, Dong
from regeneration.models import (
    ActivationArea,
    AreaType,
    BuildingType,
    ConsentScope,
    CouncilMeeting,
    CouncilMember,
    CouncilPosition,
    CouncilSupport,
    GradeReason,
    GradeScheme,
    HouseholdType,
    HouseStatus,
    HouseStatusChange,
    HousingProgram,
    MeetingAttachment,
    MeetingAttendance,
    OwnerConsent,
    ProgramKind,
    Renovation,
    ResidentCouncil,
    Room,
    Structure,
    SupportKind,
    Tenancy,
    VacancyCause,
    VacantHouse,
    VacantHouseGrade,
)


class DongFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dong
        django_get_or_create = ["name"]

    name = factory.Iterator(["중앙동", "풍남동", "노송동", "완산동", "동서학동", "서서학동"])
    district = District.WANSAN


def korean_mobile(n):
    return f"010-{2000 + n % 8000:04d}-{(n * 7919) % 10000:04d}"


class ActivationAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivationArea
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"전주 도시재생활성화지역 {n}")
    area_type = AreaType.CENTRAL_URBAN
    designated_on = datetime.date(2018, 3, 1)
    description = factory.Faker("paragraph", locale="ko_KR")
    size_m2 = decimal.Decimal("152000.00")
    project_budget = 25_000_000_000

    @factory.post_generation
    def dongs(self, create, extracted, **kwargs):
        if create and extracted:
            self.dongs.set(extracted)


class ResidentCouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentCouncil

    area = factory.SubFactory(ActivationAreaFactory)
    name = factory.LazyAttribute(lambda o: f"{o.area.name} 주민협의체")
    founded_on = datetime.date(2018, 6, 1)
    is_active = True
    public_description = factory.Faker("sentence", locale="ko_KR")


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    council = factory.SubFactory(ResidentCouncilFactory)
    name = factory.Faker("name", locale="ko_KR")
    phone = factory.Sequence(korean_mobile)
    position = CouncilPosition.MEMBER
    started_on = datetime.date(2023, 1, 1)


class CouncilMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMeeting

    council = factory.SubFactory(ResidentCouncilFactory)
    title = factory.Sequence(lambda n: f"제{n + 1}차 정기회의")
    held_at = factory.Sequence(
        lambda n: timezone.make_aware(datetime.datetime(2025, 1, 1, 19, 0)) + datetime.timedelta(days=7 * n)
    )
    place = "중앙동 도시재생 현장지원센터"
    agenda = factory.Faker("sentence", locale="ko_KR")
    minutes = factory.Faker("paragraph", locale="ko_KR")
    decisions = factory.Faker("sentence", locale="ko_KR")
    attendee_count = 9

    class Params:
        published = factory.Trait(
            is_published=True,
            published_at=factory.LazyAttribute(lambda o: o.held_at + datetime.timedelta(days=3)),
        )


class MeetingAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttendance

    meeting = factory.SubFactory(CouncilMeetingFactory)
    member = factory.SubFactory(CouncilMemberFactory, council=factory.SelfAttribute("..meeting.council"))
    attended = True


class HousingProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingProgram

    name = factory.Sequence(lambda n: f"빈집 활용 사업 {n}")
    kind = ProgramKind.HAPPY_VILLAGE
    year = 2025
    description = factory.Faker("paragraph", locale="ko_KR")
    budget = 300_000_000
    operating_partner = "전주시 사회주택협동조합"
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2025, 12, 31)


class VacantHouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VacantHouse

    management_number = factory.Sequence(lambda n: f"JJ-2024-{n:05d}")
    address = factory.Sequence(lambda n: f"전북특별자치도 전주시 완산구 풍남동3가 {n + 1}-1")
    dong = factory.SubFactory(DongFactory, name="풍남동")
    latitude = decimal.Decimal("35.815200")
    longitude = decimal.Decimal("127.153100")
    building_type = BuildingType.HANOK
    structure = Structure.WOOD
    built_year = 1965
    land_area_m2 = decimal.Decimal("165.30")
    floor_area_m2 = decimal.Decimal("82.50")
    vacant_since = datetime.date(2021, 5, 1)
    vacancy_cause = VacancyCause.OWNER_DECEASED
    surveyed_on = datetime.date(2024, 4, 15)
    survey_round = 2024
    current_grade_scheme = GradeScheme.URBAN_4
    current_grade = 2
    status = HouseStatus.SURVEYED
    owner_name = factory.Faker("name", locale="ko_KR")
    owner_phone = factory.Sequence(korean_mobile)
    owner_address = factory.Faker("address", locale="ko_KR")


class VacantHouseGradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VacantHouseGrade

    house = factory.SubFactory(VacantHouseFactory)
    scheme = GradeScheme.URBAN_4
    grade = 2
    graded_on = factory.Sequence(lambda n: datetime.date(2024, 4, 15) + datetime.timedelta(days=n))
    reason = GradeReason.SURVEY


class OwnerConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OwnerConsent

    house = factory.SubFactory(VacantHouseFactory, status=HouseStatus.CONSENT_OBTAINED)
    consented_on = datetime.date(2024, 6, 1)
    scope = ConsentScope.RENTAL
    expires_on = datetime.date(2029, 5, 31)


class HouseStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseStatusChange

    house = factory.SubFactory(VacantHouseFactory, status=HouseStatus.OWNER_CONTACTED)
    from_status = HouseStatus.SURVEYED
    to_status = HouseStatus.OWNER_CONTACTED
    changed_at = factory.LazyFunction(timezone.now)


class RenovationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Renovation

    house = factory.SubFactory(VacantHouseFactory, status=HouseStatus.RENOVATION)
    program = factory.SubFactory(HousingProgramFactory)
    started_on = datetime.date(2025, 3, 1)
    ended_on = datetime.date(2025, 6, 30)
    budget = 45_000_000
    contractor = "전주한옥건설(주)"
    description = factory.Faker("sentence", locale="ko_KR")


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    house = factory.SubFactory(VacantHouseFactory)
    name = factory.Sequence(lambda n: f"{101 + n}호")
    area_m2 = decimal.Decimal("13.20")
    capacity = 1


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    house = factory.SubFactory(VacantHouseFactory)
    program = factory.SubFactory(HousingProgramFactory)
    tenant_name = factory.Faker("name", locale="ko_KR")
    tenant_phone = factory.Sequence(korean_mobile)
    tenant_birth_date = datetime.date(1998, 7, 12)
    household_type = HouseholdType.SINGLE
    deposit = 1_000_000
    monthly_rent = 150_000
    market_rent = 350_000
    starts_on = datetime.date(2025, 7, 1)
    ends_on = datetime.date(2027, 6, 30)


class MeetingAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAttachment

    meeting = factory.SubFactory(CouncilMeetingFactory, published=True)
    title = factory.Sequence(lambda n: f"회의 자료 {n + 1}")
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 handout", name="handout.pdf"))
    is_public = True


class CouncilSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilSupport

    council = factory.SubFactory(ResidentCouncilFactory)
    kind = SupportKind.FUNDING
    title = "주민공모사업 사업비 지원"
    provided_on = datetime.date(2025, 4, 1)
    amount = 8_000_000
    provider = "전주시 도시재생지원센터"
