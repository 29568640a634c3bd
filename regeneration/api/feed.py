from jeonju_center.partners.changes import FeedSource


def _meeting_is_public(meeting):
    return meeting.is_published


FEED_SOURCES = [
    FeedSource("regeneration.ActivationArea", "areas"),
    # An area shows the id and name of its council.
    FeedSource("regeneration.ResidentCouncil", "areas", parent="area_id"),
    # The ledger shows the house's current grade, which is copied onto the house with each grading.
    FeedSource("regeneration.VacantHouse", "vacant-houses"),
    FeedSource("regeneration.HousingProgram", "housing-programs"),
    # A program shows how many of its houses are in use (the program a house leaves is refreshed when its
    # own tenancies or record change).
    FeedSource("regeneration.VacantHouse", "housing-programs", parent="current_program_id"),
    # A program shows its active-tenancy count.
    FeedSource("regeneration.Tenancy", "housing-programs", parent="program_id"),
    FeedSource("regeneration.ResidentCouncil", "councils"),
    # A council shows its member counts.
    FeedSource("regeneration.CouncilMember", "councils", parent="council_id"),
    # Unpublishing minutes removes the meeting from the API, so partners get a "deleted" event.
    FeedSource("regeneration.CouncilMeeting", "council-meetings", is_visible=_meeting_is_public),
]
