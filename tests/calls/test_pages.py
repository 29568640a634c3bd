"""The public pages and the applicant's own: what a citizen sees and does, and that nobody else's data shows."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group

from calls.models import Application, ApplicationStatus
from calls.services import application_request_revision, call_decide
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.teams import PERSONAL_DATA_VIEWERS, SOCIAL_ECONOMY_TEAM
from tests.courses.factories import StaffFactory

from .conftest import submit
from .factories import CLOSES, applicant, housing_call, pdf, team

pytestmark = pytest.mark.django_db

PLANTED = {"applicant_name": "황보은비", "phone": "010-9191-8282", "birth_date": datetime.date(2001, 7, 19)}


def test_the_list_filters_by_program_and_phase(client):
    open_call = housing_call(title="열린 공고")
    response = client.get("/calls/", {"phase": "open"})
    assert response.status_code == 200
    assert "열린 공고" in response.content.decode()
    assert "열린 공고" not in client.get("/calls/", {"phase": "closed"}).content.decode()
    assert "열린 공고" not in client.get("/calls/", {"program": "ondure"}).content.decode()
    assert "열린 공고" in client.get("/calls/", {"program": ["ondure", "youth_share_house"]}).content.decode()
    refused = client.get("/calls/", {"program": "<script>", "phase": "x"})
    assert refused.status_code == 400 and "열린 공고" not in refused.content.decode()
    assert "올바르게 선택해 주세요" in refused.content.decode()
    open_call.is_published = False
    open_call.save()
    assert "열린 공고" not in client.get("/calls/").content.decode()
    assert client.get(f"/calls/{open_call.slug}/").status_code == 404


def test_the_notice_shows_the_timeline_the_count_and_why_one_cannot_apply(client, time_machine):
    call = housing_call()
    submit(call, applicant())
    page = client.get(f"/calls/{call.slug}/").content.decode()
    assert "지금까지 1건 신청" in page
    assert "로그인하고 신청하기" in page
    assert "접수 마감" in page and "결과 발표" in page
    time_machine.move_to(CLOSES, tick=False)
    page = client.get(f"/calls/{call.slug}/").content.decode()
    assert "접수가 마감되었습니다." in page
    assert "로그인하고 신청하기" not in page


def test_a_citizen_applies_through_the_form(client):
    call = housing_call()
    user = applicant(name="김청년", phone="010-5555-1234")
    client.force_login(user)
    form = client.get(f"/calls/{call.slug}/apply/")
    assert form.status_code == 200
    assert 'value="김청년"' in form.content.decode()  # prefilled from the profile
    rooms = list(call.rooms.order_by("pk"))
    document = call.documents.get()
    data = {
        "applicant_name": "김청년", "birth_date": "2000-05-05", "phone": "010-5555-1234", "email": "", "dong": "",
        "declares_no_home": "on", "first_choice": rooms[0].pk, "second_choice": rooms[1].pk, "motivation": "살고 싶어요",
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(f"/calls/{call.slug}/apply/", {**data, "action": "submit"})
    assert response.status_code == 400
    assert "주민등록등본: 서류를 올려 주세요" in response.content.decode()
    assert Application.objects.get().status == ApplicationStatus.DRAFT

    response = client.post(
        f"/calls/{call.slug}/apply/",
        {**data, "action": "submit", f"document_{document.pk}": pdf(), "consent": "on"},
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/me/applications/{application.pk}/"
    assert application.status == ApplicationStatus.SUBMITTED
    listing = client.get("/me/applications/").content.decode()
    assert application.receipt_number in listing and "접수" in listing


def test_another_person_s_application_is_not_found(client):
    call = housing_call()
    owner_application = submit(call, applicant())
    client.force_login(applicant())
    assert client.get(f"/me/applications/{owner_application.pk}/").status_code == 404
    assert client.post(f"/me/applications/{owner_application.pk}/", {"action": "decline"}).status_code == 404


def test_the_applicant_answers_a_revision_request_on_their_page(client, time_machine):
    call = housing_call()
    user = applicant()
    application = submit(call, user)
    application_request_revision(
        application=application,
        actor=StaffFactory(),
        message="등본을 다시 올려 주세요.",
        due_at=CLOSES + datetime.timedelta(days=2),
    )
    client.force_login(user)
    page = client.get(f"/me/applications/{application.pk}/").content.decode()
    assert "보완 요청" in page and "등본을 다시 올려 주세요." in page
    document = call.documents.get()
    bad = client.post(
        f"/me/applications/{application.pk}/",
        {"action": "revision", f"document_{document.pk}": pdf("등본.pdf", b"<html></html>")},
    )
    assert bad.status_code == 400 and "파일 내용이 확장자" in bad.content.decode()
    ok = client.post(
        f"/me/applications/{application.pk}/",
        {"action": "revision", f"document_{document.pk}": pdf("새 등본.pdf")},
    )
    assert ok.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_public_pages_and_the_draw_show_no_applicant_data(client, time_machine):
    call = housing_call(places=1, reserve_places=1)
    submit(call, applicant(), **PLANTED)
    for _ in range(3):
        submit(call, applicant())
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    draw = call_decide(call=call, actor=StaffFactory(), seed="77")
    pages = [
        client.get("/calls/").content.decode(),
        client.get(f"/calls/{call.slug}/").content.decode(),
        client.get(f"/calls/{call.slug}/draw/").content.decode(),
    ]
    for page in pages:
        for value in ("황보은비", "010-9191-8282", "2001-07-19", "2001. 7. 19"):
            assert value not in page
    detail, draw_page = pages[1], pages[2]
    assert draw.seed in draw_page and draw.algorithm in draw_page
    for number in draw.order:
        assert number in draw_page
    planted = Application.objects.get(applicant_name="황보은비")
    if planted.status in (ApplicationStatus.SELECTED, ApplicationStatus.RESERVE):
        assert "황*비" in detail  # the published list masks names
    assert client.get(f"/calls/{housing_call().slug}/draw/").status_code == 404  # no draw yet


def test_the_call_s_team_alone_sees_applications_and_each_document_download_is_logged(client):
    call = housing_call()
    application = submit(call, applicant(), **PLANTED)
    document = application.documents.get()
    outsider = StaffFactory(username="se_staff")
    outsider.groups.set([team(SOCIAL_ECONOMY_TEAM)])
    client.force_login(outsider)
    listing = client.get("/admin/calls/application/")
    assert listing.status_code == 200 and listing.context["cl"].result_count == 0
    assert client.get(f"/admin/calls/application/{application.pk}/documents/{document.pk}/").status_code in (
        302,
        403,
        404,
    )

    member = StaffFactory(username="regen_staff")
    member.groups.set([team(), Group.objects.get_or_create(name=PERSONAL_DATA_VIEWERS)[0]])
    from jeonju_center.common.teams import load_team_groups

    load_team_groups()
    client.force_login(member)
    listing = client.get("/admin/calls/application/")
    assert listing.context["cl"].result_count == 1
    url = f"/admin/calls/application/{application.pk}/documents/{document.pk}/"
    ask = client.get(url)
    assert ask.status_code == 200 and "내려받는 사유" in ask.content.decode()
    assert not PersonalDataAccess.objects.filter(action="download").exists()
    assert client.get(url, {"reason": "other"}).status_code == 400  # "기타" needs the reason typed
    response = client.get(url, {"reason": "other", "detail": "입주자 서류 심사"})
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    logged = PersonalDataAccess.objects.get(action="download")
    assert (logged.model_label, logged.object_ids, logged.staff_username) == (
        "calls.application",
        [application.pk],
        "regen_staff",
    )
    assert "입주자 서류 심사" in logged.reason


def test_staff_decide_a_call_in_the_back_office_and_verify_draw_agrees(client, time_machine):
    from django.core.management import call_command

    call = housing_call(places=1, reserve_places=1)
    for _ in range(4):
        submit(call, applicant())
    admin = StaffFactory(username="boss", is_superuser=True)
    client.force_login(admin)
    url = f"/admin/calls/call/{call.pk}/decide/"
    early = client.post(url, {"seed": "12-34", "confirm": "on"})
    assert early.status_code == 400 and "접수가 끝난 뒤" in early.content.decode()
    time_machine.move_to(CLOSES + datetime.timedelta(hours=2), tick=False)
    client.force_login(admin)  # the idle staff session ended meanwhile
    assert client.post(url, {"seed": "12-34"}).status_code == 400  # the confirmation is required
    response = client.post(url, {"seed": "12-34", "witnessed_by": "주민 3명", "confirm": "on"})
    assert response.status_code == 302
    out = io.StringIO()
    call_command("verify_draw", call.slug, stdout=out)
    assert "OK" in out.getvalue()
    again = client.post(url, {"seed": "99", "confirm": "on"})
    assert again.status_code == 400 and "다시 할 수 없습니다" in again.content.decode()


def _cells(response):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_applicant_list_is_masked_by_default_and_unmasked_only_with_permission_and_a_reason(client):
    from jeonju_center.common.teams import load_team_groups

    call = housing_call()
    submit(call, applicant(), **PLANTED)
    submit(call, applicant(), applicant_name='=HYPERLINK("http://x")')  # a formula is written as text
    load_team_groups()
    url = f"/admin/calls/call/{call.pk}/applicants.xlsx"

    outsider = StaffFactory(username="se_staff")
    outsider.groups.set([team(SOCIAL_ECONOMY_TEAM)])
    client.force_login(outsider)
    assert client.get(url, {"reason": "other", "detail": "확인"}).status_code == 403

    member = StaffFactory(username="regen_staff")
    member.groups.set([team()])
    client.force_login(member)
    assert "내려받는 사유" in client.get(url).content.decode()
    masked = client.get(url, {"reason": "other", "detail": "심사 자료"})
    assert masked.status_code == 200, masked.content.decode()[-1500:]
    rows = _cells(masked)
    flat = " ".join(str(value) for row in rows for value in row)
    assert rows[0][:2] == ["접수번호", "상태"] and len(rows) == 3
    assert ("황보은비" not in flat and "010-9191-8282" not in flat and "황**비" in flat) or "황*비" in flat
    assert not any(str(value).startswith("=") for row in rows for value in row if value)
    # Without the permission, asking for the unmasked file still gives the masked one.
    assert "황보은비" not in str(
        _cells(client.get(url, {"reason": "other", "detail": "심사", "unmasked": "on"}))
    )

    member.groups.add(Group.objects.get(name=PERSONAL_DATA_VIEWERS))
    member = type(member).objects.get(pk=member.pk)  # no permissions cached from before the new group
    client.force_login(member)  # seeing personal data takes the second factor: a new sign-in
    unmasked = client.get(url, {"reason": "other", "detail": "계약 연락", "unmasked": "on"})
    assert unmasked.status_code == 200, (
        unmasked.status_code,
        unmasked.get("Location"),
        unmasked.content.decode()[-800:],
    )
    flat = str(_cells(unmasked))
    assert "황보은비" in flat and "010-9191-8282" in flat
    exports = list(PersonalDataAccess.objects.filter(action="export").order_by("pk"))
    assert [(e.record_count, e.masked) for e in exports] == [(2, True), (2, True), (2, False)]
    assert exports[-1].reason.endswith("계약 연락")


def test_notice_attachments_are_served_for_published_calls_only(client):
    from django.core.files.base import ContentFile

    from calls.models import CallAttachment

    call = housing_call()
    attachment = CallAttachment.objects.create(
        call=call, title="공고문", file=ContentFile(b"%PDF-1.4 notice", name="notice.pdf")
    )
    url = f"/calls/{call.slug}/attachments/{attachment.pk}/"
    assert url in client.get(f"/calls/{call.slug}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 notice"
    assert (
        client.get(f"/calls/{housing_call().slug}/attachments/{attachment.pk}/").status_code == 404
    )  # another call's
    call.is_published = False
    call.save()
    assert client.get(url).status_code == 404


def test_a_group_adds_members_three_rows_at_a_time(client):
    from calls.models import CallProgram, SelectionMethod
    from ondure.models import CommunityKind
    from tests.courses.factories import DongFactory

    from .factories import CallFactory

    call = CallFactory(program=CallProgram.ONDURE, min_age=None, max_age=None, requires_no_home=False,
                       with_documents=False, selection_method=SelectionMethod.REVIEW)  # fmt: skip
    dong = DongFactory(name="풍남동")
    user = applicant(name="박대표", phone="010-2222-3333")
    client.force_login(user)
    form = client.get(f"/calls/{call.slug}/apply/").content.decode()
    assert form.count('name="members-') >= 3 * 2 and 'name="members-2-name"' in form
    data = {"applicant_name": "박대표", "phone": "010-2222-3333", "group_name": "풍남 밥상", "group_kind": CommunityKind.STARTUP,
            "group_dong": dong.pk, "activity_field": "food", "action": "save",
            "members-TOTAL_FORMS": "3", "members-INITIAL_FORMS": "0",
            "members-0-name": "회원1", "members-0-dong": dong.pk, "members-1-name": "회원2", "members-1-dong": dong.pk}  # fmt: skip
    assert client.post(f"/calls/{call.slug}/apply/", data).status_code == 302
    form = client.get(f"/calls/{call.slug}/apply/").content.decode()
    assert 'value="회원2"' in form and 'name="members-4-name"' in form  # two saved, three empty
    bad = client.post(f"/calls/{call.slug}/apply/", {**data, "members-1-dong": ""})
    assert bad.status_code == 400 and "이름과 행정동을 함께" in bad.content.decode()
