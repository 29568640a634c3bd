"""The 이용약관, the 개인정보 처리방침 (every item 개인정보 보호법 §30 asks for, with periods the retention job
really applies), the 센터 소개 page, the configured contacts in every footer, and the erasure of a deleted
account's mail."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from jeonju_center.accounts.legal import POLICY_REVISIONS, period_text
from jeonju_center.accounts.models import User
from jeonju_center.accounts.services import account_delete
from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.outbox import outbox_enqueue
from jeonju_center.common.retention import retention_policies

pytestmark = pytest.mark.django_db

PASSWORD = "전주-시민-비밀번호-2026"

# 개인정보 보호법 §30① and 시행령 §31①: the headings a complete policy has.
REQUIRED_SECTIONS = [
    "개인정보의 처리 목적",
    "처리하는 개인정보의 항목",
    "개인정보의 처리 및 보유 기간",
    "개인정보의 제3자 제공",
    "개인정보 처리업무의 위탁",
    "개인정보의 파기 절차와 방법",
    "정보주체와 법정대리인의 권리·의무와 행사 방법",
    "개인정보의 안전성 확보 조치",
    "자동으로 수집하는 장치(쿠키)의 설치·운영과 거부",
    "개인정보 보호책임자와 열람청구 접수 부서",
    "권익침해 구제 방법",
    "개인정보 처리방침의 변경",
]


@pytest.fixture
def configured_center(settings):
    settings.CENTER_CONTACT = {
        "address": "전북특별자치도 전주시 완산구 전라감영5길 10",
        "phone": "063-000-1234",
        "email": "center@example.kr",
    }
    settings.PRIVACY_OFFICER = {"name": "홍길동", "title": "사무국장", "phone": "063-000-9999", "email": ""}
    settings.PRIVACY_PROCESSORS = [("○○클라우드", "서버 운영")]


def test_the_privacy_policy_has_every_item_of_article_30(client, configured_center):
    html = client.get("/privacy/").content.decode()
    for heading in REQUIRED_SECTIONS:
        assert heading in html, heading
    # The retention periods are the ones the nightly job applies, each one of them.
    for policy in retention_policies().values():
        assert f'<th scope="row">{policy.label}</th><td>{period_text(policy.days)}</td>' in html
    # The officer's own contact, and the center's e-mail where the officer has none.
    assert "사무국장 홍길동" in html and "tel:063-000-9999" in html and "mailto:center@example.kr" in html
    assert "○○클라우드" in html and "서버 운영" in html
    effective_date, _summary = POLICY_REVISIONS[-1]
    assert f"시행일: {effective_date}" in html
    for date, _summary in POLICY_REVISIONS:
        assert f"<td>{date}</td>" in html


def test_a_configured_retention_period_changes_what_the_policy_says(client, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {"sent_emails": 90}
    html = client.get("/privacy/").content.decode()
    assert '<th scope="row">발송한 메일 본문</th><td>90일</td>' in html


def test_without_processors_the_policy_says_none_are_entrusted(client, settings):
    settings.PRIVACY_PROCESSORS = []
    assert "외부에 위탁하지 않습니다" in client.get("/privacy/").content.decode()


@pytest.mark.parametrize(("days", "text"), [(1095, "3년"), (731, "2년"), (180, "180일"), (400, "400일")])
def test_periods_read_as_people_say_them(days, text):
    assert period_text(days) == text


def test_the_terms_are_public_and_link_the_policy(client):
    response = client.get("/terms/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "제1조 (목적)" in html and "만 14세 미만" in html
    assert 'href="/privacy/"' in html


@pytest.mark.parametrize("url_name", ["home", "about", "terms", "privacy", "account_signup", "account_login"])
def test_every_page_footer_links_the_legal_pages_and_shows_the_configured_contacts(
    client, configured_center, url_name
):
    html = client.get(reverse(url_name)).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for href in ('href="/terms/"', 'href="/privacy/"', 'href="/about/"'):
        assert href in footer
    assert (
        "전라감영5길 10" in footer and "tel:063-000-1234" in footer and "mailto:center@example.kr" in footer
    )


def test_the_about_page_describes_the_center_and_how_to_reach_it(client, configured_center):
    html = client.get("/about/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "센터 소개" in main and "전라감영5길 10" in main and "063-000-1234" in main


def test_a_deleted_account_s_mail_is_erased_and_other_people_s_is_kept(django_capture_on_commit_callbacks):
    user = User.objects.create_user(
        username="minji", email="Minji@Example.com", password=PASSWORD, name="김민지"
    )
    EmailAddress.objects.create(user=user, email="minji@example.com", verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="old-minji@example.com", verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        outbox_enqueue(dedup_key="a", to="minji@example.com", subject="수강 확정", body="김민지 님")
        outbox_enqueue(dedup_key="b", to="old-minji@example.com", subject="대기", body="김민지 님")
        outbox_enqueue(dedup_key="c", to=["other@example.com", "minji@example.com"], subject="공지", body="-")
        outbox_enqueue(dedup_key="d", to="notminji@example.com", subject="다른 사람", body="-")

    account_delete(actor=user, password=PASSWORD)

    remaining = {email.dedup_key: email.to for email in OutboxEmail.objects.all()}
    assert remaining == {"c": ["other@example.com"], "d": ["notminji@example.com"]}
