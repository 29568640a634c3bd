"""Back-office lists kept while the tables they were drawn from are unchanged (``KeptChangelistMixin``, with the
per-table versions of ``table_versions``), on PostgreSQL."""

import datetime
import re

import psycopg2
import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jeonju_center.common import table_versions
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import ACCESS_LOG_REVIEW_PERMISSION, PERSONAL_DATA_PERMISSION
from jeonju_center.common.teams import CENTER_ADMINS
from social_economy.models import Product
from tests.courses.factories import EnrollmentFactory
from tests.social_economy.factories import OrganizationFactory
from tests.staff import staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PRODUCTS = reverse("admin:social_economy_product_changelist")
CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
MOMENT = datetime.datetime(2027, 3, 10, 10, 0, 15, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _pinned_clock():
    # Kept pages are keyed by the clock's minute: every request of a test falls in the same one.
    with time_machine.travel(MOMENT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def product():
    return Product.objects.create(
        organization=OrganizationFactory(name="한옥마을협동조합"),
        name="전주 비빔 소스",
        kind=Product.Kind.GOODS,
        category=Product.Category.FOOD,
    )


def _drawn(response):
    """Whether the list was drawn for this request (its templates rendered), not served as kept."""
    assert response.status_code == 200
    return response.context is not None and "cl" in response.context


def _without_tokens(response):
    return CSRF_VALUE.sub("", response.content.decode())


def _other_connection():
    db = connection.settings_dict
    return psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )


def test_every_model_table_has_its_version_and_a_write_advances_only_its_own():
    tables = set(connection.introspection.django_table_names(only_existing=True, include_views=False))
    before = table_versions.read_versions(connection)
    assert tables <= before.keys()

    OrganizationFactory()
    Product.objects.filter(pk=-1).update(name="없음")  # an UPDATE of no row is still a write statement
    watched = ["social_economy_organization", "social_economy_product", "courses_course"]
    after = table_versions.read_versions(connection, watched)
    assert after.keys() == set(watched)
    assert after["social_economy_organization"] > before["social_economy_organization"]
    assert after["social_economy_product"] == before["social_economy_product"] + 1
    assert after["courses_course"] == before["courses_course"]


def test_the_versions_are_installed_again_for_a_new_table_and_not_twice():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE kept_list_probe (id int)")
    # Not a model table: nothing is installed for it, and installing again changes nothing else.
    table_versions.install(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'portal_table_version'")
        triggers = cursor.fetchone()[0]
    table_versions.install(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'portal_table_version'")
        assert cursor.fetchone()[0] == triggers
        cursor.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = %s",
            ["kept_list_probe"],
        )
        assert cursor.fetchone()[0] == 0
    assert triggers == len(
        connection.introspection.django_table_names(only_existing=True, include_views=False)
    )


def test_only_the_tables_that_statements_read_are_counted():
    with table_versions.TablesRead(connection) as read:
        list(Product.objects.select_related("organization")[:1])
    assert {"social_economy_product", "social_economy_organization"} <= read.tables
    with table_versions.TablesRead(connection) as writes_only, connection.cursor() as cursor:
        cursor.execute('UPDATE "social_economy_organization" SET "name" = "name" WHERE "id" = -1')
    assert writes_only.tables == set()


def test_a_list_is_kept_and_served_again_with_fresh_tokens_and_few_queries(admin_client, product):
    first = admin_client.get(PRODUCTS)
    assert _drawn(first)
    with CaptureQueriesContext(connection) as queries:
        second = admin_client.get(PRODUCTS)
    assert not _drawn(second)
    assert _without_tokens(second) == _without_tokens(first)
    assert "전주 비빔 소스" in second.content.decode()
    # The versions of the tables it was drawn from, and no read of the tables themselves.
    assert [query["sql"] for query in queries if "pg_sequences" in query["sql"]]
    assert not [query for query in queries if 'FROM "social_economy_product"' in query["sql"]]
    assert len(queries) <= 6

    first_tokens = CSRF_VALUE.findall(first.content.decode())
    second_tokens = CSRF_VALUE.findall(second.content.decode())
    assert len(second_tokens) == len(first_tokens) >= 2  # the actions form and the header's sign-out form
    assert set(second_tokens).isdisjoint(first_tokens)  # each page its own masks…
    secret = _unmask_cipher_token(first_tokens[0])
    assert {_unmask_cipher_token(token) for token in second_tokens} == {secret}  # …of the same secret


def test_a_kept_list_s_tokens_are_accepted_by_its_actions(admin_client, product):
    admin_client.get(PRODUCTS)
    kept = admin_client.get(PRODUCTS)
    assert not _drawn(kept)
    admin_client.handler.enforce_csrf_checks = True
    token = CSRF_VALUE.search(kept.content.decode()).group(1)
    response = admin_client.post(
        PRODUCTS,
        {"action": "delete_selected", "_selected_action": [product.pk], "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200  # the confirmation page, not a CSRF refusal (403)
    assert "전주 비빔 소스" in response.content.decode()


def test_any_write_to_a_table_the_list_read_draws_it_again(admin_client, product):
    admin_client.get(PRODUCTS)
    assert not _drawn(admin_client.get(PRODUCTS))

    product.name = "전주 콩나물 소스"
    product.save()
    renamed = admin_client.get(PRODUCTS)
    assert _drawn(renamed) and "전주 콩나물 소스" in renamed.content.decode()
    assert not _drawn(admin_client.get(PRODUCTS))

    # A bulk update, and SQL that no Django code sends, on a table the rows join (the organization's name).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE social_economy_organization SET name = %s WHERE id = %s",
            ["완산사회적협동조합", product.organization_id],
        )
    joined = admin_client.get(PRODUCTS)
    assert _drawn(joined) and "완산사회적협동조합" in joined.content.decode()


def test_a_write_to_a_table_the_list_does_not_read_keeps_it(admin_client, product):
    admin_client.get(PRODUCTS)
    EnrollmentFactory()
    assert not _drawn(admin_client.get(PRODUCTS))


def test_the_kept_list_is_per_staff_member_permissions_path_and_minute(
    client, admin_client, teams, product, _pinned_clock
):
    admin_client.get(PRODUCTS)
    manager = staff_user("manager", CENTER_ADMINS)
    client.force_login(manager)
    assert _drawn(client.get(PRODUCTS))  # not the superuser's page
    assert not _drawn(client.get(PRODUCTS))

    # One the manager lacks, other than those that call for the second factor.
    two_factor = {PERSONAL_DATA_PERMISSION, ACCESS_LOG_REVIEW_PERMISSION}
    given = next(
        permission
        for permission in Permission.objects.select_related("content_type").order_by("pk")
        if f"{permission.content_type.app_label}.{permission.codename}" not in two_factor
        and not manager.has_perm(f"{permission.content_type.app_label}.{permission.codename}")
    )
    manager.user_permissions.add(given)
    assert _drawn(client.get(PRODUCTS))  # permissions changed: columns, masking or actions may differ

    assert _drawn(client.get(PRODUCTS, {"q": "비빔"}))
    assert not _drawn(client.get(PRODUCTS, {"q": "비빔"}))
    assert _drawn(client.get(PRODUCTS, {"q": "콩"}))

    _pinned_clock.shift(datetime.timedelta(minutes=1))
    assert _drawn(client.get(PRODUCTS))


def test_a_list_is_not_kept_while_another_transaction_is_writing(admin_client, product):
    writer = _other_connection()
    try:
        with writer.cursor() as cursor:
            cursor.execute("SELECT txid_current()")  # a transaction with an id: a writer in flight
        assert _drawn(admin_client.get(PRODUCTS))
        assert _drawn(admin_client.get(PRODUCTS))  # nothing was kept
        writer.rollback()
        assert _drawn(admin_client.get(PRODUCTS))
        assert not _drawn(admin_client.get(PRODUCTS))
    finally:
        writer.close()


def test_waiting_messages_are_shown_on_a_list_drawn_for_them(admin_client, product):
    admin_client.get(PRODUCTS)
    assert not _drawn(admin_client.get(PRODUCTS))
    # An action with no row chosen changes nothing and comes back to the list with a warning to show.
    response = admin_client.post(PRODUCTS, {"action": "delete_selected", "index": 0}, follow=True)
    assert response.redirect_chain and _drawn(response)
    assert [str(message) for message in response.context["messages"]]
    assert not _drawn(admin_client.get(PRODUCTS))  # shown once; the list is kept again after


def test_each_serving_of_a_kept_list_with_personal_data_is_logged(admin_client):
    enrolment = EnrollmentFactory()
    url = reverse("admin:courses_enrollment_changelist")
    admin_client.get(url)
    kept = admin_client.get(url)
    assert not _drawn(kept)
    logged = list(PersonalDataAccess.objects.filter(model_label="courses.enrollment").order_by("pk"))
    assert len(logged) == 2
    assert [row.object_ids for row in logged] == [[enrolment.pk], [enrolment.pk]]
    assert logged[0].fields == logged[1].fields
    assert "user.name" in logged[1].fields  # the enrollee's name column (courses' own access record)
    assert logged[1].path == url and logged[1].accessed_at == timezone.now()
    assert logged[1].staff_username == logged[0].staff_username
