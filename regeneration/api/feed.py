from jeonju_center.partners.changes import FeedSource

from ..models import ActivationArea, CouncilMeeting, ResidentCouncil, VacantHouse


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
    # Records that show the name of another record are "updated" when that record is saved.
    FeedSource(
        "common.Dong",
        "vacant-houses",
        fan_out=lambda dong: VacantHouse.objects.filter(dong=dong).values_list("pk", flat=True),
    ),
    FeedSource(
        "common.Dong",
        "areas",
        fan_out=lambda dong: ActivationArea.objects.filter(dongs=dong).values_list("pk", flat=True),
    ),
    FeedSource(
        "regeneration.HousingProgram",
        "vacant-houses",
        fan_out=lambda program: VacantHouse.objects.filter(current_program=program).values_list(
            "pk", flat=True
        ),
    ),
    FeedSource(
        "regeneration.ActivationArea",
        "councils",
        fan_out=lambda area: ResidentCouncil.objects.filter(area=area).values_list("pk", flat=True),
    ),
    FeedSource(
        "regeneration.ResidentCouncil",
        "council-meetings",
        fan_out=lambda council: CouncilMeeting.objects.filter(council=council, is_published=True).values_list(
            "pk", flat=True
        ),
    ),
]
