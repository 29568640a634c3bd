"""Who acts on partner keys: a request with a key marks it used in that partner's name; issuing and revoking
need an actor."""

import pytest

from jeonju_center.common.actors import Actor
from jeonju_center.partners import authentication
from jeonju_center.partners.services import partner_key_create, partner_key_revoke
from tests.partners.factories import PartnerCenterFactory, make_key

pytestmark = pytest.mark.django_db


def test_a_request_marks_its_key_used_as_that_partner(client, monkeypatch):
    api_key, raw_key = make_key("social_economy:read", "ondure:read")
    actors = []
    mark_used = authentication.partner_key_mark_used

    def spy(**kwargs):
        actors.append(Actor.of(kwargs["actor"]))
        return mark_used(**kwargs)

    monkeypatch.setattr(authentication, "partner_key_mark_used", spy)
    assert client.get("/api/v1/changes/", HTTP_AUTHORIZATION=f"Api-Key {raw_key}").status_code == 200
    assert actors == [Actor.partner(api_key)]
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_issuing_and_revoking_a_key_need_an_actor():
    partner = PartnerCenterFactory()
    with pytest.raises(TypeError):
        partner_key_create(partner=partner, scopes=["ondure:read"])
    api_key, _raw_key = make_key("ondure:read", partner=partner)
    with pytest.raises(TypeError):
        partner_key_revoke(api_key=api_key)
    api_key.refresh_from_db()
    assert not api_key.revoked
