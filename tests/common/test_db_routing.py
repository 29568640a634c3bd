"""Which database a read goes to (jeonju_center/common/db_routing.py) and the settings of the replica and the
pooler. The routing against a real streaming replica is tested in tests/replica/."""

import contextlib
import datetime
import json

import pytest
import time_machine
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse
from django.test import RequestFactory

from jeonju_center.common.db_routing import (
    PRIMARY_UNTIL_COOKIE,
    REPLICA,
    PrimaryReplicaRouter,
    ReplicaReadsMiddleware,
    reads_from_replica,
    use_primary,
)
from tests.common.test_settings import run_django

MOMENT = datetime.datetime(2027, 3, 10, 14, 0, tzinfo=datetime.UTC)


class Visitor:
    def __init__(self, *, staff=False, signed_in=True):
        self.is_authenticated = signed_in
        self.is_staff = staff


def forget_replica():
    with contextlib.suppress(AttributeError):  # no connection object was made in this thread
        del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica_alias_without_connection():
    """A ``replica`` alias the router can see; nothing here opens a connection to it (no database access)."""
    connections.settings[REPLICA] = {**connections.settings[DEFAULT_DB_ALIAS], "PORT": "5439"}
    yield
    forget_replica()


def visit(request, *, write=False, inside=None):
    """Run ``request`` through the middleware; returns (where the view's reads went, the response)."""
    seen = {}

    def view(request):
        seen["replica"] = reads_from_replica()
        if inside is not None:
            with inside:
                seen["inside"] = reads_from_replica()
        if write:
            PrimaryReplicaRouter().db_for_write(None)
        return HttpResponse("ok")

    response = ReplicaReadsMiddleware(view)(request)
    return seen, response


def get(path="/spaces/", *, user=None, cookie=None):
    request = RequestFactory().get(path)
    request.user = user or Visitor(signed_in=False)
    if cookie is not None:
        request.COOKIES[PRIMARY_UNTIL_COOKIE] = cookie.value
    return request


def test_without_a_replica_the_router_answers_nothing_and_the_middleware_sets_nothing():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(None) is None and router.db_for_write(None) is None
    seen, _response = visit(get())
    assert seen == {"replica": False}
    request = RequestFactory().post("/courses/x/enroll/")
    request.user = Visitor()
    assert PRIMARY_UNTIL_COOKIE not in visit(request)[1].cookies


@pytest.mark.usefixtures("replica_alias_without_connection")
def test_a_public_get_reads_the_replica_except_inside_use_primary():
    seen, response = visit(get(), inside=use_primary())
    assert seen == {"replica": True, "inside": False}
    assert PRIMARY_UNTIL_COOKIE not in response.cookies
    assert not reads_from_replica(), "outside a request everything reads the primary"


@pytest.mark.usefixtures("replica_alias_without_connection")
def test_use_primary_decorates_a_view():
    @use_primary()
    def view():
        return reads_from_replica()

    request = get()
    assert ReplicaReadsMiddleware(lambda request: HttpResponse(str(view())))(request).content == b"False"


@pytest.mark.usefixtures("replica_alias_without_connection")
@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(lambda: get("/admin/courses/course/"), id="back office"),
        pytest.param(lambda: get(user=Visitor(staff=True)), id="staff on a public page"),
        pytest.param(
            lambda: RequestFactory().options("/api/v1/courses/"), id="options is safe, reads replica"
        ),
    ],
)
def test_the_back_office_and_staff_read_the_primary(request_):
    request = request_()
    request.user = getattr(request, "user", Visitor(signed_in=False))
    seen, _response = visit(request)
    assert seen["replica"] is (request.method == "OPTIONS")


