"""The back office's list of apps and its navigation sidebar are built once per role (``PortalAdminSite``):
what they show is what Django draws per page, a change of permissions shows at once, and the sidebar marks
the page it is on."""

import re
from pathlib import Path

import django
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.template import Context, Engine
from django.test import RequestFactory
from django.urls import reverse

from tests.staff import staff_user

pytestmark = pytest.mark.django_db

DJANGO_SIDEBAR = Path(django.__file__).parent / "contrib/admin/templates/admin/nav_sidebar.html"
SIDEBAR = re.compile(r'<nav class="sticky" id="nav-sidebar".*?</nav>', re.S)


def _sidebar(response):
    assert response.status_code == 200
    return SIDEBAR.search(response.content.decode()).group(0)


def _links(sidebar):
    return set(re.findall(r'<a href="([^"]+)"', sidebar))


def _djangos_own_sidebar(user, path):
    """Django's nav_sidebar.html with its own app list, drawn for ``user`` on ``path``."""
    request = RequestFactory().get(path)
    request.user = user
    engine = Engine.get_default()
    apps = super(type(admin.site._wrapped), admin.site._wrapped).get_app_list(request)
    template = engine.from_string(DJANGO_SIDEBAR.read_text())
    return SIDEBAR.search(template.render(Context({"available_apps": apps, "request": request}))).group(0)


def _normalized(html):
    return re.sub(r"\s+", " ", html).strip()


def test_the_sidebar_is_the_one_django_draws(admin_client, admin_user):
    products = reverse("admin:social_economy_product_changelist")
    for path in (products, products, reverse("admin:courses_course_changelist")):
        drawn = _sidebar(admin_client.get(path))
        assert _normalized(drawn) == _normalized(_djangos_own_sidebar(admin_user, path))


def test_the_sidebar_marks_the_page_it_is_on(admin_client):
    products = _sidebar(admin_client.get(reverse("admin:social_economy_product_changelist")))
    courses = _sidebar(admin_client.get(reverse("admin:courses_course_changelist")))
    current = re.compile(r'<a href="([^"]+)" aria-current="page"')
    assert current.findall(products) == [reverse("admin:social_economy_product_changelist")]
    assert current.findall(courses) == [reverse("admin:courses_course_changelist")]


def test_each_role_sees_its_own_models_and_a_new_permission_shows_at_once(client, admin_client):
    products = reverse("admin:social_economy_product_changelist")
    organizations = reverse("admin:social_economy_organization_changelist")
    everything = _links(_sidebar(admin_client.get(products)))
    assert {products, organizations} <= everything

    clerk = staff_user("clerk")
    clerk.user_permissions.add(Permission.objects.get(codename="view_product"))
    client.force_login(clerk)
    app = reverse("admin:app_list", kwargs={"app_label": "social_economy"})
    assert _links(_sidebar(client.get(products))) == {app, products}

    clerk.user_permissions.add(Permission.objects.get(codename="view_organization"))
    assert _links(_sidebar(client.get(products))) == {app, products, organizations}
    # The index lists the same models.
    index = client.get(reverse("admin:index")).context["app_list"]
    assert [model["admin_url"] for app in index for model in app["models"]] == [organizations, products]


def test_a_changed_app_list_does_not_change_the_kept_one(admin_client, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    first = admin.site.get_app_list(request)
    first[0]["models"].clear()
    first[0]["name"] = "changed"
    again = admin.site.get_app_list(request)
    assert again[0]["name"] != "changed" and again[0]["models"]
