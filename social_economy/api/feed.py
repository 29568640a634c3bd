from jeonju_center.partners.changes import FeedSource

from ..models import ConsultingCase, NetworkMembership, Organization, Store, StoreListing


def _ids(queryset):
    return queryset.values_list("pk", flat=True)


# Children shown inside a parent resource make "updated" events of that parent.
FEED_SOURCES = [
    FeedSource("social_economy.Organization", "organizations"),
    FeedSource("social_economy.Product", "products"),
    FeedSource("social_economy.SurveyCampaign", "survey-campaigns"),
    FeedSource("social_economy.SurveyResponse", "survey-campaigns", parent="campaign_id"),
    FeedSource("social_economy.Store", "stores"),
    FeedSource("social_economy.StoreListing", "stores", parent="store_id"),
    # A partner sees only the cases of its own center, and a key that may write cases may follow them.
    FeedSource(
        "social_economy.ConsultingCase",
        "consulting-cases",
        partner_of=lambda case: case.partner_id,
        extra_read_scopes=("consulting:write",),
    ),
    FeedSource(
        "social_economy.ConsultingSession",
        "consulting-cases",
        parent="case_id",
        partner_of=lambda session: session.case.partner_id,
    ),
    FeedSource("social_economy.Network", "networks"),
    FeedSource("social_economy.NetworkMembership", "networks", parent="network_id"),
    # Records that show the name of another record are "updated" when that record is saved.
    FeedSource(
        "common.Dong", "organizations", fan_out=lambda dong: _ids(Organization.objects.filter(dong=dong))
    ),
    FeedSource("common.Dong", "stores", fan_out=lambda dong: _ids(Store.objects.filter(dong=dong))),
    FeedSource("social_economy.Organization", "products", fan_out=lambda org: _ids(org.products.all())),
    FeedSource(
        "social_economy.Organization",
        "stores",
        fan_out=lambda org: (
            StoreListing.objects.filter(product__organization=org)
            .values_list("store_id", flat=True)
            .distinct()
        ),
    ),
    FeedSource(
        "social_economy.Organization",
        "networks",
        fan_out=lambda org: (
            NetworkMembership.objects.filter(organization=org).values_list("network_id", flat=True).distinct()
        ),
    ),
    FeedSource(
        "social_economy.Organization",
        "consulting-cases",
        fan_out=lambda org: ConsultingCase.objects.filter(organization=org).values_list("pk", "partner_id"),
    ),
    FeedSource(
        "partners.PartnerCenter",
        "consulting-cases",
        fan_out=lambda partner: ConsultingCase.objects.filter(partner=partner).values_list(
            "pk", "partner_id"
        ),
    ),
    FeedSource(
        "social_economy.Product",
        "stores",
        fan_out=lambda product: product.store_listings.values_list("store_id", flat=True).distinct(),
    ),
]
