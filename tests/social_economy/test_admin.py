import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from jeonju_center.accounts.models import User
from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM
from social_economy.models import (
    Organization,
    StoreListing,
    SurveyResponse,
)

from .factories import (
    DongFactory,
    ProductFactory,
    StoreListingFactory,
    SurveyProductItemFactory,
)

pytestmark = pytest.mark.django_db


def _url(model, view, *args):
    return reverse(f"admin:social_economy_{model._meta.model_name}_{view}", args=args)


def test_survey_response_changelist_masks_the_respondent(client):
    # Masked for staff without the 개인정보 열람 permission (the superuser has every permission).
    load_all_reference_data()
    staff = User.objects.create_user(username="se", password="pw-123456789", is_staff=True)
    staff.groups.set(Group.objects.filter(name=SOCIAL_ECONOMY_TEAM))
    client.force_login(staff)
    item = SurveyProductItemFactory(
        response__respondent_name="김철용", response__respondent_phone="010-2345-6789"
    )
    content = client.get(_url(SurveyResponse, "changelist")).content.decode()
    assert "김*용" in content
    assert "010-2345-****" in content
    assert "김철용" not in content
    assert "010-2345-6789" not in content
    assert item.response.respondent_name == "김철용"


def test_changelist_counts_are_annotated(admin_client):
    item = SurveyProductItemFactory()
    ProductFactory(organization=item.product.organization)
    response = admin_client.get(_url(Organization, "changelist"))
    row = next(obj for obj in response.context["cl"].result_list if obj.pk == item.product.organization_id)
    assert row.product_count == 2


def _organization_form(**overrides):
    data = {
        "name": "전주 한지공예 협동조합",
        "org_type": "cooperative",
        "sector": "manufacturing",
        "status": "operating",
        "business_registration_number": "2208162517",
        "dong": DongFactory().pk,
        "members_count": "12",
        "employees_count": "8",
        "vulnerable_employees_count": "3",
        "products-TOTAL_FORMS": "0",
        "products-INITIAL_FORMS": "0",
        "network_memberships-TOTAL_FORMS": "0",
        "network_memberships-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_admin_add_form_creates_a_valid_organization_with_normalised_number(admin_client):
    response = admin_client.post(_url(Organization, "add"), _organization_form())
    assert response.status_code == 302
    assert Organization.objects.get().business_registration_number == "220-81-62517"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"members_count": "3"}, "일반협동조합의 조합원은 5인 이상이어야 합니다."),
        ({"vulnerable_employees_count": "9"}, "취약계층 종사자 수는 종사자 수를 넘을 수 없습니다."),
        ({"status": "closed"}, "폐업한 조직은 폐업일을 입력해야 합니다."),
        ({"business_registration_number": "220-81-62518"}, "사업자등록번호가 올바르지 않습니다."),
        (
            {"social_purpose_type": "mixed"},
            "사회적 목적 실현 유형은 인증 사회적기업과 예비사회적기업만 입력합니다.",
        ),
    ],
)
def test_admin_add_form_shows_the_korean_error_and_creates_nothing(admin_client, overrides, message):
    response = admin_client.post(_url(Organization, "add"), _organization_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organization.objects.exists()


def test_admin_refuses_a_duplicate_registration_number(admin_client):
    admin_client.post(_url(Organization, "add"), _organization_form())
    response = admin_client.post(_url(Organization, "add"), _organization_form(name="다른 협동조합"))
    assert response.status_code == 200
    assert "이미 등록된 사업자등록번호입니다." in response.content.decode()
    assert Organization.objects.count() == 1


def test_admin_refuses_a_second_open_listing(admin_client):
    listing = StoreListingFactory()
    data = {
        "store": listing.store.pk,
        "product": listing.product.pk,
        "listed_on": (listing.listed_on + datetime.timedelta(days=5)).isoformat(),
        "shelf_price": "1000",
    }
    response = admin_client.post(_url(StoreListing, "add"), data)
    assert response.status_code == 200
    assert "이 매장에 이미 판매 중인 같은 상품이 있습니다." in response.content.decode()
    assert StoreListing.objects.count() == 1
