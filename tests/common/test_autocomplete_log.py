"""A select box that searches people (admin autocomplete) writes the same access-log row as the user list."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from jeonju_center.accounts.models import User
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.teams import EDUCATION_TEAM

pytestmark = pytest.mark.django_db


def test_searching_citizens_in_an_enrollment_select_box_is_logged(client):
    call_command("load_reference_data", stdout=io.StringIO())
    teacher = User.objects.create_user("teacher", password="pw-123456789", is_staff=True)
    teacher.groups.add(Group.objects.get(name=EDUCATION_TEAM))
    minji = User.objects.create_user("minji", email="minji@example.com", name="김민지")
    User.objects.create_user("other", email="other@example.com", name="박서준")
    client.force_login(teacher)

    params = {"app_label": "courses", "model_name": "enrollment", "field_name": "user"}
    response = client.get(reverse("admin:autocomplete"), {**params, "term": "김민"})
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(minji.pk)]
    [logged] = PersonalDataAccess.objects.all()
    assert (logged.staff_id, logged.action, logged.model_label) == (teacher.pk, "search", "accounts.user")
    assert (logged.search_term, logged.object_ids) == ("김민", [minji.pk])
    assert "name" in logged.fields and "email" in logged.fields

    # An empty term lists nobody by their personal data: nothing to log.
    client.get(reverse("admin:autocomplete"), {**params, "term": ""})
    assert PersonalDataAccess.objects.count() == 1
