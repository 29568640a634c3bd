import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from jeonju_center.accounts.models import User
from jeonju_center.common.models import OutboxEmail, PersonalDataAccess, RetentionRun
from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.retention import apply_retention_policies, retention_policies
from jeonju_center.common.tasks import apply_retention_policies as retention_task
from jeonju_center.common.teams import ACCESS_LOG_REVIEWERS, CENTER_ADMINS, EDUCATION_TEAM

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 25, 3, 30))


def _access(days_ago):
    return PersonalDataAccess.objects.create(
        staff_username="someone",
        action="view",
        model_label="x",
        accessed_at=NOW - datetime.timedelta(days=days_ago),
    )


def _sent_email(key, days_ago):
    return OutboxEmail.objects.create(
        dedup_key=key, to=["a@example.com"], subject="s", body="b", status=OutboxEmail.Status.SENT,
        sent_at=NOW - datetime.timedelta(days=days_ago),
    )  # fmt: skip


def test_common_policies_remove_exactly_the_expired_rows_and_a_rerun_changes_nothing():
    kept_access, _expired_access = _access(3 * 365 - 1), _access(3 * 365 + 2)
    kept_email, _expired_email = _sent_email("kept", 179), _sent_email("expired", 182)
    pending = OutboxEmail.objects.create(dedup_key="pending", to=["a@example.com"], subject="s", body="b")

    counts = apply_retention_policies(now=NOW)
    assert counts["access_log"] == 1 and counts["sent_emails"] == 1
    assert list(PersonalDataAccess.objects.all()) == [kept_access]
    assert set(OutboxEmail.objects.all()) == {kept_email, pending}
    assert {(run.policy, run.processed_count) for run in RetentionRun.objects.all()} >= {
        ("access_log", 1),
        ("sent_emails", 1),
    }

    again = apply_retention_policies(now=NOW)
    assert all(count == 0 for count in again.values()), again
    assert PersonalDataAccess.objects.count() == 1 and OutboxEmail.objects.count() == 2


def test_no_setting_shortens_the_access_log_below_two_years(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {"access_log": 30, "sent_emails": 10}
    policies = retention_policies()
    assert policies["access_log"].days == 2 * 365 + 1
    assert policies["sent_emails"].days == 10
    kept = _access(400)
    assert apply_retention_policies(now=NOW)["access_log"] == 0
    assert PersonalDataAccess.objects.get() == kept


def test_the_nightly_task_runs_every_policy_and_reports_the_counts():
    _sent_email("expired", 400)
    counts = retention_task.delay().get()
    assert set(counts) == set(retention_policies())
    assert counts["sent_emails"] == 1
    assert RetentionRun.objects.filter(policy="sent_emails").get().processed_count == 1


def _staff(username, group):
    user = User.objects.create_user(username=username, password="pw-123456789", is_staff=True)
    user.groups.set([Group.objects.get(name=group)])
    return user


def test_center_admins_see_their_panel_with_working_links_and_other_teams_do_not(client):
    load_all_reference_data()
    OutboxEmail.objects.create(
        dedup_key="stuck", to=["a@example.com"], subject="s", body="b", status=OutboxEmail.Status.SENDING
    )
    client.force_login(_staff("manager", CENTER_ADMINS))
    page = client.get(reverse("admin:index"))
    panels = {panel["title"]: panel["items"] for panel in page.context["panels"]}
    items = {str(item.label): item for item in panels["센터 운영·개인정보 보호"]}
    stuck = items["발송 여부 확인이 필요한 메일"]
    assert stuck.count == 1 and items["발송에 실패한 메일"].count == 0
    listed = client.get(stuck.url)
    assert listed.status_code == 200 and listed.context["cl"].result_count == 1
    # The monthly review is the reviewers' (not the unmasking center admins'): their panel, a working link.
    assert not any("월간 점검 대기" in label for label in items)
    client.force_login(_staff("privacy", ACCESS_LOG_REVIEWERS))
    page = client.get(reverse("admin:index"))
    panels = {panel["title"]: panel["items"] for panel in page.context["panels"]}
    [review] = panels["센터 운영·개인정보 보호"]
    assert "월간 점검 대기" in str(review.label)
    assert client.get(review.url).status_code == 200

    client.force_login(_staff("teacher", EDUCATION_TEAM))
    page = client.get(reverse("admin:index"))
    assert "센터 운영·개인정보 보호" not in {panel["title"] for panel in page.context["panels"]}


def test_login_records_are_kept_two_years_then_deleted():
    from axes.models import AccessLog

    def login(days_ago):
        record = AccessLog.objects.create(
            username="kim", ip_address="10.0.0.1", user_agent="x", path_info="/"
        )
        AccessLog.objects.filter(pk=record.pk).update(attempt_time=NOW - datetime.timedelta(days=days_ago))
        return record

    kept, _old = login(2 * 365), login(2 * 365 + 3)
    assert apply_retention_policies(now=NOW)["login_records"] == 1
    assert list(AccessLog.objects.all()) == [kept]
    assert apply_retention_policies(now=NOW)["login_records"] == 0
