"""Every write of the regeneration services knows who made it and through which channel (issue #21): the
actor is required, it is in effect while the rows are written (where the history takes it from), and the
rows that name a person get the actor's account."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from jeonju_center.common.actors import Actor, Channel, current_actor
from jeonju_center.common.retention import RETENTION_JOB
from regeneration import retention, services, tasks
from regeneration.models import HouseStatus, HouseStatusChange, Tenancy, VacantHouse
from tests.actors_seen import actors_saving
from tests.staff import staff_user

from .factories import TenancyFactory, VacantHouseFactory

pytestmark = pytest.mark.django_db
MOMENT = timezone.make_aware(datetime.datetime(2027, 5, 12, 10, 0))


@pytest.fixture(autouse=True)
def _at_moment(time_machine):
    time_machine.move_to(MOMENT)


def test_a_transition_is_written_as_the_staff_member_who_made_it():
    staff = staff_user("regen-actor")
    house = VacantHouseFactory(status=HouseStatus.SURVEYED)
    with actors_saving(VacantHouse, HouseStatusChange) as seen:
        change = services.house_transition(house=house, to_status=HouseStatus.OWNER_CONTACTED, actor=staff)
    assert change.changed_by == staff
    assert seen == [("VacantHouse", Actor.staff(staff)), ("HouseStatusChange", Actor.staff(staff))]
    assert seen[0][1].channel == Channel.STAFF
    assert current_actor() is None  # the actor ends with the call


def test_a_write_without_an_actor_is_refused_before_anything_is_written():
    house = VacantHouseFactory.build(dong=VacantHouseFactory().dong, management_number="JJ-NO-ACTOR")
    with pytest.raises(TypeError, match="actor"):
        services.vacant_house_register(house=house)
    assert not VacantHouse.objects.filter(management_number="JJ-NO-ACTOR").exists()
    assert not HouseStatusChange.objects.exists()
    with pytest.raises(TypeError, match="actor"):
        services.tenancy_save(tenancy=TenancyFactory.build(house=VacantHouseFactory()))
    assert not Tenancy.objects.exists()


def test_the_retention_policies_run_as_the_retention_job():
    cutoff = MOMENT.date()
    for policy, service in (
        (retention.anonymise_ended_tenancies, "tenancies_anonymise_ended"),
        (retention.anonymise_departed_council_members, "council_members_anonymise_departed"),
        (retention.erase_owner_data_after_consent, "house_owner_data_erase_expired"),
    ):
        real = getattr(services, service)
        with mock.patch.object(services, service, wraps=real) as spy:
            policy(cutoff=cutoff, now=MOMENT)
        assert spy.call_args.kwargs["actor"] is RETENTION_JOB, service


def test_the_monthly_report_task_runs_as_its_named_job():
    with mock.patch.object(
        services, "tenancy_ending_report_send", wraps=services.tenancy_ending_report_send
    ) as spy:
        tasks.send_tenancies_ending_report()
    job = spy.call_args.kwargs["actor"]
    assert job is tasks.ENDING_REPORT_JOB
    assert (job.channel, job.user) == (Channel.SYSTEM, None)
    assert job.label == "시스템: 입주 계약 종료 예정 월간 보고"
