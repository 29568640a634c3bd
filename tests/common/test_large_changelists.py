"""Back-office lists on a national-size table (``LargeTableAdminMixin``): the unfiltered list of a large table
shows the planner's estimate instead of counting every row on every page; a filtered list counts exactly,
and never counts the unfiltered total beside it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jeonju_center.common import admin_mixins
from social_economy.models import Product
from tests.social_economy.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _counts(queries):
    return [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]


def _products(count, organization):
    Product.objects.bulk_create(
        Product(
            organization=organization,
            name=f"대량 제품 {number}",
            kind=Product.Kind.GOODS,
            category=Product.Category.FOOD,
        )
        for number in range(count)
    )


@pytest.fixture
def large_product_table(monkeypatch):
    """400 products in a table the lists treat as large (from 300 rows here), with the planner's statistics."""
    monkeypatch.setattr(admin_mixins, "ESTIMATE_COUNT_FROM_ROWS", 300)
    _products(400, OrganizationFactory(name="대량조합"))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Product._meta.db_table}")
    return reverse("admin:social_economy_product_changelist")


@pytest.mark.postgres
def test_a_large_table_s_unfiltered_list_shows_the_estimate_and_counts_no_row(
    admin_client, large_product_table
):
    url = large_product_table
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 400  # ANALYZE read every row of so small a table
    assert _counts(queries) == []

    with CaptureQueriesContext(connection) as queries:
        filtered = admin_client.get(url, {"q": "대량 제품 39"})
    assert filtered.context["cl"].result_count == 14  # 39, 139, 239, 339 and 390–399, counted
    assert len(_counts(queries)) == 1  # the filtered count only, not the total beside it


@pytest.mark.postgres
def test_a_large_table_s_filtered_list_is_counted_once_per_version_of_its_tables(
    admin_client, large_product_table, settings
):
    settings.BACKOFFICE_KEEP_LISTS = True
    url = large_product_table
    with CaptureQueriesContext(connection) as queries:
        first = admin_client.get(url, {"q": "대량 제품 3"})
    assert first.context["cl"].result_count == 157  # every number below 400 with a 3 in it
    assert len(_counts(queries)) == 1

    # The next page of the same list: a page of its own, drawn, with the count it already had.
    with CaptureQueriesContext(connection) as queries:
        second = admin_client.get(url, {"q": "대량 제품 3", "p": 2})
    assert second.context["cl"].result_count == 157
    assert len(second.context["cl"].result_list) == 57  # 100 rows per page
    assert _counts(queries) == []

    # A write to the table counts again, and gets the new figure.
    Product.objects.filter(name="대량 제품 3").update(name="대량 상품 3")
    with CaptureQueriesContext(connection) as queries:
        third = admin_client.get(url, {"q": "대량 제품 3", "p": 2})
    assert third.context["cl"].result_count == 156
    assert len(third.context["cl"].result_list) == 56
    assert len(_counts(queries)) == 1

    # Another filter is another count.
    with CaptureQueriesContext(connection) as queries:
        other = admin_client.get(url, {"q": "대량 제품 4"})
    assert other.context["cl"].result_count == 76  # every number below 400 with a 4 in it
    assert len(_counts(queries)) == 1


def test_a_small_table_is_counted_exactly(admin_client):
    _products(3, OrganizationFactory())
    response = admin_client.get(reverse("admin:social_economy_product_changelist"))
    assert response.context["cl"].result_count == 3


LARGE_LISTS = [
    "social_economy.Product",
    "social_economy.Organization",
    "courses.Enrollment",
    "regeneration.VacantHouse",
]


def _indexed_prefixes(model):
    """Column lists an index of ``model`` can be read in order by (each index's leading columns)."""
    prefixes = []
    for index in model._meta.indexes:
        columns = [model._meta.get_field(name.lstrip("-")).column for name in index.fields]
        prefixes += [columns[:n] for n in range(1, len(columns) + 1)]
    for field in model._meta.concrete_fields:
        if field.primary_key or field.unique or field.db_index:
            prefixes.append([field.column])
    return prefixes


def _column(model, name):
    if name == "pk":
        return model._meta.pk.column
    if "__" in name:
        return name  # a related model's column: no index of this table is in its order
    field = model._meta.get_field(name)
    if field.is_relation and field.related_model._meta.ordering:
        return f"{name} (by {field.related_model._meta.label}'s order)"  # Django sorts a join by it
    return field.column


@pytest.mark.parametrize("label", LARGE_LISTS)
def test_the_large_lists_default_order_is_read_from_an_index(label, rf, admin_user):
    from django.apps import apps
    from django.contrib import admin

    model = apps.get_model(label)
    request = rf.get("/")
    request.user = admin_user
    ordering = list(admin.site._registry[model].get_ordering(request) or model._meta.ordering)
    columns = [_column(model, name.lstrip("-")) for name in ordering]
    assert columns in _indexed_prefixes(model) or columns[:-1] in _indexed_prefixes(model), (
        f"{label} is listed by {ordering}, which no index reads in order"
    )


def test_the_row_checkbox_is_the_one_django_renders():
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    from social_economy.models import Organization

    organization = OrganizationFactory(name='한지 "공방" <협동조합> & 친구들')
    model_admin = admin.site._registry[Organization]
    assert model_admin.action_checkbox(organization) == ModelAdmin.action_checkbox(model_admin, organization)


def test_a_search_across_a_foreign_key_finds_by_the_related_name_and_counts_without_a_join(admin_client):
    tofu_makers = OrganizationFactory(name="모악산 두부 협동조합")
    others = OrganizationFactory(name="한지 공방")
    by_maker, by_name, neither = (
        Product.objects.create(organization=tofu_makers, name="콩물", kind="goods", category="food"),
        Product.objects.create(organization=others, name="두부 과자", kind="goods", category="food"),
        Product.objects.create(organization=others, name="한지 등", kind="goods", category="craft"),
    )
    url = reverse("admin:social_economy_product_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url, {"q": "두부"})
    assert {product.pk for product in response.context["cl"].result_list} == {by_maker.pk, by_name.pk}
    assert response.context["cl"].result_count == 2
    [count] = _counts(queries)
    assert "JOIN" not in count.upper()
    # Every word must match somewhere (as in Django's search): "두부 과자" keeps only the product named so.
    response = admin_client.get(url, {"q": "두부 과자"})
    assert [product.pk for product in response.context["cl"].result_list] == [by_name.pk]
    assert neither.pk not in {product.pk for product in response.context["cl"].result_list}
