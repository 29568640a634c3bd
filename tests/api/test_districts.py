import pytest

from jeonju_center.common.models import Dong
from jeonju_center.common.reference import load_dongs
from tests.api.support import assert_constant_queries, partner_client

pytestmark = pytest.mark.django_db


def test_districts_are_public_paginated_and_filterable(client):
    load_dongs()
    response = client.get("/api/v1/districts/?district=deokjin&page_size=5")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 16
    assert len(body["results"]) == 5
    assert {row["district"] for row in body["results"]} == {"deokjin"}
    assert "page=2" in body["next"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("district=busan", "district"),
        ("ordering=secret", "ordering"),
        ("updated_since=yesterday", "updated_since"),
    ],
)
def test_invalid_filters_are_400_with_the_field(client, query, field):
    response = client.get(f"/api/v1/districts/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]


def test_page_size_is_capped_at_500(client):
    load_dongs()
    response = client.get("/api/v1/districts/?page_size=100000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 35  # all of them, below the 500 cap


def test_updated_since_returns_only_later_changes(client):
    load_dongs()
    changed = Dong.objects.get(name="혁신동")
    changed.save()
    response = client.get("/api/v1/districts/", {"updated_since": changed.updated_at.isoformat()})
    assert [row["name"] for row in response.json()["results"]] == ["혁신동"]


def test_csv_has_a_bom_and_flat_korean_rows(client):
    load_dongs()
    response = client.get("/api/v1/districts/?format=csv&district=wansan")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:3] == ["id", "name", "district"]
    assert len(lines) == 1 + 19
    assert any(line.split(",")[1] == "풍남동" for line in lines[1:])


def test_list_query_count_is_constant(client):
    def add_rows(n):
        start = Dong.objects.count()
        Dong.objects.bulk_create([Dong(name=f"시험{start + i}동", district="wansan") for i in range(n)])

    assert_constant_queries(partner_client("ondure:read"), "/api/v1/districts/", add_rows)


@pytest.mark.parametrize(
    "value",
    [
        "0337-11-03T06:24:53+18:22",
        "0506-12-16T23:04:06-22:53",
        "0001-01-01T00:00:00+09:00",
        "9999-12-31T23:59:59-09:00",
    ],
)
@pytest.mark.django_db
def test_an_updated_since_at_the_edges_of_time_is_answered_not_a_server_error(value):
    """ISO 8601 allows offsets up to ±24 h and years from 1; PostgreSQL's limits are narrower."""
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/districts/", {"updated_since": value})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "updated_since" in response.json()["errors"]


def test_csv_is_every_matching_row_not_one_page(client, monkeypatch, django_assert_max_num_queries):
    """60 rows with pages of 50: the CSV has all 60 (filters still apply), read in chunks of a fixed size."""
    from jeonju_center.api import views

    monkeypatch.setattr(views, "CSV_CHUNK_ROWS", 25)
    Dong.objects.bulk_create([Dong(name=f"시험{i:02d}동", district="deokjin") for i in range(60)])
    Dong.objects.create(name="다른구동", district="wansan")
    with django_assert_max_num_queries(3 + 3):  # 60 rows / 25 = 3 chunks (+1 empty read), and the request
        response = client.get("/api/v1/districts/", {"format": "csv", "district": "deokjin"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 60
    assert sorted(line.split(",")[1] for line in lines[1:]) == [f"시험{i:02d}동" for i in range(60)]
    assert client.get("/api/v1/districts/", {"district": "deokjin"}).json()["count"] == 60
