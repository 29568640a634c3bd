import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from jeonju_center.common.models import District, Dong
from jeonju_center.common.validators import brn_check_digit
from jeonju_center.partners.models import PartnerCenter
from social_economy.models import (
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


def valid_brn(n):
    """A distinct valid business registration number (XXX-XX-XXXXX) for every n."""
    first_nine = f"{101 + n % 800:03d}81{n % 9999 + 1:04d}"
    number = first_nine + brn_check_digit(first_nine)
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


class DongFactory(DjangoModelFactory):
    class Meta:
        model = Dong
        django_get_or_create = ["name"]

    name = factory.Iterator(["풍남동", "효자4동", "송천1동", "서신동", "인후1동", "혁신동"])
    district = District.WANSAN


class PartnerCenterFactory(DjangoModelFactory):
    class Meta:
        model = PartnerCenter
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"전북 사회적경제지원센터 {n}")
    kind = PartnerCenter.Kind.PROVINCIAL_SOCIAL_ECONOMY


class SalesChannelFactory(DjangoModelFactory):
    class Meta:
        model = SalesChannel
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"channel-{n}")
    name = factory.Sequence(lambda n: f"판매 경로 {n}")


class SupportNeedFactory(DjangoModelFactory):
    class Meta:
        model = SupportNeed
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"need-{n}")
    name = factory.Sequence(lambda n: f"지원 분야 {n}")


class ProductCertificationFactory(DjangoModelFactory):
    class Meta:
        model = ProductCertification
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"cert-{n}")
    name = factory.Sequence(lambda n: f"인증 {n}")


