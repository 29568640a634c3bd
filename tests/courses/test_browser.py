"""A citizen's whole journey in a real browser (Debian's Chromium driven by Playwright)."""

import re

import pytest
from django.core import mail

from courses import services
from courses.models import Enrollment, EnrollmentStatus
from tests.actors import TEST_JOB

from .factories import TrackFactory, UserFactory, future_course

PASSWORD = "전주-시민-비밀번호-2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_up_verify_find_enroll_see_in_me_cancel_and_the_next_person_is_promoted(
    browser_page, live_server, monkeypatch
):
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    page = browser_page
    humanities = TrackFactory(slug="evening-humanities", name="주경야독 인문학")
    TrackFactory(slug="community", name="공동체")
    course = future_course(
        title="주경야독 인문학: 판소리와 삶", track=humanities, capacity=1, waitlist_limit=3
    )
    future_course(title="마을공동체 첫걸음", track=TrackFactory(slug="community"))

    # Sign up from the course page, so that after verification the citizen lands back on the course.
    page.goto(f"{live_server.url}/courses/{course.slug}/")
    page.get_by_role("link", name="회원가입").last.click()
    page.fill('input[name="email"]', "minji@example.com")
    page.fill('input[name="password1"]', PASSWORD)
    page.fill('input[name="password2"]', PASSWORD)
    page.fill('input[name="name"]', "김민지")
    page.check('input[name="confirm_age"]')
    page.check('input[name="agree_terms"]')
    page.check('input[name="agree_privacy"]')
    page.locator('form[action*="signup"] button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))

    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.locator('main form button[type="submit"]').click()
    page.wait_for_url(re.compile(rf"/courses/{course.slug}/$"))

    # Find the course with the catalogue's filter.
    page.get_by_role("link", name="시민강좌").first.click()
    page.select_option("#id_track", "evening-humanities")
    page.select_option("#id_open", "true")
    page.locator("main").get_by_role("button", name="검색").click()
    page.wait_for_url(re.compile(r"track=evening-humanities"))
    assert page.get_by_role("heading", name="마을공동체 첫걸음").count() == 0
    page.get_by_role("link", name=course.title).click()

    # Enrol (consent is required).
    page.get_by_label("수강신청 개인정보 수집·이용에 동의합니다. (필수)").check()
    page.locator("#enrol").get_by_role("button", name="수강신청").click()
    assert page.get_by_text("수강신청이 확정되었습니다. 안내 메일을 보내 드렸습니다.").is_visible()
    citizen_enrollment = Enrollment.objects.get(user__email="minji@example.com")
    assert citizen_enrollment.status == EnrollmentStatus.CONFIRMED

    # Someone else joins the waiting list meanwhile.
    waiter = UserFactory(email="waiter@example.com", name="박대기")
    waiting = services.enrollment_create(
        course=course, user=waiter, consent_version="2026-11-01", actor=TEST_JOB
    )
    assert waiting.status == EnrollmentStatus.WAITING

    # /me/ shows it; cancel from there.
    page.get_by_role("link", name="나의 강좌").click()
    page.wait_for_url(re.compile(r"/me/$"))
    card = page.locator("li.course-card", has_text=course.title)
    assert card.get_by_text("확정").first.is_visible()
    card.get_by_role("link", name=re.compile("수강 취소")).click()
    page.wait_for_url(re.compile(r"/cancel/\?next=/me/$"))
    assert page.get_by_role("heading", name="수강신청을 취소할까요?").is_visible()
    page.get_by_role("button", name="수강 취소하기").click()
    page.wait_for_url(re.compile(r"/me/$"))
    assert page.get_by_text(f"'{course.title}' 수강신청을 취소했습니다.").is_visible()
    assert page.get_by_role("heading", name="취소된 신청").is_visible()

    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.CONFIRMED and waiting.promoted_at is not None
    promoted = [m for m in mail.outbox if m.to == ["waiter@example.com"]]
    assert (
        promoted[-1].subject == f"[전주도시혁신센터] 대기하시던 강좌의 수강이 확정되었습니다: {course.title}"
    )
