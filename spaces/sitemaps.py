from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from jeonju_center.sitemaps import PagesSitemap

from .models import Space


class SpaceSitemap(Sitemap):
    changefreq = "daily"  # free slots change

    def items(self):
        return Space.objects.filter(is_active=True).only("slug", "updated_at").order_by("pk")

    def location(self, space):
        return reverse("spaces:detail", args=[space.slug])

    def lastmod(self, space):
        return space.updated_at


SITEMAPS = {"spaces-pages": PagesSitemap(["spaces:list"]), "spaces": SpaceSitemap}
