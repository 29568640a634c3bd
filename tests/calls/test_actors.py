"""Who acts in the calls: each write needs an actor; the draw keeps the staff member who performed it; a
citizen's application runs as that citizen, the nightly expiry as its job; a citizen declines only their own
selection, staff record anyone's."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from calls import services, tasks
from calls.models import ApplicationStatus
from jeonju_center.common.actors import Actor, Channel
from tests.actors_seen import actors_seen
from tests.courses.factories import StaffFactory

from .conftest import submit
from .factories import CLOSES, applicant, housing_call

pytestmark = pytest.mark.django_db


def test_the_draw_needs_an_actor_and_keeps_the_staff_member_who_performed_it(time_machine):
    call = housing_call(places=1, reserve_places=1)
    for _ in range(3):
        submit(call, applicant())
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    with pytest.raises(TypeError):
        services.call_decide(call=call, seed="1-2-3")
    assert not call.applications.filter(decided_at__isnull=False).exists()
    staff = StaffFactory()
    draw = services.call_decide(call=call, actor=staff, seed="1-2-3")
    assert draw.performed_by == staff


def test_a_citizen_s_application_is_written_as_that_citizen(monkeypatch):
    seen = actors_seen(monkeypatch, services, "outbox_enqueue")
    user = applicant()
    submit(housing_call(), user)
    assert seen == [Actor.citizen(user)]  # the receipt e-mail, queued inside the submit


def test_expired_offers_are_declined_in_the_nightly_job_s_name(monkeypatch, time_machine):
    call = housing_call(places=1, reserve_places=1)
    for _ in range(2):
        submit(call, applicant())
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    services.call_decide(call=call, actor=StaffFactory(), seed="7")
    seen = actors_seen(monkeypatch, services, "outbox_enqueue")
    time_machine.move_to(CLOSES + datetime.timedelta(days=9), tick=False)
    assert tasks.expire_call_offers() == 1
    assert seen == [tasks.OFFER_EXPIRY_JOB]  # the reserve's "promoted" e-mail
    assert tasks.OFFER_EXPIRY_JOB.channel == Channel.SYSTEM


def test_a_citizen_declines_only_their_own_selection_and_staff_record_anyone_s(time_machine):
    call = housing_call(places=2, reserve_places=0)
    first, second = submit(call, applicant()), submit(call, applicant())
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    services.call_decide(call=call, actor=StaffFactory(), seed="7")
    with pytest.raises(PermissionDenied):
        services.selection_decline(application=first, actor=second.applicant)
    first.refresh_from_db()
    assert first.status == ApplicationStatus.SELECTED
    services.selection_decline(application=first, actor=StaffFactory())
    first.refresh_from_db()
    assert first.status == ApplicationStatus.DECLINED
