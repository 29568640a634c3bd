"""Back-office flows: the yearly review action, the graduation view, the dashboard, budgets in the support
forms and the Excel import/export of the registry."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ondure.models import Community, CommunityStageRecord, CommunityStatus, Stage, SupportRecord
from social_economy.models import Organization

from .factories import (
    CommunityFactory,
    CommunityStageRecordFactory,
    DongFactory,
    SupportProgramFactory,
    SupportRecordFactory,
)

pytestmark = pytest.mark.django_db
Decision = CommunityStageRecord.Decision
CHANGELIST = reverse("admin:ondure_community_changelist")


def _open(stage=Stage.DIDIM, year=2014, **kwargs):
    community = CommunityFactory(current_stage=stage, **kwargs)
    CommunityStageRecordFactory(community=community, year=year, stage=stage, decision="", reason="")
    return community


def _review(admin_client, communities, **data):
    post = {
        "action": "review_action",
        "_selected_action": [c.pk for c in communities],
        "apply": "1",
        "year": "2014",
        "decision": "promote",
        "end_status": "dormant",
        "decided_on": "2014-12-15",
        "reason": "연간 계획 달성",
        **data,
    }
    return admin_client.post(CHANGELIST, post)


def test_review_action_promotes_the_selected_communities(admin_client):
    first, second = _open(), _open()
    response = _review(admin_client, [first, second])
    assert response.status_code == 302
    for community in (first, second):
        community.refresh_from_db()
        assert community.current_stage == Stage.IEUM
        assert community.stage_records.get(year=2014).reason == "연간 계획 달성"


def test_review_action_refusal_shows_the_reason_and_changes_nothing(admin_client):
    ready, last = _open(), _open(stage=Stage.HOPE)
    response = _review(admin_client, [ready, last])
    assert response.status_code == 200
    assert "마지막 단계(희망)라 진급할 수 없습니다" in response.content.decode()
    ready.refresh_from_db()
    assert ready.current_stage == Stage.DIDIM
    assert CommunityStageRecord.objects.filter(decision="").count() == 2


def test_graduation_view_creates_and_links_the_organization(admin_client):
    community = _open(stage=Stage.HOPE, year=2016)
    url = reverse("admin:ondure_community_graduate", args=[community.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "graduated_on": "2016-12-20",
            "reason": "협동조합 설립",
            "organization": "",
            "new_organization_name": "전주 공예 협동조합",
            "new_organization_type": "cooperative",
        },
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.status == CommunityStatus.GRADUATED
    assert community.graduated_organization.name == "전주 공예 협동조합"


def test_graduation_view_refusal_is_shown(admin_client):
    community = _open(stage=Stage.IEUM)
    response = admin_client.post(
        reverse("admin:ondure_community_graduate", args=[community.pk]),
        {
            "graduated_on": "2016-12-20",
            "reason": "x",
            "new_organization_name": "A 협동조합",
            "new_organization_type": "cooperative",
        },
    )
    assert response.status_code == 200
    assert "졸업은 희망 단계에서만 할 수 있습니다." in response.content.decode()
    assert Organization.objects.count() == 0


def test_dashboard_shows_cohorts_with_constant_queries(admin_client):
    url = reverse("admin:ondure_community_dashboard")
    CommunityFactory(graduated=True, cohort_year=2014)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as small:
        response = admin_client.get(url)
    assert response.context["dashboard"]["totals"]["graduated"] == 1
    for year in (2015, 2016, 2017):
        CommunityFactory(graduated=True, cohort_year=year)
    with CaptureQueriesContext(connection) as large:
        response = admin_client.get(url)
    assert [row["cohort_year"] for row in response.context["dashboard"]["cohorts"]] == [
        2014,
        2015,
        2016,
        2017,
    ]
    assert len(large) == len(small)


def test_support_record_form_refuses_over_commitment(admin_client):
    program = SupportProgramFactory(budget=5_000_000, year=2015)
    SupportRecordFactory(program=program, amount=4_000_000)
    data = {
        "community": CommunityFactory().pk,
        "program": program.pk,
        "kind": "grant",
        "supported_on": "2015-05-10",
        "amount": "1500000",
        "settlement_status": "unsettled",
        "settled_on": "",
        "returned_amount": "0",
        "notes": "",
    }
    response = admin_client.post(reverse("admin:ondure_supportrecord_add"), data)
    assert response.status_code == 200
    assert "예산을 초과합니다" in response.content.decode()
    assert SupportRecord.objects.count() == 1
    data["amount"] = "1000000"
    assert admin_client.post(reverse("admin:ondure_supportrecord_add"), data).status_code == 302
    assert SupportRecord.objects.count() == 2


# --- Excel ---------------------------------------------------------------------------------------

HEADERS = [
    "공동체명", "선정 연도(기수)", "공동체 유형", "선정일", "활동 행정동", "아파트 단지명", "활동 분야", "구성원 수",
    "소개", "홈페이지·SNS", "공개 목록 게시",
]  # fmt: skip


def _xlsx(rows, headers=HEADERS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "communities.xlsx"
    return buffer


def _xlsx_format_index(admin_client):
    form = admin_client.get(reverse("admin:ondure_community_import")).context["form"]
    return next(value for value, label in form.fields["format"].choices if str(label).lower() == "xlsx")


def _import(admin_client, rows, valid_rows_only=False):
    fmt = _xlsx_format_index(admin_client)
    data = {"import_file": _xlsx(rows), "format": fmt, "resource": "0"}
    if valid_rows_only:
        data["valid_rows_only"] = "on"
    return admin_client.post(reverse("admin:ondure_community_import"), data)


def _confirm(admin_client, response):
    confirm = response.context["confirm_form"]
    data = {name: confirm.initial.get(name, "") for name in confirm.fields}
    data["valid_rows_only"] = "on" if confirm.initial.get("valid_rows_only") else ""
    return admin_client.post(reverse("admin:ondure_community_process_import"), data)


GOOD = [
    "남부시장 청년 밥상",
    2016,
    "소규모창업공동체",
    "2016-04-01",
    "풍남동",
    "",
    "먹거리",
    6,
    "청년 식당",
    "",
    "예",
]
TOO_FEW = ["노송 마을 두레", 2016, "마을공동체", "2016-04-01", "노송동", "", "돌봄", 9, "", "", "예"]
BAD_DONG = ["서울 공동체", 2016, "기타", "2016-04-01", "명동", "", "기타", "", "", "", "예"]


def test_import_preview_then_confirm_creates_selected_communities(admin_client):
    DongFactory(name="풍남동")
    response = _import(admin_client, [GOOD])
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_validation_errors()
    assert Community.objects.count() == 0  # the preview wrote nothing
    assert _confirm(admin_client, response).status_code == 302
    community = Community.objects.get()
    assert (community.name, community.kind, community.members_count, community.dong.name) == (
        "남부시장 청년 밥상",
        "startup",
        6,
        "풍남동",
    )
    assert community.stage_records.get().stage == Stage.DIDIM


def test_import_errors_name_the_row_and_write_nothing(admin_client):
    DongFactory(name="풍남동")
    DongFactory(name="노송동")
    response = _import(admin_client, [GOOD, TOO_FEW, BAD_DONG])
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "confirm_form" not in response.context
    invalid = {row.number: " ".join(row.error.messages) for row in result.invalid_rows}
    assert set(invalid) == {3, 4}  # as Excel numbers the rows: the header is row 1
    assert "마을공동체는 구성원이 15명 이상이어야 합니다." in invalid[3]
    assert "‘명동’은(는) 등록된 행정동이 아닙니다." in invalid[4]
    assert Community.objects.count() == 0


def test_import_valid_rows_only_when_staff_choose_it(admin_client):
    DongFactory(name="풍남동")
    DongFactory(name="노송동")
    response = _import(admin_client, [GOOD, TOO_FEW], valid_rows_only=True)
    result = response.context["result"]
    assert [row["number"] for row in result.rejected_rows] == [3]
    assert "건너뛴 오류 행" in response.content.decode()
    assert _confirm(admin_client, response).status_code == 302
    assert list(Community.objects.values_list("name", flat=True)) == ["남부시장 청년 밥상"]


def test_export_then_reimport_changes_nothing(admin_client):
    CommunityFactory(
        name="자만마을 공예 두레", cohort_year=2015, leader_name="김철용", leader_phone="010-2345-6789"
    )
    CommunityFactory(apartment=True, cohort_year=2016)
    fmt = _xlsx_format_index(admin_client)
    response = admin_client.post(
        reverse("admin:ondure_community_export"),
        {"format": fmt, "resource": "0", **{f"communityresource_{f}": "on" for f in [
            "name", "cohort_year", "kind", "selected_on", "dong", "apartment_complex", "activity_field",
            "members_count", "description", "website", "is_public", "status", "current_stage", "graduated_organization",
        ]}},
    )  # fmt: skip
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.values)
    assert list(rows[0][:3]) == ["공동체명", "선정 연도(기수)", "공동체 유형"]
    exported = "\n".join(str(cell) for row in rows for cell in row)
    assert "김철용" not in exported and "6789" not in exported
    assert "자만마을 공예 두레" in exported

    before = list(Community.objects.order_by("pk").values())
    upload = io.BytesIO(response.content)
    upload.name = "export.xlsx"
    preview = admin_client.post(
        reverse("admin:ondure_community_import"), {"import_file": upload, "format": fmt, "resource": "0"}
    )
    result = preview.context["result"]
    assert not result.has_validation_errors(), [r.error for r in result.invalid_rows]
    assert {row.import_type for row in result.rows} == {"skip"}, [
        d for r in result.rows for d in r.diff if "<ins" in d or "<del" in d
    ]
    _confirm(admin_client, preview)
    assert list(Community.objects.order_by("pk").values()) == before
