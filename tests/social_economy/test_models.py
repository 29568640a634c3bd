import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from social_economy.models import (
    ConsultingCase,
    Organization,
    OrganizationStatus,
    OrganizationType,
    PreliminaryKind,
    SocialPurposeType,
    StoreListing,
    SurveyResponse,
)

from .factories import (
    CertifiedSocialEnterpriseFactory,
    ConsultingCaseFactory,
    ConsultingSessionFactory,
    DongFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PartnerCenterFactory,
    PreliminarySocialEnterpriseFactory,
    ProductCertificationFactory,
    ProductFactory,
    SalesChannelFactory,
    StoreFactory,
    StoreListingFactory,
    SupportNeedFactory,
    SurveyCampaignFactory,
    SurveyProductItemFactory,
    SurveyResponseFactory,
    valid_brn,
)

pytestmark = pytest.mark.django_db


def assert_refused(obj, message):
    """The rule is enforced twice: full_clean() explains it in Korean, and the database refuses the row."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in excinfo.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


# --- Every database constraint, one case each: (build a bad row, the Korean message) -----------------


def _changed(factory, **changes):
    def make():
        obj = factory()
        for field, value in changes.items():
            setattr(obj, field, value)
        return obj

    return make


def _duplicate_brn():
    existing = OrganizationFactory()
    # Typed without dashes: clean() normalises it, so the duplicate is still caught.
    return OrganizationFactory.build(
        dong=existing.dong,
        business_registration_number=existing.business_registration_number.replace("-", ""),
    )


def _duplicate_product_name():
    existing = ProductFactory()
    return ProductFactory.build(organization=existing.organization, name=existing.name)


def _duplicate_response():
    existing = SurveyResponseFactory()
    return SurveyResponseFactory.build(campaign=existing.campaign, organization=existing.organization)


def _duplicate_product_item():
    existing = SurveyProductItemFactory()
    return SurveyProductItemFactory.build(response=existing.response, product=existing.product)


def _second_open_listing():
    existing = StoreListingFactory()
    return StoreListingFactory.build(
        store=existing.store,
        product=existing.product,
        listed_on=existing.listed_on + datetime.timedelta(days=10),
    )


def _duplicate_membership():
    existing = NetworkMembershipFactory()
    return NetworkMembershipFactory.build(network=existing.network, organization=existing.organization)


def _member(**values):
    from social_economy.models import OrganizationMember
    from tests.courses.factories import UserFactory

    defaults = {"organization": OrganizationFactory(), "user": UserFactory(), "status": "active"}
    return OrganizationMember(**{**defaults, **values})


def _second_open_member():
    first = _member()
    first.save()
    return _member(organization=first.organization, user=first.user, status="requested")


def _second_invitation():
    first = _member(user=None, email="rep@example.com", status="invited")
    first.save()
    return _member(organization=first.organization, user=None, email="REP@example.com", status="invited")


def _request(**values):
    from social_economy.models import ConsultingRequest

    defaults = {"organization": OrganizationFactory(), "topic": "marketing", "description": "판로"}
    return ConsultingRequest(**{**defaults, **values})


def _change(**values):
    from social_economy.models import ProfileChange

    defaults = {
        "organization": OrganizationFactory(),
        "field_name": "phone",
        "status": "pending",
        "channel": "member",
    }
    return ProfileChange(**{**defaults, **values})


def _second_pending_org_change():
    first = _change()
    first.save()
    return _change(organization=first.organization)


def _second_pending_product_change():
    product = ProductFactory()
    _change(organization=product.organization, product=product, field_name="price").save()
    return _change(organization=product.organization, product=product, field_name="price")


def _policy(**values):
    from social_economy.models import ProfileFieldPolicy

    return ProfileFieldPolicy(**{"target": "organization", "field_name": "phone", **values})


def _second_policy():
    _policy().save()
    return _policy(requires_review=False)


CONSTRAINT_CASES = {
    "profilechange_one_pending_org_field": (
        _second_pending_org_change,
        "이 항목에 검토를 기다리는 변경이 이미 있습니다.",
    ),
    "profilechange_one_pending_product_field": (
        _second_pending_product_change,
        "이 항목에 검토를 기다리는 변경이 이미 있습니다.",
    ),
    "profilechange_rejected_has_comment": (
        lambda: _change(status="rejected"),
        "반려할 때는 사유를 적어야 합니다.",
    ),
    "profilechange_field_of_target": (
        lambda: _change(field_name="name"),  # a product's field without a product
        "조직 회원이 고칠 수 있는 항목만 기록합니다.",
    ),
    "profilefieldpolicy_unique": (_second_policy, "이 항목의 공개 방식이 이미 있습니다."),
    "profilefieldpolicy_member_field": (
        lambda: _policy(field_name="price"),  # price is a product's field
        "조직 회원이 고칠 수 있는 항목만 정할 수 있습니다.",
    ),
    "member_one_open_row_per_account": (
        _second_open_member,
        "이 회원은 이미 이 조직의 회원이거나 가입을 신청했습니다.",
    ),
    "member_one_invitation_per_email": (_second_invitation, "이 이메일로 보낸 초대가 이미 있습니다."),
    "member_invited_by_email_else_account": (
        lambda: _member(status="invited", email=""),
        "초대는 이메일로, 그 밖의 회원은 계정으로 연결합니다.",
    ),
    "consulting_request_accepted_has_case": (
        lambda: _request(status="accepted"),
        "컨설팅을 시작한 신청에는 컨설팅이 연결되어야 합니다.",
    ),
    "consulting_request_declined_has_reason": (
        lambda: _request(status="declined"),
        "반려할 때는 사유를 적어야 합니다.",
    ),
    "organization_brn_unique": (_duplicate_brn, "이미 등록된 사업자등록번호입니다."),
    "organization_vulnerable_le_employees": (
        _changed(OrganizationFactory, employees_count=4, vulnerable_employees_count=5),
        "취약계층 종사자 수는 종사자 수를 넘을 수 없습니다.",
    ),
    "organization_vulnerable_without_employees": (
        _changed(OrganizationFactory, employees_count=None, vulnerable_employees_count=1),
        "취약계층 종사자 수는 종사자 수를 넘을 수 없습니다.",
    ),
    "organization_cooperative_min_members": (
        _changed(OrganizationFactory, members_count=4),
        "일반협동조합의 조합원은 5인 이상이어야 합니다.",
    ),
    "organization_members_only_cooperatives": (
        _changed(CertifiedSocialEnterpriseFactory, members_count=20),
        "조합원 수는 협동조합만 입력합니다.",
    ),
    "organization_closed_has_date": (
        _changed(OrganizationFactory, status=OrganizationStatus.CLOSED, closed_on=None),
        "폐업한 조직은 폐업일을 입력해야 합니다.",
    ),
    "organization_closed_date_only_closed": (
        _changed(
            OrganizationFactory, status=OrganizationStatus.SUSPENDED, closed_on=datetime.date(2020, 1, 1)
        ),
        "폐업일은 폐업 상태인 조직에만 입력합니다.",
    ),
    "organization_cert_expiry_after_date": (
        _changed(PreliminarySocialEnterpriseFactory, certification_expires_on=datetime.date(2023, 12, 31)),
        "인증·지정 만료일은 인증·지정일 이후여야 합니다.",
    ),
    "organization_purpose_only_social_enterprise": (
        _changed(OrganizationFactory, social_purpose_type=SocialPurposeType.MIXED),
        "사회적 목적 실현 유형은 인증 사회적기업과 예비사회적기업만 입력합니다.",
    ),
    "organization_preliminary_kind_only_preliminary": (
        _changed(CertifiedSocialEnterpriseFactory, preliminary_kind=PreliminaryKind.MINISTRY),
        "예비사회적기업 구분(지역형·부처형)은 예비사회적기업만 입력합니다.",
    ),
    "organization_preliminary_has_expiry": (
        _changed(PreliminarySocialEnterpriseFactory, certification_expires_on=None),
        "예비사회적기업은 지정 만료일을 입력해야 합니다.",
    ),
    "organization_filing_only_cooperatives": (
        _changed(CertifiedSocialEnterpriseFactory, cooperative_filing_number="2015-001"),
        "설립신고·인가 정보는 협동조합만 입력합니다.",
    ),
    "product_name_unique_per_organization": (
        _duplicate_product_name,
        "이 조직에 같은 이름의 생산품·서비스가 이미 있습니다.",
    ),
    "product_price_not_negative": (_changed(ProductFactory, price=-1), "가격은 0원 이상이어야 합니다."),
    "surveycampaign_end_after_start": (
        _changed(SurveyCampaignFactory, ends_on=datetime.date(2016, 3, 31)),
        "조사 종료일은 시작일 이후여야 합니다.",
    ),
    "surveycampaign_year_range": (
        _changed(SurveyCampaignFactory, year=1999),
        "조사 연도는 2000년부터 2100년 사이여야 합니다.",
    ),
    "surveyresponse_unique_per_campaign": (
        _duplicate_response,
        "이 조직의 응답이 이 전수조사에 이미 있습니다.",
    ),
    "surveyresponse_revenue_not_negative": (
        _changed(SurveyResponseFactory, annual_revenue=-1000),
        "연 매출액은 0원 이상이어야 합니다.",
    ),
    "surveyresponse_employees_not_negative": (
        _changed(SurveyResponseFactory, employees_count=-1),
        "종사자 수는 0명 이상이어야 합니다.",
    ),
    "surveyresponse_completed_has_date": (
        _changed(SurveyResponseFactory, status=SurveyResponse.Status.VERIFIED, surveyed_on=None),
        "제출 또는 검증 완료된 응답은 조사일을 입력해야 합니다.",
    ),
    "surveyresponse_online_has_submitted_at": (
        _changed(SurveyResponseFactory, channel=SurveyResponse.Channel.ONLINE, submitted_at=None),
        "온라인 응답은 제출 시각이 있어야 합니다.",
    ),
    "surveyproductitem_unique_product": (
        _duplicate_product_item,
        "이 응답에 같은 생산품·서비스가 이미 있습니다.",
    ),
    "surveyproductitem_sales_not_negative": (
        _changed(SurveyProductItemFactory, annual_sales=-5),
        "연 매출액은 0원 이상이어야 합니다.",
    ),
    "surveyproductitem_price_not_negative": (
        _changed(SurveyProductItemFactory, unit_price=-5),
        "단가는 0원 이상이어야 합니다.",
    ),
    "storelisting_delisted_after_listed": (
        _changed(StoreListingFactory, delisted_on=datetime.date(2017, 2, 28)),
        "퇴점일은 입점일 이후여야 합니다.",
    ),
    "storelisting_price_not_negative": (
        _changed(StoreListingFactory, shelf_price=-100),
        "판매가는 0원 이상이어야 합니다.",
    ),
    "storelisting_one_open_listing": (
        _second_open_listing,
        "이 매장에 이미 판매 중인 같은 상품이 있습니다. 기존 입점을 먼저 종료해 주세요.",
    ),
    "consultingcase_closed_after_opened": (
        _changed(ConsultingCaseFactory, closed_on=datetime.date(2024, 3, 1)),
        "종결일은 접수일 이후여야 합니다.",
    ),
    "consultingcase_completed_has_date": (
        _changed(ConsultingCaseFactory, status=ConsultingCase.Status.COMPLETED, closed_on=None),
        "완료된 컨설팅은 종결일을 입력해야 합니다.",
    ),
    "consultingsession_hours_positive": (
        _changed(ConsultingSessionFactory, hours=Decimal("0")),
        "컨설팅 시간은 0보다 커야 합니다.",
    ),
    "networkmembership_unique": (_duplicate_membership, "이 조직은 이미 이 네트워크의 회원입니다."),
    "networkmembership_left_after_joined": (
        _changed(NetworkMembershipFactory, left_on=datetime.date(2014, 12, 31)),
        "탈퇴일은 가입일 이후여야 합니다.",
    ),
}


@pytest.mark.parametrize(("make", "message"), CONSTRAINT_CASES.values(), ids=CONSTRAINT_CASES.keys())
def test_constraint_refuses_bad_rows_in_korean_and_at_the_database(make, message):
    assert_refused(make(), message)


def test_every_constraint_of_the_app_has_a_case_and_a_korean_message():
    from django.apps import apps

    names = {
        constraint.name
        for model in apps.get_app_config("social_economy").get_models()
        for constraint in model._meta.constraints
    }
    covered = {f"social_economy_{case}" for case in CONSTRAINT_CASES}
    assert names <= covered
    for model in apps.get_app_config("social_economy").get_models():
        for constraint in model._meta.constraints:
            assert constraint.name.startswith("social_economy_")
            assert any("\uac00" <= ch <= "\ud7a3" for ch in str(constraint.violation_error_message))


# --- Valid rows are accepted ----------------------------------------------------------------------------

ALL_FACTORIES = [
    OrganizationFactory,
    CertifiedSocialEnterpriseFactory,
    PreliminarySocialEnterpriseFactory,
    ProductFactory,
    SurveyCampaignFactory,
    SurveyResponseFactory,
    SurveyProductItemFactory,
    StoreFactory,
    StoreListingFactory,
    ConsultingCaseFactory,
    ConsultingSessionFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    SalesChannelFactory,
    SupportNeedFactory,
    ProductCertificationFactory,
]


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_factory_rows_are_valid(factory):
    obj = factory()
    obj.full_clean()
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_organizations_without_registration_number_do_not_collide():
    first = OrganizationFactory(business_registration_number="")
    second = OrganizationFactory.build(business_registration_number="", dong=first.dong)
    second.full_clean()
    second.save()
    assert Organization.objects.filter(business_registration_number="").count() == 2


def test_registration_number_and_phone_are_stored_normalised():
    org = OrganizationFactory.build(
        dong=DongFactory(), business_registration_number="2208162517", phone="0632811234"
    )
    org.full_clean()
    org.save()
    org.refresh_from_db()
    assert org.business_registration_number == "220-81-62517"
    assert org.phone == "063-281-1234"


def test_invalid_registration_number_is_refused_once_in_korean():
    org = OrganizationFactory.build(dong=DongFactory(), business_registration_number="220-81-62518")
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    messages = excinfo.value.message_dict["business_registration_number"]
    assert len(messages) == 1
    assert "사업자등록번호가 올바르지 않습니다" in messages[0]


def test_a_cooperative_with_five_members_and_a_closed_organization_with_a_date_are_valid():
    coop = OrganizationFactory(members_count=5)
    coop.full_clean()
    closed = OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2020, 6, 30))
    closed.full_clean()
    assert Organization.objects.filter(pk__in=[coop.pk, closed.pk]).count() == 2


def test_social_cooperative_may_record_any_member_count():
    org = OrganizationFactory(org_type=OrganizationType.SOCIAL_COOPERATIVE, members_count=3)
    org.full_clean()
    assert Organization.objects.get(pk=org.pk).members_count == 3


# --- Single-row rules that live in clean() ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"certification_number": ""},
            "certification_number",
            "인증 사회적기업은 인증 번호를 입력해야 합니다.",
        ),
        ({"certified_on": None}, "certified_on", "인증 사회적기업은 인증일을 입력해야 합니다."),
        (
            {"social_purpose_type": ""},
            "social_purpose_type",
            "인증 사회적기업은 사회적 목적 실현 유형을 입력해야 합니다.",
        ),
    ],
)
def test_certified_social_enterprise_needs_its_certification(changes, field, message):
    org = CertifiedSocialEnterpriseFactory.build(dong=DongFactory(), **changes)
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert excinfo.value.message_dict[field] == [message]


def test_preliminary_social_enterprise_needs_kind_and_designation_date():
    org = PreliminarySocialEnterpriseFactory.build(dong=DongFactory(), preliminary_kind="", certified_on=None)
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert excinfo.value.message_dict["preliminary_kind"] == [
        "예비사회적기업은 지역형·부처형 구분을 입력해야 합니다."
    ]
    assert excinfo.value.message_dict["certified_on"] == ["예비사회적기업은 지정일을 입력해야 합니다."]


def test_closed_date_cannot_precede_founding():
    org = OrganizationFactory.build(
        dong=DongFactory(), status=OrganizationStatus.CLOSED, closed_on=datetime.date(2013, 1, 1)
    )
    with pytest.raises(ValidationError) as excinfo:
        org.full_clean()
    assert excinfo.value.message_dict["closed_on"] == ["폐업일은 설립일 이후여야 합니다."]


def test_survey_product_must_belong_to_the_responding_organization():
    item = SurveyProductItemFactory.build(response=SurveyResponseFactory(), product=ProductFactory())
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert excinfo.value.message_dict["product"] == ["응답한 조직의 생산품·서비스만 선택할 수 있습니다."]


def test_consulting_session_cannot_precede_the_case():
    session = ConsultingSessionFactory.build(case=ConsultingCaseFactory(), held_on=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        session.full_clean()
    assert excinfo.value.message_dict["held_on"] == ["컨설팅 실시일은 접수일 이후여야 합니다."]


def test_respondent_phone_is_normalised_and_bad_phone_refused():
    response = SurveyResponseFactory.build(
        campaign=SurveyCampaignFactory(), organization=OrganizationFactory(), respondent_phone="01098765432"
    )
    response.full_clean()
    assert response.respondent_phone == "010-9876-5432"
    response.respondent_phone = "12345"
    with pytest.raises(ValidationError) as excinfo:
        response.full_clean()
    assert "전화번호 형식이 올바르지 않습니다" in excinfo.value.message_dict["respondent_phone"][0]


# --- Relations later issues rely on ------------------------------------------------------------------


def test_a_product_can_be_listed_again_after_it_was_delisted():
    first = StoreListingFactory(delisted_on=datetime.date(2017, 6, 30))
    again = StoreListingFactory.build(
        store=first.store, product=first.product, listed_on=datetime.date(2018, 1, 1)
    )
    again.full_clean()
    again.save()
    assert StoreListing.objects.filter(store=first.store, product=first.product).count() == 2
    assert StoreListing.objects.filter(store=first.store, delisted_on__isnull=True).get() == again


def test_survey_responses_can_be_counted_per_sales_channel_and_need():
    from django.db.models import Count

    online, store = SalesChannelFactory(name="온라인몰"), SalesChannelFactory(name="직매장")
    funding = SupportNeedFactory(name="자금")
    campaign = SurveyCampaignFactory()
    SurveyResponseFactory(campaign=campaign, sales_channels=[online, store], needs=[funding])
    SurveyResponseFactory(campaign=campaign, sales_channels=[online])
    counts = dict(
        campaign.responses.values_list("sales_channels__name")
        .annotate(n=Count("pk"))
        .values_list("sales_channels__name", "n")
    )
    assert counts == {"온라인몰": 2, "직매장": 1}
    assert list(funding.survey_responses.all()) == list(campaign.responses.filter(needs=funding))


def test_product_certifications_and_partner_center_links():
    haccp = ProductCertificationFactory(name="HACCP")
    product = ProductFactory(certifications=[haccp])
    partner = PartnerCenterFactory()
    case = ConsultingCaseFactory(organization=product.organization, partner=partner)
    assert list(product.certifications.all()) == [haccp]
    assert list(partner.social_economy_consulting_cases.all()) == [case]
    partner.delete()
    case.refresh_from_db()
    assert case.partner is None


def test_organization_with_survey_history_cannot_be_deleted_silently():
    from django.db.models import ProtectedError

    response = SurveyResponseFactory()
    with pytest.raises(ProtectedError):
        response.organization.delete()


def test_str_of_models_is_readable():
    item = SurveyProductItemFactory()
    assert (
        str(item)
        == f"{item.response.campaign.name} · {item.response.organization.name} · {item.product.name}"
    )
    assert str(ConsultingSessionFactory(held_on=datetime.date(2024, 3, 20))).endswith("2024-03-20")
    assert valid_brn(1) != valid_brn(2)
