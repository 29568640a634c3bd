"""``/sitemap.xml``: every public page and public object, built from the same selectors the public pages use,
so nothing a visitor cannot open is listed (drafts, unpublished courses, closed organizations, communities that
are not public)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from calls.models import Call
from courses.models import Course
from courses.selectors import PUBLIC_COURSE
from jeonju_center.news.models import Publication
from jeonju_center.news.selectors import public_posts, sent_newsletter_issues
from ondure.selectors import public_communities
from regeneration.models import ResidentCouncil
from social_economy.selectors import public_organizations, public_products
from spaces.models import Space


class PagesSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return [
            "home",
            "about",
            "courses:catalogue",
            "calls:list",
            "news:list",
            "news:notices",
            "news:faq",
            "news:library",
            "spaces:list",
            "news:newsletter",
            "social_economy:directory",
            "social_economy:products",
            "ondure:directory",
            "regeneration:index",
            "regeneration:houses",
            "terms",
            "privacy",
        ]

    def location(self, item):
        return reverse(item)


class NewsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_posts().only("slug", "kind", "updated_at").order_by("pk")

    def location(self, post):
        return reverse("news:notice_detail" if post.kind == "notice" else "news:detail", args=[post.slug])

    def lastmod(self, post):
        return post.updated_at


class PublicationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Publication.objects.filter(is_published=True).only("slug", "updated_at").order_by("pk")

    def location(self, publication):
        return reverse("news:library_detail", args=[publication.slug])

    def lastmod(self, publication):
        return publication.updated_at


class NewsletterIssueSitemap(Sitemap):
    changefreq = "yearly"

    def items(self):
        return sent_newsletter_issues().only("pk", "updated_at").order_by("pk")

    def location(self, issue):
        return reverse("news:newsletter_issue", args=[issue.pk])

    def lastmod(self, issue):
        return issue.updated_at


class SpaceSitemap(Sitemap):
    changefreq = "daily"  # free slots change

    def items(self):
        return Space.objects.filter(is_active=True).only("slug", "updated_at").order_by("pk")

    def location(self, space):
        return reverse("spaces:detail", args=[space.slug])

    def lastmod(self, space):
        return space.updated_at


class CourseSitemap(Sitemap):
    changefreq = "daily"  # seats left change

    def items(self):
        return Course.objects.filter(PUBLIC_COURSE).only("slug", "updated_at").order_by("pk")

    def location(self, course):
        return reverse("courses:detail", args=[course.slug])

    def lastmod(self, course):
        return course.updated_at


class OrganizationSitemap(Sitemap):
    def items(self):
        return public_organizations().only("pk", "updated_at").order_by("pk")

    def location(self, organization):
        return reverse("social_economy:organization_detail", args=[organization.pk])

    def lastmod(self, organization):
        return organization.updated_at


class ProductSitemap(Sitemap):
    def items(self):
        return public_products().only("pk", "updated_at").order_by("pk")

    def location(self, product):
        return reverse("social_economy:product_detail", args=[product.pk])

    def lastmod(self, product):
        return product.updated_at


class CommunitySitemap(Sitemap):
    def items(self):
        return public_communities().only("pk", "updated_at").order_by("pk")

    def location(self, community):
        return reverse("ondure:community_detail", args=[community.pk])

    def lastmod(self, community):
        return community.updated_at


class CouncilSitemap(Sitemap):
    def items(self):
        return ResidentCouncil.objects.only("pk", "updated_at").order_by("pk")

    def location(self, council):
        return reverse("regeneration:council_detail", args=[council.pk])

    def lastmod(self, council):
        return council.updated_at


class CallSitemap(Sitemap):
    def items(self):
        return Call.objects.filter(is_published=True).only("slug", "updated_at").order_by("pk")

    def location(self, call):
        return reverse("calls:detail", args=[call.slug])

    def lastmod(self, call):
        return call.updated_at


SITEMAPS = {
    "pages": PagesSitemap,
    "news": NewsSitemap,
    "library": PublicationSitemap,
    "newsletters": NewsletterIssueSitemap,
    "courses": CourseSitemap,
    "spaces": SpaceSitemap,
    "calls": CallSitemap,
    "organizations": OrganizationSitemap,
    "products": ProductSitemap,
    "communities": CommunitySitemap,
    "councils": CouncilSitemap,
}
