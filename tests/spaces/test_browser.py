"""In a real browser: a citizen picks a free slot in a room's week calendar and books it, a center admin
approves it in the back office, and the calendar then shows the slot as taken (without who took it)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from jeonju_center.accounts.models import User
from jeonju_center.common.teams import CENTER_ADMINS, load_team_groups
from spaces.models import Booking, BookingStatus
from tests.browser_session import log_in
from tests.courses.factories import UserFactory

from .factories import room


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_books_a_room_staff_approve_and_the_slot_shows_as_taken(browser_page, live_server):
    page = browser_page
    load_team_groups()
    space = room(name="센터 소회의실")
    citizen = UserFactory(name="김주민")
    manager = User.objects.create_user(username="manager", password="pw-123456789", is_staff=True)
    manager.groups.set([Group.objects.get(name=CENTER_ADMINS)])

    log_in(page, live_server, citizen)
    page.goto(f"{live_server.url}/spaces/")
    page.get_by_role("link", name="센터 소회의실").click()
    page.goto(f"{live_server.url}/spaces/{space.slug}/?week=2027-03-08")
    slot = page.locator('td[data-slot="2027-03-10T14:00"]')
    assert slot.inner_text().strip() == "가능"
    slot.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/spaces/small-room/book/"))
    assert page.input_value('input[name="date"]') == "2027-03-10"
    assert page.input_value('select[name="start"]') == "14:00"
    page.select_option('select[name="end"]', "16:00")
    page.fill('input[name="headcount"]', "6")
    page.fill('textarea[name="purpose"]', "마을 신문 편집 회의")
    page.check('input[name="agree"]')
    page.get_by_role("button", name="신청하기").click()
    page.wait_for_url(re.compile(r"/me/bookings/$"))
    assert "승인 대기" in page.content()
    booking = Booking.objects.get()

    log_in(page, live_server, manager)
    page.goto(live_server.url + reverse("admin:spaces_booking_change", args=[booking.pk]))
    page.select_option('select[name="decision"]', "approve")
    page.get_by_role("button", name="저장", exact=True).click()
    page.wait_for_url(re.compile(re.escape(reverse("admin:spaces_booking_changelist")) + "$"))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED and booking.decided_by == manager

    page.goto(f"{live_server.url}/spaces/{space.slug}/?week=2027-03-08")
    for time in ("14:00", "15:00"):
        assert page.locator(f'td[data-slot="2027-03-10T{time}"]').inner_text().strip() == "예약됨"
    assert page.locator('td[data-slot="2027-03-10T16:00"]').inner_text().strip() == "가능"
    assert "김주민" not in page.content() and "마을 신문" not in page.content()
