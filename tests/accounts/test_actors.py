"""Who acts on an account: the profile is saved as the citizen themselves; a consent is recorded for its
subject and needs an actor."""

import pytest
from django.urls import reverse

from jeonju_center.accounts import services
from jeonju_center.accounts.models import ConsentRecord
from jeonju_center.common.actors import Actor
from tests.actors_seen import actors_seen
from tests.courses.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_profile_page_saves_as_the_citizen_themselves(client, monkeypatch):
    citizen = UserFactory(phone="010-1111-2222")
    client.force_login(citizen)
    seen = actors_seen(monkeypatch, services, "phone_verification_clear")
    response = client.post(
        reverse("accounts:profile"), {"name": "김민지", "phone": "010-7777-8888", "dong": ""}
    )
    assert response.status_code == 302
    assert seen == [Actor.citizen(citizen)]  # the changed number loses its verification inside the save


def test_a_consent_is_recorded_for_its_subject_whoever_records_it():
    citizen, staff = UserFactory(), StaffFactory()
    with pytest.raises(TypeError):
        services.consent_record(user=citizen, item=ConsentRecord.Item.TERMS)
    assert not ConsentRecord.objects.exists()
    record = services.consent_record(user=citizen, item=ConsentRecord.Item.TERMS, actor=staff)
    assert record.user == citizen
