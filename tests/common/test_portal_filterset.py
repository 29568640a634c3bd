"""What ``PortalFilterSet`` gives every list: ``id`` and choice filters that take several values, ``q`` over the
FilterSet's search fields, and a 400 in the API's one error shape (the Korean message, nothing else) for a bad
value. Through the API and the pages, as partners and citizens use them."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from jeonju_center.common.filters import PortalFilterSet
from jeonju_center.common.models import District, Dong
from ondure.models import ActivityField
from regeneration.models import ActivationArea
from social_economy.models import OrganizationType
from tests.api.support import partner_client
from tests.ondure.factories import CommunityFactory
from tests.regeneration.factories import ActivationAreaFactory
from tests.social_economy.factories import (
    CertifiedSocialEnterpriseFactory,
    OrganizationFactory,
    ProductFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

DISTRICTS = "/api/v1/districts/"
BAD_INPUT = "입력값이 올바르지 않습니다."


def ids(response):
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


def invalid(response, field):
    """The body of a 400 for ``field``, after checking that the body is the error and nothing else."""
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    assert (body["code"], body["detail"], list(body["errors"])) == ("invalid", BAD_INPUT, [field])
    return body["errors"][field]


@pytest.fixture
def dongs():
    """Three dongs in one district at one display position, so the list's order is their ids."""
    return [
        Dong.objects.create(name=name, district=District.WANSAN, display_order=1)
        for name in ("시험가동", "시험나동", "시험다동")
    ]


@pytest.fixture
def anonymous():
    return APIClient()


# --- id -----------------------------------------------------------------------------------------------------


def test_id_takes_one_or_several_values(anonymous, dongs):
    first, second, third = dongs
    assert ids(anonymous.get(f"{DISTRICTS}?id={first.pk}&id={third.pk}")) == [first.pk, third.pk]
    assert ids(anonymous.get(DISTRICTS, {"id": second.pk})) == [second.pk]
    # Repeated and blank values change nothing; an id that names nothing matches nothing.
    assert ids(anonymous.get(f"{DISTRICTS}?id={second.pk}&id={second.pk}&id=")) == [second.pk]
    assert ids(anonymous.get(DISTRICTS, {"id": third.pk + 1000})) == []


def test_id_combines_with_the_other_filters(anonymous, dongs):
    first, second, _third = dongs
    Dong.objects.filter(pk=second.pk).update(district=District.DEOKJIN)
    query = f"{DISTRICTS}?id={first.pk}&id={second.pk}&district=deokjin"
    assert ids(anonymous.get(query)) == [second.pk]


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        (["abc"], "abc"),
        (["0"], "0"),
        (["-3"], "-3"),
        (["1.5"], "1.5"),
        (["١٢"], "١٢"),  # digits, but not ASCII ones
        (["9223372036854775808"], "9223372036854775808"),  # one more than the largest bigint
        (["7", "x", "y"], "x, y"),
        (["9" * 5000], "9" * 30 + "…"),
    ],
)
def test_a_bad_id_is_a_400_with_a_korean_message_and_nothing_else(anonymous, dongs, values, shown):
    query = "&".join(f"id={value}" for value in values)
    assert invalid(anonymous.get(f"{DISTRICTS}?{query}"), "id") == [
        f"1 이상 9223372036854775807 이하의 정수여야 합니다. 잘못된 값: {shown}"
    ]


def test_the_largest_id_is_a_match_for_nothing_not_an_error(anonymous, dongs):
    assert ids(anonymous.get(DISTRICTS, {"id": 2**63 - 1})) == []


# --- choices ------------------------------------------------------------------------------------------------


def test_a_declared_choice_filter_takes_one_or_several_values(anonymous, dongs):
    first, second, third = dongs
    Dong.objects.filter(pk=second.pk).update(district=District.DEOKJIN, display_order=0)
    both = ids(anonymous.get(f"{DISTRICTS}?district=wansan&district=deokjin&id={first.pk}&id={second.pk}"))
    assert both == [second.pk, first.pk]  # ordered by district (deokjin first), then position
    assert ids(anonymous.get(f"{DISTRICTS}?district=deokjin&id={first.pk}&id={second.pk}")) == [second.pk]
    assert ids(anonymous.get(f"{DISTRICTS}?district=&id={third.pk}")) == [third.pk]


def test_an_unknown_choice_is_a_400_with_a_korean_message_for_each_unknown_value(anonymous, dongs):
    response = anonymous.get(f"{DISTRICTS}?district=wansan&district=busan&district=seoul")
    assert invalid(response, "district") == [
        "올바르게 선택해 주세요. busan 이/가 선택가능항목에 없습니다.",
        "올바르게 선택해 주세요. seoul 이/가 선택가능항목에 없습니다.",
    ]


