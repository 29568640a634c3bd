"""Every endpoint × every kind of client: the status code, and for refused writes that nothing changed."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from jeonju_center.accounts.models import User
from jeonju_center.api.feed import RESOURCE_SCOPES
from jeonju_center.api.routes import all_routes
from jeonju_center.common.teams import EDUCATION_TEAM, REGENERATION_TEAM, TEAM_APPS, load_team_groups
from jeonju_center.partners.models import PartnerAPIKey
from jeonju_center.partners.scopes import SCOPES
from jeonju_center.partners.services import partner_key_revoke
from social_economy.models import ConsultingCase, ConsultingSession
from tests.actors import TEST_JOB
from tests.api.support import one_of_each
from tests.partners.factories import PartnerCenterFactory, make_key

pytestmark = pytest.mark.django_db

CLIENT_KINDS = [
    "anonymous",
    "citizen",
    "partner_without_scope",
    "partner",
    "expired_key",
    "revoked_key",
    "staff",
    "staff_other_team",
    "staff_no_group",
]
ROUTES = {prefix: viewset for prefix, viewset, _basename in all_routes()}


def _owning_team(model):
    return next((team for team, apps in TEAM_APPS.items() if model._meta.app_label in apps), None)


def _staff_client(username, team=None, **extra):
    user = User.objects.create_user(username=username, password="x" * 12, is_staff=True, **extra)
    if team:
        user.groups.add(Group.objects.get(name=team))
    client = APIClient()
    client.force_login(user)
    return client


def make_clients(partner, read_scopes, model):
    """Clients of each kind for a resource of ``model`` readable with any of ``read_scopes`` (None: public).

    Staff sessions: a member of the team that keeps ``model`` in the back office, a member of another team and
    a staff account in no group."""
    granted = sorted(read_scopes or {"courses:read"})
    others = sorted(set(SCOPES) - set(read_scopes or ()))

    def with_key(scopes, *, expire=False, revoke=False):
        api_key, raw_key = make_key(*scopes, partner=partner)
        if expire:
            PartnerAPIKey.objects.filter(pk=api_key.pk).update(
                expiry_date=timezone.now() - timedelta(seconds=1)
            )
        if revoke:
            partner_key_revoke(api_key=api_key, actor=TEST_JOB)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
        return client

    citizen = APIClient()
    citizen.force_login(User.objects.create_user(username=f"citizen-{partner.pk}", password="x" * 12))
    load_team_groups()
    owner = _owning_team(model)
    other = EDUCATION_TEAM if owner != EDUCATION_TEAM else REGENERATION_TEAM
    staff = (
        _staff_client(f"staff-{partner.pk}", owner)
        if owner
        else _staff_client(f"staff-{partner.pk}", is_superuser=True)
    )
    return {
        "anonymous": APIClient(),
        "citizen": citizen,
        "partner_without_scope": with_key(others),
        "partner": with_key(granted[:1]),
        "expired_key": with_key(granted, expire=True),
        "revoked_key": with_key(granted, revoke=True),
        "staff": staff,
        "staff_other_team": _staff_client(f"staff-other-{partner.pk}", other),
        "staff_no_group": _staff_client(f"staff-none-{partner.pk}"),
    }


def expected_read(kind, public):
    if kind in {"expired_key", "revoked_key"}:
        return 401  # a bad key is refused even where no key is needed
    if public or kind in {"partner", "staff"}:
        return 200
    return {"anonymous": 401, "citizen": 403, "partner_without_scope": 403, "staff_other_team": 403,
            "staff_no_group": 403}[kind]  # fmt: skip


def test_the_matrix_covers_every_endpoint():
    assert set(ROUTES) == set(one_of_each(PartnerCenterFactory())) == set(RESOURCE_SCOPES)


@pytest.mark.parametrize("prefix", sorted(ROUTES))
def test_reads_and_unsupported_methods(prefix):
    partner = PartnerCenterFactory()
    record = one_of_each(partner)[prefix]
    public = RESOURCE_SCOPES[prefix] is None
    clients = make_clients(partner, RESOURCE_SCOPES[prefix], type(record))
    list_url, detail_url = f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{record.pk}/"

    statuses = {kind: (client.get(list_url).status_code, client.get(detail_url).status_code)
                for kind, client in clients.items()}  # fmt: skip
    expected = {kind: (expected_read(kind, public),) * 2 for kind in CLIENT_KINDS}
    assert statuses == expected

    # Writing to a read-only resource: 405 for whoever may reach it, nothing changes.
    model = type(record)
    before = model.objects.count()
    for kind in ("partner", "staff"):
        client = clients[kind]
        assert client.delete(detail_url).status_code == 405
        assert client.patch(detail_url, {"name": "x"}, format="json").status_code == 405
        if prefix != "consulting-cases":
            assert client.post(list_url, {"name": "x"}, format="json").status_code == 405
    assert model.objects.count() == before
    assert clients["revoked_key"].delete(detail_url).status_code == 401


WRITE_EXPECTED = {
    "anonymous": 401,
    "citizen": 403,
    "partner_without_scope": 403,
    "partner": 201,
    "expired_key": 401,
    "revoked_key": 401,
    "staff": 201,
    "staff_other_team": 403,  # 교육팀 may not open consulting in the back office, nor here
    "staff_no_group": 403,
}


def write_case_and_session(client, organization_id, case, who):
    """A consulting case for ``organization_id`` and a session on ``case``: the two API writes."""
    created = client.post(
        "/api/v1/consulting-cases/",
        {"organization": organization_id, "topic": "quality", "title": f"{who} 품질 컨설팅",
         "opened_on": "2026-03-02", "summary": "포장 개선"},
        format="json",
    )  # fmt: skip
    session = client.post(
        f"/api/v1/consulting-cases/{case.pk}/sessions/",
        {"held_on": "2026-03-09", "consultant": "품질 전문위원", "hours": "2.0", "notes": ""},
        format="json",
    )
    return created, session


def test_consulting_write_back_matrix():
    partner = PartnerCenterFactory()
    case = one_of_each(partner)["consulting-cases"]
    organization = case.organization
    # "partner_without_scope" holds every scope but consulting:write (so it may read cases, not write them).
    clients = make_clients(partner, {"consulting:write"}, ConsultingCase)
    for kind in CLIENT_KINDS:
        client = clients[kind]
        cases, sessions = ConsultingCase.objects.count(), ConsultingSession.objects.count()
        created, session = write_case_and_session(client, organization.pk, case, kind)
        assert (kind, created.status_code, session.status_code) == (
            kind,
            WRITE_EXPECTED[kind],
            WRITE_EXPECTED[kind],
        )
        if WRITE_EXPECTED[kind] == 201:
            assert ConsultingCase.objects.count() == cases + 1
            assert ConsultingSession.objects.count() == sessions + 1
        else:
            assert (ConsultingCase.objects.count(), ConsultingSession.objects.count()) == (cases, sessions)
            assert set(created.json()) == {"code", "detail", "errors"}


# --- Staff sessions of every team group -------------------------------------------------------------------
# What each group keeps in the back office, by app (the group design of jeonju_center/common/teams.py, written
# out here so that a change to it has to change this table too). 개인정보 열람 and 접근기록 점검 are added to a team
# login; on their own they open no domain data.
GROUP_APPS = {
    "도시재생팀": {"regeneration"},
    "사회적경제팀": {"social_economy", "ondure"},
    "교육팀": {"courses"},
    "센터 관리자": {"regeneration", "social_economy", "ondure", "courses", "common"},
    "개인정보 열람": set(),
    "접근기록 점검": set(),
}


def _clients_of_every_group(tag):
    load_team_groups()
    assert set(GROUP_APPS) == set(Group.objects.values_list("name", flat=True))
    return {group: _staff_client(f"staff-{tag}-{index}", group) for index, group in enumerate(GROUP_APPS)}


def test_the_group_table_names_every_team():
    from jeonju_center.common.teams import TEAMS

    assert set(GROUP_APPS) == set(TEAMS)


@pytest.mark.parametrize("prefix", sorted(ROUTES))
def test_a_staff_session_of_every_group_reads_what_its_team_may_view_in_the_back_office(prefix):
    partner = PartnerCenterFactory()
    record = one_of_each(partner)[prefix]
    public = RESOURCE_SCOPES[prefix] is None
    app_label = type(record)._meta.app_label
    list_url, detail_url = f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{record.pk}/"

    statuses = {group: (client.get(list_url).status_code, client.get(detail_url).status_code)
                for group, client in _clients_of_every_group(prefix).items()}  # fmt: skip
    expected = {
        group: (200 if public or app_label in apps else 403,) * 2 for group, apps in GROUP_APPS.items()
    }
    assert statuses == expected


def test_a_staff_session_of_every_group_writes_consulting_only_if_its_team_may_add_it_in_the_back_office():
    partner = PartnerCenterFactory()
    case = one_of_each(partner)["consulting-cases"]
    for group, client in _clients_of_every_group("write").items():
        may_write = "social_economy" in GROUP_APPS[group]
        cases = list(ConsultingCase.objects.order_by("pk").values())
        sessions = list(ConsultingSession.objects.order_by("pk").values())
        created, session = write_case_and_session(client, case.organization_id, case, group)
        expected = 201 if may_write else 403
        assert (group, created.status_code, session.status_code) == (group, expected, expected)
        if may_write:
            assert ConsultingCase.objects.count() == len(cases) + 1
            assert ConsultingSession.objects.count() == len(sessions) + 1
        else:
            # Refused: not a row added or changed, and the one error shape with a Korean reason.
            assert list(ConsultingCase.objects.order_by("pk").values()) == cases
            assert list(ConsultingSession.objects.order_by("pk").values()) == sessions
            assert set(created.json()) == {"code", "detail", "errors"}
            assert "담당 팀" in created.json()["detail"]
