"""The change feed: a partner that follows it holds exactly what a full fetch returns."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from jeonju_center.api.routes import all_routes
from jeonju_center.partners.changes import record_changes
from jeonju_center.partners.models import ChangeEvent
from jeonju_center.partners.scopes import SCOPES
from tests.api.support import partner_client
from tests.partners.factories import PartnerCenterFactory

FEED = "/api/v1/changes/"


def follow(client, cursor, **params):
    """All events after ``cursor``; returns (events, next cursor)."""
    events = []
    while True:
        body = client.get(FEED, {"since": cursor, **params} if cursor else params).json()
        events.extend(body["results"])
        cursor = body["next"]
        if not body["has_more"]:
            return events, cursor


def fetch_all(client, prefix):
    records, url = {}, f"/api/v1/{prefix}/?page_size=500"
    while url:
        body = client.get(url).json()
        records.update({str(row["id"]): row for row in body["results"]})
        url = body["next"]
    return records


@pytest.mark.django_db
def test_consulting_events_reach_only_the_partner_of_the_case():
    from tests.social_economy.factories import ConsultingCaseFactory

    ours, theirs = PartnerCenterFactory(), PartnerCenterFactory()
    reader = partner_client("social_economy:read", partner=ours)
    writer_only = partner_client("consulting:write", partner=ours)
    other = partner_client("social_economy:read", partner=theirs)
    _, start = follow(reader, None)

    case = ConsultingCaseFactory(partner=ours)
    ConsultingCaseFactory(partner=theirs)

    def case_ids(client):
        events, _ = follow(client, start, resource="consulting-cases")
        return {event["id"] for event in events}

    assert case_ids(reader) == {str(case.pk)}
    assert case_ids(writer_only) == {str(case.pk)}
    assert str(case.pk) not in case_ids(other)
    assert len(case_ids(other)) == 1


@pytest.mark.django_db
def test_feed_only_lists_resources_the_key_may_read():
    _, cursor = follow(partner_client("ondure:read"), None)
    record_changes("organizations", [1], "updated")
    record_changes("communities", [2], "updated")
    events, _ = follow(partner_client("ondure:read"), cursor)
    assert [(e["resource"], e["id"]) for e in events] == [("communities", "2")]
    forbidden = partner_client("ondure:read").get(FEED, {"resource": "organizations"})
    assert forbidden.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_following_the_feed_ends_with_exactly_what_a_full_fetch_returns():
    call_command("seed_demo", verbosity=0)
    client = partner_client(*SCOPES)
    prefixes = [prefix for prefix, _viewset, _basename in all_routes()]

    # The documented procedure: keep the feed's cursor, then fetch everything once.
    _, cursor = follow(client, None)
    mirror = {prefix: fetch_all(client, prefix) for prefix in prefixes}

    changed = make_changes_of_every_kind()

    events, _ = follow(client, cursor)
    for event in events:
        records = mirror[event["resource"]]
        if event["action"] == "deleted":
            records.pop(event["id"], None)
            continue
        response = client.get(f"/api/v1/{event['resource']}/{event['id']}/")
        if response.status_code == 404:
            records.pop(event["id"], None)  # no longer public
        else:
            records[event["id"]] = response.json()

    fresh = {prefix: fetch_all(client, prefix) for prefix in prefixes}
    for prefix in prefixes:
        assert mirror[prefix].keys() == fresh[prefix].keys(), prefix
        differing = [pk for pk in fresh[prefix] if mirror[prefix][pk] != fresh[prefix][pk]]
        assert differing == [], f"{prefix}: stale records {differing[:5]}"
    # The changes really touched the data partners see.
    assert changed["deleted_product"] not in fresh["products"]
    assert changed["new_product"] in fresh["products"]
    assert changed["unpublished_meeting"] not in fresh["council-meetings"]
    assert fresh["organizations"][changed["renamed_organization"]]["name"].endswith("(개명)")


def make_changes_of_every_kind():
    from jeonju_center.common.models import Dong
    from ondure.models import Community
    from regeneration.models import CouncilMeeting
    from social_economy.models import Organization, Product, StoreListing

    organization = Organization.objects.filter(products__isnull=False).order_by("pk").first()
    organization.name = f"{organization.name} (개명)"
    organization.save()

    deleted = Product.objects.exclude(organization=organization).order_by("pk").first()
    deleted_id = str(deleted.pk)
    deleted.delete()
    new = Product.objects.create(organization=organization, name="새 제품 — 전주 한지 노트", price=12000)

    listing = StoreListing.objects.filter(delisted_on__isnull=True).order_by("pk").first()
    listing.delete()

    meeting = CouncilMeeting.objects.filter(is_published=True).order_by("pk").first()
    meeting.is_published, meeting.published_at = False, None
    meeting.save()

    community = Community.objects.filter(is_public=True).order_by("pk").first()
    community.is_public = False
    community.save()

    dong = Dong.objects.get(name="풍남동")
    dong.name = "풍남동(개칭)"
    dong.save()
    return {
        "renamed_organization": str(organization.pk),
        "deleted_product": deleted_id,
        "new_product": str(new.pk),
        "unpublished_meeting": str(meeting.pk),
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_slow_transaction_is_never_skipped_by_the_cursor():
    """Events appear in commit order: a transaction that started writing earlier but commits later
    cannot end up behind a cursor that already moved past later transactions."""
    client = partner_client("ondure:read")
    _, cursor = follow(client, None)
    slow_wrote, slow_may_commit = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                record_changes("communities", ["slow"], "updated")
                slow_wrote.set()
                slow_may_commit.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert slow_wrote.wait(timeout=30)
    record_changes("communities", ["fast"], "updated")  # commits first (autocommit)

    seen, cursor = follow(client, cursor)
    assert seen == []  # "fast" waits until the older transaction is done

    slow_may_commit.set()
    thread.join(timeout=30)
    seen, _ = follow(client, cursor)
    assert [event["id"] for event in seen] == ["slow", "fast"]
    assert ChangeEvent.objects.count() == 2
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_a_staff_session_follows_only_what_its_team_may_see_in_the_back_office():
    from django.contrib.auth.models import Group
    from rest_framework.test import APIClient

    from jeonju_center.accounts.models import User
    from jeonju_center.common.teams import EDUCATION_TEAM, SOCIAL_ECONOMY_TEAM, load_team_groups

    load_team_groups()

    def session(team):
        user = User.objects.create_user(f"staff-{team}", password="x" * 12, is_staff=True)
        user.groups.add(Group.objects.get(name=team))
        client = APIClient()
        client.force_login(user)
        return client

    teacher, social = session(EDUCATION_TEAM), session(SOCIAL_ECONOMY_TEAM)
    _, start = follow(social, None)
    record_changes("consulting-cases", [7], "created")
    record_changes("courses", [8], "updated")
    assert {(e["resource"], e["id"]) for e in follow(teacher, start)[0]} == {("courses", "8")}
    assert {(e["resource"], e["id"]) for e in follow(social, start)[0]} == {
        ("consulting-cases", "7"),
        ("courses", "8"),
    }
    assert teacher.get(FEED, {"resource": "consulting-cases"}).status_code == 403


@pytest.mark.django_db
def test_each_partners_feed_agrees_with_what_it_can_fetch_through_creates_moves_and_deletes():
    """Replaying its feed, a partner holds exactly the consulting cases it can GET — after a case without a
    partner, a case moved from one partner to another (and back to none), and a deletion."""
    from social_economy.models import ConsultingCase
    from tests.social_economy.factories import ConsultingCaseFactory

    a, b = PartnerCenterFactory(), PartnerCenterFactory()
    clients = {partner: partner_client("social_economy:read", partner=partner) for partner in (a, b)}
    cursors = {partner: follow(client, None)[1] for partner, client in clients.items()}
    mirrors = {partner: set() for partner in (a, b)}

    def replay_and_compare(step):
        for partner, client in clients.items():
            events, cursors[partner] = follow(client, cursors[partner], resource="consulting-cases")
            for event in events:
                if event["action"] == "deleted":
                    mirrors[partner].discard(event["id"])
                else:
                    assert client.get(f"/api/v1/consulting-cases/{event['id']}/").status_code == 200, (
                        step,
                        event,
                    )
                    mirrors[partner].add(event["id"])
            fetched = {
                str(row["id"])
                for row in client.get("/api/v1/consulting-cases/?page_size=500").json()["results"]
            }
            assert mirrors[partner] == fetched, (step, partner.name)

    orphan = ConsultingCaseFactory(partner=None)
    mine = ConsultingCaseFactory(partner=a)
    replay_and_compare("created")
    mine.partner = b
    mine.save()
    replay_and_compare("moved from A to B")
    orphan.partner = a
    orphan.save()
    replay_and_compare("given to A")
    mine.partner = None
    mine.save()
    replay_and_compare("taken from B")
    ConsultingCase.objects.filter(pk=orphan.pk).get().delete()
    replay_and_compare("deleted")
    assert mirrors == {a: set(), b: set()}
