"""The regeneration team's back office: survey import/export, life-cycle transitions, tenancies,
minutes publication and the dashboard."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from regeneration.models import (
    GradeScheme,
    HouseStatus,
    HouseStatusChange,
    OwnerConsent,
    ProgramKind,
    Tenancy,
    VacantHouse,
    VacantHouseGrade,
)

from .factories import (
    CouncilMeetingFactory,
    DongFactory,
    HousingProgramFactory,
    OwnerConsentFactory,
    RoomFactory,
    TenancyFactory,
    VacantHouseFactory,
)

pytestmark = pytest.mark.django_db

CSV_FORMAT = "1"  # formats = [XLSX, CSV]
HEADERS = [
    "관리번호",
    "소재지",
    "행정동",
    "위도",
    "경도",
    "건물 유형",
    "구조",
    "준공 연도",
    "대지면적(㎡)",
    "연면적(㎡)",
    "빈집 시작 시점",
    "빈집 발생 사유",
    "실태조사일",
    "실태조사 차수(연도)",
    "등급 체계",
    "등급",
    "소유자 이름",
    "소유자 연락처",
    "소유자 주소",
]
# Every test here runs at one moment (a Wednesday morning in Korea): dates built from it cannot go stale at midnight.
MOMENT = timezone.make_aware(datetime.datetime(2027, 5, 12, 10, 0))
TODAY = MOMENT.date()


@pytest.fixture(autouse=True)
def _at_moment(time_machine):
    time_machine.move_to(MOMENT)


def _row(number, **overrides):
    row = {
        "관리번호": number,
        "소재지": "전북특별자치도 전주시 완산구 풍남동3가 12-3",
        "행정동": "풍남동",
        "위도": "35.8152",
        "경도": "127.1531",
        "건물 유형": "한옥",
        "구조": "목조",
        "준공 연도": "1962",
        "대지면적(㎡)": "165.3",
        "연면적(㎡)": "82.5",
        "빈집 시작 시점": "2020-03-01",
        "빈집 발생 사유": "소유자 사망·상속",
        "실태조사일": "2024-04-15",
        "실태조사 차수(연도)": "2024",
        "등급 체계": "2023 지침 3단계 (1 활용 · 2 관리 · 3 정비)",
        "등급": "2",
        "소유자 이름": "김소유",
        "소유자 연락처": "010-1234-5678",
        "소유자 주소": "서울특별시 마포구 소유로 1",
    }
    row.update(overrides)
    return [row[header] for header in HEADERS]


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _preview(client, content, valid_rows_only=False):
    data = {
        "format": CSV_FORMAT,
        "import_file": SimpleUploadedFile("survey.csv", content, content_type="text/csv"),
    }
    if valid_rows_only:
        data["valid_rows_only"] = "on"
    return client.post(reverse("admin:regeneration_vacanthouse_import"), data)


def _confirm(client, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["valid_rows_only"] = "on" if form.initial.get("valid_rows_only") else ""
    return client.post(reverse("admin:regeneration_vacanthouse_process_import"), data)


@pytest.fixture
def dong():
    return DongFactory(name="풍남동")


def test_preview_shows_new_and_updated_rows_and_writes_nothing(admin_client, dong):
    existing = VacantHouseFactory(management_number="JJ-2024-OLD", dong=dong, built_year=1965)
    response = _preview(
        admin_client, _csv([_row("JJ-2024-NEW"), _row("JJ-2024-OLD", **{"준공 연도": "1960"})])
    )
    assert response.status_code == 200
    assert [row.import_type for row in response.context["result"].valid_rows()] == ["new", "update"]
    assert response.context["confirm_form"] is not None
    assert VacantHouse.objects.count() == 1
    existing.refresh_from_db()
    assert existing.built_year == 1965
    assert not HouseStatusChange.objects.exists() and not VacantHouseGrade.objects.exists()


def test_confirmed_import_registers_houses_with_grade_and_history_and_reimport_changes_nothing(
    admin_client, admin_user, dong
):
    content = _csv([_row("JJ-2024-00001"), _row("JJ-2024-00002", **{"등급 체계": "", "등급": ""})])
    _confirm(admin_client, _preview(admin_client, content))
    house = VacantHouse.objects.get(management_number="JJ-2024-00001")
    assert (house.status, house.dong, house.owner_name, house.built_year) == (
        HouseStatus.SURVEYED,
        dong,
        "김소유",
        1962,
    )
    assert (house.current_grade_scheme, house.current_grade) == (GradeScheme.GUIDELINE_2023, 2)
    grade = house.grades.get()
    assert (grade.graded_on, grade.reason) == (datetime.date(2024, 4, 15), "survey")
    change = house.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", HouseStatus.SURVEYED, admin_user)
    assert VacantHouse.objects.get(management_number="JJ-2024-00002").current_grade is None
    counts = (
        VacantHouse.objects.count(),
        VacantHouseGrade.objects.count(),
        HouseStatusChange.objects.count(),
    )
    stamps = list(VacantHouse.objects.order_by("pk").values_list("updated_at", flat=True))

    again = _preview(admin_client, content)
    assert [row.import_type for row in again.context["result"].valid_rows()] == ["skip", "skip"]
    _confirm(admin_client, again)
    assert (
        VacantHouse.objects.count(),
        VacantHouseGrade.objects.count(),
        HouseStatusChange.objects.count(),
    ) == counts
    assert list(VacantHouse.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_row_errors_show_their_line_and_reason_and_nothing_is_written(admin_client, dong):
    content = _csv(
        [
            _row("JJ-OK-1"),
            _row("JJ-BAD-DONG", **{"행정동": "없는동"}),
            _row("JJ-BAD-GRADE", **{"등급": "4"}),
            _row("JJ-BAD-LAT", **{"위도": "127.15", "경도": "35.81"}),
            _row("JJ-BAD-TYPE", **{"건물 유형": "성"}),
            _row("JJ-BAD-DATE", **{"실태조사일": "어제"}),
        ]
    )
    response = _preview(admin_client, content)
    result = response.context["result"]
    assert response.context.get("confirm_form") is None
    errors = {row.number: " ".join(row.error.messages) for row in result.invalid_rows}
    assert set(errors) == {3, 4, 5, 6, 7}  # as Excel numbers the rows: the header is row 1
    assert "‘없는동’은(는) 등록된 행정동이 아닙니다." in errors[3]
    assert "등급이 등급 체계의 범위를 벗어납니다." in errors[4]
    assert "위도는 33~39 사이여야 합니다." in errors[5]
    assert "‘성’은(는) 올바른 값이 아닙니다." in errors[6]
    assert "‘어제’은(는) 날짜(예: 2024-04-15)가 아닙니다." in errors[7]
    assert not VacantHouse.objects.exists()


def test_staff_may_import_the_valid_rows_only(admin_client, dong):
    content = _csv([_row("JJ-OK-1"), _row("JJ-BAD-DONG", **{"행정동": "없는동"}), _row("JJ-OK-2")])
    preview = _preview(admin_client, content, valid_rows_only=True)
    assert preview.context["confirm_form"] is not None
    assert [row["number"] for row in preview.context["result"].rejected_rows] == [3]
    assert "건너뛴 오류 행" in preview.content.decode()
    _confirm(admin_client, preview)
    assert sorted(VacantHouse.objects.values_list("management_number", flat=True)) == ["JJ-OK-1", "JJ-OK-2"]


def test_export_has_korean_headers_and_no_personal_data(admin_client, dong):
    VacantHouseFactory(
        management_number="JJ-EXP-1",
        dong=dong,
        owner_name="김소유",
        owner_phone="010-1111-2222",
        owner_address="서울특별시 마포구 소유로 1",
        address="전북특별자치도 전주시 완산구 풍남동3가 77-7",
    )
    response = admin_client.post(
        reverse("admin:regeneration_vacanthouse_export"),
        {
            "format": "0",
            "resource": "0",
            **{
                f"vacanthouseresource_{name}": "on"
                for name in ("management_number", "dong", "status", "grade", "owner_name", "address")
            },
        },
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "관리번호" in rows[0] and "행정동" in rows[0] and "진행 상태" in rows[0]
    assert not {"소유자 이름", "소유자 연락처", "소유자 주소", "소재지"} & set(rows[0])
    flat = " ".join(str(value) for row in rows for value in row)
    assert "JJ-EXP-1" in flat and "실태조사 완료" in flat
    for personal in ("김소유", "010-1111-2222", "소유로 1", "77-7"):
        assert personal not in flat


# --- Transitions in the admin -----------------------------------------------------------------------


def _transition(client, house, to_status, **extra):
    return client.post(
        reverse("admin:regeneration_housestatuschange_add"),
        {"house": house.pk, "to_status": to_status, "note": "관리자 화면", **extra},
    )


def test_admin_transition_moves_the_house_and_records_who(admin_client, admin_user):
    house = VacantHouseFactory(status=HouseStatus.SURVEYED)
    form_page = admin_client.get(reverse("admin:regeneration_housestatuschange_add"), {"house": house.pk})
    assert form_page.status_code == 200
    response = _transition(admin_client, house, HouseStatus.OWNER_CONTACTED)
    assert response.status_code == 302
    house.refresh_from_db()
    assert house.status == HouseStatus.OWNER_CONTACTED
    change = HouseStatusChange.objects.get()
    assert (change.changed_by, change.note, change.from_status) == (
        admin_user,
        "관리자 화면",
        HouseStatus.SURVEYED,
    )
    # Recorded history cannot be edited or deleted.
    view = admin_client.get(reverse("admin:regeneration_housestatuschange_change", args=[change.pk]))
    assert view.status_code == 200 and not view.context["has_change_permission"]
    assert (
        admin_client.post(
            reverse("admin:regeneration_housestatuschange_delete", args=[change.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_admin_refused_transition_shows_the_reason_and_changes_nothing(admin_client):
    house = VacantHouseFactory(status=HouseStatus.OWNER_CONTACTED)
    response = _transition(admin_client, house, HouseStatus.CONSENT_OBTAINED)
    assert response.status_code == 200
    assert "유효한 소유자 동의가 없어" in response.content.decode()
    house.refresh_from_db()
    assert house.status == HouseStatus.OWNER_CONTACTED
    assert not HouseStatusChange.objects.exists()

    skip = _transition(admin_client, house, HouseStatus.IN_USE, program=HousingProgramFactory().pk)
    assert (
        skip.context["adminform"]
        .form.errors["to_status"][0]
        .startswith("'소유자 접촉'에서 '활용 중'(으)로 바꿀 수 없습니다.")
    )
    assert not HouseStatusChange.objects.exists()


def test_house_form_cannot_change_status_program_or_grade(admin_client):
    house = VacantHouseFactory(status=HouseStatus.SURVEYED)
    OwnerConsentFactory(house=house)
    page = admin_client.get(reverse("admin:regeneration_vacanthouse_change", args=[house.pk]))
    assert "status" not in page.context["adminform"].form.fields
    assert f"{reverse('admin:regeneration_housestatuschange_add')}?house={house.pk}" in page.content.decode()


def test_house_added_in_the_admin_starts_its_life_cycle(admin_client, admin_user, dong):
    data = {
        "management_number": "JJ-ADMIN-1",
        "address": "전주시 완산구 풍남동3가 1-1",
        "dong": dong.pk,
        "building_type": "hanok",
        "vacancy_cause": "unknown",
        "surveyed_on": "2024-04-15",
        "survey_round": "2024",
    }
    for prefix in ("grades", "consents", "status_changes", "renovations", "rooms", "tenancies"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(
        {
            "grades-TOTAL_FORMS": "1",
            "grades-0-scheme": "urban4",
            "grades-0-grade": "3",
            "grades-0-graded_on": "2024-04-15",
            "grades-0-reason": "survey",
        }
    )
    response = admin_client.post(reverse("admin:regeneration_vacanthouse_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    house = VacantHouse.objects.get(management_number="JJ-ADMIN-1")
    assert (house.status, house.current_grade_scheme, house.current_grade) == (
        HouseStatus.SURVEYED,
        "urban4",
        3,
    )
    assert house.status_changes.get().changed_by == admin_user


# --- Tenancies in the admin -------------------------------------------------------------------------


def _tenancy_post(client, **overrides):
    data = {
        "household_type": "single",
        "household_size": "1",
        "deposit": "1000000",
        "monthly_rent": "150000",
        "market_rent": "300000",
        "tenant_name": "박지민",
        "tenant_birth_date": "1998-07-12",
        "starts_on": "2026-03-01",
        **overrides,
    }
    return client.post(reverse("admin:regeneration_tenancy_add"), data)


def test_admin_refuses_an_overlapping_tenancy_and_saves_a_free_room(admin_client):
    program = HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE)
    room = RoomFactory()
    TenancyFactory(
        house=room.house, room=room, program=program, starts_on=datetime.date(2026, 1, 1), ends_on=None
    )
    response = _tenancy_post(admin_client, house=room.house.pk, room=room.pk, program=program.pk)
    assert response.status_code == 200
    assert "같은 집(호실)에 기간이 겹치는 입주 계약이 이미 있습니다." in response.content.decode()
    assert Tenancy.objects.count() == 1

    other = RoomFactory(house=room.house)
    ok = _tenancy_post(admin_client, house=room.house.pk, room=other.pk, program=program.pk)
    assert ok.status_code == 302
    assert Tenancy.objects.filter(room=other).count() == 1


def test_admin_refuses_a_youth_tenant_too_old(admin_client):
    program = HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE)
    room = RoomFactory()
    response = _tenancy_post(
        admin_client, house=room.house.pk, room=room.pk, program=program.pk, tenant_birth_date="1980-01-01"
    )
    assert (
        "입주일 기준 나이가 46세로, 이 사업의 입주 나이(19~39세)를 벗어납니다." in response.content.decode()
    )
    assert not Tenancy.objects.exists()


# --- Minutes and supports ---------------------------------------------------------------------------


def test_publish_action_publishes_held_meetings_and_reports_refusals(admin_client):
    held = CouncilMeetingFactory(title="지난 회의", held_at=timezone.now() - datetime.timedelta(days=3))
    future = CouncilMeetingFactory(
        title="다음 회의", held_at=timezone.now() + datetime.timedelta(days=5), minutes=""
    )
    response = admin_client.post(
        reverse("admin:regeneration_councilmeeting_changelist"),
        {"action": "publish_minutes", "_selected_action": [held.pk, future.pk]},
        follow=True,
    )
    content = response.content.decode()
    assert "회의록 1건을 공개했습니다." in content
    assert "아직 열리지 않은 회의의 회의록은 공개할 수 없습니다." in content
    held.refresh_from_db()
    future.refresh_from_db()
    assert held.is_published and not future.is_published


def test_funding_support_needs_an_amount(admin_client):
    from .factories import ResidentCouncilFactory

    council = ResidentCouncilFactory()
    response = admin_client.post(
        reverse("admin:regeneration_councilsupport_add"),
        {"council": council.pk, "kind": "funding", "title": "공모사업", "provided_on": "2025-04-01"},
    )
    assert "사업비 지원은 지원 금액을 입력해야 합니다." in response.content.decode()
    assert not council.supports.exists()


def _management(*prefixes):
    return {
        f"{prefix}-{key}": "0"
        for prefix in prefixes
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")
    }


def test_ticking_publish_on_a_future_meeting_shows_the_refusal_and_saves_nothing(admin_client):
    future = CouncilMeetingFactory(title="다음 회의", held_at=timezone.now() + datetime.timedelta(days=5))
    held_at = timezone.localtime(future.held_at)
    response = admin_client.post(
        reverse("admin:regeneration_councilmeeting_change", args=[future.pk]),
        {
            "council": future.council_id,
            "title": "다음 정기회의",
            "held_at_0": f"{held_at:%Y-%m-%d}",
            "held_at_1": f"{held_at:%H:%M:%S}",
            "place": future.place,
            "minutes": future.minutes,
            "attendee_count": "9",
            "is_published": "on",
            **_management("attendances", "attachments"),
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == ["아직 열리지 않은 회의의 회의록은 공개할 수 없습니다."]
    future.refresh_from_db()
    assert (future.title, future.is_published, future.published_at) == ("다음 회의", False, None)


def test_moving_a_consent_to_another_house_shows_the_refusal_and_saves_nothing(admin_client):
    consent = OwnerConsentFactory(note="")
    response = admin_client.post(
        reverse("admin:regeneration_ownerconsent_change", args=[consent.pk]),
        {
            "house": VacantHouseFactory().pk,
            "consented_on": f"{consent.consented_on}",
            "scope": consent.scope,
            "expires_on": f"{consent.expires_on}",
            "note": "소유자 요청",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["house"] == [
        "소유자 동의는 다른 빈집으로 옮길 수 없습니다."
    ]
    stored = OwnerConsent.objects.get(pk=consent.pk)
    assert (stored.house_id, stored.note) == (consent.house_id, "")


def test_a_meeting_added_on_the_council_page_is_published_through_the_service(admin_client):
    from .factories import ResidentCouncilFactory

    council = ResidentCouncilFactory()
    held_at = timezone.localtime(timezone.now() - datetime.timedelta(days=1))
    data = {
        "area": council.area_id,
        "name": council.name,
        "is_active": "on",
        **_management("members", "meetings", "supports"),
        "meetings-TOTAL_FORMS": "1",
        "meetings-0-title": "임시회의",
        "meetings-0-held_at_0": f"{held_at:%Y-%m-%d}",
        "meetings-0-held_at_1": f"{held_at:%H:%M:%S}",
        "meetings-0-attendee_count": "5",
        "meetings-0-is_published": "on",
    }
    url = reverse("admin:regeneration_residentcouncil_change", args=[council.pk])
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "회의록이 있어야 공개할 수 있습니다." in refused.content.decode()
    assert not council.meetings.exists()

    del data["meetings-0-is_published"]
    assert admin_client.post(url, data).status_code == 302
    meeting = council.meetings.get()
    assert (meeting.title, meeting.is_published, meeting.published_at) == ("임시회의", False, None)


# --- Dashboard --------------------------------------------------------------------------------------


def _grow_dashboard(n):
    program = HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE)
    for index in range(n):
        house = VacantHouseFactory(status=HouseStatus.IN_USE, current_program=program, dong=DongFactory())
        rooms = [RoomFactory(house=house), RoomFactory(house=house)]
        TenancyFactory(
            house=house,
            room=rooms[0],
            program=program,
            tenant_name="박지민",
            starts_on=TODAY - datetime.timedelta(days=30),
            ends_on=TODAY + datetime.timedelta(days=20 + index),
        )
        HouseStatusChange.objects.create(
            house=house, from_status="renovation", to_status="in_use", changed_at=timezone.now()
        )
        VacantHouseFactory(status=HouseStatus.SURVEYED)
    return program


def test_dashboard_counts_status_grade_program_dong_occupancy_and_years(admin_client):
    program = _grow_dashboard(3)
    url = reverse("admin:regeneration_vacanthouse_dashboard")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.context["data"]
    assert data["total"] == 6
    assert {row["code"]: row["n"] for row in data["by_status"]}["in_use"] == 3
    row = next(row for row in data["programs"] if row["program"] == program)
    assert (row["houses_in_use"], row["units"], row["occupied"], row["rate"]) == (3, 6, 3, 50)
    assert data["into_use_by_year"] == [{"year": timezone.now().year, "n": 3}]
    assert sum(row["n"] for row in data["by_grade"]) == 6
    assert len(response.context["ending"]) == 3
    content = response.content.decode()
    # A superuser holds every permission, 개인정보 열람 included (masking: test_personal_data.py).
    assert "박지민" in content

    with CaptureQueriesContext(connection) as first:
        admin_client.get(url)
    _grow_dashboard(3)
    with CaptureQueriesContext(connection) as second:
        response = admin_client.get(url)
    assert len(second.captured_queries) == len(first.captured_queries)
    assert response.context["data"]["total"] == 12
