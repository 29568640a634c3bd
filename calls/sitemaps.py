from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from jeonju_center.sitemaps import PagesSitemap

from .models import Call


class CallSitemap(Sitemap):
    def items(self):
        return Call.objects.filter(is_published=True).only("slug", "updated_at").order_by("pk")

    def location(self, call):
        return reverse("calls:detail", args=[call.slug])

    def lastmod(self, call):
        return call.updated_at


SITEMAPS = {"calls-pages": PagesSitemap(["calls:list"]), "calls": CallSitemap}
