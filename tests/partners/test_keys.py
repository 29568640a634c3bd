import os
import uuid
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.management import CommandError, call_command
from django.utils import timezone

from jeonju_center.partners.models import PartnerAPIKey
from jeonju_center.partners.services import partner_key_revoke
from tests.actors import TEST_JOB
from tests.partners.factories import PartnerCenterFactory, make_key

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"


def auth(raw_key):
    return {"HTTP_AUTHORIZATION": f"Api-Key {raw_key}"}


def test_create_partner_key_prints_the_key_once_alone_on_the_last_line(capsys, client):
    PartnerCenterFactory(name="전북 사회적경제지원센터")
    call_command(
        "create_partner_key",
        "전북 사회적경제지원센터",
        "--scope",
        "social_economy:read",
        "--scope",
        "ondure:read",
    )
    out = capsys.readouterr().out
    raw_key = out.strip().splitlines()[-1]
    assert raw_key == out.strip()  # nothing else on stdout
    api_key = PartnerAPIKey.objects.get()
    assert api_key.scopes == ["ondure:read", "social_economy:read"]
    assert raw_key not in (api_key.hashed_key, api_key.id)  # only a hash is stored
    assert client.get(FEED, **auth(raw_key)).status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["없는 센터", "--scope", "ondure:read"], "협력기관이 없습니다"),
        (["센터", "--scope", "everything:write"], "알 수 없는 권한"),
        (["센터"], "하나 이상"),
        (["센터", "--scope", "ondure:read", "--expires-in-days", "0"], "expires-in-days"),
    ],
)
def test_create_partner_key_refuses_bad_input_and_creates_nothing(args, message):
    PartnerCenterFactory(name="센터")
    with pytest.raises(CommandError, match=message):
        call_command("create_partner_key", *args)
    assert PartnerAPIKey.objects.count() == 0


def test_missing_key_is_401_with_the_auth_scheme(client):
    response = client.get(FEED)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: "nonsense", "올바르지 않습니다"),
        (lambda: make_key("ondure:read")[1][:-2] + "xx", "올바르지 않습니다"),
        (lambda: _revoked_key(), "폐기된"),
        (lambda: _expired_key(), "만료된"),
        (lambda: _key_of_a_former_partner(), "협력이 종료된"),
        (lambda: "nosuchpx.0123456789abcdef", "올바르지 않습니다"),
    ],
)
def test_bad_revoked_and_expired_keys_are_401_with_a_reason(client, make, message):
    response = client.get(FEED, **auth(make()))
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    assert message in body["detail"]


def _revoked_key():
    api_key, raw_key = make_key("ondure:read")
    partner_key_revoke(api_key=api_key, actor=TEST_JOB)
    return raw_key


def _key_of_a_former_partner():
    api_key, raw_key = make_key("ondure:read")
    type(api_key.partner).objects.filter(pk=api_key.partner_id).update(is_active=False)
    return raw_key


def _expired_key():
    api_key, raw_key = make_key("ondure:read")
    PartnerAPIKey.objects.filter(pk=api_key.pk).update(expiry_date=timezone.now() - timedelta(minutes=1))
    return raw_key


def test_revocation_cannot_be_undone():
    from django.core.exceptions import ValidationError

    api_key, _ = make_key("ondure:read")
    partner_key_revoke(api_key=api_key, actor=TEST_JOB)
    api_key = PartnerAPIKey.objects.get(pk=api_key.pk)
    api_key.revoked = False
    with pytest.raises(ValidationError):
        api_key.save()


def test_a_key_is_found_with_its_fields_its_partner_and_the_data_version():
    from django.db import DEFAULT_DB_ALIAS

    from jeonju_center.api.pagination import data_version

    partner = PartnerCenterFactory(name="전북센터")
    api_key, raw_key = make_key("ondure:read", "courses:read", partner=partner, rate_limit_per_minute=7)
    PartnerAPIKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now() - timedelta(hours=1))
    expected = PartnerAPIKey.objects.select_related("partner").get(pk=api_key.pk)

    found = PartnerAPIKey.objects.get_from_key(raw_key)
    for field in PartnerAPIKey._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert (found.partner.pk, found.partner.name, found.partner.is_active) == (partner.pk, "전북센터", True)
    assert found.partner.website == partner.website  # the partner's other fields load when read
    assert found.data_version_read == (DEFAULT_DB_ALIAS, data_version())


