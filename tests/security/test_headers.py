"""Security headers on every page: a Content-Security-Policy without inline scripts on public pages, nosniff,
the referrer policy, framing refused, COOP, Permissions-Policy; ``no-store`` on personal data only; and the
production settings' HTTPS behaviour (HSTS, secure ``__Host-`` cookies)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from jeonju_center.common.security import IMPORT_EXPORT_SELECT_ALL_HANDLER, tile_source
from tests.courses.factories import EnrollmentFactory, UserFactory, future_course
from tests.news.factories import NewsPostFactory
from tests.ondure.factories import CommunityFactory
from tests.social_economy.factories import OrganizationFactory, ProductFactory

pytestmark = pytest.mark.django_db

# (URL name, how to build its arguments from the fixture data, may caches keep it?)
PUBLIC_PAGES = [
    ("home", None, True),
    ("news:list", None, True),
    ("news:detail", lambda d: [d["post"].slug], True),
    ("news:newsletter", None, False),  # the view's own never_cache (subscription form)
    ("courses:catalogue", None, True),
    ("courses:detail", lambda d: [d["course"].slug], True),
    ("courses:certificate_verify", None, False),  # the view's own never_cache (names a certificate holder)
    ("social_economy:directory", None, True),
    ("social_economy:organization_detail", lambda d: [d["organization"].pk], True),
    ("social_economy:products", None, True),
    ("social_economy:product_detail", lambda d: [d["product"].pk], True),
    ("ondure:directory", None, True),
    ("ondure:community_detail", lambda d: [d["community"].pk], True),
    ("regeneration:index", None, True),
    ("regeneration:houses", None, True),
    ("about", None, True),
    ("terms", None, True),
    ("privacy", None, True),
    ("account_login", None, False),
    ("account_signup", None, False),
]


@pytest.fixture
def site_data():
    organization = OrganizationFactory()
    return {
        "post": NewsPostFactory(),
        "course": future_course(title="마을공동체 첫걸음"),
        "organization": organization,
        "product": ProductFactory(organization=organization),
        "community": CommunityFactory(),
    }


def csp_directives(response, header="Content-Security-Policy"):
    policy = response[header]
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def page_url(url_name, args, data):
    return reverse(url_name, args=args(data) if args else None)


@pytest.mark.parametrize(("url_name", "args", "cacheable"), PUBLIC_PAGES, ids=[p[0] for p in PUBLIC_PAGES])
def test_public_pages_send_the_security_headers_and_stay_cacheable(
    client, site_data, url_name, args, cacheable
):
    response = client.get(page_url(url_name, args, site_data))
    assert response.status_code == 200

    csp = csp_directives(response)
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no hashes
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "https://tile.openstreetmap.org" in csp["img-src"]

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]

    # Anonymous public pages carry no personal data: caches may keep them (another layer caches the catalogue).
    assert ("no-store" not in response.get("Cache-Control", "")) is cacheable


def test_the_api_and_error_pages_get_the_policy_too(client):
    for path in ["/api/v1/courses/", "/no-such-page/"]:
        response = client.get(path)
        assert response.status_code in {200, 404}
        assert csp_directives(response)["script-src"] == ["'self'"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admin_policy_allows_inline_styles_and_only_import_exports_one_handler(admin_client):
    response = admin_client.get(reverse("admin:index"))
    csp = csp_directives(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'", "'unsafe-hashes'", IMPORT_EXPORT_SELECT_ALL_HANDLER]
    assert csp["frame-ancestors"] == ["'none'"]


def test_the_api_docs_load_swagger_ui_from_our_own_static_files_only(client):
    response = client.get(reverse("api:docs"))
    html = response.content.decode()
    docs = csp_directives(response)
    assert docs["script-src"] == ["'self'"]  # no CDN, no inline script
    assert not any(
        "jsdelivr" in source or "unpkg" in source for sources in docs.values() for source in sources
    )
    # Every script and stylesheet of the page is same-origin, and the page has no inline script.
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert "swagger-ui" in " ".join(sources)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", html)
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/")), (
                source
            )  # shipped with the portal's static files
    browsable = csp_directives(client.get("/api/v1/courses/", HTTP_ACCEPT="text/html"))
    assert browsable["script-src"] == ["'self'"]


def test_the_map_tile_host_comes_from_the_settings(client, settings):
    settings.REGENERATION_MAP_TILE_URL = "https://{s}.tiles.example.kr:8443/{z}/{x}/{y}.png"
    img_src = csp_directives(client.get(reverse("regeneration:houses")))["img-src"]
    assert "https://*.tiles.example.kr:8443" in img_src
    assert "https://tile.openstreetmap.org" not in img_src


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("/static/tiles/{z}/{x}/{y}.png", None),  # the portal itself: 'self'
        ("https://tiles.{s}.example.org/{z}.png", None),  # a wildcard CSP cannot express
    ],
)
def test_tile_source(tile_url, source):
    assert tile_source(tile_url) == source


def test_report_only_mode_sends_the_same_policy_without_enforcing_it(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None
    response = client.get(reverse("home"))
    assert "Content-Security-Policy" not in response
    assert csp_directives(response, "Content-Security-Policy-Report-Only")["script-src"] == ["'self'"]


def test_the_policy_built_once_per_part_of_the_site_is_the_one_built_per_response(rf, settings):
    """The middleware keeps a part of the site's policy after building it once; a response with a nonce or
    with a view's own policy still gets its own, and one part's policy never reaches another."""
    from dataclasses import asdict

    from csp.constants import NONCE
    from csp.utils import build_policy
    from django.http import HttpResponse

    from jeonju_center.common.security import PortalCSPMiddleware

    def plain(request):
        return HttpResponse("ok")

    def with_nonce(request):
        return HttpResponse(str(request.csp_nonce))

    def with_own_policy(request):
        response = HttpResponse("ok")
        response._csp_update = {"img-src": ["https://images.example.kr"]}
        return response

    def answer(view, path):
        middleware = PortalCSPMiddleware(view)
        request = rf.get(path)
        middleware.process_request(request)
        response = middleware.process_response(request, view(request))
        fresh = build_policy(**asdict(middleware.get_policy_parts(request, HttpResponse("ok"))))
        return response, fresh

    # A policy whose scripts may carry a nonce (a page that asks for one gets it in its header).
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "script-src": [*directives["script-src"], NONCE]}
    }
    api_path, public_path = "/api/v1/courses/", reverse("courses:catalogue")
    for path in (api_path, public_path, api_path, public_path):
        response, fresh = answer(plain, path)
        assert response["Content-Security-Policy"] == fresh
    api, _fresh = answer(plain, api_path)
    public, _fresh = answer(plain, public_path)
    assert "'unsafe-inline'" in csp_directives(api)["style-src"]
    assert "'unsafe-inline'" not in csp_directives(public).get("style-src", [])

    nonces = [answer(with_nonce, public_path)[0] for _ in range(2)]
    for response in nonces:
        assert f"'nonce-{response.content.decode()}'" in csp_directives(response)["script-src"]
    assert nonces[0].content != nonces[1].content
    own, _fresh = answer(with_own_policy, public_path)
    assert "https://images.example.kr" in csp_directives(own)["img-src"]
    assert "https://images.example.kr" not in csp_directives(answer(plain, public_path)[0]).get("img-src", [])


# --- no-store on personal data --------------------------------------------------------------------------


@pytest.fixture
def citizen_client(client):
    enrollment = EnrollmentFactory(course=future_course())
    client.force_login(enrollment.user)
    client.enrollment = enrollment
    return client


def assert_no_store(response):
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Pragma"] == "no-cache"
    assert "ETag" not in response


def test_personal_pages_are_never_stored(citizen_client, admin_client):
    for path in [reverse("courses:my_enrollments"), reverse("accounts:profile")]:
        response = citizen_client.get(path)
        assert response.status_code == 200, path
        assert_no_store(response)
    for path in [reverse("admin:index"), reverse("admin:accounts_user_changelist")]:
        response = admin_client.get(path)
        assert response.status_code == 200, path
        assert_no_store(response)


def test_every_page_for_a_signed_in_person_is_never_stored_but_the_same_page_is_cacheable_anonymously(
    citizen_client,
):
    path = reverse("courses:detail", args=[citizen_client.enrollment.course.slug])
    assert_no_store(citizen_client.get(path))
    anonymous = Client().get(path)
    assert "no-store" not in anonymous.get("Cache-Control", "")
    assert "ETag" in anonymous


def test_the_login_pages_are_never_stored(client):
    assert_no_store(client.get(reverse("account_login")))
    assert_no_store(client.get(reverse("admin:login")))


def test_anonymous_public_json_keeps_its_etag(client):
    response = client.get("/api/v1/courses/")
    assert response.status_code == 200
    assert "ETag" in response
    assert "no-store" not in response.get("Cache-Control", "")


def test_checking_for_a_signed_in_person_loads_no_session_for_a_visitor_without_one(client):
    # /healthz reads no session itself: a "Vary: Cookie" here could only come from the security layer.
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_staff_session_ends_after_the_idle_timeout_and_a_citizen_session_does_not(client, settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 15 * 60
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == 15 * 60
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 15 * 60

    citizen = Client()
    citizen.force_login(UserFactory())
    citizen.get(reverse("home"))
    assert citizen.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_a_staff_session_is_renewed_once_a_minute_not_written_on_every_request(client, settings):
    import datetime

    import time_machine
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.STAFF_SESSION_IDLE_TIMEOUT = 15 * 60
    moment = datetime.datetime(2031, 3, 4, 10, 15, 5, tzinfo=datetime.UTC)
    staff = UserFactory(is_staff=True)

    def expires():
        return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date

    with time_machine.travel(moment, tick=False):
        client.force_login(staff)
        client.get(reverse("home"))
    assert expires() == moment + datetime.timedelta(minutes=15)
    with (
        time_machine.travel(moment + datetime.timedelta(seconds=50), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get(reverse("home"))
    assert not [query for query in queries if "django_session" in query["sql"] and "UPDATE" in query["sql"]]
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # nothing new to tell the browser
    assert expires() == moment + datetime.timedelta(minutes=15)
    renewed = moment + datetime.timedelta(seconds=55)  # 10:16:00, a new minute
    with time_machine.travel(renewed, tick=False):
        client.get(reverse("home"))
    assert expires() == renewed + datetime.timedelta(minutes=15)
    # Renewed at 10:30:59 (a new minute); fifteen minutes without a request end it.
    with time_machine.travel(renewed + datetime.timedelta(minutes=14, seconds=59), tick=False):
        assert client.get(reverse("admin:index")).status_code == 200
    with time_machine.travel(renewed + datetime.timedelta(minutes=29, seconds=59), tick=False):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


# --- Production settings ------------------------------------------------------------------------------


def test_hsts_and_secure_cookies_over_https_with_the_production_values(client, settings):
    # The production values (asserted from the real settings module below), applied in-process.
    settings.SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = response.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax" and csrf["path"] == "/"
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