class OrganizationFactory(DjangoModelFactory):
    """A general cooperative (일반협동조합) with valid registration data."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"전주 한지공예 협동조합 {n}")
    org_type = OrganizationType.COOPERATIVE
    business_registration_number = factory.Sequence(valid_brn)
    representative_name = factory.Faker("name", locale="ko_KR")
    sector = Sector.MANUFACTURING
    dong = factory.SubFactory(DongFactory)
    address = factory.Faker("address", locale="ko_KR")
    phone = "063-281-1234"
    email = factory.Sequence(lambda n: f"coop{n}@example.org")
    founded_on = datetime.date(2014, 3, 1)
    employees_count = 8
    vulnerable_employees_count = 3
    members_count = 12
    status = OrganizationStatus.OPERATING
    description = factory.Faker("sentence", locale="ko_KR")
    cooperative_filing_number = factory.Sequence(lambda n: f"2014-{n:03d}")
    cooperative_filed_on = datetime.date(2014, 2, 20)
    cooperative_authority = "전북특별자치도"


class CertifiedSocialEnterpriseFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"(주)전주나눔푸드 {n}")
    org_type = OrganizationType.CERTIFIED_SOCIAL_ENTERPRISE
    sector = Sector.FOOD_SERVICE
    members_count = None
    cooperative_filing_number = ""
    cooperative_filed_on = None
    cooperative_authority = ""
    certification_number = factory.Sequence(lambda n: f"제2015-{n:03d}호")
    certified_on = datetime.date(2015, 6, 1)
    designating_body = "고용노동부"
    social_purpose_type = SocialPurposeType.JOB_CREATION


class PreliminarySocialEnterpriseFactory(CertifiedSocialEnterpriseFactory):
    name = factory.Sequence(lambda n: f"(주)함께돌봄 {n}")
    org_type = OrganizationType.PRELIMINARY_SOCIAL_ENTERPRISE
    sector = Sector.CARE
    certification_number = factory.Sequence(lambda n: f"예비-2024-{n:03d}")
    certified_on = datetime.date(2024, 1, 1)
    certification_expires_on = datetime.date(2026, 12, 31)
    designating_body = "전북특별자치도"
    preliminary_kind = PreliminaryKind.REGIONAL
    social_purpose_type = SocialPurposeType.SOCIAL_SERVICE


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"한지 조명등 {n}")
    kind = Product.Kind.GOODS
    category = Product.Category.CRAFT_DESIGN
    description = factory.Faker("sentence", locale="ko_KR")
    price = 45000
    unit = "개"
    is_public_procurement = True

    @factory.post_generation
    def certifications(self, create, extracted, **kwargs):
        if create and extracted:
            self.certifications.set(extracted)


class SurveyCampaignFactory(DjangoModelFactory):
    class Meta:
        model = SurveyCampaign

    name = factory.Sequence(lambda n: f"{2016 + n % 10} 사회적경제 생산품·서비스 전수조사 {n}")
    year = 2016
    starts_on = datetime.date(2016, 4, 1)
    ends_on = datetime.date(2016, 11, 30)
    status = SurveyCampaign.Status.IN_PROGRESS


class SurveyResponseFactory(DjangoModelFactory):
    class Meta:
        model = SurveyResponse
        skip_postgeneration_save = True

    campaign = factory.SubFactory(SurveyCampaignFactory)
    organization = factory.SubFactory(OrganizationFactory)
    status = SurveyResponse.Status.SUBMITTED
    surveyed_on = datetime.date(2016, 5, 10)
    respondent_name = factory.Faker("name", locale="ko_KR")
    respondent_phone = "010-2345-6789"
    annual_revenue = 250_000_000
    employees_count = 9

    @factory.post_generation
    def sales_channels(self, create, extracted, **kwargs):
        if create and extracted:
            self.sales_channels.set(extracted)

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(extracted)


class SurveyProductItemFactory(DjangoModelFactory):
    class Meta:
        model = SurveyProductItem

    response = factory.SubFactory(SurveyResponseFactory)
    product = factory.SubFactory(
        ProductFactory, organization=factory.SelfAttribute("..response.organization")
    )
    annual_sales = 12_000_000
    unit_price = 45000


class StoreFactory(DjangoModelFactory):
    class Meta:
        model = Store

    name = factory.Sequence(lambda n: f"전주푸드 직매장 {n}호점")
    kind = Store.Kind.JEONJU_FOOD
    dong = factory.SubFactory(DongFactory)
    address = factory.Faker("address", locale="ko_KR")
    opened_on = datetime.date(2016, 5, 20)
    operator = "(재)전주푸드"


class StoreListingFactory(DjangoModelFactory):
    class Meta:
        model = StoreListing

    store = factory.SubFactory(StoreFactory)
    product = factory.SubFactory(ProductFactory)
    listed_on = datetime.date(2017, 3, 1)
    shelf_price = 46000


class ConsultingCaseFactory(DjangoModelFactory):
    class Meta:
        model = ConsultingCase

    organization = factory.SubFactory(OrganizationFactory)
    partner = factory.SubFactory(PartnerCenterFactory)
    topic = ConsultingCase.Topic.QUALITY
    title = factory.Sequence(lambda n: f"포장 품질 개선 컨설팅 {n}")
    opened_on = datetime.date(2024, 3, 4)
    status = ConsultingCase.Status.IN_PROGRESS
    summary = factory.Faker("sentence", locale="ko_KR")


class ConsultingSessionFactory(DjangoModelFactory):
    class Meta:
        model = ConsultingSession

    case = factory.SubFactory(ConsultingCaseFactory)
    held_on = datetime.date(2024, 3, 18)
    consultant = "이품질 기술지도사"
    hours = Decimal("2.0")
    notes = factory.Faker("sentence", locale="ko_KR")


class NetworkFactory(DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"전주 사회적경제 네트워크 {n}")
    level = Network.Level.LOCAL
    founded_on = datetime.date(2013, 3, 15)


class NetworkMembershipFactory(DjangoModelFactory):
    class Meta:
        model = NetworkMembership

    network = factory.SubFactory(NetworkFactory)
    organization = factory.SubFactory(OrganizationFactory)
    joined_on = datetime.date(2015, 1, 1)
    role = NetworkMembership.Role.MEMBER
