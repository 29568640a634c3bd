"""Demo calls, made through the same services citizens and staff use (with the clock of each step):

* an open youth share-house call (the news post "노송동 청년쉐어하우스 입주자 모집" is about it) with
  applications in every applicant-side status: 작성 중, 접수, 보완 요청, 철회;
* a closed half-rent housing call waiting for review (심사 중);
* the closed 2026 Ondure community call, scored by two reviewers, drawn in public (scores, then the draw on
  ties) and decided: 선정, 예비, 미선정, 선정 포기 — one selected group already registered as a community.

The calls and what people wrote are in ``data.toml`` beside this file.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from jeonju_center.common.models import Dong
from jeonju_center.common.teams import REGENERATION_TEAM, SOCIAL_ECONOMY_TEAM
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.steps import demo_step
from regeneration.models import HousingProgram, ProgramKind, Room

from .. import services
from ..models import (
    ApplicationStatus,
    Call,
    CallAttachment,
    CallQuestion,
    DocumentRequirement,
    ScoringCriterion,
)

DATA = load_demo_data(__name__)
DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@demo_step("calls", after=["regeneration", "ondure"])
def seed(ctx):
    now = timezone.now()
    staff = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    citizens = list(get_user_model().objects.filter(username__startswith="citizen").order_by("username")[:60])
    lines = []
    lines.append(_youth_call(now, citizens[:8], staff))
    lines.append(_half_rent_call(now, citizens[8:14], staff))
    lines.append(_ondure_call(now, citizens[14:24], staff))
    return lines


def _create_call(spec, *, team, **values):
    """The call of ``spec`` with its documents and scoring criteria (in the order the data lists them)."""
    call = Call.objects.create(
        **spec["call"],
        privacy_terms=DATA["privacy_terms"],
        team_group=Group.objects.get(name=team),
        **values,
    )
    for document in spec.get("documents", []):
        DocumentRequirement.objects.create(call=call, **document)
    for order, criterion in enumerate(spec.get("criteria", []), start=1):
        ScoringCriterion.objects.create(call=call, display_order=order, **criterion)
    return call


def _doc():
    return ContentFile(DEMO_PDF, name=DATA["document_file"])


def _submit(call, user, data, *, now, members=None, submit=True):
    application = services.application_start(call=call, actor=user, now=now)
    documents = {requirement.pk: _doc() for requirement in call.documents.filter(is_required=True)}
    return services.application_save(
        application=application, actor=user, data=data, members=members, documents=documents,
        consent=True, submit=submit, now=now,
    )  # fmt: skip


def _youth_call(now, citizens, staff):
    spec = DATA["youth_share_house"]
    timing, text = spec["timing"], spec["application"]
    if Call.objects.filter(slug=spec["call"]["slug"]).exists():
        return "youth share-house call: kept"
    program = HousingProgram.objects.filter(kind=ProgramKind.YOUTH_SHARE_HOUSE).order_by("-year").first()
    rooms = list(
        Room.objects.filter(house__tenancies__program=program).distinct().order_by("house_id", "name")[:4]
    )
    rooms = rooms or list(Room.objects.order_by("pk")[:4])
    opens = now + datetime.timedelta(days=timing["opens_days_from_today"])
    call = _create_call(
        spec,
        team=REGENERATION_TEAM,
        housing_program=program,
        opens_at=opens,
        closes_at=(opens + datetime.timedelta(days=timing["open_days"])).replace(second=0, microsecond=0),
        announce_on=timezone.localdate(opens)
        + datetime.timedelta(days=timing["announced_days_after_opening"]),
        places=len(rooms),
    )
    call.rooms.set(rooms)
    question = CallQuestion.objects.create(call=call, **spec["question"])
    attachment = spec["attachment"]
    CallAttachment.objects.create(
        call=call, title=attachment["title"], file=ContentFile(DEMO_PDF, name=attachment["file"])
    )
    moment = opens + datetime.timedelta(days=1)
    base = {
        "declares_no_home": True,
        "motivation": text["motivation"],
        "answers": {str(question.pk): text["answer"]},
    }
    for number, citizen in enumerate(citizens):
        data = {
            **base,
            "applicant_name": citizen.name,
            "phone": citizen.phone or "010-0000-0000",
            "birth_date": datetime.date(1996 + number % 8, 1 + number % 12, 1 + number % 27),
            "first_choice": rooms[number % len(rooms)],
            "second_choice": rooms[(number + 1) % len(rooms)],
        }
        moment += datetime.timedelta(hours=timing["hours_between_applications"])
        last = number == len(citizens) - 1
        application = _submit(call, citizen, data, now=moment, submit=not last)  # the last stays a draft
        if number == 1:
            services.application_request_revision(
                application=application, actor=staff, message=text["revision_request"],
                due_at=call.closes_at + datetime.timedelta(days=text["revision_days_after_closing"]), now=moment,
            )  # fmt: skip
        if number == 2:
            services.application_withdraw(application=application, actor=citizen, now=moment)
    return f"youth share-house call: {len(citizens)} applications"


def _half_rent_call(now, citizens, staff):
    spec = DATA["half_rent_housing"]
    timing, text = spec["timing"], spec["application"]
    if Call.objects.filter(slug=spec["call"]["slug"]).exists():
        return "half-rent call: kept"
    program = HousingProgram.objects.filter(kind=ProgramKind.HALF_RENT_WELFARE).order_by("-year").first()
    opens = now + datetime.timedelta(days=timing["opens_days_from_today"])
    call = _create_call(
        spec,
        team=REGENERATION_TEAM,
        housing_program=program,
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=timing["open_days"]),
        announce_on=timezone.localdate(now) + datetime.timedelta(days=timing["announced_days_from_today"]),
    )
    moment = opens + datetime.timedelta(days=1)
    brackets = text["income_brackets"]
    for number, citizen in enumerate(citizens):
        moment += datetime.timedelta(hours=timing["hours_between_applications"])
        data = {
            "applicant_name": citizen.name, "phone": citizen.phone or "010-0000-0000", "lives_in_jeonju": True,
            "declares_no_home": True, "income_bracket": brackets[number % len(brackets)],
            "motivation": text["motivation"],
        }  # fmt: skip
        _submit(call, citizen, data, now=moment)
    call.applications.filter(status=ApplicationStatus.SUBMITTED).update(status=ApplicationStatus.UNDER_REVIEW)
    return f"half-rent call: {len(citizens)} applications under review"


def _ondure_call(now, citizens, staff):
    spec = DATA["ondure"]
    timing, text, review = spec["timing"], spec["application"], spec["review"]
    if Call.objects.filter(slug=spec["call"]["slug"]).exists():
        return "Ondure call: kept"
    opens = now + datetime.timedelta(days=timing["opens_days_from_today"])
    closes = opens + datetime.timedelta(days=timing["open_days"])

    def after_closing(days):
        return closes + datetime.timedelta(days=days)

    call = _create_call(
        spec,
        team=SOCIAL_ECONOMY_TEAM,
        opens_at=opens,
        closes_at=closes,
        announce_on=timezone.localdate(closes)
        + datetime.timedelta(days=timing["announced_days_after_closing"]),
    )
    criteria = list(call.criteria.order_by("display_order"))
    dongs = list(Dong.objects.filter(is_active=True).order_by("pk")[:6])
    fields = text["activity_fields"]
    moment = opens + datetime.timedelta(days=2)
    applications = []
    for number, citizen in enumerate(citizens):
        moment += datetime.timedelta(hours=timing["hours_between_applications"])
        dong = dongs[number % len(dongs)]
        data = {
            "applicant_name": citizen.name, "phone": citizen.phone or "010-0000-0000", "lives_in_jeonju": True,
            "group_name": text["groups"][number], "group_kind": text["group_kind"], "group_dong": dong,
            "activity_field": fields[number % len(fields)], "requested_budget": text["requested_budget"],
            "motivation": text["motivation"],
        }  # fmt: skip
        others = [(text["member_name"].format(group=number, member=m), dong) for m in range(4 + number % 3)]
        members = [(citizen.name, dong), *others]
        applications.append(_submit(call, citizen, data, now=moment, members=members))
    reviewers = list(get_user_model().objects.filter(username__in=["social", "manager"]).order_by("username"))
    # A reviewer who knows one group steps aside for it (이해충돌): only the other reviewer scores it.
    services.conflict_declare(
        application=applications[4], actor=reviewers[0], reason=review["conflict_reason"]
    )
    for number, application in enumerate(applications):
        for offset, reviewer in enumerate(reviewers):
            if number == 4 and offset == 0:
                continue
            points = {
                criterion.pk: max(0, criterion.max_points - (number * 3 + offset * 2) % 15)
                for criterion in criteria
            }
            services.score_record(application=application, actor=reviewer, points=points)
    services.call_decide(
        call=call, actor=staff, seed=review["draw_seed"], witnessed_by=review["witnessed_by"],
        now=after_closing(timing["decided_days_after_closing"]),
    )  # fmt: skip
    selected = list(call.applications.filter(status="selected").order_by("rank"))
    services.application_register_community(
        application=selected[0], actor=staff, now=after_closing(timing["registered_days_after_closing"])
    )
    services.selection_decline(
        application=selected[-1], actor=staff, now=after_closing(timing["declined_days_after_closing"])
    )
    return f"Ondure call: {len(applications)} applications scored, drawn and decided"
