"""A citizen's whole application in a real browser: apply with a document, answer a 보완 요청 by uploading the
missing paper, then follow the result — "예비 1번" after the public draw, "선정" once the selected applicant
declines. Staff steps go through the same services the back office calls."""

import datetime
import re

import pytest

from calls.draw import draw_order
from calls.models import Application, ApplicationStatus
from calls.services import application_request_revision, call_decide, selection_decline
from tests.browser_session import log_in
from tests.courses.factories import StaffFactory

from .conftest import submit
from .factories import CLOSES, PDF, applicant, housing_call


def _seed_making_second(entries, wanted):
    """A seed under which ``wanted`` is drawn second (found by trying; the draw itself is not changed)."""
    return next(
        f"{n:02d}-{n * 7 % 100:02d}"
        for n in range(1000)
        if draw_order(f"{n:02d}-{n * 7 % 100:02d}", entries)[1] == wanted
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_apply_upload_a_missing_paper_then_reserve_one_then_selected(
    browser_page, live_server, time_machine, tmp_path
):
    page = browser_page
    call = housing_call(title="노송동 청년쉐어하우스 입주자 모집", places=1, reserve_places=1)
    citizen = applicant(name="김청년", phone="010-5555-1234")
    other = submit(call, applicant())
    log_in(page, live_server, citizen)
    document = tmp_path / "주민등록등본.pdf"
    document.write_bytes(PDF)

    page.goto(f"{live_server.url}/calls/")
    page.get_by_role("link", name=call.title).click()
    page.get_by_role("link", name="온라인 신청").click()
    page.fill('input[name="birth_date"]', "2000-05-05")
    page.check('input[name="declares_no_home"]')
    rooms = list(call.rooms.order_by("pk"))
    page.select_option('select[name="first_choice"]', str(rooms[0].pk))
    page.select_option('select[name="second_choice"]', str(rooms[1].pk))
    requirement = call.documents.get()
    page.set_input_files(f'input[name="document_{requirement.pk}"]', str(document))
    page.check('input[name="consent"]')
    page.get_by_role("button", name="제출").click()
    page.wait_for_url(re.compile(r"/me/applications/\d+/$"))
    mine = Application.objects.get(call=call, applicant=citizen)
    assert page.locator(".application-status").inner_text().strip() == "접수"
    assert mine.receipt_number in page.content()

    application_request_revision(
        application=mine, actor=StaffFactory(), message="등본에 주소 변동 이력이 빠졌습니다. 다시 올려 주세요.",
        due_at=CLOSES + datetime.timedelta(days=2),
    )  # fmt: skip
    page.reload()
    assert "주소 변동 이력이 빠졌습니다" in page.content()
    page.set_input_files(f'input[name="document_{requirement.pk}"]', str(document))
    page.get_by_role("button", name="보완 서류 제출").click()
    page.wait_for_load_state()
    assert page.locator(".application-status").inner_text().strip() == "접수"

    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    entries = sorted([mine.receipt_number, other.receipt_number])
    call_decide(call=call, actor=StaffFactory(), seed=_seed_making_second(entries, mine.receipt_number))
    log_in(page, live_server, citizen)  # a day later: a new visit, signed in again
    page.reload()
    assert page.locator(".application-status").inner_text().strip() == "예비 1번"

    selection_decline(application=Application.objects.get(pk=other.pk), actor=other.applicant)
    page.reload()
    assert page.locator(".application-status").inner_text().strip() == "선정"
    assert Application.objects.get(pk=mine.pk).status == ApplicationStatus.SELECTED
    page.goto(f"{live_server.url}/calls/{call.slug}/draw/")
    assert mine.receipt_number in page.content() and "김청년" not in page.content()
