from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from jeonju_center.sitemaps import PagesSitemap

from .selectors import public_communities


class CommunitySitemap(Sitemap):
    def items(self):
        return public_communities().only("pk", "updated_at").order_by("pk")

    def location(self, community):
        return reverse("ondure:community_detail", args=[community.pk])

    def lastmod(self, community):
        return community.updated_at


SITEMAPS = {"ondure-pages": PagesSitemap(["ondure:directory"]), "communities": CommunitySitemap}
