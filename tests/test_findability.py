"""Findability: /sitemap.xml lists every public page and object and nothing a visitor cannot open, in a
number of queries that does not grow with the rows; /robots.txt points at it and keeps crawlers out of
personal pages without naming the back office; every page carries link-preview tags and icons."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import Course
from jeonju_center.news.models import NewsletterIssue, NewsPost, Publication
from social_economy.models import OrganizationStatus
from spaces.models import Space
from tests.courses.factories import CourseFactory
from tests.news.factories import NewsPostFactory
from tests.ondure.factories import CommunityFactory
from tests.regeneration.factories import ResidentCouncilFactory
from tests.social_economy.factories import OrganizationFactory, ProductFactory

pytestmark = pytest.mark.django_db


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return {
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    }


def test_the_sitemap_lists_every_public_object_and_nothing_private(client):
    post = NewsPostFactory(slug="autumn-courses")
    draft = NewsPostFactory(slug="draft-post", status=NewsPost.Status.DRAFT)
    scheduled = NewsPostFactory(slug="tomorrow", published_at=timezone.now() + datetime.timedelta(days=1))
    course = CourseFactory(slug="village-archivists")
    hidden_course = CourseFactory(slug="not-yet", is_published=False)
    organization = OrganizationFactory()
    closed = OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2025, 1, 1))
    product = ProductFactory(organization=organization)
    retired = ProductFactory(organization=organization, is_active=False)
    of_closed = ProductFactory(organization=closed)
    community = CommunityFactory(is_public=True)
    private_community = CommunityFactory(is_public=False)
    council = ResidentCouncilFactory()
    sent_issue = NewsletterIssue.objects.create(
        subject="10월호", status="sent", send_started_at=timezone.now()
    )
    draft_issue = NewsletterIssue.objects.create(subject="11월호")
    publication = Publication.objects.create(
        slug="research-2016",
        category="research",
        title="연구",
        year=2016,
        published_on=datetime.date(2016, 12, 1),
    )
    hidden_publication = Publication.objects.create(
        slug="draft-research", category="research", title="초안", year=2016, published_on=datetime.date(2016, 12, 1),
        is_published=False,
    )  # fmt: skip
    space = Space.objects.create(slug="hall", name="대회의실", location="센터 2층", capacity=30)
    closed_space = Space.objects.create(
        slug="old-room", name="닫은 방", location="센터 1층", capacity=5, is_active=False
    )

    paths = sitemap_paths(client)
    for public in (
        "/", "/about/", "/terms/", "/privacy/", "/courses/", "/news/", "/social-economy/",
        "/social-economy/products/", "/ondure/", "/regeneration/", "/regeneration/houses/",
        f"/news/{post.slug}/", f"/courses/{course.slug}/", f"/social-economy/{organization.pk}/",
        f"/social-economy/products/{product.pk}/", f"/ondure/{community.pk}/",
        f"/regeneration/councils/{council.pk}/", "/library/", f"/library/{publication.slug}/",
        f"/library/newsletters/{sent_issue.pk}/", "/spaces/", f"/spaces/{space.slug}/",
    ):  # fmt: skip
        assert public in paths, public
        assert client.get(public).status_code == 200, public  # what is listed opens
    for private in (
        f"/news/{draft.slug}/", f"/news/{scheduled.slug}/", f"/courses/{hidden_course.slug}/",
        f"/social-economy/{closed.pk}/", f"/social-economy/products/{retired.pk}/",
        f"/social-economy/products/{of_closed.pk}/", f"/ondure/{private_community.pk}/",
        f"/library/{hidden_publication.slug}/", f"/library/newsletters/{draft_issue.pk}/",
        f"/spaces/{closed_space.slug}/",
    ):  # fmt: skip
        assert private not in paths, private
    assert not any(path.startswith(("/me/", "/accounts/", "/admin/", "/api/")) for path in paths)
    assert Course.objects.count() == 2


def test_the_sitemap_costs_the_same_queries_for_more_rows(client):
    def queries():
        from django.core.cache import cache

        cache.clear()  # the sitemap is cached for an hour
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap.xml").status_code == 200
        return len(captured)

    CourseFactory()
    ProductFactory()
    CommunityFactory(is_public=True)
    few = queries()
    for _ in range(15):
        CourseFactory()
        ProductFactory()
        CommunityFactory(is_public=True)
    assert queries() == few


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_personal_pages(client, settings):
    settings.PORTAL_URL = "https://portal.example.kr"
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://portal.example.kr/sitemap.xml" in text
    for path in ("/me/", "/accounts/", "/api/"):
        assert f"Disallow: {path}" in text
    assert settings.ADMIN_URL not in text  # the back office's address is not advertised


def test_pages_carry_link_previews_and_icons(client, settings):
    settings.PORTAL_URL = "https://portal.example.kr"
    course = CourseFactory(title="주경야독 인문학", summary="판소리와 삶")
    home = client.get("/").content.decode()
    assert '<meta property="og:image" content="https://portal.example.kr/static/img/og-default.png">' in home
    assert '<meta property="og:url" content="https://portal.example.kr/">' in home
    assert 'name="twitter:card" content="summary_large_image"' in home
    assert 'rel="icon" href="/static/img/favicon-32.png"' in home
    detail = client.get(f"/courses/{course.slug}/").content.decode()
    assert '<meta property="og:title" content="주경야독 인문학">' in detail
    assert '<meta property="og:description" content="판소리와 삶">' in detail
    from django.contrib.staticfiles import finders

    for name in ("og-default.png", "favicon-32.png", "apple-touch-icon.png"):
        assert finders.find(f"img/{name}"), name
