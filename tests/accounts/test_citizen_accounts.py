import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from jeonju_center.accounts.models import ConsentRecord, User
from jeonju_center.common.models import Dong

pytestmark = pytest.mark.django_db

PASSWORD = "전주-시민-비밀번호-2026"


@pytest.fixture
def dong():
    return Dong.objects.create(name="풍남동", district="wansan")


def signup(client, **overrides):
    data = {
        "email": "minji@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "name": "김민지",
        "phone": "01012345678",
        "dong": "",
        "confirm_age": "on",
        "agree_terms": "on",
        "agree_privacy": "on",
        **overrides,
    }
    return client.post("/accounts/signup/", data)


def confirmation_link():
    body = mail.outbox[-1].body
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", body).group(1)


def test_signup_records_profile_and_consent_and_sends_a_korean_verification_email(
    client, dong, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        response = signup(client, dong=str(dong.pk))
    assert response.status_code == 302
    user = User.objects.get(email="minji@example.com")
    assert (user.name, user.phone, user.dong) == ("김민지", "010-1234-5678", dong)
    consents = ConsentRecord.objects.filter(user=user)
    assert sorted(consents.values_list("item", flat=True)) == sorted(
        [ConsentRecord.Item.AGE_CONFIRMED, ConsentRecord.Item.TERMS, ConsentRecord.Item.PRIVACY_SIGNUP]
    )
    assert {(consent.version, consent.ip_address) for consent in consents} == {
        (settings.PRIVACY_TERMS_VERSION, "127.0.0.1")
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[전주도시혁신센터]")
    assert EmailAddress.objects.get(user=user).verified is False


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"agree_privacy": ""}, "agree_privacy", "개인정보 수집·이용 동의가 필요합니다"),
        ({"agree_terms": ""}, "agree_terms", "이용약관 동의가 필요합니다"),
        ({"confirm_age": ""}, "confirm_age", "만 14세 미만은 법정대리인의 동의가 필요해"),
        ({"phone": "12345"}, "phone", "전화번호 형식이 올바르지 않습니다"),
        ({"name": ""}, "name", ""),
        ({"password2": "different-password-2026"}, "password2", ""),
    ],
)
def test_bad_signups_are_refused_with_a_message_and_create_nothing(client, overrides, field, message):
    response = signup(client, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert User.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert mail.outbox == []


def test_login_needs_a_verified_email_then_works(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    client.logout()
    client.post("/accounts/login/", {"login": "minji@example.com", "password": PASSWORD})
    assert client.get("/accounts/profile/").status_code == 302  # not signed in: e-mail not verified yet

    link = confirmation_link()
    assert client.get(link).status_code == 200  # the page asks to confirm with a POST
    client.post(link)
    assert EmailAddress.objects.get(email="minji@example.com").verified is True
    client.logout()
    client.post("/accounts/login/", {"login": "minji@example.com", "password": PASSWORD})
    assert client.get("/accounts/profile/").status_code == 200


def test_profile_update_validates_and_saves(client, dong):
    user = User.objects.create_user(username="u1", email="u1@example.com", password=PASSWORD, name="이수")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)

    refused = client.post("/accounts/profile/", {"name": "이수", "phone": "abc", "dong": ""})
    assert refused.status_code == 200
    assert "전화번호" in " ".join(refused.context["form"].errors["phone"])
    user.refresh_from_db()
    assert user.phone == ""

    client.post("/accounts/profile/", {"name": "이수민", "phone": "010 2222 3333", "dong": str(dong.pk)})
    user.refresh_from_db()
    assert (user.name, user.phone, user.dong_id) == ("이수민", "010-2222-3333", dong.pk)


def test_password_reset_sends_an_email(client, django_capture_on_commit_callbacks):
    user = User.objects.create_user(username="u2", email="u2@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "u2@example.com"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_account_pages_are_korean_in_the_portal_layout(client):
    response = client.get("/accounts/signup/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<main id="main"' in html and "전주도시혁신센터" in html
    assert "개인정보 수집·이용에 동의합니다" in html
    # The consent is informed before it is given: purposes, items, retention, the right to refuse, the full texts.
    for text in (
        "회원 식별, 수강신청과 안내",
        "회원 탈퇴 시까지",
        "동의를 거부할 수 있으나",
        "만 14세 이상입니다",
    ):
        assert text in html
    assert 'href="/terms/"' in html and 'href="/privacy/"' in html
    old_address = client.get("/accounts/privacy/")
    assert (old_address.status_code, old_address["Location"]) == (301, "/privacy/")


@pytest.mark.django_db(transaction=True)
def test_signup_and_password_reset_work_while_the_mail_server_is_down(client, settings):
    """The request succeeds and the e-mail waits in the outbox for the server to come back."""
    from jeonju_center.common.models import OutboxEmail

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = signup(client)
    assert response.status_code == 302
    assert User.objects.filter(email="minji@example.com").exists()
    client.logout()
    reset = client.post("/accounts/password/reset/", {"email": "minji@example.com"})
    assert reset.status_code == 302
    waiting = OutboxEmail.objects.order_by("pk")
    assert [email.to for email in waiting] == [["minji@example.com"], ["minji@example.com"]]
    assert all(email.status == OutboxEmail.Status.PENDING and email.last_error for email in waiting)
    assert mail.outbox == []


def test_the_account_emails_are_our_korean_texts_with_links_that_work(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    [message] = mail.outbox
    lines = message.body.splitlines()
    assert lines[0] == "김민지 님, 안녕하세요. 전주도시혁신센터입니다."
    assert message.subject == "[전주도시혁신센터] 이메일 주소를 확인해 주세요"
    for server_name in ("example.com", "testserver", "minji@"):
        assert server_name not in lines[0]
    [link] = [line for line in lines if "/accounts/confirm-email/" in line]
    assert re.fullmatch(r"https?://[^/\s]+/accounts/confirm-email/[^\s]+/", link)  # alone on its line
    assert client.get(link.split("testserver", 1)[-1]).status_code == 200

    client.logout()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "minji@example.com"})
    [reset] = mail.outbox
    assert reset.subject == "[전주도시혁신센터] 비밀번호 재설정 안내"
    assert "새 비밀번호를 정해 주세요" in reset.body
    [reset_link] = [line for line in reset.body.splitlines() if "/accounts/password/reset/key/" in line]
    assert re.fullmatch(r"https?://[^/\s]+/accounts/password/reset/key/[^\s]+/", reset_link)
    assert "username" not in reset.body.lower()


def test_the_login_page_focuses_the_email_and_says_what_keeping_the_session_means(client, settings):
    html = client.get("/accounts/login/").content.decode()
    assert re.search(r'<input[^>]*name="login"[^>]*autofocus', html)
    assert "로그인 상태 유지" in html and "아이디 저장" not in html
    assert "7일 동안 로그인한 채로 둡니다" in html


@pytest.mark.parametrize(("remember", "ends_with_the_browser"), [("", True), ("on", False)])
def test_the_session_lasts_only_as_long_as_the_checkbox_says(client, remember, ends_with_the_browser):
    user = User.objects.create_user(username="u3", email="u3@example.com", password=PASSWORD, name="이수")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    data = {"login": "u3@example.com", "password": PASSWORD}
    if remember:
        data["remember"] = remember
    assert client.post("/accounts/login/", data).status_code == 302
    assert client.session.get_expire_at_browser_close() is ends_with_the_browser
