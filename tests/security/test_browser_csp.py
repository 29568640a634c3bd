"""The Content-Security-Policy as Chromium enforces it: no page reports a violation, the scripts that moved out
of the templates still work, and the violation detector itself sees a blocked inline script."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Course
from tests.courses.factories import CourseFactory, CourseSessionFactory, EnrollmentFactory, future_course
from tests.regeneration.factories import VacantHouseFactory
from tests.social_economy.factories import OrganizationFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any page script runs (DevTools-injected, so the page's CSP does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
window.print = () => { window.__printed = true; };
"""


@pytest.fixture
def page(browser_page, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    console = []
    browser_page.add_init_script(RECORD_VIOLATIONS)
    browser_page.on("console", lambda message: console.append(message.text))
    browser_page.console_messages = console
    return browser_page


def violations(page):
    reported = page.evaluate("window.__cspViolations")
    logged = [text for text in page.console_messages if "Content Security Policy" in text]
    return reported + logged


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def public_data(live_server, settings):
    # Tiles from the test server itself: no network needed, and the map really draws.
    settings.REGENERATION_MAP_TILE_URL = (
        f"{live_server.url}/static/regeneration/vendor/leaflet/images/layers.png?{{z}}{{x}}{{y}}"
    )
    organization = OrganizationFactory()
    VacantHouseFactory(is_public=True, status="renovation", latitude="35.8152", longitude="127.1531")
    return {
        "course": future_course(title="마을공동체 첫걸음"),
        "product": ProductFactory(organization=organization),
        "organization": organization,
    }


def test_public_pages_run_with_no_csp_violation(page, live_server, public_data):
    paths = [
        reverse("home"),
        reverse("courses:catalogue"),
        reverse("courses:detail", args=[public_data["course"].slug]),
        reverse("social_economy:products"),
        reverse("social_economy:product_detail", args=[public_data["product"].pk]),
        reverse("ondure:directory"),
        reverse("regeneration:houses"),
        reverse("account_login"),
        reverse("account_signup"),
    ]
    for path in paths:
        page.console_messages.clear()
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        if path == reverse("regeneration:houses"):
            page.wait_for_selector("#house-map[data-marker-count]")
            assert page.get_attribute("#house-map", "data-marker-count") == "1"
            page.wait_for_selector("#house-map .leaflet-tile-loaded")
        assert violations(page) == [], path


def test_the_detector_sees_an_inline_script_being_blocked(page, live_server):
    page.goto(f"{live_server.url}/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in text for text in violations(page))


@pytest.fixture
def attendance_data(live_server):
    course = CourseFactory(status=Course.Status.IN_PROGRESS)
    session = CourseSessionFactory(course=course, date=timezone.localdate() - datetime.timedelta(days=1))
    EnrollmentFactory.create_batch(3, course=course)
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(
        "csp-admin", "csp-admin@example.com", "unused-password-1"
    )
    return course, session, admin


def test_the_attendance_check_all_and_the_print_button_work_under_the_admin_policy(
    page, live_server, attendance_data
):
    course, session, admin = attendance_data
    log_in(page, live_server, admin)
    page.goto(f"{live_server.url}{reverse('admin:courses_course_attendance', args=[course.pk, session.pk])}")
    boxes = page.locator('input[name="present"]')
    assert boxes.count() == 3
    page.check("#check-all")
    assert all(boxes.nth(i).is_checked() for i in range(3))
    page.uncheck("#check-all")
    assert not any(boxes.nth(i).is_checked() for i in range(3))
    assert violations(page) == []

    page.goto(
        f"{live_server.url}{reverse('admin:courses_course_sign_in_sheet', args=[course.pk, session.pk])}"
    )
    page.get_by_role("button", name="인쇄하기").click()
    assert page.evaluate("window.__printed") is True
    assert violations(page) == []


def test_the_admin_and_its_export_page_run_with_no_csp_violation(page, live_server, attendance_data):
    _course, _session, admin = attendance_data
    OrganizationFactory.create_batch(2)
    log_in(page, live_server, admin)
    for name in [
        "admin:index",
        "admin:social_economy_organization_changelist",
        "admin:courses_course_change",
    ]:
        args = [attendance_data[0].pk] if name.endswith("_change") else None
        page.goto(f"{live_server.url}{reverse(name, args=args)}")
        assert violations(page) == [], name

    page.goto(f"{live_server.url}{reverse('admin:social_economy_organization_export')}")
    # import-export's one inline handler is allowed by its hash: unticking "select all" unticks the fields.
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() >= 2
    assert fields.evaluate_all("boxes => boxes.every(box => box.checked)")
    page.locator('input[name="select-all-toggle"]').uncheck()
    assert fields.evaluate_all("boxes => boxes.every(box => !box.checked)")
    assert violations(page) == []
