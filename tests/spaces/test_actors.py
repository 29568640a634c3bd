"""Who acts in space booking: the request runs as the citizen, a decision needs an actor and keeps the staff
member who took it."""

import pytest

from jeonju_center.common.actors import Actor
from spaces import services
from spaces.models import BookingStatus
from tests.actors_seen import actors_seen
from tests.courses.factories import StaffFactory, UserFactory

from .factories import book, room

pytestmark = pytest.mark.django_db


def test_the_request_runs_as_the_citizen_and_the_approval_keeps_the_staff_member(monkeypatch):
    seen = actors_seen(monkeypatch, services, "outbox_enqueue_letter")
    citizen = UserFactory()
    booking = book(room(), user=citizen)
    assert seen and set(seen) == {Actor.citizen(citizen)}
    staff = StaffFactory()
    with pytest.raises(TypeError):
        services.booking_approve(booking_id=booking.pk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED
    services.booking_approve(booking_id=booking.pk, actor=staff)
    booking.refresh_from_db()
    assert (booking.status, booking.decided_by) == (BookingStatus.APPROVED, staff)
    assert seen[-1] == Actor.staff(staff)  # the approval e-mail
