from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jeonju_center.search.sources import SearchSource

from .selectors import public_organizations, public_products

SEARCH_SOURCES = [
    SearchSource(
        "organizations",
        _("사회적경제 조직"),
        ("name", "description"),
        lambda: public_organizations().order_by("name", "id"),
        lambda organization: reverse("social_economy:organization_detail", args=[organization.pk]),
        "name",
        "description",
        lambda organization: organization.get_org_type_display(),
        order=50,
    ),
    SearchSource(
        "products",
        _("사회적경제 제품·서비스"),
        ("name", "description"),
        lambda: public_products().select_related("organization").order_by("name", "id"),
        lambda product: reverse("social_economy:product_detail", args=[product.pk]),
        "name",
        "description",
        lambda product: product.organization.name,
        order=60,
    ),
]
