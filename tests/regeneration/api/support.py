"""Helpers shared by the regeneration partner API tests."""

import datetime
import decimal

from django.utils import timezone

from jeonju_center.partners.models import ChangeEvent

D = decimal.Decimal
day = datetime.date


def today():
    return timezone.localdate()


def page(api, url, params=None):
    response = api.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    return body


def assert_invalid(api, url, params, field):
    response = api.get(url, params)
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"], body
    assert body["errors"][field][0]  # a message, not an empty list


def last_event_id():
    return ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_after(marker, resource):
    return [
        (event.object_id, event.action)
        for event in ChangeEvent.objects.filter(id__gt=marker, resource=resource).order_by("id")
    ]
