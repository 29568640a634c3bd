"""The regeneration rows in the partner API's change feed (``/api/v1/changes/``)."""

import pytest

from tests.api.support import partner_client

from ..factories import CouncilMeetingFactory, VacantHouseFactory

pytestmark = pytest.mark.django_db


def test_change_feed_endpoint_lists_regeneration_events_for_the_scope(api):
    house = VacantHouseFactory()
    meeting = CouncilMeetingFactory(published=True)
    response = api.get("/api/v1/changes/")
    assert response.status_code == 200
    events = {(e["resource"], e["id"], e["action"]) for e in response.json()["results"]}
    assert ("vacant-houses", str(house.id), "created") in events
    assert ("council-meetings", str(meeting.id), "created") in events
    assert ("councils", str(meeting.council_id), "created") in events
    assert ("areas", str(meeting.council.area_id), "created") in events
    other = partner_client("courses:read").get("/api/v1/changes/", {"resource": "vacant-houses"})
    assert other.status_code == 403
