"""The demo data set fills every model, is idempotent, and every admin screen shows it."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.urls import reverse

from jeonju_center.demo.base import DEMO_PARTNER_NAME, DEMO_STAFF_PASSWORD, DEMO_STAFF_USERNAME
from jeonju_center.partners.models import PartnerAPIKey

# Operational records written while the portal runs, not demo data.
OPERATIONAL_MODELS = {
    "common.ServiceHeartbeat",
    "common.OutboxEmail",
    "common.OutboxMessage",
    "accounts.PhoneVerification",
    "partners.ChangeEvent",
    "partners.IdempotencyRecord",
    "common.PersonalDataAccess",
    "common.AccessLogReview",
    "common.RetentionRun",
    "news.PublicationDownload",
}
PROJECT_APP_LABELS = {
    "common",
    "accounts",
    "partners",
    "news",
    "social_economy",
    "ondure",
    "regeneration",
    "courses",
    "calls",
}


def project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APP_LABELS
        and not model._meta.auto_created
        # django-simple-history's tables: shown through each record's history screen, not an admin.
        and not hasattr(model, "instance_type")
    ]


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in project_models()}


def every_row_count():
    """Every table's rows, the apps outside PROJECT_APP_LABELS (spaces, inquiries, …) and the operational ones
    included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db(transaction=True)
def test_seed_demo_fills_every_model_idempotently_and_the_admin_shows_it(client, capsys):
    call_command("seed_demo")
    first, everything = row_counts(), every_row_count()
    output = capsys.readouterr().out
    assert f"{DEMO_STAFF_USERNAME} / {DEMO_STAFF_PASSWORD}" in output
    # The privileged demo accounts sign in with a second factor; the printed key is theirs.
    from base64 import b32encode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    secret = output.split("add this key to an authenticator app: ")[1].split()[0]
    devices = TOTPDevice.objects.filter(confirmed=True).select_related("user")
    assert {device.user.username for device in devices} >= {DEMO_STAFF_USERNAME, "manager", "privacy"}
    assert {b32encode(device.bin_key).decode().rstrip("=") for device in devices} == {secret}
    demo_key = output.split("Demo partner API key: ")[1].split()[0]
    assert PartnerAPIKey.objects.get_from_key(demo_key).partner.name == DEMO_PARTNER_NAME

    empty = sorted(label for label, count in first.items() if count == 0 and label not in OPERATIONAL_MODELS)
    assert empty == [], f"models without demo data: {empty}"

    # The headline volumes of the real center.
    assert first["common.Dong"] == 35
    assert 280 <= first["social_economy.Organization"] <= 320
    assert 900 <= first["social_economy.Product"] <= 1200
    from ondure.models import Community

    assert Community.objects.filter(cohort_year=2014).count() == 66
    assert 35 <= first["courses.Course"] <= 45

    call_command("seed_demo")
    assert row_counts() == first
    assert every_row_count() == everything
    assert "Demo partner API key: kept" in capsys.readouterr().out

    # Every model registered in the admin: the changelist lists demo rows, the change and add forms open.
    assert client.login(username=DEMO_STAFF_USERNAME, password=DEMO_STAFF_PASSWORD)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APP_LABELS:
            continue
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        if opts.label not in OPERATIONAL_MODELS:
            assert changelist.context["cl"].result_count >= 1, f"{opts.label} changelist is empty"
            obj = model._default_manager.order_by("pk").first()
            change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
            assert change.status_code == 200, opts.label
        if model_admin.has_add_permission(changelist.wsgi_request):
            add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
            assert add.status_code == 200, opts.label
        checked += 1
    assert checked == len([m for m in project_models() if m in admin.site._registry])
    unregistered = sorted(m._meta.label for m in project_models() if m not in admin.site._registry)
    assert unregistered == [], f"models missing from the admin: {unregistered}"


def test_seed_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")


def test_seed_demo_refuses_a_bad_scale():
    with pytest.raises(CommandError, match="scale"):
        call_command("seed_demo", scale=0)
