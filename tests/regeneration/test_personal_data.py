"""Issue 8 in the regeneration back office: masking by permission and the access log, history with reasons,
retention of tenants'/members'/owners' personal data, the team's dashboard panel and upload checks."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from jeonju_center.common.models import PersonalDataAccess, RetentionRun
from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.retention import apply_retention_policies
from jeonju_center.common.teams import (
    CENTER_ADMINS,
    EDUCATION_TEAM,
    PERSONAL_DATA_VIEWERS,
    REGENERATION_TEAM,
    SOCIAL_ECONOMY_TEAM,
)
from regeneration import retention, services
from regeneration.dashboard import regeneration_items
from regeneration.models import (
    CouncilMember,
    HouseStatus,
    MeetingAttachment,
    OwnerConsent,
    ProgramKind,
    Renovation,
)
from tests.actors import TEST_JOB
from tests.staff import staff_user

from .factories import (
    CouncilMeetingFactory,
    CouncilMemberFactory,
    HousingProgramFactory,
    OwnerConsentFactory,
    RenovationFactory,
    ResidentCouncilFactory,
    RoomFactory,
    TenancyFactory,
    VacantHouseFactory,
)

pytestmark = pytest.mark.django_db

# Every test here runs at one moment (a Wednesday morning in Korea): dates built from it cannot go stale at midnight.
MOMENT = timezone.make_aware(datetime.datetime(2027, 5, 12, 10, 0))
TODAY = MOMENT.date()


@pytest.fixture(autouse=True)
def _at_moment(time_machine):
    time_machine.move_to(MOMENT)


@pytest.fixture(autouse=True)
def teams():
    load_all_reference_data()


@pytest.fixture
def team_client(client):
    client.force_login(staff_user("regen", REGENERATION_TEAM))
    return client


@pytest.fixture
def viewer(client):
    user = staff_user("privacy", REGENERATION_TEAM, PERSONAL_DATA_VIEWERS)
    client.force_login(user)
    return user


def _log():
    return list(PersonalDataAccess.objects.order_by("pk"))


# --- Masking and the access log: every list and change view that shows personal data --------------


def _member():
    return CouncilMemberFactory(name="김철용", phone="010-1234-5678")


def _tenancy():
    return TenancyFactory(
        tenant_name="박지민", tenant_phone="010-9876-5432", tenant_birth_date=datetime.date(1997, 3, 4)
    )


def _house():
    return VacantHouseFactory(
        owner_name="최영수",
        owner_phone="010-5555-6666",
        owner_address="서울특별시 마포구 소유로 17",
        address="전북특별자치도 전주시 완산구 풍남동3가 55-1",
    )


# (builder, full values, masked values): the list shows the first two values of each kind.
SCREENS = {
    "councilmember": (_member, ["김철용", "010-1234-5678"], ["김*용", "010-1234-****"]),
    "tenancy": (_tenancy, ["박지민", "010-9876-5432"], ["박*민", "010-9876-****", "1997-**-**"]),
    "vacanthouse": (_house, ["최영수", "풍남동3가 55-1"], ["최*수", "풍남동3가 ***"]),
}
# Values only the change view shows (the list shows dates in the long format).
DETAIL_ONLY = {
    "vacanthouse": (["010-5555-6666", "소유로 17"], ["010-5555-****", "소유로 ***"]),
    "tenancy": (["1997-03-04"], []),
}


@pytest.mark.parametrize("model_name", SCREENS)
def test_lists_and_change_views_are_masked_for_the_team_and_nothing_is_logged(team_client, model_name):
    build, full, masked = SCREENS[model_name]
    obj = build()
    extra_full, extra_masked = DETAIL_ONLY.get(model_name, ([], []))
    listing = team_client.get(reverse(f"admin:regeneration_{model_name}_changelist")).content.decode()
    change = team_client.get(
        reverse(f"admin:regeneration_{model_name}_change", args=[obj.pk])
    ).content.decode()
    for page in (listing, change):
        assert all(value in page for value in masked), masked
        assert not any(value in page for value in full), full
    assert all(value in change for value in extra_masked)
    assert not any(value in change for value in extra_full)
    assert _log() == []


@pytest.mark.parametrize("model_name", SCREENS)
def test_viewers_with_the_permission_see_full_values_and_each_page_is_logged_once(client, viewer, model_name):
    build, full, _masked = SCREENS[model_name]
    obj = build()
    listing = client.get(reverse(f"admin:regeneration_{model_name}_changelist")).content.decode()
    assert all(value in listing for value in full)
    (listed,) = _log()
    assert (listed.action, listed.staff_id, listed.model_label) == (
        "view",
        viewer.pk,
        f"regeneration.{model_name}",
    )
    assert listed.object_ids == [obj.pk] and not listed.masked

    change = client.get(reverse(f"admin:regeneration_{model_name}_change", args=[obj.pk])).content.decode()
    assert all(value in change for value in full + DETAIL_ONLY.get(model_name, ([], []))[0])
    viewed = [entry for entry in _log()[1:] if entry.model_label == f"regeneration.{model_name}"]
    assert len(viewed) == 1 and viewed[0].object_ids == [obj.pk]
    assert set(viewed[0].fields) == set(type(obj).PERSONAL_DATA_FIELDS)


def test_inlines_of_a_house_and_a_council_are_masked_or_logged(client, team_client):
    council = ResidentCouncilFactory()
    member = CouncilMemberFactory(council=council, name="김철용", phone="010-1234-5678")
    tenancy = TenancyFactory(tenant_name="박지민")
    council_url = reverse("admin:regeneration_residentcouncil_change", args=[council.pk])
    house_url = reverse("admin:regeneration_vacanthouse_change", args=[tenancy.house.pk])
    masked = team_client.get(council_url).content.decode() + team_client.get(house_url).content.decode()
    assert "김*용" in masked and "박*민" in masked
    assert "김철용" not in masked and "010-1234-5678" not in masked and "박지민" not in masked
    assert _log() == []

    client.force_login(staff_user("privacy", REGENERATION_TEAM, PERSONAL_DATA_VIEWERS))
    assert "김철용" in client.get(council_url).content.decode()
    (members,) = _log()
    assert (members.model_label, members.object_ids, members.fields) == (
        "regeneration.councilmember",
        [member.pk],
        ["name", "phone"],
    )
    assert "박지민" in client.get(house_url).content.decode()
    logged = {entry.model_label: entry.object_ids for entry in _log()[1:]}
    assert logged == {"regeneration.vacanthouse": [tenancy.house.pk], "regeneration.tenancy": [tenancy.pk]}


def test_a_search_on_personal_fields_is_logged_with_its_hits_even_when_masked(team_client):
    tenancy = _tenancy()
    _tenancy()  # another tenant of the same name elsewhere is another hit
    url = reverse("admin:regeneration_tenancy_changelist")
    team_client.get(url, {"q": "박지민"})
    team_client.get(url, {"q": "nobody-matches"})
    (search,) = _log()
    assert (search.action, search.search_term, search.fields) == ("search", "박지민", ["tenant_name"])
    assert tenancy.pk in search.object_ids and search.record_count == 2


def test_the_team_cannot_change_masked_fields_and_saving_keeps_them(team_client):
    member = _member()
    url = reverse("admin:regeneration_councilmember_change", args=[member.pk])
    form = team_client.get(url).context["adminform"].form
    assert "name" not in form.fields and "phone" not in form.fields
    response = team_client.post(
        url,
        {
            "council": member.council_id,
            "position": "member",
            "started_on": "2023-01-01",
            "note": "연락처 확인",
            "history_change_reason": "비고 추가",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.name, member.phone, member.note) == ("김철용", "010-1234-5678", "연락처 확인")


def test_the_survey_export_has_no_personal_columns_and_writes_no_log(client, viewer):
    _house()
    response = client.post(
        reverse("admin:regeneration_vacanthouse_export"),
        {
            "format": "1",
            "resource": "0",
            "reason": "점검",
            **{
                f"vacanthouseresource_{name}": "on" for name in ("management_number", "owner_name", "address")
            },
        },
    )
    assert response.status_code == 200
    content = response.content.decode("utf-8-sig")
    assert "JJ-" in content
    assert "최영수" not in content and "55-1" not in content and "010-5555" not in content
    assert _log() == []


# --- Custom admin screens: the status report and consent documents -------------------------------


def _ending_tenancy():
    return TenancyFactory(
        tenant_name="박지민",
        starts_on=TODAY - datetime.timedelta(days=300),
        ends_on=TODAY + datetime.timedelta(days=10),
    )


def test_the_status_report_masks_tenants_for_the_team_and_logs_unmasked_views(client, team_client):
    tenancy = _ending_tenancy()
    url = reverse("admin:regeneration_vacanthouse_dashboard")
    masked = team_client.get(url)
    assert masked.status_code == 200
    assert "박*민" in masked.content.decode() and "박지민" not in masked.content.decode()
    assert _log() == []
    client.force_login(staff_user("privacy", REGENERATION_TEAM, PERSONAL_DATA_VIEWERS))
    assert "박지민" in client.get(url).content.decode()
    (entry,) = _log()
    assert (entry.action, entry.model_label, entry.object_ids) == (
        "view",
        "regeneration.tenancy",
        [tenancy.pk],
    )


@pytest.mark.parametrize("team", [SOCIAL_ECONOMY_TEAM, EDUCATION_TEAM])
def test_other_teams_get_403_on_the_custom_screens(client, team):
    consent = OwnerConsentFactory(document=ContentFile(b"%PDF-1.4 consent", name="consent.pdf"))
    client.force_login(staff_user("other", team, PERSONAL_DATA_VIEWERS))
    assert client.get(reverse("admin:regeneration_vacanthouse_dashboard")).status_code == 403
    assert (
        client.get(reverse("admin:regeneration_ownerconsent_document", args=[consent.pk])).status_code == 403
    )
    assert _log() == []


def test_consent_documents_download_only_with_the_permission_and_each_download_is_logged(client, team_client):
    consent = OwnerConsentFactory(document=ContentFile(b"%PDF-1.4 consent", name="consent.pdf"))
    url = reverse("admin:regeneration_ownerconsent_document", args=[consent.pk])
    assert team_client.get(url).status_code == 403
    change = team_client.get(
        reverse("admin:regeneration_ownerconsent_change", args=[consent.pk])
    ).content.decode()
    assert "●●●" in change and url not in change and consent.document.name not in change
    assert _log() == []

    viewer = staff_user("privacy", REGENERATION_TEAM, PERSONAL_DATA_VIEWERS)
    client.force_login(viewer)
    change = client.get(reverse("admin:regeneration_ownerconsent_change", args=[consent.pk])).content.decode()
    assert f'href="{url}"' in change  # the form links to the logged download, not the media file
    asked = client.get(url)  # the file only after a reason
    assert asked.status_code == 200 and "내려받는 사유" in asked.content.decode()
    assert "가리지 않은 값" not in asked.content.decode()  # a scanned form cannot be masked
    assert [entry.action for entry in _log()] == ["view"]
    response = client.get(url, {"reason": "audit", "detail": "동의 여부 확인 민원"})
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 consent"
    view, download = _log()
    assert (view.action, view.fields) == ("view", ["document"])
    assert (download.action, download.object_ids, download.staff_id) == ("download", [consent.pk], viewer.pk)
    assert download.reason == "감사·점검 대응: 동의 여부 확인 민원"


# --- History: who, when, why ------------------------------------------------------------------------


def test_an_admin_change_records_who_when_and_why_without_personal_data(client, viewer):
    member = _member()
    response = client.post(
        reverse("admin:regeneration_councilmember_change", args=[member.pk]),
        {
            "council": member.council_id,
            "name": "김철용",
            "phone": "010-1234-9999",
            "position": "secretary",
            "started_on": "2023-01-01",
            "history_change_reason": "위원 요청으로 연락처 정정",
        },
    )
    assert response.status_code == 302
    record = member.history.latest()
    assert (record.history_user, record.history_change_reason, record.position) == (
        viewer,
        "위원 요청으로 연락처 정정",
        "secretary",
    )
    assert timezone.now() - record.history_date < datetime.timedelta(minutes=1)
    history_fields = {field.name for field in CouncilMember.history.model._meta.get_fields()}
    assert not history_fields & {"name", "phone"}


def test_a_tenancy_change_saved_through_its_service_keeps_the_reason(client, viewer):
    tenancy = _tenancy()
    data = {
        "house": tenancy.house_id,
        "program": tenancy.program_id,
        "tenant_name": "박지민",
        "tenant_phone": "010-9876-5432",
        "tenant_birth_date": "1997-03-04",
        "household_type": "single",
        "household_size": "1",
        "deposit": "1000000",
        "monthly_rent": "150000",
        "market_rent": "350000",
        "starts_on": "2025-07-01",
        "ends_on": "2027-06-30",
        "moved_out_on": "2026-01-31",
        "history_change_reason": "조기 퇴거",
    }
    response = client.post(reverse("admin:regeneration_tenancy_change", args=[tenancy.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record = tenancy.history.latest()
    assert (record.history_user, record.history_change_reason, record.moved_out_on) == (
        viewer,
        "조기 퇴거",
        datetime.date(2026, 1, 31),
    )
    history_page = client.get(reverse("admin:regeneration_tenancy_history", args=[tenancy.pk]))
    assert "조기 퇴거" in history_page.content.decode()


def test_a_life_cycle_transition_keeps_its_note_as_the_history_reason():
    house = VacantHouseFactory()
    services.house_transition(
        house=house, to_status=HouseStatus.OWNER_CONTACTED, note="소유자 통화", actor=TEST_JOB
    )
    assert house.history.latest().history_change_reason == "소유자 통화"


# --- Retention ----------------------------------------------------------------------------------------

NOW = timezone.make_aware(datetime.datetime(2032, 3, 15, 3, 0))
CUTOFF = datetime.date(2027, 3, 16)  # about five years before NOW; the policies are given it explicitly


def test_tenancies_are_anonymised_exactly_when_their_period_ended_before_the_cutoff():
    # A youth share house: the PostgreSQL trigger checks the tenant's age unless the row is anonymised.
    program = HousingProgramFactory(kind=ProgramKind.YOUTH_SHARE_HOUSE)
    room = RoomFactory()
    common = {"program": program, "house": room.house, "starts_on": datetime.date(2024, 1, 1)}
    expired_by_contract = TenancyFactory(room=room, **common, ends_on=datetime.date(2024, 6, 30))
    room2 = RoomFactory(house=room.house)
    expired_by_move_out = TenancyFactory(
        room=room2, **common, ends_on=datetime.date(2029, 1, 1), moved_out_on=datetime.date(2027, 3, 15)
    )
    room3 = RoomFactory(house=room.house)
    on_the_cutoff = TenancyFactory(room=room3, **common, ends_on=CUTOFF)
    room4 = RoomFactory(house=room.house)
    open_ended = TenancyFactory(room=room4, **common, ends_on=None)

    assert retention.anonymise_ended_tenancies(cutoff=CUTOFF, now=NOW) == 2
    for tenancy in (expired_by_contract, expired_by_move_out):
        tenancy.refresh_from_db()
        assert (tenancy.tenant_name, tenancy.tenant_phone, tenancy.tenant_birth_date) == ("", "", None)
        assert tenancy.is_anonymised and tenancy.anonymised_at == NOW
        assert "익명" in str(tenancy)
    for tenancy in (on_the_cutoff, open_ended):
        tenancy.refresh_from_db()
        assert not tenancy.is_anonymised and tenancy.tenant_name and tenancy.tenant_birth_date
    assert retention.anonymise_ended_tenancies(cutoff=CUTOFF, now=NOW) == 0
    # An anonymised tenancy can still be saved (moved-out day corrected) under the program's rules.
    expired_by_contract.note = "보증금 반환 완료"
    services.tenancy_save(tenancy=expired_by_contract, actor=TEST_JOB)


def test_council_members_are_anonymised_three_years_after_they_left():
    cutoff = datetime.date(2029, 3, 16)
    left_long_ago = CouncilMemberFactory(ended_on=datetime.date(2029, 3, 15))
    left_recently = CouncilMemberFactory(ended_on=cutoff)
    current = CouncilMemberFactory(ended_on=None)
    assert retention.anonymise_departed_council_members(cutoff=cutoff, now=NOW) == 1
    left_long_ago.refresh_from_db()
    assert (left_long_ago.name, left_long_ago.phone, left_long_ago.is_anonymised) == ("", "", True)
    assert str(left_long_ago).startswith("익명")
    left_long_ago.full_clean()  # the blank name is valid once anonymised
    for member in (left_recently, current):
        member.refresh_from_db()
        assert member.name and member.phone and not member.is_anonymised
    assert retention.anonymise_departed_council_members(cutoff=cutoff, now=NOW) == 0


def _consented_house(status, *, withdrawn_on=None, expires_on=None, program=None, document=True):
    house = VacantHouseFactory(status=status, current_program=program, owner_address="서울 마포구 소유로 1")
    OwnerConsentFactory(
        house=house,
        consented_on=datetime.date(2022, 1, 1),
        withdrawn_on=withdrawn_on,
        expires_on=expires_on,
        document=ContentFile(b"%PDF-1.4 consent", name="consent.pdf") if document else "",
    )
    return house


def test_owner_data_and_consent_forms_are_erased_five_years_after_the_consent_ended(
    django_capture_on_commit_callbacks,
):
    before = datetime.date(2027, 3, 15)
    returned = _consented_house(HouseStatus.RETURNED_TO_OWNER, withdrawn_on=before)
    expired = _consented_house(HouseStatus.ENDED, expires_on=before, document=False)
    ended_on_the_cutoff = _consented_house(HouseStatus.RETURNED_TO_OWNER, expires_on=CUTOFF)
    open_consent = _consented_house(HouseStatus.RETURNED_TO_OWNER)
    in_use = _consented_house(HouseStatus.IN_USE, expires_on=before, program=HousingProgramFactory())
    renewed = _consented_house(HouseStatus.ENDED, expires_on=before)
    OwnerConsentFactory(
        house=renewed, consented_on=datetime.date(2027, 1, 1), expires_on=datetime.date(2030, 1, 1)
    )
    never_consented = VacantHouseFactory(status=HouseStatus.DEMOLISHED)
    document = returned.consents.get().document
    storage, name = document.storage, document.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert retention.erase_owner_data_after_consent(cutoff=CUTOFF, now=NOW) == 2
    for house in (returned, expired):
        house.refresh_from_db()
        assert (house.owner_name, house.owner_phone, house.owner_address) == ("", "", "")
        assert house.owner_data_erased_at == NOW and house.address  # the building stays findable
        assert not house.consents.get().document
    assert not storage.exists(name)
    for house in (ended_on_the_cutoff, open_consent, in_use, renewed, never_consented):
        house.refresh_from_db()
        assert house.owner_name and house.owner_data_erased_at is None
    assert all(consent.document for consent in OwnerConsent.objects.filter(house=ended_on_the_cutoff))
    assert retention.erase_owner_data_after_consent(cutoff=CUTOFF, now=NOW) == 0


def test_the_nightly_job_runs_the_regeneration_policies_and_reports_counts():
    TenancyFactory(ends_on=datetime.date(2026, 1, 1))
    CouncilMemberFactory(ended_on=datetime.date(2027, 1, 1))
    counts = apply_retention_policies(now=NOW)
    assert (counts["tenancies"], counts["council_members"], counts["vacant_house_owners"]) == (1, 1, 0)
    runs = dict(RetentionRun.objects.filter(ran_at=NOW).values_list("policy", "processed_count"))
    assert (runs["tenancies"], runs["council_members"]) == (1, 1)
    again = apply_retention_policies(now=NOW)
    assert (again["tenancies"], again["council_members"], again["vacant_house_owners"]) == (0, 0, 0)


# --- The team's dashboard panel --------------------------------------------------------------------


def _dashboard_fixture():
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    noon = datetime.time(12, 0)
    for day in (monday, monday + datetime.timedelta(days=6)):
        CouncilMeetingFactory(held_at=timezone.make_aware(datetime.datetime.combine(day, noon)))
    CouncilMeetingFactory(
        held_at=timezone.make_aware(datetime.datetime.combine(monday, noon)) - datetime.timedelta(days=1)
    )
    OwnerConsentFactory(
        consented_on=TODAY - datetime.timedelta(days=400), expires_on=TODAY + datetime.timedelta(days=60)
    )
    OwnerConsentFactory(
        consented_on=TODAY - datetime.timedelta(days=400), expires_on=TODAY + datetime.timedelta(days=61)
    )
    OwnerConsentFactory(
        consented_on=TODAY - datetime.timedelta(days=400),
        expires_on=TODAY + datetime.timedelta(days=5),
        withdrawn_on=TODAY - datetime.timedelta(days=1),
    )
    TenancyFactory(starts_on=TODAY - datetime.timedelta(days=100), ends_on=TODAY)
    TenancyFactory(
        starts_on=TODAY - datetime.timedelta(days=100), ends_on=TODAY + datetime.timedelta(days=61)
    )
    VacantHouseFactory(current_grade_scheme="", current_grade=None)
    VacantHouseFactory(status=HouseStatus.OWNER_CONTACTED, current_grade_scheme="", current_grade=None)
    RenovationFactory(started_on=TODAY - datetime.timedelta(days=10), ended_on=None)
    RenovationFactory(started_on=TODAY + datetime.timedelta(days=10), ended_on=None)


EXPECTED = {
    "이번 주 주민협의체 회의": 2,
    "60일 안에 만료되는 소유자 동의": 1,
    "60일 안에 끝나는 입주 계약": 1,
    "등급 판정을 기다리는 빈집 (실태조사 완료)": 1,
    # The tenancies bring houses of their own, "surveyed" by default: 1 + 2.
    "소유자 접촉 전 빈집 (실태조사 완료)": 3,
    "진행 중인 정비·리모델링": 1,
}


def test_panel_counts_are_right_with_a_constant_number_of_queries(django_assert_num_queries):
    _dashboard_fixture()
    with django_assert_num_queries(6):
        items = regeneration_items(today=TODAY)
    assert {item.label: item.count for item in items} == EXPECTED
    _dashboard_fixture()
    with django_assert_num_queries(6):
        doubled = {item.label: item.count for item in regeneration_items(today=TODAY)}
    assert doubled == {label: 2 * count for label, count in EXPECTED.items()}


def test_each_link_opens_the_changelist_filtered_to_exactly_the_counted_rows(team_client):
    _dashboard_fixture()
    for item in regeneration_items(today=TODAY):
        response = team_client.get(item.url)
        assert response.status_code == 200, item.url
        assert response.context["cl"].result_count == item.count, item.label


@pytest.mark.parametrize(
    ("groups", "shown"),
    [
        ((REGENERATION_TEAM,), True),
        ((CENTER_ADMINS,), True),
        ((SOCIAL_ECONOMY_TEAM,), False),
        ((EDUCATION_TEAM,), False),
    ],
)
def test_the_panel_is_shown_to_the_team_and_center_administrators_only(client, groups, shown):
    _dashboard_fixture()
    client.force_login(staff_user("someone", *groups))
    content = client.get(reverse("admin:index")).content.decode()
    assert ("60일 안에 끝나는 입주 계약" in content) is shown
    assert ("진행 중인 정비·리모델링" in content) is shown


# --- Uploads --------------------------------------------------------------------------------------


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


HTML = b"<!doctype html><script>alert(1)</script>"
PDF = b"%PDF-1.4 minutes"


def _attachment_data(upload):
    meeting = CouncilMeetingFactory()
    return (
        MeetingAttachment,
        "admin:regeneration_meetingattachment_add",
        "file",
        {"meeting": meeting.pk, "title": "회의 자료", "is_public": "on", "file": upload},
    )


def _consent_data(upload):
    house = VacantHouseFactory()
    return (
        OwnerConsent,
        "admin:regeneration_ownerconsent_add",
        "document",
        {"house": house.pk, "consented_on": "2025-01-01", "scope": "rental", "document": upload},
    )


def _renovation_data(upload):
    house = VacantHouseFactory()
    return (
        Renovation,
        "admin:regeneration_renovation_add",
        "before_photo",
        {"house": house.pk, "started_on": "2025-01-01", "budget": "0", "before_photo": upload},
    )


@pytest.mark.parametrize(
    ("builder", "name", "content", "limit_mb", "message"),
    [
        (_attachment_data, "minutes.pdf", PDF, 0, "파일이 너무 큽니다"),
        (_attachment_data, "minutes.html", HTML, 10, "올릴 수 없는 파일 형식입니다"),
        (_attachment_data, "minutes.pdf", HTML, 10, "파일 내용이 확장자(.pdf)와 맞지 않습니다"),
        (_consent_data, "consent.pdf", PDF, 0, "파일이 너무 큽니다"),
        (_consent_data, "consent.svg", b"<svg/>", 10, "올릴 수 없는 파일 형식입니다"),
        (_consent_data, "consent.pdf", HTML, 10, "파일 내용이 확장자(.pdf)와 맞지 않습니다"),
        (_renovation_data, "before.png", None, 0, "파일이 너무 큽니다"),
        (_renovation_data, "before.pdf", None, 10, "올릴 수 없는 파일 형식입니다"),
        (_renovation_data, "before.jpg", HTML, 10, "이미지"),  # Django's own image check answers first
    ],
)
def test_bad_uploads_are_refused_in_korean_and_nothing_is_saved(
    team_client, builder, name, content, limit_mb, message
):
    upload = SimpleUploadedFile(name, _png() if content is None else content)
    model, url_name, field, data = builder(upload)
    before = model.objects.count()
    with override_settings(MAX_UPLOAD_MB=limit_mb):
        response = team_client.post(reverse(url_name), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors.get(field, [])), errors
    assert model.objects.count() == before


def test_good_uploads_are_accepted(team_client):
    _model, url_name, _field, data = _renovation_data(SimpleUploadedFile("before.png", _png()))
    assert team_client.post(reverse(url_name), data).status_code == 302
    assert Renovation.objects.get(house=data["house"]).before_photo.name.endswith(".png")
    _model, url_name, _field, data = _attachment_data(SimpleUploadedFile("minutes.pdf", PDF))
    assert team_client.post(reverse(url_name), data).status_code == 302
    assert MeetingAttachment.objects.filter(title="회의 자료").exists()