def test_every_model_field_with_choices_gets_a_multi_value_filter_without_code():
    """``activity_field`` is declared nowhere in ondure/filters.py: the base made its filter."""
    client = partner_client("ondure:read")
    food = CommunityFactory(name="가 공동체", activity_field=ActivityField.FOOD, is_public=True)
    CommunityFactory(name="나 공동체", activity_field=ActivityField.CRAFT, is_public=True)
    care = CommunityFactory(name="다 공동체", activity_field=ActivityField.CARE, is_public=True)
    url = "/api/v1/communities/?ordering=name"
    assert ids(client.get(f"{url}&activity_field=food&activity_field=care")) == [food.pk, care.pk]
    assert ids(client.get(f"{url}&activity_field=care")) == [care.pk]
    assert invalid(client.get(f"{url}&activity_field=fishing"), "activity_field") == [
        "올바르게 선택해 주세요. fishing 이/가 선택가능항목에 없습니다."
    ]


def test_a_choice_filter_through_a_relation_takes_several_values():
    client = partner_client("social_economy:read")
    cooperative = ProductFactory(name="가 한지", organization=OrganizationFactory())
    certified = ProductFactory(name="나 한지", organization=CertifiedSocialEnterpriseFactory())
    ProductFactory(
        name="다 한지", organization=OrganizationFactory(org_type=OrganizationType.SOCIAL_COOPERATIVE)
    )
    url = "/api/v1/products/?ordering=name"
    query = f"{url}&org_type={OrganizationType.COOPERATIVE}&org_type={OrganizationType.CERTIFIED_SOCIAL_ENTERPRISE}"
    assert ids(client.get(query)) == [cooperative.pk, certified.pk]


# --- q ------------------------------------------------------------------------------------------------------


def test_q_finds_the_text_in_any_search_field_ignoring_case():
    """Stores search their name, address and operator (StoreFilterSet.Meta.search_fields), nothing else."""
    client = partner_client("social_economy:read")
    by_name = StoreFactory(name="가 Local Food 매장", address="전주시 완산구 1", operator="(재)전주푸드")
    by_address = StoreFactory(name="나 직매장", address="전주시 LOCAL FOOD 거리 2", operator="(재)전주푸드")
    by_operator = StoreFactory(name="다 직매장", address="전주시 덕진구 3", operator="local food 협동조합")
    StoreFactory(name="라 직매장", address="전주시 덕진구 4", operator="(재)전주푸드", phone="local food")
    url = "/api/v1/stores/?ordering=name"
    assert ids(client.get(f"{url}&q=local food")) == [by_name.pk, by_address.pk, by_operator.pk]
    assert ids(client.get(f"{url}&q=  거리 ")) == [by_address.pk]
    assert len(ids(client.get(f"{url}&q=   "))) == 4  # blank: no search


def test_q_keeps_the_search_a_list_had_before():
    """The product catalogue's q still reads the organization's name (``organization__name``)."""
    client = partner_client("social_economy:read")
    wanted = ProductFactory(organization=OrganizationFactory(name="가나다 협동조합"), name="한지 등")
    ProductFactory(organization=OrganizationFactory(name="라마바 협동조합"), name="한지 부채")
    assert ids(client.get("/api/v1/products/", {"q": "가나다"})) == [wanted.pk]


def test_q_through_a_to_many_relation_returns_each_row_once():
    class AreaByDongName(PortalFilterSet):
        class Meta:
            model = ActivationArea
            search_fields = ["name", "dongs__name"]
            unfiltered_fields = {}

    hyoja = [Dong.objects.create(name=f"시험효자{n}동", district=District.WANSAN) for n in (1, 2)]
    area = ActivationAreaFactory(name="서부 지역", dongs=hyoja)
    ActivationAreaFactory(
        name="동부 지역", dongs=[Dong.objects.create(name="시험인후동", district=District.DEOKJIN)]
    )
    found = AreaByDongName({"q": "효자"}, queryset=ActivationArea.objects.order_by("pk")).qs
    assert list(found.values_list("pk", flat=True)) == [area.pk]


def test_a_filterset_without_search_fields_has_no_q():
    from regeneration.filters import PublicHouseFilterSet

    assert "q" not in PublicHouseFilterSet.base_filters


# --- the same FilterSets on the pages --------------------------------------------------------------------------


def test_a_page_accepts_several_values_and_still_shows_one_drop_down(client):
    cooperative = OrganizationFactory(name="한지 협동조합")
    certified = CertifiedSocialEnterpriseFactory(name="나눔 푸드")
    OrganizationFactory(name="사회적 협동조합", org_type=OrganizationType.SOCIAL_COOPERATIVE)
    url = reverse("social_economy:directory")
    response = client.get(f"{url}?org_type=cooperative&org_type=certified_se")
    assert sorted(organization.name for organization in response.context["page"].object_list) == sorted(
        [cooperative.name, certified.name]
    )
    select = str(response.context["filter"].form["org_type"])
    assert select.startswith('<select name="org_type"') and "multiple" not in select
    # A single drop-down shows one of the values chosen (the first in its list); the list has both.
    assert select.count(" selected>") == 1 and '<option value="certified_se" selected>' in select


def test_id_is_no_visible_field_of_a_page_form(client):
    response = client.get(reverse("regeneration:houses"))
    form = response.context["filter"].form
    assert "id" not in {field.name for field in form.visible_fields()}
    assert [field.name for field in form.visible_fields()] == ["dong", "program", "status"]
