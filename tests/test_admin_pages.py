"""Every registered admin answers: its changelist lists the rows, the add page opens or refuses as its
ModelAdmin says, the change page shows the object, the search box answers, and the changelist runs the same
number of queries for N and 2N rows.

The rows come from ``tests/admin_rows.py`` (one builder per model label); a newly registered admin without a
builder fails ``test_every_registered_admin_has_a_row_builder``. Team access to each page is tested in
``tests/test_admin_permissions.py``, masking in each app's ``test_personal_data.py``.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.admin_rows import NOT_BUILT, ROW_BUILDERS

PROJECT_APPS = {"courses", "social_economy", "regeneration", "ondure", "calls", "spaces"}
# Apps each of whose models keeps its change history (django-simple-history).
EVERY_MODEL_KEEPS_HISTORY = {"regeneration", "social_economy"}

# Models the back office never adds by hand (for a superuser, ``has_add_permission`` is False), and why.
REFUSES_ADD = {
    "accounts.ConsentRecord": "given by the citizen when signing up or enrolling",
    "accounts.MessageSubscription": "chosen by the citizen on their own page",
    "accounts.PhoneVerification": "sent when a citizen proves their number",
    "axes.AccessAttempt": "written by the login lockout",
    "axes.AccessFailureLog": "written by the login lockout",
    "axes.AccessLog": "written by the login lockout",
    "calls.Application": "filed by the applicant; staff review and never retype",
    "calls.ApplicationDocument": "uploaded by the applicant",
    "calls.ApplicationMember": "entered by the applicant",
    "calls.ConflictOfInterest": "declared by the reviewer on the review page",
    "calls.Draw": "written once by the draw, never changed or redone",
    "calls.ReviewScore": "given by each reviewer on the review page",
    "common.AccessLogReview": "recorded from the monthly review screen",
    "common.OutboxEmail": "queued by the portal in the transaction that causes it",
    "common.OutboxMessage": "queued by the portal in the transaction that causes it",
    "common.PersonalDataAccess": "append-only access log written by the portal",
    "common.RetentionRun": "written by the retention job",
    "common.ServiceHeartbeat": "written by the background workers",
    "courses.Attendance": "recorded on the roster's attendance page",
    "courses.CourseFeedback": "answered by the attendee through their link",
    "inquiries.Inquiry": "asked by citizens on the portal",
    "news.NewsletterDelivery": "written by the newsletter sending",
    "news.NewsletterItem": "chosen on the issue's page",
    "news.PublicationDownload": "the once-a-day marks behind the download counter",
    "news.Subscriber": "subscriptions start with the subscriber's own confirmation (double opt-in)",
    "ondure.CommunityGraduation": "written by the graduation",
    "ondure.CommunityStageRecord": "written by the yearly review and the graduation",
    "ondure.ExpenseLine": "entered by the community; staff review, never retype",
    "ondure.GrantSettlement": "begun by the community's leader",
    "partners.ChangeEvent": "written by the change feed",
    "partners.IdempotencyRecord": "written by the partner API",
    "social_economy.ConsultingRequest": "asked by organizations on the portal",
    "social_economy.ProfileChange": "written by the services behind members' pages and the back office",
    "spaces.Booking": "requested by citizens on the portal",
}

# Changelists of other libraries' admins that run one query per row, and why; the project's admins have none.
# Strict: the test fails once the library fixes it, so the entry goes.
KNOWN_N_PLUS_ONE = {
    "socialaccount.SocialToken": "allauth's SocialTokenAdmin lists each token's (nullable) app without "
    "list_select_related: one query per row",
}

N = 3
REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _built(expected_failures=None):
    """Every registered admin with a row builder, as parameters; ``expected_failures``: label → reason."""
    expected_failures = expected_failures or {}
    params = []
    for model, model_admin in REGISTERED:
        label = model._meta.label
        if label not in ROW_BUILDERS:
            continue
        marks = []
        if label in expected_failures:
            marks.append(
                pytest.mark.xfail(strict=True, raises=AssertionError, reason=expected_failures[label])
            )
        params.append(pytest.param(model, model_admin, id=label, marks=marks))
    return params


def _is_project_app(app_config):
    return app_config.name in PROJECT_APPS or app_config.name.startswith("jeonju_center.")


def _project_models():
    return [
        model
        for app_config in apps.get_app_configs()
        if _is_project_app(app_config)
        for model in app_config.get_models()
        # django-simple-history's tables are shown through their model's history screen.
        if not hasattr(model, "instance_type")
    ]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_registered_admin_has_a_row_builder():
    registered = {model._meta.label for model in admin.site._registry}
    assert set(ROW_BUILDERS) | set(NOT_BUILT) == registered
    assert not set(ROW_BUILDERS) & set(NOT_BUILT)
    assert all(reason.strip() for reason in NOT_BUILT.values())
    project = {
        model._meta.label
        for model in admin.site._registry
        if _is_project_app(apps.get_app_config(model._meta.app_label))
    }
    assert project <= set(ROW_BUILDERS), sorted(project - set(ROW_BUILDERS))
    assert not project & set(KNOWN_N_PLUS_ONE)


def test_every_model_of_the_project_apps_is_registered():
    unregistered = sorted(
        model._meta.label for model in _project_models() if model not in admin.site._registry
    )
    assert unregistered == []


@pytest.mark.parametrize("app_label", sorted(EVERY_MODEL_KEEPS_HISTORY))
def test_every_model_of_the_app_keeps_history(app_label):
    app_models = set(apps.get_app_config(app_label).get_models())
    historical = {model for model in app_models if hasattr(model, "instance_type")}
    models = app_models - historical
    assert {model.instance_type for model in historical} == models
    assert all(hasattr(model, "history") for model in models)


@pytest.mark.django_db
def test_exactly_the_listed_admins_refuse_to_add(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    refusing = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not model_admin.has_add_permission(request)
    }
    assert refusing == set(REFUSES_ADD)


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "model_admin"), _built())
def test_every_admin_page_answers(admin_client, model, model_admin):
    obj = ROW_BUILDERS[model._meta.label]()
    assert isinstance(obj, model) and obj.pk is not None

    changelist = admin_client.get(_url(model, "changelist"))
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == model._default_manager.count()
    assert obj.pk in {row.pk for row in changelist.context["cl"].result_list}

    can_add = model_admin.has_add_permission(changelist.wsgi_request)
    assert can_add is (model._meta.label not in REFUSES_ADD)
    assert admin_client.get(_url(model, "add")).status_code == (200 if can_add else 403)

    change = admin_client.get(_url(model, "change", obj.pk))
    assert change.status_code == 200
    assert change.context["original"] == obj

    if model_admin.search_fields:
        search = admin_client.get(_url(model, "changelist"), {"q": "전주"})
        assert search.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "model_admin"), _built(expected_failures=KNOWN_N_PLUS_ONE))
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, model, model_admin, settings, time_machine
):
    """Drawing the list (a kept list is served with a fixed number of queries: tests/common/), within one clock
    minute (the staff session is renewed on the first request of each)."""
    settings.BACKOFFICE_KEEP_LISTS = False
    time_machine.move_to(timezone.now(), tick=False)
    build = ROW_BUILDERS[model._meta.label]
    url = _url(model, "changelist")
    existing = model._default_manager.count()  # e.g. the superuser among the users
    for _ in range(N):
        build()
    admin_client.get(url)  # warm up the session and the content types
    with CaptureQueriesContext(connection) as with_n:
        response = admin_client.get(url)
    assert response.status_code == 200
    shown = response.context["cl"].result_count
    assert shown == model._default_manager.count() > existing
    for _ in range(N):
        build()
    with CaptureQueriesContext(connection) as with_2n:
        response = admin_client.get(url)
    assert response.context["cl"].result_count == model._default_manager.count()
    assert response.context["cl"].result_count - existing == 2 * (shown - existing)
    assert len(with_2n.captured_queries) == len(with_n.captured_queries), [
        query["sql"] for query in with_2n.captured_queries
    ]
