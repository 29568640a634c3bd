from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from jeonju_center.sitemaps import PagesSitemap

from .models import ResidentCouncil


class CouncilSitemap(Sitemap):
    def items(self):
        return ResidentCouncil.objects.only("pk", "updated_at").order_by("pk")

    def location(self, council):
        return reverse("regeneration:council_detail", args=[council.pk])

    def lastmod(self, council):
        return council.updated_at


SITEMAPS = {
    "regeneration-pages": PagesSitemap(["regeneration:index", "regeneration:houses"]),
    "councils": CouncilSitemap,
}
