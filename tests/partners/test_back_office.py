"""The partners back office under issue 8: change history with reasons (never the key's hash), the
expiring-keys panel for the center administrators, and no access for other teams."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.teams import CENTER_ADMINS, EDUCATION_TEAM, REGENERATION_TEAM
from jeonju_center.partners.dashboard import partner_items
from jeonju_center.partners.models import PartnerAPIKey, PartnerCenter
from jeonju_center.partners.services import partner_key_create, partner_key_mark_used, partner_key_revoke
from tests.actors import TEST_JOB
from tests.partners.factories import PartnerCenterFactory, make_key
from tests.staff import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager():
    load_all_reference_data()
    return staff_user("manager", CENTER_ADMINS)


def test_partner_center_changes_keep_who_when_and_why(client, manager):
    partner = PartnerCenterFactory(name="전북 사회적경제지원센터")
    client.force_login(manager)
    response = client.post(
        reverse("admin:partners_partnercenter_change", args=[partner.pk]),
        {
            "name": partner.name,
            "kind": partner.kind,
            "contact_email": "office@jbse.example",
            "contact_phone": "063-123-4567",
            "website": "",
            "is_active": "on",
            "history_change_reason": "대표 연락처 변경",
            # The read-only key inline's management form.
            "api_keys-TOTAL_FORMS": "0",
            "api_keys-INITIAL_FORMS": "0",
            "api_keys-MIN_NUM_FORMS": "0",
            "api_keys-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = partner.history.latest()
    assert (latest.contact_phone, latest.history_user, latest.history_change_reason) == (
        "063-123-4567",
        manager,
        "대표 연락처 변경",
    )
    page = client.get(reverse("admin:partners_partnercenter_history", args=[partner.pk])).content.decode()
    assert "대표 연락처 변경" in page


def test_api_key_history_records_issue_rename_and_revocation_but_never_the_hash(client, manager):
    partner = PartnerCenterFactory()
    client.force_login(manager)
    response = client.post(
        reverse("admin:partners_partnerapikey_add"),
        {
            "partner": partner.pk,
            "name": "동기화용",
            "scopes": ["social_economy:read"],
            "expiry_date_0": "",
            "expiry_date_1": "",
            "rate_limit_per_minute": "",
            "history_change_reason": "협약 체결",
        },
    )
    assert response.status_code == 302
    api_key = PartnerAPIKey.objects.get()
    response = client.post(
        reverse("admin:partners_partnerapikey_change", args=[api_key.pk]),
        {
            "name": "동기화용 (본 서버)",
            "expiry_date_0": "",
            "expiry_date_1": "",
            "rate_limit_per_minute": "120",
            "history_change_reason": "서버 이전",
        },
    )
    assert response.status_code == 302
    partner_key_revoke(api_key=PartnerAPIKey.objects.get(), actor=TEST_JOB)
    rows = list(api_key.history.order_by("history_id"))
    assert [(row.history_type, row.name, row.history_change_reason) for row in rows[:2]] == [
        ("+", "동기화용", "협약 체결"),
        ("~", "동기화용 (본 서버)", "서버 이전"),
    ]
    assert rows[1].history_user == manager and rows[-1].revoked is True
    assert "hashed_key" not in {field.name for field in PartnerAPIKey.history.model._meta.fields}


def test_technical_logs_keep_no_history():
    from jeonju_center.news.models import NewsletterDelivery
    from jeonju_center.partners.models import ChangeEvent, IdempotencyRecord

    for model in (ChangeEvent, IdempotencyRecord, NewsletterDelivery):
        assert not hasattr(model, "history"), model
    assert hasattr(PartnerCenter, "history") and hasattr(PartnerAPIKey, "history")


def _keys():
    now = timezone.now()
    partner = PartnerCenterFactory()
    soon = [
        make_key("courses:read", partner=partner, expires_at=now + datetime.timedelta(days=d))
        for d in (1, 29)
    ]
    make_key("courses:read", partner=partner, expires_at=now + datetime.timedelta(days=31))  # later
    make_key("courses:read", partner=partner)  # never expires
    revoked, _raw = make_key("courses:read", partner=partner, expires_at=now + datetime.timedelta(days=5))
    partner_key_revoke(api_key=revoked, actor=TEST_JOB)
    # Already expired: not "expiring" any more.
    PartnerAPIKey.objects.filter(pk=soon[0][0].pk).update(expiry_date=now - datetime.timedelta(hours=1))
    return now


def test_expiring_keys_are_counted_and_linked_to_exactly_those_keys(
    client, manager, django_assert_num_queries
):
    _keys()
    with django_assert_num_queries(1):
        (item,) = partner_items(today=timezone.localdate())
    assert item.count == 1 and item.model == "partners.partnerapikey"
    client.force_login(manager)
    response = client.get(item.url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == item.count
    expired = client.get(reverse("admin:partners_partnerapikey_changelist"), {"expiry": "expired"})
    assert expired.context["cl"].result_count == 1


@pytest.mark.parametrize(("groups", "shown"), [((CENTER_ADMINS,), True), ((REGENERATION_TEAM,), False)])
def test_the_key_panel_is_shown_to_the_center_administrators_only(client, manager, groups, shown):
    _keys()
    client.force_login(staff_user("someone", *groups))
    content = client.get(reverse("admin:index")).content.decode()
    assert ("일 안에 만료되는 API 키" in content) is shown


@pytest.mark.parametrize(
    "url_name", ["admin:partners_partnercenter_changelist", "admin:partners_partnerapikey_changelist"]
)
def test_other_teams_cannot_open_the_partner_screens(client, manager, url_name):
    client.force_login(staff_user("teacher", EDUCATION_TEAM))
    assert client.get(reverse(url_name)).status_code == 403


def _key_change(client, api_key, **values):
    form = {"name": api_key.name, "expiry_date_0": "", "expiry_date_1": "", "rate_limit_per_minute": ""}
    return client.post(reverse("admin:partners_partnerapikey_change", args=[api_key.pk]), {**form, **values})


def test_an_edited_key_keeps_its_last_use_and_a_revoked_key_cannot_be_edited(client, manager):
    api_key, _raw = partner_key_create(
        partner=PartnerCenterFactory(), scopes=["social_economy:read"], actor=manager
    )
    client.force_login(manager)
    client.get(reverse("admin:partners_partnerapikey_change", args=[api_key.pk]))  # the form is opened
    used_at = timezone.now()
    partner_key_mark_used(api_key=api_key, actor=api_key, now=used_at)  # the partner calls the API meanwhile
    assert _key_change(client, api_key, rate_limit_per_minute="60").status_code == 302
    api_key.refresh_from_db()
    assert (api_key.rate_limit_per_minute, api_key.last_used_at) == (60, used_at)

    partner_key_revoke(api_key=api_key, actor=manager)
    name_before = api_key.name
    response = _key_change(client, api_key, name="되살린 키", rate_limit_per_minute="600")
    assert response.status_code == 200
    assert "폐기한 API 키는 고칠 수 없습니다." in str(response.context["adminform"].form.non_field_errors())
    api_key.refresh_from_db()
    assert (api_key.name, api_key.rate_limit_per_minute, api_key.revoked) == (name_before, 60, True)
