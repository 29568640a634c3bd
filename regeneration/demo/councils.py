"""The life of the demo's resident councils: members (a founding chair who handed over, current and former
members), monthly meetings around the demo's day with published minutes and attendance, the center's
support and a handout with the first published minutes."""

import datetime
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from jeonju_center.common.korean import with_particle
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import date_between, mobile_number
from jeonju_center.demo.rows import count_line, create_missing

from ..models import (
    CouncilMeeting,
    CouncilMember,
    CouncilPosition,
    CouncilSupport,
    MeetingAttachment,
    MeetingAttendance,
    ResidentCouncil,
)

MEETINGS_PER_COUNCIL = 6
DATA = load_demo_data(__package__)
TEXT = DATA["councils"]


def seed(ctx, areas):
    members, meetings, attendance = _seed_members_and_meetings(ctx, areas)
    supports, attachments = _seed_support_and_attachments()
    return [
        count_line("council members", members, CouncilMember),
        count_line("council meetings", meetings, CouncilMeeting),
        count_line("meeting attendances", attendance, MeetingAttendance),
        count_line("council supports", supports, CouncilSupport),
        count_line("minutes attachments", attachments, MeetingAttachment),
    ]


def _minutes(agenda, *, council_name, number):
    """Published minutes in the council's voice: the agenda, then three things said or decided."""
    # A generator of its own: the text does not shift the draws of the rest of the demo.
    rng = random.Random(f"regeneration-minutes:{council_name}:{number}")
    said = rng.sample(TEXT["minute_sentences"], 3)
    return " ".join([TEXT["minutes_opening"].format(agenda=with_particle(agenda, "을/를")), *said])


def _plan_members(rng, fake, council, founded_on):
    """The founding chair (who handed over after a two-year term), 8–15 current members led by a chair, a vice
    chair and a secretary, and 1–3 members who left."""
    names, members = set(), []

    def new_member(position, started_on, ended_on):
        name = fake.name()
        while name in names:
            name = fake.name()
        names.add(name)
        members.append(
            CouncilMember(
                council=council,
                name=name,
                phone=mobile_number(rng),
                position=position,
                started_on=started_on,
                ended_on=ended_on,
            )
        )

    handover = founded_on + datetime.timedelta(days=730)
    new_member(CouncilPosition.CHAIR, founded_on, handover)
    leadership = [CouncilPosition.CHAIR, CouncilPosition.VICE_CHAIR, CouncilPosition.SECRETARY]
    for index in range(rng.randint(8, 15)):
        position = leadership[index] if index < len(leadership) else CouncilPosition.MEMBER
        started_on = (
            handover + datetime.timedelta(days=1)
            if index == 0
            else date_between(rng, founded_on, founded_on + datetime.timedelta(days=900))
        )
        new_member(position, started_on, None)
    for _former in range(rng.randint(1, 3)):
        started_on = date_between(rng, founded_on, founded_on + datetime.timedelta(days=400))
        new_member(
            CouncilPosition.MEMBER, started_on, started_on + datetime.timedelta(days=rng.randint(365, 700))
        )
    return members


def _plan_meetings(ctx, rng, council):
    """Monthly meetings ending with one still to come; the older four have published minutes."""
    meetings = []
    for number in range(1, MEETINGS_PER_COUNCIL + 1):
        months_back = MEETINGS_PER_COUNCIL - number - 1
        held_on = ctx.today - datetime.timedelta(days=30 * months_back + rng.randint(0, 5))
        held_at = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(19, 0)))
        agenda = rng.choice(TEXT["agendas"])
        held = months_back >= 0
        published = number <= 4
        meetings.append(
            CouncilMeeting(
                council=council,
                title=TEXT["meeting_title"].format(number=number),
                held_at=held_at,
                place=rng.choice(TEXT["meeting_places"]),
                agenda=TEXT["meeting_agenda"].format(agenda=agenda),
                minutes=_minutes(agenda, council_name=council.name, number=number) if held else "",
                decisions=TEXT["meeting_decisions"].format(agenda=agenda) if held else "",
                is_published=published,
                published_at=held_at + datetime.timedelta(days=3) if published else None,
            )
        )
    return meetings


def _seed_members_and_meetings(ctx, areas):
    rng = ctx.rng("regeneration:councils")
    fake = ctx.faker_for("regeneration:councils")
    councils = {c.area.name: c for c in ResidentCouncil.objects.select_related("area")}
    member_specs, meeting_specs = [], []
    for spec in areas:
        council = councils[spec["name"]]
        member_specs += _plan_members(rng, fake, council, spec["founded_on"])
        meeting_specs += _plan_meetings(ctx, rng, council)
    new_members = create_missing(CouncilMember, member_specs, key=("council_id", "name"))
    members = {(m.council_id, m.name): m for m in CouncilMember.objects.all()}

    # Attendance decides attendee counts, so it is drawn before the meetings are written.
    attendance_specs = []
    for meeting in meeting_specs:
        attended_count = 0
        for spec in member_specs:
            if spec.council_id != meeting.council_id:
                continue
            was_member = spec.started_on <= meeting.held_at.date() and (
                spec.ended_on is None or spec.ended_on >= meeting.held_at.date()
            )
            attended = rng.random() < 0.8
            if not was_member or meeting.held_at.date() > ctx.today or not meeting.minutes:
                continue
            attended_count += attended
            attendance_specs.append((meeting, members[(spec.council_id, spec.name)], attended))
        meeting.attendee_count = attended_count
    new_meetings = create_missing(CouncilMeeting, meeting_specs, key=("council_id", "title"))

    meetings = {(m.council_id, m.title): m for m in CouncilMeeting.objects.all()}
    attendance = [
        MeetingAttendance(meeting=meetings[(spec.council_id, spec.title)], member=member, attended=attended)
        for spec, member, attended in attendance_specs
    ]
    new_attendance = create_missing(MeetingAttendance, attendance, key=("meeting_id", "member_id"))
    return len(new_members), len(new_meetings), len(new_attendance)


def _handout_pdf(title):
    """A one-page PDF handout (ASCII text: the core PDF fonts have no Hangul)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, TEXT["handout_text"].format(title=title))
    return bytes(pdf.output())


def _seed_support_and_attachments():
    councils = list(ResidentCouncil.objects.select_related("area").order_by("name"))
    supports = [
        CouncilSupport(
            council=council,
            kind=support["kind"],
            title=support["title"],
            provided_on=(council.founded_on or council.area.designated_on)
            + datetime.timedelta(days=support["days_after_founding"]),
            amount=support.get("amount"),
            hours=support.get("hours"),
            provider=support["provider"],
        )
        for council in councils
        for support in DATA["council_supports"]
    ]
    new_supports = create_missing(CouncilSupport, supports, key=("council_id", "title"))

    # The first published meeting of each council comes with its handout.
    attachments = 0
    title = TEXT["handout_title"]
    meetings = CouncilMeeting.objects.filter(is_published=True, council__in=councils).order_by(
        "council", "held_at"
    )
    first_by_council = {}
    for meeting in meetings:
        first_by_council.setdefault(meeting.council_id, meeting)
    with_attachment = set(MeetingAttachment.objects.filter(title=title).values_list("meeting_id", flat=True))
    for meeting in first_by_council.values():
        if meeting.pk in with_attachment:
            continue
        attachment = MeetingAttachment(meeting=meeting, title=title, is_public=True)
        attachment.file.save(
            f"council-{meeting.council_id}-handout.pdf",
            ContentFile(_handout_pdf(f"meeting {meeting.pk}")),
            save=False,
        )
        attachment.save()
        attachments += 1
    return len(new_supports), attachments
