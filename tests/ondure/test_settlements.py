"""Grant settlements (보조금 정산) at /me/community/: only a current leader or secretary of the community
opens its pages (anything else is a 404 and changes nothing), the running total never passes the grant
(service, database, concurrent submits on PostgreSQL), submit → staff return with a comment or approve with
the unspent balance to return, receipts stay private, and the Excel file staff file."""

import datetime
import io
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jeonju_center.accounts.models import User
from jeonju_center.common.models import OutboxEmail
from ondure import settlements
from ondure.models import CommunityMember, ExpenseLine, GrantSettlement, SupportRecord
from tests.courses.factories import StaffFactory, UserFactory

from .factories import CommunityFactory, CommunityMemberFactory, SupportRecordFactory

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))
PDF = b"%PDF-1.4\n%%EOF\n"
LINE = {
    "action": "add",
    "spent_on": "2015-07-01",
    "vendor": "한지 공방",
    "purpose": "공예 재료",
    "category": "materials",
}


@pytest.fixture(autouse=True)
def pinned_now():
    with time_machine.travel(datetime.datetime(2015, 12, 1, 10, 0, tzinfo=KST), tick=False):
        yield


def leader_of(community=None, *, role=CommunityMember.Role.LEADER):
    user = UserFactory()
    CommunityMemberFactory(community=community or CommunityFactory(), user=user, role=role)
    return user


def url(record):
    return reverse("community:settlement", args=[record.pk])


def add(client, record, amount, **extra):
    return client.post(url(record), {**LINE, "amount": str(amount), **extra})


def test_leaders_and_secretaries_settle_their_own_grants_and_other_ids_are_404(client):
    grant = SupportRecordFactory(amount=1_000_000)
    leader = leader_of(grant.community)
    other_grant = SupportRecordFactory(amount=1_000_000)  # another community's
    education = SupportRecordFactory(community=grant.community, kind="education", amount=0, program=None)
    client.force_login(leader)
    home = client.get("/me/community/").content.decode()
    assert grant.community.name in home and other_grant.community.name not in home
    assert client.get(url(grant)).status_code == 200
    for foreign in (other_grant, education):
        assert client.get(url(foreign)).status_code == 404
        assert add(client, foreign, 1000).status_code == 404
    assert GrantSettlement.objects.count() == 0  # reading and refused writes made nothing

    secretary = leader_of(grant.community, role=CommunityMember.Role.SECRETARY)
    client.force_login(secretary)
    assert add(client, grant, 1000).status_code == 302
    for outsider in (leader_of(grant.community, role=CommunityMember.Role.MEMBER), UserFactory()):
        client.force_login(outsider)
        assert client.get(url(grant)).status_code == 404
    former = UserFactory()
    CommunityMemberFactory(
        community=grant.community, user=former, role="secretary", left_on=datetime.date(2015, 9, 1)
    )
    client.force_login(former)
    assert client.get(url(grant)).status_code == 404
    client.logout()
    assert client.get(url(grant)).status_code == 302  # to the sign-in
    assert ExpenseLine.objects.count() == 1


def test_the_running_total_never_passes_the_grant_and_bad_lines_change_nothing(client):
    grant = SupportRecordFactory(amount=1_000_000)
    client.force_login(leader_of(grant.community))
    assert add(client, grant, 600_000).status_code == 302
    over = add(client, grant, 500_000)
    assert over.status_code == 400 and "남은 금액은 400,000원" in over.content.decode()
    for bad, message in [
        ({"amount": "0"}, "0원보다 커야"),
        ({"amount": "-5"}, "0원보다 커야"),
        ({"vendor": "<script>alert(1)</script>"}, "HTML 태그"),
        ({"spent_on": "2015-06-01"}, "지원일(2015-06-10)부터"),
        ({"spent_on": "2016-01-01"}, "오늘까지"),
        ({"vendor": ""}, "거래처를 적어"),
        ({"category": "casino"}, "올바르게 선택해 주세요"),
    ]:
        response = add(client, grant, bad.pop("amount", 1000), **bad)
        assert response.status_code == 400 and message in response.content.decode(), message
    settlement = GrantSettlement.objects.get()
    assert (settlement.spent_total, settlement.lines.count()) == (600_000, 1)
    page = client.get(url(grant)).content.decode()
    assert "600,000원" in page and "400,000원" in page  # spent and the balance
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantSettlement.objects.filter(pk=settlement.pk).update(spent_total=1_000_001)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_lines_cannot_pass_the_grant_together():
    grant = SupportRecordFactory(amount=1_000_000)
    leader = leader_of(grant.community)
    settlement = settlements.settlement_start(support_record=grant, actor=leader)
    barrier = threading.Barrier(2)
    outcomes = []

    def spend():
        try:
            barrier.wait(timeout=10)
            settlements.expense_add(
                settlement_id=settlement.pk, actor=leader, spent_on=datetime.date(2015, 7, 1), vendor="공방",
                purpose="재료", category="materials", amount=600_000,
            )  # fmt: skip
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=spend) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("ok") == 1 and any("넘습니다" in outcome for outcome in outcomes), outcomes
    settlement.refresh_from_db()
    assert settlement.spent_total == 600_000 == sum(settlement.lines.values_list("amount", flat=True))


