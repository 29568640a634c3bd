import datetime

import pytest

from calls.models import ApplicationStatus
from calls.services import application_save, application_start, call_decide
from tests.courses.factories import StaffFactory

from .factories import CLOSES, OPENS, applicant, housing_call, pdf, young_applicant_data


@pytest.fixture(autouse=True)
def _during_the_call(time_machine):
    """Inside the application period unless a test moves the clock."""
    time_machine.move_to(OPENS + datetime.timedelta(days=3), tick=False)


def submit(call, user, *, documents=True, **overrides):
    application = application_start(call=call, actor=user)
    requirement_docs = {requirement.pk: pdf() for requirement in call.documents.all()} if documents else {}
    return application_save(
        application=application,
        actor=user,
        data=young_applicant_data(call, **overrides),
        documents=requirement_docs,
        consent=True,
        submit=True,
    )


@pytest.fixture
def published_draw(time_machine):
    call = housing_call(places=2, reserve_places=2)
    applications = [submit(call, applicant(name=f"신청자{n}")) for n in range(7)]
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    draw = call_decide(call=call, actor=StaffFactory(), seed="37-12-05")
    assert {a.status for a in call.applications.all()} == {
        ApplicationStatus.SELECTED,
        ApplicationStatus.RESERVE,
        ApplicationStatus.NOT_SELECTED,
    }
    assert len(applications) == 7
    return call, draw
