import pytest

from jeonju_center.common.models import Dong
from jeonju_center.common.reference import JEONJU_DONGS, load_dongs
from tests.conftest import _fresh_connection_pools

pytestmark = pytest.mark.django_db


def test_dongs_are_loaded_once_and_staff_edits_survive():
    load_dongs()
    assert Dong.objects.count() == 35 == sum(len(names) for names in JEONJU_DONGS.values())
    assert Dong.objects.filter(district="wansan").count() == 19

    pungnam = Dong.objects.get(name="풍남동")
    pungnam.is_active = False
    pungnam.save()
    Dong.objects.filter(name="혁신동").delete()

    assert load_dongs() == "dongs: 1 created"
    assert Dong.objects.count() == 35
    assert Dong.objects.get(name="풍남동").is_active is False


def test_dong_names_are_unique():
    from django.db import IntegrityError, transaction

    Dong.objects.create(name="서신동", district="wansan")
    with pytest.raises(IntegrityError), transaction.atomic():
        Dong.objects.create(name="서신동", district="deokjin")


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "inline"  # the test settings run tasks inline
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.fixture
def queued_tasks_with_broker(monkeypatch):
    """Switch the Celery app from inline tasks to a broker for one test."""
    from jeonju_center.celery import app

    previous = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}

    def use(broker_url):
        # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
        monkeypatch.setenv("CELERY_BROKER_URL", broker_url)
        app.conf.update(task_always_eager=False, broker_url=broker_url)
        _fresh_connection_pools(app)

    yield use
    app.conf.update(previous)
    _fresh_connection_pools(app)


def test_healthz_reports_an_unreachable_broker_but_stays_up(client, queued_tasks_with_broker):
    queued_tasks_with_broker("redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unavailable"


@pytest.mark.redis
def test_healthz_reports_a_live_broker(client, queued_tasks_with_broker):
    from tests.conftest import _redis_broker_url

    queued_tasks_with_broker(_redis_broker_url())
    assert client.get("/healthz").json()["broker"] == "ok"


def test_home_page_is_korean_with_landmarks(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ko">' in html
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "전주도시혁신센터" in html


def test_reference_data_creates_the_team_groups_once():
    from django.contrib.auth.models import Group

    from jeonju_center.common.reference import load_all_reference_data
    from jeonju_center.common.teams import TEAMS

    load_all_reference_data()
    load_all_reference_data()
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(TEAMS)
