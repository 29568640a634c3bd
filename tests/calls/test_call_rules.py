"""A call's rules as the back office saves them (``calls.services.call_save``): what applicants applied under
stays as announced, and an edit never writes back the receipt counter the applications take."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from calls.models import Call
from calls.services import call_save
from tests.courses.factories import StaffFactory, UserFactory

from .conftest import submit
from .factories import applicant, housing_call

pytestmark = pytest.mark.django_db


def test_before_anyone_applies_the_team_may_change_every_rule():
    call = housing_call()
    call.places, call.min_age, call.closes_at = 5, 20, call.closes_at - datetime.timedelta(days=1)
    call_save(call=call, actor=StaffFactory())
    call.refresh_from_db()
    assert (call.places, call.min_age) == (5, 20)


def test_once_applications_are_in_the_rules_stay_and_the_deadline_only_moves_later():
    call = housing_call()
    submit(call, applicant())
    staff = StaffFactory()

    edited = Call.objects.get(pk=call.pk)
    edited.places, edited.max_age = 9, 45
    edited.closes_at -= datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as refused:
        call_save(call=edited, actor=staff)
    assert set(refused.value.message_dict) == {"places", "max_age", "closes_at"}
    call.refresh_from_db()
    assert (call.places, call.max_age) == (2, 39)

    later = call.closes_at + datetime.timedelta(days=2)
    edited = Call.objects.get(pk=call.pk)
    edited.closes_at, edited.notice = later, "마감을 이틀 늦춥니다."
    call_save(call=edited, actor=staff)
    call.refresh_from_db()
    assert (call.closes_at, call.notice) == (later, "마감을 이틀 늦춥니다.")


def test_an_edit_keeps_the_receipt_numbers_taken_while_the_form_was_open():
    call = housing_call()
    opened = Call.objects.get(pk=call.pk)  # the back-office form, opened before anyone applied
    first, second = submit(call, applicant()), submit(call, applicant())
    opened.summary = "요약을 고쳤습니다."
    call_save(call=opened, actor=StaffFactory())
    call.refresh_from_db()
    assert (call.summary, call.receipt_sequence) == ("요약을 고쳤습니다.", 2)
    third = submit(call, applicant())
    numbers = [application.receipt_number for application in (first, second, third)]
    assert len(set(numbers)) == 3


def test_only_staff_save_a_call():
    call = housing_call()
    call.title = "시민이 바꾼 제목"
    with pytest.raises(ValidationError, match="센터 직원만"):
        call_save(call=call, actor=UserFactory())
    assert Call.objects.get(pk=call.pk).title != "시민이 바꾼 제목"


def test_the_dongs_and_rooms_stay_as_announced_once_applications_are_in_even_from_the_back_office(rf):
    from types import SimpleNamespace

    from django.contrib import admin

    from calls.services import call_areas_set
    from jeonju_center.common.admin_mixins import ServiceRefused
    from tests.social_economy.factories import DongFactory

    call = housing_call()
    staff = StaffFactory()
    announced_dong, other_dong = DongFactory(name="풍남동"), DongFactory(name="교동")
    rooms = list(call.rooms.order_by("pk"))
    call_areas_set(call=call, dongs=[announced_dong], rooms=rooms, actor=staff)  # before anyone applies: free
    submit(call, applicant())

    with pytest.raises(ValidationError) as refused:
        call_areas_set(call=call, dongs=[other_dong], rooms=rooms[:1], actor=staff)
    assert set(refused.value.message_dict) == {"dongs", "rooms"}
    call_areas_set(call=call, dongs=[announced_dong], rooms=rooms, actor=staff)  # unchanged: fine

    # The back office's form saves the many-to-many fields after the call: they go through the service too.
    request = rf.post("/")
    request.user = staff
    form = SimpleNamespace(
        instance=call, changed_data=["dongs"], cleaned_data={"dongs": [other_dong], "rooms": rooms}
    )
    with pytest.raises(ServiceRefused):
        admin.site._registry[Call].save_related(request, form, [], change=True)
    assert list(call.dongs.all()) == [announced_dong]
    assert list(call.rooms.order_by("pk")) == rooms


def test_only_staff_set_a_call_s_dongs_and_rooms():
    from calls.services import call_areas_set

    call = housing_call()
    with pytest.raises(ValidationError, match="센터 직원만"):
        call_areas_set(call=call, dongs=[], rooms=[], actor=UserFactory())
    assert call.rooms.count() == 3
