from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from jeonju_center.sitemaps import PagesSitemap

from .models import Publication
from .selectors import public_posts, sent_newsletter_issues


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


SITEMAPS = {
    "news-pages": PagesSitemap(
        ["home", "about", "news:list", "news:notices", "news:faq", "news:library", "news:newsletter"]
    ),
    "news": NewsSitemap,
    "library": PublicationSitemap,
    "newsletters": NewsletterIssueSitemap,
}
