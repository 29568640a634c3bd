"""Who acts on an account: the profile is saved as the citizen themselves; a consent is recorded for its
subject and needs an actor."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jeonju_center.accounts import notifications, services
from jeonju_center.accounts.models import ConsentRecord, PhoneVerification
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


def test_only_the_person_proves_a_number_or_chooses_their_notices():
    citizen, staff = UserFactory(), StaffFactory()
    with pytest.raises(ValidationError, match="본인만"):
        notifications.phone_verification_start(user=citizen, actor=staff, phone="010-3333-4444")
    with pytest.raises(ValidationError, match="본인만"):
        notifications.message_subscriptions_set(user=citizen, actor=UserFactory(), events=[])
    assert not PhoneVerification.objects.exists()
    notifications.phone_verification_start(user=citizen, actor=citizen, phone="010-3333-4444")
    assert PhoneVerification.objects.get().user == citizen


def test_a_number_staff_change_in_the_back_office_is_no_longer_proven():
    citizen = UserFactory(phone="010-1111-2222", phone_verified_at=timezone.now())
    citizen.phone = "010-9999-0000"
    services.account_save(account=citizen, actor=StaffFactory())
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.phone_verified_at) == ("010-9999-0000", None)
    with pytest.raises(ValidationError, match="센터 직원만"):
        services.account_save(account=citizen, actor=citizen)