def test_submit_return_resubmit_and_approve_with_the_balance_to_return(client):
    grant = SupportRecordFactory(amount=1_000_000)
    leader = leader_of(grant.community)
    staff = StaffFactory(email="team@jjuic.example")
    client.force_login(leader)
    add(client, grant, 300_000, receipt=SimpleUploadedFile("receipt.pdf", PDF))
    assert client.post(url(grant), {"action": "submit"}).status_code == 302
    settlement = GrantSettlement.objects.get()
    grant.refresh_from_db()
    assert (settlement.status, grant.settlement_status) == ("submitted", "in_progress")
    assert add(client, grant, 1000).status_code == 400 or ExpenseLine.objects.count() == 1
    assert ExpenseLine.objects.count() == 1  # a submitted settlement cannot change

    with pytest.raises(ValidationError, match="의견"):
        settlements.settlement_return(settlement_id=settlement.pk, actor=staff, comment=" ")
    settlements.settlement_return(
        settlement_id=settlement.pk, actor=staff, comment="영수증 날짜를 확인해 주세요."
    )
    assert "영수증 날짜를 확인해 주세요." in client.get(url(grant)).content.decode()
    add(client, grant, 200_000)
    client.post(url(grant), {"action": "submit"})
    settlements.settlement_approve(settlement_id=settlement.pk, actor=staff)
    grant.refresh_from_db()
    settlement.refresh_from_db()
    assert (settlement.status, settlement.balance) == ("approved", 500_000)
    assert (grant.settlement_status, grant.returned_amount) == (SupportRecord.Settlement.RETURNED, 500_000)
    mails = [mail for mail in OutboxEmail.objects.order_by("pk") if leader.email in mail.to]
    assert "보완" in mails[0].subject and "500,000원" in mails[-1].body


def test_receipts_are_handed_out_only_to_the_community_and_the_staff(client):
    grant = SupportRecordFactory(amount=1_000_000)
    leader = leader_of(grant.community)
    client.force_login(leader)
    add(client, grant, 1000, receipt=SimpleUploadedFile("receipt.pdf", PDF))
    line = ExpenseLine.objects.get()
    receipt_url = reverse("community:receipt", args=[grant.pk, line.pk])
    response = client.get(receipt_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    client.force_login(leader_of())  # a leader of another community
    assert client.get(receipt_url).status_code == 404
    assert "ondure/receipts/" in line.receipt.name  # not a public media folder


def test_staff_export_the_settlement_in_their_layout(client, django_user_model):
    from django.contrib.auth.models import Group

    from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM, load_team_groups

    grant = SupportRecordFactory(amount=1_000_000)
    leader = leader_of(grant.community)
    settlement = settlements.settlement_start(support_record=grant, actor=leader)
    for amount, vendor in ((300_000, "한지 공방"), (150_000, "인쇄소")):
        settlements.expense_add(settlement_id=settlement.pk, actor=leader, spent_on=datetime.date(2015, 7, 1),
                                vendor=vendor, purpose="재료", category="materials", amount=amount)  # fmt: skip
    load_team_groups()
    officer = django_user_model.objects.create_user(
        username="officer", password="pw-123456789", is_staff=True
    )
    officer.groups.set([Group.objects.get(name=SOCIAL_ECONOMY_TEAM)])
    client.force_login(officer)
    assert client.get(reverse("admin:ondure_grantsettlement_change", args=[settlement.pk])).status_code == 200
    content = client.get(reverse("admin:ondure_grantsettlement_xlsx", args=[settlement.pk])).content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[4][:2] == ("교부액(원)", 1_000_000) and rows[6][:2] == ("잔액(원)", 550_000)
    assert rows[10][2:6] == ("한지 공방", "재료", "재료비", 300_000)
    assert rows[-1][4:6] == ("합계", 450_000)


def test_pages_cost_the_same_queries_for_more_lines_and_records(client):
    grant = SupportRecordFactory(amount=10_000_000)
    leader = leader_of(grant.community)
    client.force_login(leader)
    add(client, grant, 1000)

    def queries(path):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    few = (queries(url(grant)), queries("/me/community/"))
    for number in range(6):
        add(client, grant, 1000 + number)
        SupportRecordFactory(community=grant.community, program=grant.program, amount=1000)
    assert (queries(url(grant)), queries("/me/community/")) == few


def test_staff_decide_on_the_settlement_page_and_a_refusal_shows_on_the_form(admin_client):
    grant = SupportRecordFactory(amount=1_000_000)
    leader = leader_of(grant.community)
    settlement = settlements.settlement_start(support_record=grant, actor=leader)
    settlements.expense_add(settlement_id=settlement.pk, actor=leader, spent_on=datetime.date(2015, 7, 1),
                            vendor="한지 공방", purpose="재료", category="materials", amount=300_000)  # fmt: skip
    page = reverse("admin:ondure_grantsettlement_change", args=[settlement.pk])

    def decide(decision, comment=""):
        data = {
            "decision": decision,
            "comment": comment,
            "lines-TOTAL_FORMS": "0",
            "lines-INITIAL_FORMS": "0",
        }
        return admin_client.post(page, data)

    def state():
        settlement.refresh_from_db()
        grant.refresh_from_db()
        return (
            settlement.status,
            settlement.decided_by_id,
            settlement.review_comment,
            grant.settlement_status,
        )

    draft = state()
    refused = decide("approve")
    assert refused.status_code == 200
    assert refused.context["adminform"].form.non_field_errors() == ["제출된 정산만 승인할 수 있습니다."]
    assert state() == draft

    settlements.settlement_submit(settlement_id=settlement.pk, actor=leader)
    submitted = state()
    for decision, comment, message in (
        ("return", " ", "무엇을 고쳐야 하는지 의견을 적어 주세요."),
        ("", "영수증을 확인해 주세요.", "처리 방법을 고르세요."),
    ):
        refused = decide(decision, comment)
        assert refused.status_code == 200
        assert message in refused.content.decode()
        assert state() == submitted

    assert decide("approve").status_code == 302
    assert state()[:2] == (GrantSettlement.Status.APPROVED, User.objects.get(username="admin").pk)
    assert grant.settlement_status == SupportRecord.Settlement.RETURNED
