import datetime
from collections import Counter

import pytest
from django.apps import apps

from jeonju_center.common.validators import normalize_business_registration_number
from jeonju_center.demo import base
from jeonju_center.demo.context import DemoContext
from social_economy import demo
from social_economy.models import (
    Organization,
    OrganizationType,
    Product,
    Sector,
    Store,
    StoreListing,
    SurveyCampaign,
    SurveyResponse,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


def _domain_models():
    # The demo loads rows in bulk, so the history tables (django-simple-history) stay empty.
    return [
        model
        for model in apps.get_app_config("social_economy").get_models()
        if not model.__name__.startswith("Historical")
    ]


def _counts():
    return {model.__name__: model.objects.count() for model in _domain_models()}


@pytest.fixture
def seeded():
    ctx = DemoContext(today=TODAY)
    base.seed(ctx)
    first_summary = demo.seed(ctx)
    return ctx, first_summary


def test_seed_is_idempotent_and_fills_every_model(seeded):
    _ctx, first_summary = seeded
    first = _counts()
    assert all(count > 0 for count in first.values()), first
    assert "organizations: 300 created, 300 total" in first_summary
    snapshot = list(
        Organization.objects.order_by("pk").values_list("name", "business_registration_number", "updated_at")
    )

    second_summary = demo.seed(DemoContext(today=TODAY))
    assert _counts() == first
    assert "organizations: 0 created, 300 total" in second_summary
    assert all(" 0 created" in line for line in second_summary[1:]), second_summary
    assert (
        list(
            Organization.objects.order_by("pk").values_list(
                "name", "business_registration_number", "updated_at"
            )
        )
        == snapshot
    )


def test_seed_covers_every_type_sector_and_survey_status(seeded):
    assert set(Organization.objects.values_list("org_type", flat=True)) == set(OrganizationType.values)
    assert set(Organization.objects.values_list("sector", flat=True)) == set(Sector.values)
    campaign = SurveyCampaign.objects.get(name="2016 사회적경제 생산품·서비스 전수조사")
    assert campaign.year == 2016
    assert campaign.responses.count() == Organization.objects.count()
    assert set(campaign.responses.values_list("status", flat=True)) == set(SurveyResponse.Status.values)
    assert 800 <= Product.objects.count() <= 1200


def test_seed_registration_numbers_are_valid_and_unique(seeded):
    numbers = list(Organization.objects.values_list("business_registration_number", flat=True))
    assert len(numbers) == len(set(numbers)) == 300
    assert all(normalize_business_registration_number(number) == number for number in numbers)
    assert all(int(number[:3]) >= 101 for number in numbers)


def test_seed_has_certifications_expiring_within_90_days(seeded):
    soon = Organization.objects.filter(
        certification_expires_on__gte=TODAY, certification_expires_on__lte=TODAY + datetime.timedelta(days=90)
    )
    assert 1 <= soon.count() <= 20


def test_seed_stores_and_consulting_use_the_existing_partner_centers(seeded):
    assert Store.objects.filter(kind=Store.Kind.PILOT).count() == 1
    assert Store.objects.filter(kind=Store.Kind.JEONJU_FOOD).count() >= 2
    assert (
        StoreListing.objects.filter(store__kind=Store.Kind.JEONJU_FOOD)
        .exclude(product__category__in=["food", "agricultural"])
        .count()
        == 0
    )
    partner_names = set(
        apps.get_model("social_economy", "ConsultingCase")
        .objects.exclude(partner=None)
        .values_list("partner__name", flat=True)
    )
    assert partner_names <= {name for name, _kind in base.PARTNER_CENTERS}
    assert partner_names


def test_every_seeded_row_passes_full_clean(seeded):
    failures = Counter()
    for model in _domain_models():
        for obj in model.objects.all():
            try:
                obj.full_clean()
            except Exception as error:  # collect all, report together
                failures[f"{model.__name__}: {error}"] += 1
    assert not failures, failures.most_common(5)


def test_seed_draws_the_same_data_from_the_same_context(seeded):
    # The same context gives the same data: rebuild the wanted organizations without saving them.
    wanted = demo.organizations.plan_organizations(DemoContext(today=TODAY))
    stored = dict(Organization.objects.values_list("business_registration_number", "name"))
    assert {org.business_registration_number: org.name for org in wanted} == stored
