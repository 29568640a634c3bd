"""Masking and the access log, through the citizen admin (the first admin built on the shared mixins)."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from jeonju_center.accounts.models import User
from jeonju_center.common.access_log import (
    access_log_month_to_review,
    access_log_review_record,
    monthly_access_report,
)
from jeonju_center.common.models import AccessLogReview, PersonalDataAccess
from jeonju_center.common.teams import ACCESS_LOG_REVIEWERS, CENTER_ADMINS, PERSONAL_DATA_VIEWERS
from tests.staff import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    return User.objects.create_user(
        username="kim",
        password="pw-123456789",
        name="김철용",
        email="kim.cy@example.com",
        phone="010-1234-5678",
    )


def test_list_and_change_view_are_masked_without_the_permission_and_nothing_is_logged(client, teams, citizen):
    client.force_login(staff_user("manager", CENTER_ADMINS))
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "김*용" in listing and "김철용" not in listing
    assert "ki***@example.com" in listing and "kim.cy@example.com" not in listing
    change = client.get(reverse("admin:accounts_user_change", args=[citizen.pk])).content.decode()
    assert "김*용" in change and "010-1234-****" in change
    assert "김철용" not in change and "010-1234-5678" not in change
    assert PersonalDataAccess.objects.count() == 0


def test_masked_fields_cannot_be_changed_through_the_form(client, teams, citizen):
    client.force_login(staff_user("manager", CENTER_ADMINS))
    url = reverse("admin:accounts_user_change", args=[citizen.pk])
    form = client.get(url).context["adminform"].form
    assert "name" not in form.fields and "phone" not in form.fields


def test_viewers_with_the_permission_see_full_values_and_each_view_is_logged(client, teams, citizen):
    viewer = staff_user("privacy", CENTER_ADMINS, PERSONAL_DATA_VIEWERS)
    client.force_login(viewer)
    change = client.get(
        reverse("admin:accounts_user_change", args=[citizen.pk]), REMOTE_ADDR="10.1.2.3"
    ).content.decode()
    assert "김철용" in change and "010-1234-5678" in change
    listing = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "김철용" in listing
    view, listed = PersonalDataAccess.objects.order_by("pk")
    assert (view.staff_id, view.staff_username, view.ip_address) == (viewer.pk, "privacy", "10.1.2.3")
    assert (view.action, view.model_label, view.object_ids) == ("view", "accounts.user", [citizen.pk])
    assert set(view.fields) == {"name", "email", "phone"}
    assert listed.action == "view" and citizen.pk in listed.object_ids


def test_a_search_on_personal_fields_is_logged_with_its_hits_even_when_masked(client, teams, citizen):
    client.force_login(staff_user("manager", CENTER_ADMINS))
    client.get(reverse("admin:accounts_user_changelist"), {"q": "김철용"})
    client.get(reverse("admin:accounts_user_changelist"), {"q": "nobody-matches"})
    (search,) = PersonalDataAccess.objects.all()
    assert (search.action, search.search_term, search.object_ids) == ("search", "김철용", [citizen.pk])


def test_the_access_log_cannot_be_changed_or_deleted_through_the_orm_or_the_admin(client, teams, citizen):
    viewer = staff_user("privacy", CENTER_ADMINS, PERSONAL_DATA_VIEWERS)
    client.force_login(viewer)
    client.get(reverse("admin:accounts_user_change", args=[citizen.pk]))
    entry = PersonalDataAccess.objects.get()
    entry.reason = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        PersonalDataAccess.objects.update(reason="tampered")
    with pytest.raises(PermissionError):
        PersonalDataAccess.objects.all().delete()
    # Even a superuser gets no change or delete screen.
    superuser = User.objects.create_superuser("root", password="pw-123456789")
    client.force_login(superuser)
    change = client.get(reverse("admin:common_personaldataaccess_change", args=[entry.pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert client.post(reverse("admin:common_personaldataaccess_delete", args=[entry.pk])).status_code == 403
    assert PersonalDataAccess.objects.get().reason == ""


@pytest.mark.postgres
def test_postgresql_refuses_updates_and_early_deletes_of_access_log_rows(teams):
    staff = staff_user("privacy", PERSONAL_DATA_VIEWERS)
    PersonalDataAccess.objects.create(staff=staff, staff_username="privacy", action="view", model_label="x")
    for statement in (
        "UPDATE common_personaldataaccess SET reason = 'x'",
        "DELETE FROM common_personaldataaccess",
    ):
        with (
            pytest.raises(DatabaseError, match="access log"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert PersonalDataAccess.objects.filter(reason="").count() == 1
    # Rows past the two-year minimum can be purged (what the retention job does).
    old = timezone.now() - datetime.timedelta(days=3 * 365)
    PersonalDataAccess.objects.create(
        staff=staff, staff_username="p", action="view", model_label="x", accessed_at=old
    )
    assert (
        PersonalDataAccess.objects.all().purge_older_than(timezone.now() - datetime.timedelta(days=731)) == 1
    )
    assert PersonalDataAccess.objects.count() == 1


def test_monthly_review_lists_the_month_per_staff_and_flags_unusual_access(client, teams):
    manager = staff_user("manager", CENTER_ADMINS)
    night = timezone.make_aware(datetime.datetime(2026, 10, 14, 23, 30))
    daytime = timezone.make_aware(datetime.datetime(2026, 10, 14, 10, 0))
    for moment, action, masked in (
        (night, "view", False),
        (daytime, "export", False),
        (daytime, "view", True),
    ):
        PersonalDataAccess.objects.create(
            staff=manager,
            staff_username="manager",
            action=action,
            model_label="x",
            accessed_at=moment,
            record_count=3,
            masked=masked,
        )
    PersonalDataAccess.objects.create(
        staff=manager, staff_username="manager", action="view", model_label="x",
        accessed_at=timezone.make_aware(datetime.datetime(2026, 11, 2, 10, 0)),
    )  # fmt: skip
    month = access_log_month_to_review(datetime.date(2026, 11, 25))
    assert month == datetime.date(2026, 10, 1)
    report = monthly_access_report(month)
    assert report["total"] == 3
    assert [(row["staff_username"], row["views"], row["exports"]) for row in report["per_staff"]] == [
        ("manager", 2, 1)
    ]
    assert [row["access"].accessed_at for row in report["flagged"]] == [daytime, night]

    url = reverse("admin:common_personaldataaccess_review_month", args=[2026, 10])
    # The manager whose accesses these are may read the log but not sign its review off.
    client.force_login(manager)
    assert client.post(url, {"findings": "이상 없음"}).status_code == 403
    reviewer = staff_user("privacy-officer", ACCESS_LOG_REVIEWERS)
    client.force_login(reviewer)
    page = client.get(url)
    assert page.status_code == 200 and "업무 시간 외" in page.content.decode()
    assert client.post(url, {"findings": "이상 없음"}).status_code == 302
    review = AccessLogReview.objects.get()
    assert (review.month, review.record_count, review.reviewed_by) == (month, 3, reviewer)
    with pytest.raises(Exception, match="이미 점검"):
        access_log_review_record(month=month, reviewed_by=reviewer)


def test_only_center_admins_may_open_the_access_log_and_its_review(client, teams):
    client.force_login(staff_user("viewer", PERSONAL_DATA_VIEWERS))
    assert client.get(reverse("admin:common_personaldataaccess_changelist")).status_code == 403
    assert client.get(reverse("admin:common_personaldataaccess_review")).status_code == 403


def _access(staff, moment, records, action="view"):
    PersonalDataAccess.objects.create(
        staff=staff, staff_username=staff.username, action=action, model_label="x",
        accessed_at=moment, record_count=records, masked=False,
    )  # fmt: skip


def test_days_with_many_small_reads_are_listed_by_korean_day(teams):
    from jeonju_center.common.access_log import HEAVY_DAY_RECORDS

    clerk = staff_user("clerk", CENTER_ADMINS)
    kst = datetime.timezone(datetime.timedelta(hours=9))
    # 60 reads of 9 records between 09:00 and 09:59 on 14 October (KST): 540 > 500, none large on its own.
    for minute in range(60):
        _access(clerk, datetime.datetime(2026, 10, 14, 9, minute, tzinfo=kst), 9)
    # 23:30 on the 15th and 00:30 on the 16th in Korea: 300 + 300 on two different days, so not listed,
    # although both fall on 15 October in UTC.
    _access(clerk, datetime.datetime(2026, 10, 15, 23, 30, tzinfo=kst), 300)
    _access(clerk, datetime.datetime(2026, 10, 16, 0, 30, tzinfo=kst), 300)
    report = monthly_access_report(datetime.date(2026, 10, 1))
    assert HEAVY_DAY_RECORDS == 500
    assert [
        (row["staff_username"], row["day"], row["records"], row["accesses"]) for row in report["heavy_days"]
    ] == [("clerk", datetime.date(2026, 10, 14), 540, 60)]


def test_the_monthly_report_mail_goes_to_the_reviewers_once_with_the_figures(
    teams, django_capture_on_commit_callbacks, settings, time_machine
):
    from django.core import mail

    from jeonju_center.common.tasks import send_access_log_report

    settings.PORTAL_URL = "https://portal.example.kr"
    officer = staff_user("privacy-officer", ACCESS_LOG_REVIEWERS)
    officer.email = "privacy@example.kr"
    officer.save()
    clerk = staff_user("clerk", CENTER_ADMINS)
    kst = datetime.timezone(datetime.timedelta(hours=9))
    _access(clerk, datetime.datetime(2026, 10, 14, 10, 0, tzinfo=kst), 3, action="export")
    _access(clerk, datetime.datetime(2026, 10, 18, 22, 0, tzinfo=kst), 2)  # a Sunday night
    _access(clerk, datetime.datetime(2026, 11, 1, 8, 0, tzinfo=kst), 50)  # next month: not in the report

    # The beat's moment: 1 November, 09:00 in Korea.
    time_machine.move_to(datetime.datetime(2026, 11, 1, 9, 0, tzinfo=kst), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_access_log_report()
        assert send_access_log_report() == first  # the task again (a retry): the same e-mail, not a second
    [message] = mail.outbox
    assert message.to == ["privacy@example.kr"]
    assert message.subject == "[전주도시혁신센터] 2026-10 개인정보 접근 기록 점검 요청"
    assert "접근 기록: 2건" in message.body
    assert "확인이 필요한 접근(내려받기·대량 열람·업무 시간 외): 2건" in message.body
    assert "- clerk: 2 / 5 / 1" in message.body
    assert "https://portal.example.kr/admin/common/personaldataaccess/review/2026-10/" in message.body
