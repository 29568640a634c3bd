"""The partner API's ``networks`` with their memberships."""

import datetime

import pytest

from social_economy.models import Network
from tests.api.support import assert_constant_queries

from ..factories import NetworkFactory, NetworkMembershipFactory, OrganizationFactory
from .support import LONG_AGO, age_everything, assert_invalid, csv_rows, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks():
    local = NetworkFactory(name="전주 사회적경제 네트워크", level=Network.Level.LOCAL)
    national = NetworkFactory(name="전국 협동조합 협의회", level=Network.Level.NATIONAL, founded_on=None)
    chair = OrganizationFactory(name="가 협동조합")
    former = OrganizationFactory(name="나 협동조합")
    NetworkMembershipFactory(
        network=local, organization=chair, role="chair", joined_on=datetime.date(2013, 3, 15)
    )
    NetworkMembershipFactory(
        network=local,
        organization=former,
        joined_on=datetime.date(2014, 1, 1),
        left_on=datetime.date(2020, 12, 31),
    )
    return {"local": local, "national": national, "chair": chair, "former": former}


def test_networks_list_nests_memberships(reader, networks):
    response = reader.get("/api/v1/networks/")
    assert ids(response) == [networks["local"].pk, networks["national"].pk]
    row = response.json()["results"][0]
    assert row["name"] == "전주 사회적경제 네트워크"
    assert row["level_label"] == "지역"
    assert row["founded_on"] == "2013-03-15"
    assert row["memberships"] == [
        {
            "organization": networks["chair"].pk,
            "organization_name": "가 협동조합",
            "role": "chair",
            "role_label": "대표",
            "joined_on": "2013-03-15",
            "left_on": None,
        },
        {
            "organization": networks["former"].pk,
            "organization_name": "나 협동조합",
            "role": "member",
            "role_label": "회원",
            "joined_on": "2014-01-01",
            "left_on": "2020-12-31",
        },
    ]
    detail = reader.get(f"/api/v1/networks/{networks['national'].pk}/").json()
    assert detail["level"] == "national"
    assert detail["memberships"] == []


def test_network_filters_ordering_and_invalid_values(reader, networks):
    assert ids(reader.get("/api/v1/networks/?level=national")) == [networks["national"].pk]
    assert ids(reader.get(f"/api/v1/networks/?organization={networks['chair'].pk}")) == [networks["local"].pk]
    assert ids(reader.get("/api/v1/networks/?ordering=name")) == [
        networks["national"].pk,
        networks["local"].pk,
    ]
    assert_invalid(reader.get("/api/v1/networks/?level=global"), "level")
    assert_invalid(reader.get("/api/v1/networks/?organization=x"), "organization")
    assert_invalid(reader.get("/api/v1/networks/?ordering=secret"), "ordering")


def test_network_updated_since(reader, networks):
    age_everything(Network)
    networks["national"].save()
    since = (LONG_AGO + datetime.timedelta(days=1)).isoformat()
    assert ids(reader.get("/api/v1/networks/", {"updated_since": since})) == [networks["national"].pk]


def test_network_csv_lists_current_members(reader, networks):
    rows = csv_rows(reader.get("/api/v1/networks/?format=csv"))
    assert [(row["name"], row["member_count"], row["memberships"]) for row in rows] == [
        ("전주 사회적경제 네트워크", "1", str(networks["chair"].pk)),
        ("전국 협동조합 협의회", "0", ""),
    ]


def test_network_list_query_count_is_constant(reader):
    def add_rows(n):
        for _ in range(n):
            network = NetworkFactory()
            NetworkMembershipFactory(network=network)
            NetworkMembershipFactory(network=network)

    assert_constant_queries(reader, "/api/v1/networks/", add_rows)
