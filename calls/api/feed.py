from jeonju_center.partners.changes import FeedSource

from ..models import Call


def call_is_public(call):
    return call.is_published


def parent_call_is_public(child):
    return Call.objects.filter(pk=child.call_id, is_published=True).exists()


FEED_SOURCES = [
    # An unpublished call is "deleted" for partners, as the API stops showing it.
    FeedSource("calls.Call", "calls", is_visible=call_is_public),
    # The number of applications and the published draw are part of the call's record.
    FeedSource("calls.Application", "calls", parent="call_id", is_visible=parent_call_is_public),
    FeedSource("calls.Draw", "calls", parent="call_id", is_visible=parent_call_is_public),
    FeedSource("calls.DocumentRequirement", "calls", parent="call_id", is_visible=parent_call_is_public),
]
