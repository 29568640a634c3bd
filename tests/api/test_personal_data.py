"""No partner response contains personal data: every endpoint's output is searched for the seeded
personal values of every model that declares ``PERSONAL_DATA_FIELDS``."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from jeonju_center.api.routes import all_routes
from jeonju_center.partners.scopes import SCOPES
from tests.api.support import partner_client

# Shorter strings (two-syllable names such as 이수) also occur as ordinary words.
MIN_LENGTH = 3


def public_person_names():
    """Names published on purpose (e.g. instructors); a citizen who shares such a name is no leak."""
    names = set()
    for model in apps.get_models():
        for field in getattr(model, "PUBLIC_PERSON_FIELDS", ()):
            names.update(model._default_manager.values_list(field, flat=True))
    return names


def personal_values():
    public = public_person_names()
    values = {}
    for model in apps.get_models():
        fields = getattr(model, "PERSONAL_DATA_FIELDS", ())
        for field in fields:
            for value in model._default_manager.exclude(
                **{field: ""} if _is_text(model, field) else {}
            ).values_list(field, flat=True):
                for variant in _variants(value):
                    if variant not in public:
                        values.setdefault(variant, f"{model._meta.label}.{field}")
    return values


def _is_text(model, field):
    return model._meta.get_field(field).get_internal_type() in {"CharField", "TextField", "EmailField"}


def _variants(value):
    if value is None:
        return []
    if isinstance(value, datetime.date):
        return []  # dates collide with ordinary dates; birth dates are checked by field name below
    value = str(value).strip()
    if len(value) < MIN_LENGTH:
        return []
    digits = "".join(ch for ch in value if ch.isdigit())
    return [value] + ([digits] if len(digits) >= 9 and digits != value else [])


def collect_responses(client, path):
    """Every page of a list, plus the first few details."""
    bodies = []
    url = f"{path}?page_size=500"
    ids = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        bodies.append(response.content.decode())
        ids.extend(row["id"] for row in body["results"][:3] if "id" in row)
        url = body["next"]
    for pk in ids[:3]:
        response = client.get(f"{path}{pk}/")
        assert response.status_code == 200
        bodies.append(response.content.decode())
    return bodies


def _staff_session():
    """The browsable API with a staff login that may view everything (the widest a session gets)."""
    from rest_framework.test import APIClient

    from jeonju_center.accounts.models import User

    client = APIClient()
    client.force_login(
        User.objects.create_user("api-root", password="x" * 12, is_staff=True, is_superuser=True)
    )
    return client


@pytest.mark.parametrize("caller", ["partner key", "staff session"])
@pytest.mark.django_db(transaction=True)
def test_no_partner_response_contains_personal_data(caller):
    call_command("seed_demo", verbosity=0)
    secrets = personal_values()
    assert len(secrets) > 1000, "the demo data should hold plenty of personal data to look for"

    client = partner_client(*SCOPES) if caller == "partner key" else _staff_session()
    bodies = []
    for prefix, _viewset, _basename in all_routes():
        bodies.extend(collect_responses(client, f"/api/v1/{prefix}/"))
    campaign = client.get("/api/v1/survey-campaigns/").json()["results"][0]["id"]
    bodies.append(client.get(f"/api/v1/survey-campaigns/{campaign}/summary/").content.decode())
    bodies.append(client.get("/api/v1/changes/?limit=1000").content.decode())

    text = "\n".join(bodies)
    leaks = sorted({f"{origin}: {value}" for value, origin in secrets.items() if value in text})
    assert leaks == []
    assert "birth" not in text
