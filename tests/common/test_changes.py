"""One "these rows changed" event (``jeonju_center.common.changes``): every way of writing a followed model —
a save, a bulk ``update()`` or ``bulk_create()``, a delete — reaches both the partner API's change feed and
the cached course pages, so no writer has to remember to report its change."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from courses import cache
from courses.models import Enrollment
from courses.services import enrollments_anonymise
from jeonju_center.common.changes import CREATED, UPDATED, changed, follow, followed_models
from jeonju_center.common.models import OutboxEmail
from jeonju_center.partners.models import ChangeEvent, PartnerCenter
from regeneration.models import CouncilMember, Tenancy
from regeneration.services import council_members_anonymise_departed, tenancies_anonymise_ended
from tests.actors import TEST_JOB
from tests.courses.factories import EnrollmentFactory
from tests.regeneration.factories import CouncilMemberFactory, TenancyFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2031, 3, 2, 3, 0, tzinfo=datetime.UTC)


def events(resource):
    return sorted(ChangeEvent.objects.filter(resource=resource).values_list("object_id", "action"))


@pytest.fixture
def heard():
    received = []

    def listen(sender, ids, action, instances=None, **kwargs):
        received.append((sender, sorted(ids), action, instances is not None))

    changed.connect(listen, weak=False, dispatch_uid="test-heard")
    yield received
    changed.disconnect(dispatch_uid="test-heard")


def test_a_bulk_update_and_a_bulk_create_are_reported_like_a_save(heard):
    first = PartnerCenter.objects.create(
        name="전북 사회적경제지원센터", kind=PartnerCenter.Kind.PROVINCIAL_SOCIAL_ECONOMY
    )
    assert heard[-1] == (PartnerCenter, [first.pk], CREATED, True)
    PartnerCenter.objects.filter(pk=first.pk).update(name="전북사회적경제지원센터")
    assert heard[-1] == (PartnerCenter, [first.pk], UPDATED, False)
    made = PartnerCenter.objects.bulk_create(
        [
            PartnerCenter(name=f"협력기관 {n}", kind=PartnerCenter.Kind.PROVINCIAL_SOCIAL_ECONOMY)
            for n in range(2)
        ]
    )
    assert heard[-1] == (PartnerCenter, sorted(p.pk for p in made), CREATED, True)
    PartnerCenter.objects.bulk_update(made, ["name"])
    assert heard[-1] == (PartnerCenter, sorted(p.pk for p in made), UPDATED, False)
    count = len(heard)
    PartnerCenter.objects.filter(pk=-1).update(name="없음")
    assert len(heard) == count  # nothing changed, nothing said


def test_retention_jobs_bulk_updates_reach_the_change_feed():
    tenancy = TenancyFactory(
        starts_on=datetime.date(2023, 7, 1),
        ends_on=datetime.date(2025, 6, 30),
        moved_out_on=datetime.date(2025, 6, 30),
    )
    member = CouncilMemberFactory(started_on=datetime.date(2020, 1, 1), ended_on=datetime.date(2024, 1, 1))
    ChangeEvent.objects.all().delete()
    assert tenancies_anonymise_ended(ended_before=datetime.date(2026, 1, 1), now=NOW, actor=TEST_JOB) == 1
    assert (
        council_members_anonymise_departed(ended_before=datetime.date(2026, 1, 1), now=NOW, actor=TEST_JOB)
        == 1
    )
    assert Tenancy.objects.get().anonymised_at == NOW and CouncilMember.objects.get().anonymised_at == NOW
    # Tenancies are shown inside their program, council members inside their council.
    assert events("housing-programs") == [(str(tenancy.program_id), "updated")]
    assert events("councils") == [(str(member.council_id), "updated")]


def test_an_enrollment_anonymisation_retires_the_cached_course_pages_and_tells_partners():
    enrollment = EnrollmentFactory()
    before = cache.current_version()
    ChangeEvent.objects.all().delete()
    assert enrollments_anonymise(enrollment_ids=[enrollment.pk], now=timezone.now(), actor=TEST_JOB) == 1
    assert Enrollment.objects.get().user_id is None
    assert cache.current_version() != before
    assert events("courses") == [(str(enrollment.course_id), "updated")]


def test_every_followed_model_reports_its_bulk_writes_and_a_model_that_could_not_is_refused():
    assert {model._meta.label for model in followed_models()} >= {
        "courses.Enrollment",
        "regeneration.Tenancy",
        "social_economy.SurveyResponse",
        "common.Dong",
    }

    with pytest.raises(ImproperlyConfigured, match="TrackedQuerySet"):
        follow(OutboxEmail)  # its default manager does not report bulk writes