def test_last_used_time_is_recorded(client):
    api_key, raw_key = make_key("ondure:read")
    assert api_key.last_used_at is None
    client.get(FEED, **auth(raw_key))
    api_key.refresh_from_db()
    assert timezone.now() - api_key.last_used_at < timedelta(seconds=10)


@pytest.fixture(params=["memory", "redis"])
def shared_cache(request, settings):
    """The cache the counters live in: the test settings' memory cache, and Redis as in production (where one
    script increments a counter and sets its expiry in one round trip). On Redis, under a prefix of its own,
    so that tests running at the same time do not share counters."""
    from django.core.cache import cache

    if request.param == "memory":
        cache.clear()
        yield cache
        cache.clear()
        return
    import redis

    url = os.environ.get("TEST_REDIS_CACHE_URL", "redis://127.0.0.1:6379/14")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"needs a running Redis at {url}: {error}")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield cache
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_each_key_has_its_own_rate_limit_with_retry_after(client, shared_cache):
    _, limited = make_key("ondure:read", rate_limit_per_minute=2)
    _, other = make_key("ondure:read")
    assert [client.get(FEED, **auth(limited)).status_code for _ in range(2)] == [200, 200]
    refused = client.get(FEED, **auth(limited))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["code"] == "throttled"
    assert client.get(FEED, **auth(other)).status_code == 200


def test_the_limit_counts_every_request_of_the_minute_refused_ones_excepted_and_resets_with_the_next(
    client, shared_cache
):
    import datetime

    import time_machine

    _, limited = make_key("ondure:read", rate_limit_per_minute=3)
    minute = datetime.datetime(2031, 3, 4, 10, 15, 10, tzinfo=datetime.UTC)
    with time_machine.travel(minute, tick=False):
        assert [client.get(FEED, **auth(limited)).status_code for _ in range(5)] == [200, 200, 200, 429, 429]
        assert client.get(FEED, **auth(limited))["Retry-After"] == "50"  # until 10:16:00
    with time_machine.travel(minute + timedelta(seconds=49), tick=False):
        assert client.get(FEED, **auth(limited)).status_code == 429  # refused requests were not counted…
    with time_machine.travel(minute + timedelta(seconds=50), tick=False):
        # …so the new minute has its whole limit.
        assert [client.get(FEED, **auth(limited)).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_count_does_not_grow_with_the_limit_and_is_one_number_that_expires(client, shared_cache):
    import datetime

    import time_machine

    api_key, generous = make_key("ondure:read", rate_limit_per_minute=1_000_000)
    moment = datetime.datetime(2031, 3, 4, 10, 15, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        for _ in range(30):
            assert client.get(FEED, **auth(generous)).status_code == 200
    counter = f"throttle:partner:{api_key.prefix}:{int(moment.timestamp()) // 60}"
    assert shared_cache.get(counter) == 30
    backend = caches["default"]
    if isinstance(backend, RedisCache):  # the counter was created with its expiry: a minute and a bit
        full_key = backend.make_and_validate_key(counter)
        assert 60 < backend._cache.get_client(full_key).ttl(full_key) <= 65


@pytest.mark.parametrize(
    ("query", "field"),
    [("since=abc", "since"), ("since=1-x", "since"), ("limit=0", "limit"), ("limit=x", "limit")],
)
def test_feed_refuses_bad_parameters_with_400(client, query, field):
    _, raw_key = make_key("ondure:read")
    response = client.get(f"{FEED}?{query}", **auth(raw_key))
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_admin_issues_a_key_shown_once(admin_client):
    partner = PartnerCenterFactory()
    response = admin_client.post(
        "/admin/partners/partnerapikey/add/",
        {
            "partner": partner.pk,
            "name": "연동",
            "scopes": ["ondure:read"],
            "expiry_date_0": "",
            "expiry_date_1": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    api_key = PartnerAPIKey.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    raw_key = next(m.rsplit(": ", 1)[1] for m in shown if "한 번만" in m)
    assert PartnerAPIKey.objects.get_from_key(raw_key) == api_key
