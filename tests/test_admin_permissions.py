"""Least privilege in the back office: every admin changelist and change view × every team group.

The expected access is declared here, independently of ``jeonju_center.common.teams``, so that a wrong
permission list in the code fails this test rather than defining what it checks.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from jeonju_center.accounts.models import User
from jeonju_center.common.teams import (
    ACCESS_LOG_REVIEWERS,
    CENTER_ADMINS,
    EDUCATION_TEAM,
    PERSONAL_DATA_VIEWERS,
    REGENERATION_TEAM,
    SOCIAL_ECONOMY_TEAM,
)

DOMAIN_APPS = {"regeneration", "social_economy", "ondure", "courses", "calls", "spaces"}
CENTER_APPS = DOMAIN_APPS | {
    "news",
    "inquiries",
    "common",
    "partners",
    "accounts",
    "auth",
    "axes",
    "rest_framework_api_key",
}

# Full access: every admin of these apps. Look-ups: view-only access to single models of other apps.
EXPECTED = {
    REGENERATION_TEAM: ({"regeneration", "calls", "inquiries", "spaces"}, {"common.dong"}),
    SOCIAL_ECONOMY_TEAM: (
        {"social_economy", "ondure", "calls", "inquiries"},
        {"common.dong", "partners.partnercenter"},
    ),
    EDUCATION_TEAM: ({"courses", "inquiries"}, {"common.dong", "accounts.user"}),
    CENTER_ADMINS: (CENTER_APPS, set()),
    PERSONAL_DATA_VIEWERS: (set(), set()),
    ACCESS_LOG_REVIEWERS: (set(), {"common.personaldataaccess"}),
    None: (set(), set()),  # a staff account in no group
}


def _expected(group, opts):
    apps, lookups = EXPECTED[group]
    return opts.app_label in apps or opts.label_lower in lookups


TEAM_SCOPED = {"calls.application", "calls.applicationdocument", "calls.applicationmember", "calls.reviewscore",
               "calls.conflictofinterest"}  # fmt: skip


# Which team answers each kind of inquiry (센터 관리자 see every team's).
INQUIRY_TEAMS = {"regeneration": REGENERATION_TEAM, "social_economy": SOCIAL_ECONOMY_TEAM,
                 "education": EDUCATION_TEAM, "center": CENTER_ADMINS}  # fmt: skip


def _call_team(obj):
    """Applicants' data (an application or a part of one) opens only for the team of its call; an inquiry
    only for the team it was addressed to."""
    if obj._meta.label_lower == "inquiries.inquiry":
        return INQUIRY_TEAMS[obj.team]
    if obj._meta.label_lower not in TEAM_SCOPED:
        return None
    application = getattr(obj, "application", obj)
    return application.call.team_group.name


def _staff_in(group):
    user = User.objects.create_user(
        username=f"staff-{group or 'none'}", password="pw-123456789", is_staff=True
    )
    if group:
        user.groups.set([Group.objects.get(name=group)])
    return user


@pytest.mark.django_db
def test_every_admin_view_is_open_to_exactly_the_teams_that_own_it(client):
    call_command("seed_demo", stdout=io.StringIO())
    mismatches = []
    checked = 0
    for group in EXPECTED:
        client.force_login(_staff_in(group))
        index = client.get(reverse("admin:index"))
        assert index.status_code == 200, group
        for model, model_admin in admin.site._registry.items():
            opts = model._meta
            allowed = _expected(group, opts)
            changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
            if (changelist.status_code == 200) != allowed or changelist.status_code not in (200, 403):
                mismatches.append((group, opts.label, "changelist", changelist.status_code))
            obj = model._default_manager.order_by("pk").first()
            if obj is not None:
                change = client.get(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
                team = _call_team(obj)
                sees_all_inquiries = group == CENTER_ADMINS and opts.label_lower == "inquiries.inquiry"
                opens = allowed and (team is None or team == group or sees_all_inquiries)
                if (change.status_code == 200) != opens or change.status_code not in (200, 403, 302):
                    mismatches.append((group, opts.label, "change", change.status_code))
            # A view-only look-up grants no writing.
            if allowed and opts.label_lower in EXPECTED[group][1]:
                request = changelist.wsgi_request
                if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
                    mismatches.append((group, opts.label, "look-up is writable", None))
            checked += 1
    assert mismatches == []
    assert checked == len(EXPECTED) * len(admin.site._registry)


@pytest.mark.django_db
def test_the_index_lists_only_the_teams_own_apps(client):
    call_command("load_reference_data", stdout=io.StringIO())
    client.force_login(_staff_in(EDUCATION_TEAM))
    app_labels = {app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]}
    assert app_labels == {"courses", "inquiries", "common", "accounts"}
    client.force_login(_staff_in(None))
    assert client.get(reverse("admin:index")).context["app_list"] == []
