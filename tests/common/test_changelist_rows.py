"""Every back-office list draws its rows exactly as Django's admin does (``common/changelist_rows.py`` prepares
them once per column): for every registered admin, with its links, the list's filters carried into each
record's link, the popup variant and values that need escaping."""

from urllib.parse import urlencode

import pytest
from django.contrib.admin.templatetags import admin_list
from django.template.loader import select_template

from tests.admin_rows import ROW_BUILDERS
from tests.test_admin_pages import _built, _url

pytestmark = pytest.mark.django_db


def _djangos_rows(cl):
    """The results table as Django's own ``{% result_list cl %}`` draws it for the same list."""
    opts = cl.opts
    template = select_template(
        [
            f"admin/{opts.app_label}/{opts.model_name}/change_list_results.html",
            f"admin/{opts.app_label}/change_list_results.html",
            "admin/change_list_results.html",
        ]
    )
    return template.render(admin_list.result_list(cl))


@pytest.mark.parametrize(("model", "model_admin"), _built())
def test_the_rows_are_the_ones_django_draws(admin_client, model, model_admin):
    build = ROW_BUILDERS[model._meta.label]
    build(), build()
    queries = [{}, {"_popup": "1"}]
    if model_admin.search_fields:
        queries.append({"q": "전"})  # kept in every record's link (_changelist_filters)
    for query in queries:
        response = admin_client.get(_url(model, "changelist"), query)
        assert response.status_code == 200
        cl = response.context["cl"]
        if not cl.result_list:
            continue
        assert cl.formset is not None or _djangos_rows(cl) in response.content.decode(), query


def test_a_value_is_escaped_and_a_link_keeps_the_filters(admin_client):
    from social_economy.models import Product
    from tests.social_economy.factories import OrganizationFactory, ProductFactory

    product = ProductFactory(
        organization=OrganizationFactory(name="<b>조합</b>"), name='<script>"전주"</script>'
    )
    response = admin_client.get(_url(Product, "changelist"), {"q": "전주"})
    html = response.content.decode()
    assert "&lt;script&gt;&quot;전주&quot;&lt;/script&gt;" in html and '<script>"전주"' not in html
    assert "&lt;b&gt;조합&lt;/b&gt;" in html
    link = _url(Product, "change", product.pk)
    filters = urlencode(
        {"_changelist_filters": urlencode({"q": "전주"})}
    )  # the list's query, as Django keeps it
    assert f'href="{link}?{filters}"' in html
    assert _djangos_rows(response.context["cl"]) in html
    # …drawn by the portal's change list (Django's own extends it), not by Django's tag.
    origins = [str(template.origin.name) for template in response.templates]
    assert any(
        origin.endswith("templates/admin/change_list.html") and "site-packages" not in origin
        for origin in origins
    )
