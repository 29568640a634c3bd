"""Nobody widens their own rights in the back office: only a superuser grants superuser or staff status,
permissions or the privileged groups; nobody changes their own; every change of rights is logged."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from jeonju_center.accounts.models import User
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.teams import (
    ACCESS_LOG_REVIEWERS,
    CENTER_ADMINS,
    EDUCATION_TEAM,
    PERSONAL_DATA_VIEWERS,
    REGENERATION_TEAM,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    call_command("load_reference_data", stdout=io.StringIO())
    return {group.name: group for group in Group.objects.all()}


def _staff(username, *group_names, **extra):
    user = User.objects.create_user(username=username, password="pw-123456789", is_staff=True, **extra)
    user.groups.set(Group.objects.filter(name__in=group_names))
    return user


def _form_data(user, **changes):
    data = {
        "username": user.username,
        "name": user.name or "",
        "email": user.email or "",
        "phone": "",
        "dong": "",
        "is_active": "on",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def _rights(user):
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


def test_a_center_administrator_cannot_make_itself_superuser_or_give_itself_personal_data(client, groups):
    manager = _staff("manager", CENTER_ADMINS)
    client.force_login(manager)
    url = reverse("admin:accounts_user_change", args=[manager.pk])
    before = _rights(manager)
    permission = Permission.objects.get(codename="view_personal_data")
    for attempt in (
        {"is_superuser": "on"},
        {"groups": [str(groups[CENTER_ADMINS].pk), str(groups[PERSONAL_DATA_VIEWERS].pk)]},
        {"user_permissions": [str(permission.pk)]},
    ):
        client.post(url, _form_data(manager, **attempt))
        assert _rights(manager) == before, attempt
        assert not manager.has_perm("common.view_personal_data")
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page


def test_a_center_administrator_manages_team_groups_of_others_but_never_the_privileged_ones(client, groups):
    manager = _staff("manager", CENTER_ADMINS)
    colleague = _staff("colleague", EDUCATION_TEAM, PERSONAL_DATA_VIEWERS)
    client.force_login(manager)
    url = reverse("admin:accounts_user_change", args=[colleague.pk])
    offered = client.get(url).context["adminform"].form.fields["groups"].queryset
    assert set(offered.values_list("name", flat=True)).isdisjoint(
        {PERSONAL_DATA_VIEWERS, ACCESS_LOG_REVIEWERS}
    )

    # Moving the colleague to another team keeps the privileged membership the form could not show...
    response = client.post(
        url, _form_data(colleague, groups=[str(groups[REGENERATION_TEAM].pk)], is_staff="on")
    )
    assert response.status_code == 302
    assert _rights(colleague)[2] == sorted([REGENERATION_TEAM, PERSONAL_DATA_VIEWERS])
    # ...and a privileged group or staff status cannot be handed out by a non-superuser.
    client.post(url, _form_data(colleague, groups=[str(groups[ACCESS_LOG_REVIEWERS].pk)], is_staff=""))
    assert _rights(colleague)[:3] == (False, True, sorted([REGENERATION_TEAM, PERSONAL_DATA_VIEWERS]))


def test_a_non_superuser_cannot_take_over_a_superuser_account(client, groups):
    manager = _staff("manager", CENTER_ADMINS)
    root = _staff("root", is_superuser=True)
    client.force_login(manager)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[root.pk]),
        {"password1": "new-password-12345", "password2": "new-password-12345"},
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.check_password("pw-123456789")


def test_group_permissions_are_a_superusers_to_change(client, groups):
    manager = _staff("manager", CENTER_ADMINS)
    client.force_login(manager)
    group = groups[CENTER_ADMINS]
    permission = Permission.objects.get(codename="view_personal_data")
    before = set(group.permissions.values_list("pk", flat=True))
    client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [str(pk) for pk in before | {permission.pk}]},
    )
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_nobody_changes_their_own_rights_not_even_a_superuser(client, groups):
    root = _staff("root", is_superuser=True)
    client.force_login(root)
    client.post(
        reverse("admin:accounts_user_change", args=[root.pk]),
        _form_data(root, is_superuser="", groups=[str(groups[PERSONAL_DATA_VIEWERS].pk)]),
    )
    assert _rights(root) == (True, True, [], [])


def test_a_superuser_grants_rights_and_the_change_is_in_the_history_and_the_access_log(client, groups):
    root = _staff("root", is_superuser=True)
    colleague = _staff("colleague", EDUCATION_TEAM)
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_user_change", args=[colleague.pk]),
        _form_data(colleague, groups=[str(groups[EDUCATION_TEAM].pk), str(groups[PERSONAL_DATA_VIEWERS].pk)]),
    )
    assert response.status_code == 302
    assert _rights(colleague)[2] == sorted([EDUCATION_TEAM, PERSONAL_DATA_VIEWERS])
    [logged] = PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.RIGHTS)
    assert (logged.staff_id, logged.object_ids, logged.fields) == (root.pk, [colleague.pk], ["groups"])
    assert logged.reason == f"그룹 추가: {PERSONAL_DATA_VIEWERS}"
    entry = LogEntry.objects.filter(object_id=str(colleague.pk)).latest("action_time")
    assert f"권한 변경: 그룹 추가: {PERSONAL_DATA_VIEWERS}" in entry.get_change_message()


def test_the_demo_splits_unmasking_from_reviewing_the_log(groups):
    call_command("seed_demo", stdout=io.StringIO())
    staff = User.objects.filter(is_staff=True, is_superuser=False)
    both = [
        user.username
        for user in staff
        if user.has_perm("common.view_personal_data") and user.has_perm("common.review_access_log")
    ]
    assert both == []
    assert User.objects.get(username="manager").has_perm("common.view_personal_data")
    assert User.objects.get(username="privacy").has_perm("common.review_access_log")
    assert not User.objects.get(username="manager").has_perm("common.review_access_log")
