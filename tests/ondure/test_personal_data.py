"""Issue 8 in the Ondure back office: masking and the access log, custom views' permissions, retention,
the team's dashboard panel, evidence uploads and the change history."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jeonju_center.accounts.models import User
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.teams import (
    CENTER_ADMINS,
    EDUCATION_TEAM,
    PERSONAL_DATA_VIEWERS,
    SOCIAL_ECONOMY_TEAM,
)
from ondure import selectors, services
from ondure.dashboard import ondure_items
from ondure.models import Community, CommunityStatus, Stage, SupportRecord
from tests.actors import TEST_JOB
from tests.staff import staff_user

from .factories import (
    CommunityFactory,
    CommunityMemberFactory,
    CommunityStageRecordFactory,
    SupportProgramFactory,
    SupportRecordFactory,
)

pytestmark = pytest.mark.django_db

LEADER, LEADER_PHONE = "김철용", "010-2345-6789"
MEMBER, MEMBER_PHONE = "박영희", "010-3456-7890"


@pytest.fixture
def team_client(client, teams):
    client.force_login(staff_user("se-staff", SOCIAL_ECONOMY_TEAM))
    return client


@pytest.fixture
def viewer_client(client, teams):
    client.force_login(staff_user("se-privacy", SOCIAL_ECONOMY_TEAM, PERSONAL_DATA_VIEWERS))
    return client


def _url(model_name, view, *args):
    return reverse(f"admin:ondure_{model_name}_{view}", args=args)


@pytest.fixture
def people():
    community = CommunityFactory(leader_name=LEADER, leader_phone=LEADER_PHONE)
    member = CommunityMemberFactory(community=community, name=MEMBER, phone=MEMBER_PHONE)
    return community, member


def _pages(community, member):
    """(url, the personal values it shows, the access-log rows an unmasked view writes)."""
    return [
        (_url("community", "changelist"), [LEADER], [("ondure.community", [community.pk])]),
        (
            _url("community", "change", community.pk),
            [LEADER, LEADER_PHONE, MEMBER, MEMBER_PHONE],
            [("ondure.community", [community.pk]), ("ondure.communitymember", [member.pk])],
        ),
        (
            _url("communitymember", "changelist"),
            [MEMBER, MEMBER_PHONE],
            [("ondure.communitymember", [member.pk])],
        ),
        (
            _url("communitymember", "change", member.pk),
            [MEMBER, MEMBER_PHONE],
            [("ondure.communitymember", [member.pk])],
        ),
    ]


MASKED = {LEADER: "김*용", LEADER_PHONE: "010-2345-****", MEMBER: "박*희", MEMBER_PHONE: "010-3456-****"}


def test_every_screen_is_masked_for_the_team_and_logs_nothing(team_client, people):
    for url, values, _logged in _pages(*people):
        content = team_client.get(url).content.decode()
        for value in values:
            assert value not in content and MASKED[value] in content, (url, value)
    assert not PersonalDataAccess.objects.exists()


def test_every_screen_is_unmasked_with_the_permission_and_logged_once_per_kind_of_data(viewer_client, people):
    for url, values, logged in _pages(*people):
        before = PersonalDataAccess.objects.order_by("pk").last()
        content = viewer_client.get(url).content.decode()
        for value in values:
            assert value in content, (url, value)
        new = PersonalDataAccess.objects.filter(pk__gt=before.pk if before else 0).order_by("pk")
        assert [(row.model_label, row.object_ids) for row in new] == logged, url
        assert {(row.action, row.staff_username, row.masked) for row in new} == {
            ("view", "se-privacy", False)
        }


def test_the_team_cannot_change_or_add_what_it_cannot_see(team_client, people):
    community, _member = people
    response = team_client.get(_url("community", "change", community.pk))
    assert "leader_name" not in response.context["adminform"].form.fields
    (member_formset, *_rest) = response.context["inline_admin_formsets"]
    assert "name" not in member_formset.formset.form.base_fields
    assert not member_formset.has_add_permission  # members are added on the member page instead


def test_a_search_on_member_names_is_logged_with_its_hits(team_client, people):
    _community, member = people
    CommunityMemberFactory(name="정민호")
    team_client.get(_url("communitymember", "changelist"), {"q": MEMBER})
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.action, entry.search_term, entry.object_ids) == ("search", MEMBER, [member.pk])


def test_the_registry_export_holds_no_personal_data_and_logs_nothing(viewer_client, people):
    response = viewer_client.post(
        _url("community", "export"),
        {"format": "0", "resource": "0", **{f"communityresource_{f}": "on" for f in ("name", "cohort_year")}},
    )
    assert response.status_code == 200
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("view", ["dashboard", "graduate"])
def test_custom_views_refuse_other_teams(client, teams, view):
    community = CommunityFactory(current_stage=Stage.HOPE)
    url = _url("community", view) if view == "dashboard" else _url("community", view, community.pk)
    client.force_login(staff_user("teacher", EDUCATION_TEAM, PERSONAL_DATA_VIEWERS))
    assert client.get(url).status_code == 403
    client.force_login(staff_user("se", SOCIAL_ECONOMY_TEAM))
    assert client.get(url).status_code == 200


def test_member_str_never_shows_the_full_name(people):
    _community, member = people
    assert MEMBER not in str(member) and "박*희" in str(member)


# --- Retention ---------------------------------------------------------------------------------------

NOW = timezone.make_aware(datetime.datetime(2030, 6, 1, 3, 0))
CUTOFF = datetime.date(2027, 6, 1)
BEFORE, ON = CUTOFF - datetime.timedelta(days=1), CUTOFF


def _ended(status, on, **kwargs):
    field = "dissolved_on" if status == CommunityStatus.DISSOLVED else "graduated_on"
    extra = {"graduated": True} if status == CommunityStatus.GRADUATED else {"status": status}
    return CommunityFactory(cohort_year=2020, **extra, **{field: on}, **kwargs)


def test_members_are_anonymised_after_leaving_or_when_their_community_ended_and_only_once(teams):
    account = staff_user("member-account")
    active = CommunityFactory(cohort_year=2020)
    left_long_ago = CommunityMemberFactory(community=active, left_on=BEFORE, user=account)
    left_on_cutoff = CommunityMemberFactory(community=active, left_on=ON)
    current = CommunityMemberFactory(community=active)
    in_dissolved = CommunityMemberFactory(community=_ended(CommunityStatus.DISSOLVED, BEFORE))
    in_recently_graduated = CommunityMemberFactory(community=_ended(CommunityStatus.GRADUATED, ON))

    assert services.community_members_anonymise(ended_before=CUTOFF, now=NOW, actor=TEST_JOB) == 2
    for member in (left_long_ago, in_dissolved):
        member.refresh_from_db()
        assert (member.name, member.phone, member.user, member.anonymised_at) == (
            services.ANONYMISED_MEMBER_NAME,
            "",
            None,
            NOW,
        )
        assert member.history.latest().history_change_reason == services.ANONYMISED_REASON
    for member in (left_on_cutoff, current, in_recently_graduated):
        member.refresh_from_db()
        assert (
            member.name != services.ANONYMISED_MEMBER_NAME and member.phone and member.anonymised_at is None
        )
    assert left_long_ago.joined_on is not None  # the row stays for the statistics
    assert User.objects.filter(pk=account.pk).exists()
    assert services.community_members_anonymise(ended_before=CUTOFF, now=NOW, actor=TEST_JOB) == 0


def test_leaders_of_ended_communities_are_anonymised_and_only_once():
    dissolved = _ended(CommunityStatus.DISSOLVED, BEFORE)
    graduated = _ended(CommunityStatus.GRADUATED, BEFORE)
    recent = _ended(CommunityStatus.DISSOLVED, ON)
    dormant = CommunityFactory(status=CommunityStatus.DORMANT)
    active = CommunityFactory()
    assert services.community_leaders_anonymise(ended_before=CUTOFF, now=NOW, actor=TEST_JOB) == 2
    for community in (dissolved, graduated):
        community.refresh_from_db()
        assert (community.leader_name, community.leader_phone, community.leader_anonymised_at) == (
            "",
            "",
            NOW,
        )
        assert not hasattr(community.history.latest(), "leader_name")
    for community in (recent, dormant, active):
        community.refresh_from_db()
        assert community.leader_name and community.leader_phone and community.leader_anonymised_at is None
    assert services.community_leaders_anonymise(ended_before=CUTOFF, now=NOW, actor=TEST_JOB) == 0


# --- The back-office home ----------------------------------------------------------------------------


@pytest.fixture
def attention():
    """Relative to today, because the admin's "심사 대기" filter reads today's date like the panel."""
    today = timezone.localdate()
    due = selectors.review_year_due(today)
    for year, decision, status in (
        (due, "", CommunityStatus.ACTIVE),  # due
        (due - 1, "", CommunityStatus.ACTIVE),  # overdue
        (due + 1, "", CommunityStatus.ACTIVE),  # reviewed next December
        (due, "promote", CommunityStatus.ACTIVE),  # decided
        (due, "", CommunityStatus.DORMANT),  # not an active community
    ):
        community = CommunityFactory(cohort_year=2020, status=status)
        CommunityStageRecordFactory(community=community, year=year, decision=decision, reason="")
    old, current = SupportProgramFactory(year=today.year - 1), SupportProgramFactory(year=today.year)
    SupportRecordFactory(program=old, amount=1_000_000)  # unsettled since last year
    SupportRecordFactory(program=current, amount=2_000_000, settlement_status="in_progress")
    SupportRecordFactory(program=current, settlement_status="settled", settled_on=today)
    SupportRecordFactory(program=current, kind=SupportRecord.Kind.CONSULTING, amount=0)
    return today


def test_dashboard_counts_and_links_open_exactly_the_counted_rows(team_client, attention):
    with CaptureQueriesContext(connection) as queries:
        items = ondure_items(today=attention)
    assert len(queries) == 2
    assert [(item.count, item.level) for item in items] == [(2, "warning"), (2, "info"), (1, "warning")]
    assert items[1].detail == "합계 3,000,000원"
    for item in items:
        response = team_client.get(item.url)
        assert response.status_code == 200, item.url
        assert response.context["cl"].result_count == item.count, item.url


def test_reviews_of_the_current_year_are_due_from_december():
    assert selectors.review_year_due(datetime.date(2030, 11, 30)) == 2029
    assert selectors.review_year_due(datetime.date(2030, 12, 1)) == 2030


@pytest.mark.parametrize(
    ("groups", "shown"),
    [([SOCIAL_ECONOMY_TEAM], True), ([CENTER_ADMINS], True), ([EDUCATION_TEAM], False)],
)
def test_the_panel_is_shown_to_the_team_and_center_admins_only(client, teams, attention, groups, shown):
    client.force_login(staff_user("someone", *groups))
    content = client.get(reverse("admin:index")).content.decode()
    assert ("온두레 공동체 지원" in content) is shown
    assert ("정산되지 않은 보조금" in content) is shown


# --- Evidence uploads --------------------------------------------------------------------------------


def _record_form(record, evidence):
    return {
        "community": record.community.pk,
        "program": record.program.pk,
        "kind": record.kind,
        "supported_on": record.supported_on.isoformat(),
        "amount": str(record.amount),
        "settlement_status": record.settlement_status,
        "settled_on": "",
        "returned_amount": "0",
        "notes": "",
        "evidence": evidence,
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("receipt.pdf", b"%PDF-1.7\n" + b"0" * 4096, "파일이 너무 큽니다"),
        ("receipt.exe", b"MZ\x90\x00", "올릴 수 없는 파일 형식입니다"),
        (
            "receipt.pdf",
            b"<html><script>alert(1)</script></html>",
            "파일 내용이 확장자(.pdf)와 맞지 않습니다",
        ),
    ],
)
@override_settings(MAX_UPLOAD_MB=0.001)
def test_evidence_uploads_are_checked_and_nothing_is_saved(team_client, name, content, message):
    record = SupportRecordFactory()
    response = team_client.post(
        _url("supportrecord", "change", record.pk), _record_form(record, SimpleUploadedFile(name, content))
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["evidence"])
    assert not SupportRecord.objects.get(pk=record.pk).evidence


def test_a_real_pdf_is_accepted_as_evidence(team_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = SupportRecordFactory()
    pdf = SimpleUploadedFile("receipt.pdf", b"%PDF-1.7\n%%EOF\n")
    response = team_client.post(_url("supportrecord", "change", record.pk), _record_form(record, pdf))
    assert response.status_code == 302
    assert SupportRecord.objects.get(pk=record.pk).evidence.name.endswith(".pdf")


# --- Change history ----------------------------------------------------------------------------------


def test_a_community_change_through_the_service_records_who_when_and_why(viewer_client):
    community = CommunityFactory(name="서학동 마을극단", kind="startup", members_count=7)
    staff = User.objects.get(username="se-privacy")
    page = viewer_client.get(_url("community", "change", community.pk))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "name": "서학동 예술마을 극단",
            "history_change_reason": "공동체 요청으로 이름 변경",
            **{
                f"{prefix}-{key}": "0"
                for prefix in ("members", "stage_records", "support_records")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        }
    )
    response = viewer_client.post(_url("community", "change", community.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = Community.objects.get(pk=community.pk).history.latest()
    assert (latest.name, latest.history_user, latest.history_change_reason) == (
        "서학동 예술마을 극단",
        staff,
        "공동체 요청으로 이름 변경",
    )
