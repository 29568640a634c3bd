"""Kakao and Naver login through django-allauth, against a fake OAuth provider the tests start on 127.0.0.1
(authorize, token and user-info endpoints): a first login signs up with the portal's consents, a verified
e-mail an account already has signs in to that account, and a refusal, a forged state or a provider error
create nothing. Buttons appear only for configured providers; deleting the account removes the links."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.kakao.views import KakaoOAuth2Adapter
from allauth.socialaccount.providers.naver.views import NaverOAuth2Adapter

from jeonju_center.accounts.models import ConsentRecord, User
from jeonju_center.accounts.services import account_delete

pytestmark = pytest.mark.django_db

PROFILES = {
    "kakao": {
        "id": 4242,
        "kakao_account": {
            "email": "minji@example.com",
            "is_email_verified": True,
            "profile": {"nickname": "민지"},
        },
    },
    "naver": {
        "resultcode": "00",
        "message": "success",
        "response": {"id": "nv-77", "email": "sua@example.com"},
    },
}


class FakeProvider(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _json(self, status, body):
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self):
        url = urlparse(self.path)
        provider = url.path.split("/")[1]
        if url.path.endswith("/authorize"):
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            answer = {"state": query["state"]}
            answer.update({"error": "access_denied"} if self.server.refuse else {"code": f"code-{provider}"})
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{urlencode(answer)}")
            self.end_headers()
        elif url.path.endswith("/me"):
            self._json(200, PROFILES[provider])
        else:
            self._json(404, {})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        if self.server.fail_token:
            self._json(500, {"error": "server_error"})
        elif form.get("code", [""])[0].startswith("code-"):
            self._json(200, {"access_token": "token-1", "token_type": "bearer", "expires_in": 3600})
        else:
            self._json(400, {"error": "invalid_grant"})


@pytest.fixture
def provider(settings, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    server.refuse = server.fail_token = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for name, adapter in (("kakao", KakaoOAuth2Adapter), ("naver", NaverOAuth2Adapter)):
        monkeypatch.setattr(adapter, "authorize_url", f"{base}/{name}/authorize")
        monkeypatch.setattr(adapter, "access_token_url", f"{base}/{name}/token")
        monkeypatch.setattr(adapter, "profile_url", f"{base}/{name}/me")
    settings.SOCIALACCOUNT_PROVIDERS = {
        name: {"APPS": [{"client_id": f"{name}-id", "secret": f"{name}-secret", "name": name}]}
        for name in ("kakao", "naver")
    }
    yield server
    server.shutdown()


def through_provider(client, name, *, state=None):
    """Press the button, let the fake provider answer, come back to the portal's callback."""
    start = client.post(f"/accounts/{name}/login/", {"process": "login"})
    assert start.status_code == 302 and start["Location"].startswith("http://127.0.0.1:")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(answer.headers["Location"])
    query = parse_qs(callback.query)
    if state is not None:
        query["state"] = [state]
    return client.get(callback.path, {key: values[0] for key, values in query.items()})


def test_first_kakao_login_signs_up_with_the_portal_s_consents(client, provider):
    response = through_provider(client, "kakao")
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/signup/"
    page = client.get("/accounts/3rdparty/signup/").content.decode()
    assert "만 14세 이상입니다" in page and "이용약관에 동의합니다" in page
    assert "카카오 계정으로 처음 로그인하셨습니다" in page and "동의를 거부할 수 있으나" in page
    refused = client.post("/accounts/3rdparty/signup/", {"email": "minji@example.com", "name": "김민지"})
    assert refused.status_code == 200 and not User.objects.exists()

    done = client.post(
        "/accounts/3rdparty/signup/",
        {
            "email": "minji@example.com",
            "name": "김민지",
            "confirm_age": "on",
            "agree_terms": "on",
            "agree_privacy": "on",
        },
    )
    assert done.status_code == 302
    user = User.objects.get()
    assert (user.email, user.name, user.has_usable_password()) == ("minji@example.com", "김민지", False)
    assert SocialAccount.objects.get().user == user and SocialAccount.objects.get().uid == "4242"
    assert EmailAddress.objects.get(user=user).verified  # Kakao said it is verified
    assert set(ConsentRecord.objects.filter(user=user).values_list("item", flat=True)) == {
        ConsentRecord.Item.AGE_CONFIRMED,
        ConsentRecord.Item.TERMS,
        ConsentRecord.Item.PRIVACY_SIGNUP,
    }
    assert client.get("/accounts/profile/").status_code == 200  # signed in


def test_a_verified_email_the_portal_knows_signs_in_to_that_account(client, provider):
    existing = User.objects.create_user(
        username="sua", email="sua@example.com", password="x" * 12, name="이수아"
    )
    EmailAddress.objects.create(user=existing, email="sua@example.com", verified=True, primary=True)
    response = through_provider(client, "naver")
    assert response.status_code == 302 and "/3rdparty/signup/" not in response["Location"]
    assert User.objects.count() == 1
    assert SocialAccount.objects.get().user == existing
    assert int(client.session["_auth_user_id"]) == existing.pk


@pytest.mark.parametrize("failure", ["refusal", "forged state", "provider error"])
def test_a_failed_login_creates_nothing(client, provider, failure):
    provider.refuse = failure == "refusal"
    provider.fail_token = failure == "provider error"
    response = through_provider(client, "kakao", state="forged" if failure == "forged state" else None)
    if failure == "refusal":
        assert response["Location"] == "/accounts/3rdparty/login/cancelled/"
        response = client.get(response["Location"])
        assert response.status_code == 200 and "간편 로그인을 취소했습니다" in response.content.decode()
    else:
        assert response.status_code == 401 and "간편 로그인을 하지 못했습니다" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists() and not SocialAccount.objects.exists()


def test_buttons_appear_only_for_configured_providers(client, provider, settings):
    page = client.get("/accounts/login/").content.decode()
    assert "카카오로 로그인" in page and "네이버로 로그인" in page
    settings.SOCIALACCOUNT_PROVIDERS = {"kakao": settings.SOCIALACCOUNT_PROVIDERS["kakao"]}
    page = client.get("/accounts/login/").content.decode()
    assert "카카오로 로그인" in page and "네이버로 로그인" not in page
    settings.SOCIALACCOUNT_PROVIDERS = {}
    for url in ("/accounts/login/", "/accounts/signup/"):
        assert "간편 로그인" not in client.get(url).content.decode()


def test_deleting_the_account_removes_the_links_and_needs_no_password_it_never_had(client, provider):
    user = User.objects.create_user(username="kakao-user", email="k@example.com", name="박카카오")
    user.set_unusable_password()
    user.save()
    SocialAccount.objects.create(user=user, provider="kakao", uid="99")
    client.force_login(user)
    page = client.get("/accounts/delete/").content.decode()
    assert 'name="password"' not in page
    assert client.post("/accounts/delete/", {"confirm": "on"}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists() and not SocialAccount.objects.exists()
    with pytest.raises(Exception, match="비밀번호"):
        owner = User.objects.create_user(
            username="pw-user", email="p@example.com", password="right-password-1"
        )
        account_delete(actor=owner, password="wrong")
