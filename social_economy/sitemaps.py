from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from jeonju_center.sitemaps import PagesSitemap

from .selectors import public_organizations, public_products


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


SITEMAPS = {
    "social-economy-pages": PagesSitemap(["social_economy:directory", "social_economy:products"]),
    "organizations": OrganizationSitemap,
    "products": ProductSitemap,
}
