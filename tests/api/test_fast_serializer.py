"""FastModelSerializer's lean output path gives exactly DRF's output, for every resource of the API."""

import datetime

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from jeonju_center.accounts.models import User
from jeonju_center.api.routes import all_routes
from jeonju_center.api.serializers import FastModelSerializer
from social_economy.models import OrganizationStatus
from tests.api.support import one_of_each
from tests.partners.factories import PartnerCenterFactory
from tests.social_economy.factories import OrganizationFactory, ProductCertificationFactory, ProductFactory

pytestmark = pytest.mark.django_db

ROUTES = sorted(prefix for prefix, _viewset, _basename in all_routes())


@pytest.fixture
def staff():
    client = APIClient()
    client.force_login(
        User.objects.create_user(username="api-staff", password="x" * 12, is_staff=True, is_superuser=True)
    )
    return client


@pytest.fixture
def records():
    made = one_of_each(PartnerCenterFactory())
    # Rows with empty values, a missing foreign key, choices and several certifications.
    certifications = [ProductCertificationFactory(), ProductCertificationFactory()]
    ProductFactory(price=None, description="", certifications=certifications)
    ProductFactory(organization=OrganizationFactory(dong=None, founded_on=None))
    OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2025, 12, 31))
    return made


def drf_output(monkeypatch, client, url):
    with monkeypatch.context() as patch:
        patch.setattr(FastModelSerializer, "to_representation", serializers.ModelSerializer.to_representation)
        patch.setattr(FastModelSerializer, "get_fields", serializers.ModelSerializer.get_fields)
        return client.get(url).content


@pytest.mark.parametrize("resource", ROUTES)
def test_list_and_detail_are_the_same_as_drf_makes_them(staff, records, monkeypatch, resource):
    for fmt in ("", "&format=csv"):
        url = f"/api/v1/{resource}/?page_size=500{fmt}"
        fast = staff.get(url)
        assert fast.status_code == 200, fast.content[:300]
        assert fast.content == drf_output(monkeypatch, staff, url)
    record = records[resource]
    url = f"/api/v1/{resource}/{record.pk}/"
    fast = staff.get(url)
    assert fast.status_code == 200, fast.content[:300]
    assert fast.content == drf_output(monkeypatch, staff, url)


def test_the_lean_path_is_taken_for_plain_fields(records):
    from social_economy.api.serializers import ProductSerializer

    serializer = ProductSerializer()
    plan = {name: field for name, _read, _convert, field in serializer._representation_plan()}
    # Plain model fields are read directly; method and nested fields keep DRF's path.
    assert plan["name"] is None and plan["price"] is None and plan["organization"] is None
    assert plan["kind_label"] is None
    assert plan["certifications"] is not None and plan["organization_name"] is not None
