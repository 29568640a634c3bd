"""``/sitemap.xml``: every public page and public object. Each app lists its own in ``sitemaps.py`` as
``SITEMAPS`` (found by ``all_sitemaps``), built from the same selectors its public pages use, so nothing a
visitor cannot open is listed (drafts, unpublished courses, closed organizations, communities that are not
public)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from jeonju_center.common.app_modules import app_declared_mapping


class PagesSitemap(Sitemap):
    """Pages that are not one object (lists, directories, fixed pages), by their URL names."""

    changefreq = "weekly"
    priority = 0.8

    def __init__(self, url_names):
        self.url_names = list(url_names)

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)


# The pages the root URL conf serves itself.
SITEMAPS = {"pages": PagesSitemap(["terms", "privacy"])}


def all_sitemaps():
    """``{section: sitemap}`` of the project and every installed app, for Django's sitemap view."""
    return {**app_declared_mapping("sitemaps", "SITEMAPS"), **SITEMAPS}
