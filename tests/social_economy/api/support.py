"""Helpers shared by the social-economy partner API tests."""

import csv
import datetime
import io

from django.utils import timezone

from jeonju_center.partners.models import ChangeEvent

READ = "social_economy:read"
WRITE = "consulting:write"


# Every test here runs at one moment (a Wednesday morning in Korea): dates built from it cannot go stale at midnight.
MOMENT = timezone.make_aware(datetime.datetime(2027, 5, 12, 10, 0))
LONG_AGO = MOMENT - datetime.timedelta(days=30)


def ids(response):
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


def csv_rows(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_invalid(response, field):
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"], body


def last_event_id():
    return ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(start, resource):
    return list(
        ChangeEvent.objects.filter(id__gt=start, resource=resource)
        .order_by("id")
        .values_list("object_id", "action")
    )


def age_everything(*models):
    """Moves every row's ``updated_at`` to the past (``update()`` bypasses ``auto_now``)."""
    for model in models:
        model.objects.update(updated_at=LONG_AGO)
