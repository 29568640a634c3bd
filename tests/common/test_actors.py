"""Who made a change (jeonju_center/common/actors.py): the actor every writing service takes."""

import pytest

from jeonju_center.common.actors import (
    WRITERS,
    Actor,
    Channel,
    acting,
    current_actor,
    recording_service_calls,
    writes,
)
from jeonju_center.partners.authentication import PartnerPrincipal
from jeonju_center.partners.models import PartnerCenter
from jeonju_center.partners.services import partner_key_create

pytestmark = pytest.mark.django_db


def test_an_account_a_partner_key_and_a_visitor_become_actors(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    staff = django_user_model.objects.create_user(username="hong", name="홍길동", is_staff=True)
    citizen = django_user_model.objects.create_user(username="kim", name="김시민")
    partner = PartnerCenter.objects.create(
        name="전북 사회적경제지원센터", kind=PartnerCenter.Kind.INTEGRATED_SUPPORT
    )
    api_key, _secret = partner_key_create(partner=partner, scopes=["social_economy:read"], actor=staff)

    assert (Actor.of(staff).channel, Actor.of(staff).user) == (Channel.STAFF, staff)
    assert (Actor.of(citizen).channel, Actor.of(citizen).user) == (Channel.CITIZEN, citizen)
    by_principal, by_key = Actor.of(PartnerPrincipal(api_key)), Actor.of(api_key)
    assert by_principal == by_key == Actor(Channel.PARTNER, partner_key_id=api_key.pk, name=partner.name)
    assert Actor.of(AnonymousUser()) == Actor(Channel.CITIZEN)
    with pytest.raises(TypeError):
        Actor.of(None)

    assert Actor.of(staff).label == "직원 홍길동"
    assert by_key.label == "협력기관 전북 사회적경제지원센터 (API)"
    assert Actor.system("보존기간 작업").label == "시스템: 보존기간 작업"
    # A citizen's name is personal data: the back office's history does not repeat it.
    assert Actor.of(citizen).label == "시민 본인"


def test_a_writing_service_requires_its_actor_and_runs_as_it():
    seen = []

    @writes()
    def service_under_test(*, value, actor):
        seen.append((value, actor, current_actor()))
        return value

    with pytest.raises(TypeError):
        service_under_test(value=1)
    assert seen == []
    job = Actor.system("시험")
    assert service_under_test(value=2, actor=job) == 2
    assert seen == [(2, job, job)]
    assert current_actor() is None


def test_a_service_without_a_keyword_only_actor_is_refused_at_import():
    with pytest.raises(TypeError, match="keyword-only actor"):

        @writes()
        def forgot(value):
            return value


def test_a_nested_service_writes_in_its_callers_name():
    outer_job, inner_job = Actor.system("바깥"), Actor.system("안쪽")
    with acting(outer_job), acting(inner_job):
        assert current_actor() == outer_job


def test_services_register_as_writers_and_the_admin_can_see_which_ran():
    from courses.models import Course
    from courses.services import course_save

    assert course_save in WRITERS[Course._meta.label]
    with recording_service_calls() as calls, pytest.raises(Exception, match="센터 직원만"):
        course_save(course=Course(), actor=Actor.system("시험"))
    assert calls == [course_save]


# --- the history names the actor ------------------------------------------------------------------------


def test_history_rows_name_a_partner_a_staff_member_and_a_job(admin_client, django_user_model):
    import datetime

    from django.urls import reverse

    from jeonju_center.common.retention import RETENTION_JOB
    from social_economy import services
    from social_economy.models import OrganizationStatus
    from tests.social_economy.factories import OrganizationFactory

    partner = Actor(Channel.PARTNER, partner_key_id=7, name="전북 사회적경제지원센터")
    organization = OrganizationFactory(representative_name="김대표")
    case = services.consulting_case_create(
        organization=organization,
        partner=None,
        topic="marketing",
        title="온라인 판로",
        opened_on=datetime.date(2026, 5, 1),
        actor=partner,
    )
    staff = django_user_model.objects.create_user(username="hong", name="홍길동", is_staff=True)
    services.consulting_case_complete(case=case, closed_on=datetime.date(2026, 6, 1), actor=staff)

    created, completed = sorted(case.history.all(), key=lambda row: row.history_id)
    assert (created.history_channel, created.history_actor_name, created.history_user) == (
        Channel.PARTNER,
        "전북 사회적경제지원센터",
        None,
    )
    assert created.history_actor == "협력기관 전북 사회적경제지원센터 (API)"
    assert (completed.history_user, completed.history_actor) == (staff, "직원 홍길동")

    # A bulk write (the retention job) names its job too.
    organization.status, organization.closed_on = OrganizationStatus.CLOSED, datetime.date(2020, 1, 1)
    organization.save()
    services.organization_representatives_anonymise(
        closed_before=datetime.date(2021, 1, 1), actor=RETENTION_JOB, now=None
    )
    latest = organization.history.order_by("-history_id").first()
    assert (latest.history_channel, latest.history_actor) == (Channel.SYSTEM, "시스템: 보존기간 작업")

    page = admin_client.get(reverse("admin:social_economy_consultingcase_history", args=[case.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "협력기관 전북 사회적경제지원센터 (API)" in content and "직원 홍길동" in content


def test_each_record_s_history_is_its_own_through_one_manager_class(django_user_model):
    """``instance.history`` is built from a class made once per model (jeonju_center/common/history.py), not
    once per access as simple-history does; each record still reads only its own rows."""
    from django.apps import apps

    from jeonju_center.common.history import _KeptClassHistoryDescriptor
    from social_economy.models import Organization
    from tests.social_economy.factories import OrganizationFactory

    first, second = OrganizationFactory(name="첫째 조합"), OrganizationFactory(name="둘째 조합")
    second.name = "둘째 조합 (개명)"
    second.save()
    assert type(first.history) is type(second.history)
    assert [row.name for row in first.history.all()] == ["첫째 조합"]
    assert [row.name for row in second.history.order_by("history_id")] == ["둘째 조합", "둘째 조합 (개명)"]
    assert Organization.history.filter(id__in=[first.pk, second.pk]).count() == 3
    tracked = [
        model for model in apps.get_models() if hasattr(model._meta, "simple_history_manager_attribute")
    ]
    assert tracked and all(
        isinstance(model.__dict__[model._meta.simple_history_manager_attribute], _KeptClassHistoryDescriptor)
        for model in tracked
        if model._meta.simple_history_manager_attribute in model.__dict__
    )
