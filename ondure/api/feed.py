from jeonju_center.partners.changes import FeedSource


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
]
