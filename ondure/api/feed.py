from jeonju_center.partners.changes import FeedSource

from ..models import Community


def community_is_visible(community):
    """A community taken off the public list is gone for partners: its save is a "deleted" event."""
    return community.is_public


def parent_community_is_visible(record):
    return record.community.is_public


FEED_SOURCES = [
    FeedSource("ondure.Community", "communities", is_visible=community_is_visible),
    FeedSource(
        "ondure.CommunityStageRecord",
        "communities",
        parent="community_id",
        is_visible=parent_community_is_visible,
    ),
    FeedSource(
        "ondure.SupportRecord", "communities", parent="community_id", is_visible=parent_community_is_visible
    ),
    FeedSource("ondure.SupportRecord", "support-programs", parent="program_id"),
    FeedSource("ondure.SupportProgram", "support-programs"),
    # A community shows its dong's and its graduated organization's names.
    FeedSource(
        "common.Dong",
        "communities",
        fan_out=lambda dong: Community.objects.filter(dong=dong, is_public=True).values_list("pk", flat=True),
    ),
    FeedSource(
        "social_economy.Organization",
        "communities",
        fan_out=lambda org: Community.objects.filter(graduated_organization=org, is_public=True).values_list(
            "pk", flat=True
        ),
    ),
]