@pytest.mark.usefixtures("replica_alias_without_connection")
def test_after_a_write_the_visitor_reads_the_primary_for_the_configured_seconds(settings):
    settings.DATABASE_REPLICA_READ_YOUR_WRITES_SECONDS = 10
    with time_machine.travel(MOMENT, tick=False) as traveller:
        post = RequestFactory().post("/courses/x/enroll/")
        post.user = Visitor()
        _seen, response = visit(post)
        cookie = response.cookies[PRIMARY_UNTIL_COOKIE]
        assert cookie["max-age"] == 10 and cookie["httponly"]

        traveller.shift(datetime.timedelta(seconds=9))
        assert visit(get(user=Visitor(), cookie=cookie))[0] == {"replica": False}
        traveller.shift(datetime.timedelta(seconds=2))
        assert visit(get(user=Visitor(), cookie=cookie))[0] == {"replica": True}


@pytest.mark.usefixtures("replica_alias_without_connection")
def test_a_get_that_writes_starts_read_your_writes_and_a_forged_cookie_is_ignored():
    seen, response = visit(get(), write=True)
    assert seen == {"replica": True} and PRIMARY_UNTIL_COOKIE in response.cookies

    request = get()
    request.COOKIES[PRIMARY_UNTIL_COOKIE] = "99999999999"
    assert visit(request)[0] == {"replica": True}


def test_a_replica_alias_that_names_the_primary_itself_is_not_used():
    connections.settings[REPLICA] = {**connections.settings[DEFAULT_DB_ALIAS]}
    try:
        assert visit(get())[0] == {"replica": False}
    finally:
        forget_replica()


@pytest.mark.usefixtures("replica_alias_without_connection")
def test_select_for_update_goes_to_the_primary_inside_a_replica_request():
    from spaces.models import Space

    def view(request):
        return HttpResponse(f"{Space.objects.all().db} {Space.objects.select_for_update().db}")

    assert ReplicaReadsMiddleware(view)(get()).content == b"replica default"


@pytest.mark.django_db
def test_inside_a_transaction_every_read_goes_to_the_primary(replica_alias_without_connection):
    from spaces.models import Space

    row_from_the_replica = Space(pk=1)
    row_from_the_replica._state.db = REPLICA

    # The test itself runs in a transaction (pytest-django's TestCase), as a view's atomic block would.
    assert connections[DEFAULT_DB_ALIAS].in_atomic_block
    assert visit(get())[0] == {"replica": False}
    # Also the relations of a row that was read on the replica before the transaction began.
    assert row_from_the_replica.bookings.all().db == DEFAULT_DB_ALIAS


def test_the_router_keeps_relations_between_both_aliases_and_never_migrates_the_replica():
    router = PrimaryReplicaRouter()

    class Row:
        def __init__(self, db):
            self._state = type("State", (), {"db": db})()

    assert router.allow_relation(Row(DEFAULT_DB_ALIAS), Row(REPLICA)) is True
    assert router.allow_migrate(REPLICA, "courses") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "courses") is None


SHOW_DATABASES = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({alias: {'port': d['PORT'], 'test': d.get('TEST', {}), "
    "'options': d.get('OPTIONS', {}).get('options'), 'cursors': d.get('DISABLE_SERVER_SIDE_CURSORS', False)} "
    "for alias, d in s.DATABASES.items()}))"
)


def databases(env):
    result = run_django(env, code=SHOW_DATABASES)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_replica_url_there_is_no_replica_alias_and_with_it_tests_mirror_default():
    primary = "postgres://postgres@127.0.0.1:5432/jeonju"
    assert set(databases({"DATABASE_URL": primary})) == {"default"}

    both = databases(
        {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5439/jeonju"}
    )
    assert both["replica"]["port"] == 5439 and both["replica"]["test"]["MIRROR"] == "default"
    assert "lock_timeout" in both["default"]["options"] and not both["default"]["cursors"]


def test_behind_pgbouncer_no_startup_options_and_no_server_side_cursors():
    pooled = databases(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:6432/jeonju",
            "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:6433/jeonju",
            "DATABASE_POOLER": "pgbouncer",
        }
    )
    assert all(alias["options"] is None and alias["cursors"] for alias in pooled.values())
    refused = run_django({"DATABASE_POOLER": "pgpool"}, code=SHOW_DATABASES)
    assert refused.returncode != 0 and "DATABASE_POOLER" in refused.stderr
