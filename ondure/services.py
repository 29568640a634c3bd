"""Writes of the Ondure program. The admin, the Excel import, the tasks and any future API call these
functions, so every rule (minimum members at selection, stage transitions, budgets, graduation) lives
here once, each in one transaction with the rows it guards locked."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jeonju_center.common.actors import writes
from jeonju_center.common.history import bulk_update_with_history
from social_economy.models import COOPERATIVE_TYPES, Organization, OrganizationType, Sector

from .models import (
    MINIMUM_MEMBERS,
    ActivityField,
    Community,
    CommunityGraduation,
    CommunityKind,
    CommunityMember,
    CommunityStageRecord,
    CommunityStatus,
    OndureEducationCourse,
    Stage,
    SupportProgram,
    SupportRecord,
)

Decision = CommunityStageRecord.Decision
NEXT_STAGE = {Stage.DIDIM: Stage.IEUM, Stage.IEUM: Stage.HOPE}
REVIEW_DECISIONS = (Decision.PROMOTE, Decision.KEEP, Decision.END)
# The same words as the database constraints, so staff see one message for one rule.
TOO_FEW_MESSAGES = {
    CommunityKind.VILLAGE: _lazy("마을공동체는 구성원이 15명 이상이어야 합니다."),
    CommunityKind.STARTUP: _lazy("소규모창업공동체는 구성원이 5명 이상이어야 합니다."),
    CommunityKind.APARTMENT: _lazy("아파트공동체는 한 단지의 10세대 이상이 참여해야 합니다."),
}

SECTOR_BY_FIELD = {
    ActivityField.FOOD: Sector.FOOD_SERVICE,
    ActivityField.CRAFT: Sector.MANUFACTURING,
    ActivityField.CARE: Sector.CARE,
    ActivityField.CULTURE: Sector.CULTURE_TOURISM,
    ActivityField.TOURISM: Sector.CULTURE_TOURISM,
    ActivityField.ENVIRONMENT: Sector.ENVIRONMENT,
    ActivityField.EDUCATION: Sector.EDUCATION,
    ActivityField.URBAN_FARMING: Sector.AGRICULTURE,
}


# --- Registry: selection into a cohort ----------------------------------------------------------------


def selection_errors(*, kind, members_count):
    """The minimum-members rule as it applies when a community is selected into a cohort: unlike a
    stored row (where the count may be unknown), a selection needs the count and it must reach the
    kind's minimum. Returns ``{field: message}``."""
    minimum = MINIMUM_MEMBERS.get(kind)
    if minimum is None:
        return {}
    unit = _("세대") if kind == CommunityKind.APARTMENT else _("명")
    if members_count is None:
        return {
            "members_count": _(
                "%(kind)s을(를) 선정하려면 구성원 수를 입력해야 합니다(최소 %(minimum)s%(unit)s)."
            )
            % {"kind": CommunityKind(kind).label, "minimum": minimum, "unit": unit}
        }
    if members_count < minimum:
        return {"members_count": TOO_FEW_MESSAGES[kind]}
    return {}


@writes(Community, CommunityStageRecord)
@transaction.atomic
def community_select(*, community, actor):
    """Register ``community`` (unsaved) as selected into its cohort: checks the minimum-members rule,
    saves it in the 디딤 stage and opens its first stage record (the cohort year)."""
    errors = selection_errors(kind=community.kind, members_count=community.members_count)
    if errors:
        raise ValidationError(errors)
    if community.status != CommunityStatus.ACTIVE or community.current_stage != Stage.DIDIM:
        raise ValidationError(_("새로 선정하는 공동체는 '활동 중' 상태의 디딤 단계로 등록합니다."))
    community.full_clean()
    community.save()
    record = CommunityStageRecord(community=community, year=community.cohort_year, stage=Stage.DIDIM)
    record.full_clean()
    record.save()
    return community


# Moved only by the yearly review (``stage_review_decide``) and the graduation (``community_graduate``).
PROGRESS_FIELDS = ("status", "current_stage", "dissolved_on", "graduated_organization_id", "graduated_on")


@writes(Community)
@transaction.atomic
def community_update(*, community, actor):
    """Save changes to a registered community. The kind's minimum is checked again when the kind or the
    number of members changes (the database constraint refuses a count below it in any case). Its
    status, stage and graduation change only through the review and the graduation."""
    if community.pk:
        before = Community.objects.select_for_update().get(pk=community.pk)
        if any(getattr(community, field) != getattr(before, field) for field in PROGRESS_FIELDS):
            raise ValidationError(_("상태·단계·해산·졸업은 연말 심사와 졸업 처리로만 바꿀 수 있습니다."))
    community.full_clean()
    if community.pk:
        changed = (before.kind, before.members_count) != (community.kind, community.members_count)
        if changed and community.members_count is not None:
            errors = selection_errors(kind=community.kind, members_count=community.members_count)
            if errors:
                raise ValidationError(errors)
    community.save()
    return community


@writes(CommunityMember)
@transaction.atomic
def community_member_save(*, member, actor):
    """Add a member to a community or edit one (role, dates, account link). The community's row is
    locked, so two staff members cannot both name a current leader. An anonymised member stays anonymous:
    the retention job erased the name, phone and account link for good."""
    Community.objects.select_for_update().filter(pk=member.community_id).first()
    if member.pk is not None:
        stored = (
            CommunityMember.objects.filter(pk=member.pk)
            .values("name", "phone", "user_id", "anonymised_at")
            .first()
        )
        identity = (member.name, member.phone, member.user_id)
        if (
            stored
            and stored["anonymised_at"]
            and identity != (stored["name"], stored["phone"], stored["user_id"])
        ):
            raise ValidationError(_("익명 처리된 구성원의 성명·연락처·회원 계정은 다시 입력할 수 없습니다."))
    member.full_clean()
    member.save()
    return member


# --- Stage progression ---------------------------------------------------------------------------------


def _open_record(community):
    """The community's latest stage record, which a review decides; it must not be decided yet."""
    record = community.stage_records.select_for_update().order_by("-year").first()
    if record is None:
        raise ValidationError(_("'%(name)s'에는 심사할 단계 이력이 없습니다.") % {"name": community.name})
    if record.decision:
        raise ValidationError(
            _("'%(name)s'의 %(year)s년 심사는 이미 끝났습니다(%(decision)s).")
            % {"name": community.name, "year": record.year, "decision": record.get_decision_display()}
        )
    return record


@writes(CommunityStageRecord, Community)
@transaction.atomic
def stage_review_decide(
    *, community, year, decision, reason, actor, decided_on=None, end_status=CommunityStatus.DORMANT
):
    """The year-end review of one community: promote it to the next stage, keep it in its stage for
    another year, or end its support (it becomes dormant or dissolved). Graduation is decided by
    :func:`community_graduate`, which also records the organization. Returns the decided record."""
    decided_on = decided_on or timezone.localdate()
    reason = (reason or "").strip()
    if decision == Decision.GRADUATE:
        raise ValidationError(_("졸업은 '졸업 처리'에서 전환한 사회적경제조직과 함께 기록합니다."))
    if decision not in REVIEW_DECISIONS:
        raise ValidationError(_("심사 결과는 진급·유지·종료 중에서 골라 주세요."))
    if not reason:
        raise ValidationError({"reason": _("심사 사유를 입력해 주세요.")})
    if end_status not in (CommunityStatus.DORMANT, CommunityStatus.DISSOLVED):
        raise ValidationError(_("지원을 종료한 공동체는 '휴면' 또는 '해산' 상태가 됩니다."))

    community = Community.objects.select_for_update().get(pk=community.pk)
    if community.status != CommunityStatus.ACTIVE:
        raise ValidationError(
            _("'%(name)s'은(는) %(status)s 상태라 심사할 수 없습니다. 활동 중인 공동체만 심사합니다.")
            % {"name": community.name, "status": community.get_status_display()}
        )
    record = _open_record(community)
    if record.year != year:
        raise ValidationError(
            _("'%(name)s'의 심사할 연도는 %(open)s년입니다(%(year)s년 아님).")
            % {"name": community.name, "open": record.year, "year": year}
        )
    if decided_on.year < record.year:
        raise ValidationError({"decided_on": _("결정일은 심사 연도 이후여야 합니다.")})
    if decision == Decision.PROMOTE and record.stage not in NEXT_STAGE:
        raise ValidationError(
            _("'%(name)s'은(는) 마지막 단계(희망)라 진급할 수 없습니다. 유지·종료 또는 졸업 처리를 고르세요.")
            % {"name": community.name}
        )

    record.decision = decision
    record.reason = reason
    record.decided_on = decided_on
    record.decided_by = actor.user
    record.full_clean()
    record.save()

    if decision == Decision.END:
        community.status = end_status
        if end_status == CommunityStatus.DISSOLVED:
            community.dissolved_on = decided_on
    else:
        next_stage = NEXT_STAGE[record.stage] if decision == Decision.PROMOTE else record.stage
        following = CommunityStageRecord(community=community, year=record.year + 1, stage=next_stage)
        following.full_clean()
        following.save()
        community.current_stage = next_stage
    community.full_clean()
    community.save()
    return record


@writes(CommunityStageRecord, Community)
@transaction.atomic
def stage_review_bulk(*, communities, year, decision, reason, actor, decided_on=None, **kwargs):
    """The review of several communities with one decision: all of them or none (the first refusal,
    named after its community, undoes the others)."""
    records = []
    for community in sorted(communities, key=lambda c: c.pk):
        try:
            records.append(
                stage_review_decide(
                    community=community,
                    year=year,
                    decision=decision,
                    reason=reason,
                    decided_on=decided_on,
                    actor=actor,
                    **kwargs,
                )
            )
        except ValidationError as error:
            messages = error.messages
            raise ValidationError(
                [
                    f"{community.name}: {message}" if community.name not in message else message
                    for message in messages
                ]
            ) from error
    return records


# --- Support and budgets -------------------------------------------------------------------------------


def program_committed(program, *, exclude_record=None):
    """What is committed from ``program``'s budget: its grants minus what was returned."""
    grants = SupportRecord.objects.filter(program=program, kind=SupportRecord.Kind.GRANT)
    if exclude_record is not None and exclude_record.pk:
        grants = grants.exclude(pk=exclude_record.pk)
    total = grants.aggregate(total=Sum(F("amount") - F("returned_amount")))["total"]
    return total or 0


def check_program_budget(*, program, record):
    """Lock ``program`` and refuse ``record`` if it would commit more than the budget. Call it inside the
    transaction that saves the record (the lock holds until that transaction ends)."""
    if program is None or record.kind != SupportRecord.Kind.GRANT:
        return
    program = SupportProgram.objects.select_for_update().get(pk=program.pk)
    committed = program_committed(program, exclude_record=record)
    needed = (record.amount or 0) - (record.returned_amount or 0)
    if committed + needed > program.budget:
        raise ValidationError(
            {
                "amount": _(
                    "'%(program)s'의 예산을 초과합니다. 예산 %(budget)s원 중 %(committed)s원이 이미 집행되어 "
                    "%(remaining)s원이 남았습니다(요청 %(needed)s원)."
                )
                % {
                    "program": program.name,
                    "budget": f"{program.budget:,}",
                    "committed": f"{committed:,}",
                    "remaining": f"{max(program.budget - committed, 0):,}",
                    "needed": f"{needed:,}",
                }
            }
        )


@writes(SupportRecord)
@transaction.atomic
def support_record_save(*, record, actor):
    """Create or change a support record. A grant may not commit more than its program's budget: the
    program row is locked while the budget is checked and the record written."""
    record.full_clean()
    program = record.program if record.program_id else None
    check_program_budget(program=program, record=record)
    record.save()
    return record


@writes(SupportRecord)
@transaction.atomic
def support_record_create(*, community, kind, supported_on, actor, program=None, amount=0, **fields):
    record = SupportRecord(
        community=community, program=program, kind=kind, supported_on=supported_on, amount=amount, **fields
    )
    if kind == SupportRecord.Kind.GRANT and not record.settlement_status:
        record.settlement_status = SupportRecord.Settlement.UNSETTLED
    return support_record_save(record=record, actor=actor)


@writes(SupportProgram)
@transaction.atomic
def support_program_save(*, program, actor):
    """Create or change a support program; its budget cannot drop below what it has already committed."""
    program.full_clean()
    if program.pk:
        SupportProgram.objects.select_for_update().filter(pk=program.pk).first()
        committed = program_committed(program)
        if program.budget < committed:
            raise ValidationError(
                {
                    "budget": _("예산은 이미 집행한 보조금 %(committed)s원보다 적을 수 없습니다.")
                    % {"committed": f"{committed:,}"}
                }
            )
    program.save()
    return program


# --- Graduation ----------------------------------------------------------------------------------------


def _new_organization(community, *, name, org_type, graduated_on):
    members = community.members_count
    if org_type not in COOPERATIVE_TYPES or (org_type == OrganizationType.COOPERATIVE and (members or 0) < 5):
        members = None
    return Organization(
        name=name.strip(),
        org_type=org_type,
        sector=SECTOR_BY_FIELD.get(community.activity_field, Sector.OTHER),
        dong=community.dong,
        founded_on=graduated_on,
        members_count=members,
        website=community.website,
        description=_("온두레 공동체 '%(name)s'(%(year)s년 선정)이(가) %(date)s 졸업하여 전환한 조직입니다.")
        % {"name": community.name, "year": community.cohort_year, "date": f"{graduated_on:%Y-%m-%d}"},
    )


@writes(Organization, CommunityStageRecord, Community, CommunityGraduation)
@transaction.atomic
def community_graduate(
    *,
    community,
    graduated_on,
    reason,
    actor,
    organization=None,
    new_organization_name="",
    new_organization_type=OrganizationType.COOPERATIVE,
):
    """Graduate ``community`` into a social-economy organization: link ``organization`` (an existing
    one) or create one named ``new_organization_name``. Records the 졸업 decision on the community's
    open 희망-stage record, the link on the community and a :class:`CommunityGraduation`."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("졸업 사유를 입력해 주세요.")})
    if (organization is None) == (not new_organization_name.strip()):
        raise ValidationError(
            _("연결할 사회적경제조직을 고르거나, 새로 등록할 조직명을 입력해 주세요(둘 중 하나만).")
        )

    community = Community.objects.select_for_update().get(pk=community.pk)
    if community.status == CommunityStatus.GRADUATED:
        raise ValidationError(_("'%(name)s'은(는) 이미 졸업했습니다.") % {"name": community.name})
    if community.status != CommunityStatus.ACTIVE:
        raise ValidationError(
            _("'%(name)s'은(는) %(status)s 상태라 졸업할 수 없습니다.")
            % {"name": community.name, "status": community.get_status_display()}
        )
    record = _open_record(community)
    if record.stage != Stage.HOPE:
        raise ValidationError(
            _("졸업은 희망 단계에서만 할 수 있습니다. '%(name)s'은(는) %(stage)s 단계입니다.")
            % {"name": community.name, "stage": record.get_stage_display()}
        )
    if graduated_on.year < record.year:
        raise ValidationError(
            {"graduated_on": _("졸업일은 심사 연도(%(year)s년) 이후여야 합니다.") % {"year": record.year}}
        )
    if community.selected_on and graduated_on < community.selected_on:
        raise ValidationError({"graduated_on": _("졸업일은 선정일 이후여야 합니다.")})

    created = organization is None
    if created:
        organization = _new_organization(
            community, name=new_organization_name, org_type=new_organization_type, graduated_on=graduated_on
        )
        organization.full_clean()
        organization.save()
    else:
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        taken = Community.objects.filter(graduated_organization=organization).first()
        if taken is not None:
            raise ValidationError(
                {
                    "organization": _(
                        "'%(org)s'은(는) 이미 공동체 '%(name)s'의 졸업 조직으로 연결되어 있습니다."
                    )
                    % {"org": organization.name, "name": taken.name}
                }
            )

    record.decision = Decision.GRADUATE
    record.reason = reason
    record.decided_on = graduated_on
    record.decided_by = actor.user
    record.full_clean()
    record.save()

    community.status = CommunityStatus.GRADUATED
    community.graduated_on = graduated_on
    community.graduated_organization = organization
    community.full_clean()
    community.save()

    graduation = CommunityGraduation(
        community=community,
        organization=organization,
        organization_name=organization.name,
        organization_type=organization.org_type,
        created_organization=created,
        graduated_on=graduated_on,
        reason=reason,
        decided_by=actor.user,
    )
    graduation.full_clean()
    graduation.save()
    return graduation


# --- Course link: attendance of members in Ondure education courses -----------------------------------


@writes(OndureEducationCourse)
def education_course_mark(*, course, actor, program=None):
    """Mark a citizen course as Ondure education (idempotent)."""
    with transaction.atomic():
        education, _created = OndureEducationCourse.objects.get_or_create(
            course=course, defaults={"program": program}
        )
        if education.program_id != (program.pk if program else None):
            education.program = program
        education.full_clean()
        education.save()
    return education


@writes(OndureEducationCourse)
@transaction.atomic
def education_course_update(*, education, actor):
    """Change the support program an Ondure education course counts for. The course stays: its
    attendance is already in support records that name it."""
    stored_course_id = (
        OndureEducationCourse.objects.filter(pk=education.pk).values_list("course_id", flat=True).first()
    )
    if stored_course_id is not None and stored_course_id != education.course_id:
        raise ValidationError({"course": _("강좌는 바꿀 수 없습니다. 다른 강좌는 새로 연결하세요.")})
    education.full_clean()
    education.save()
    return education


@writes(SupportRecord, OndureEducationCourse)
@transaction.atomic
def education_attendance_sync(*, education_course_id, actor):
    """Turn the attendance of community members in an Ondure education course into one education support
    record per community (members, sessions attended, last date). Running it again changes nothing unless
    the attendance changed; a community whose members no longer attended loses its record."""
    from courses.models import Attendance

    education = (
        OndureEducationCourse.objects.select_for_update(of=("self",))
        .select_related("course", "program")
        .get(pk=education_course_id)
    )
    course = education.course
    present = Attendance.objects.filter(
        session__course=course, is_present=True, enrollment__user__isnull=False
    ).values_list("enrollment__user_id", "session__date")
    dates_by_user = {}
    for user_id, date in present:
        dates_by_user.setdefault(user_id, []).append(date)
    memberships = CommunityMember.objects.filter(user_id__in=dates_by_user).values_list(
        "community_id", "user_id", "joined_on", "left_on"
    )
    per_community = {}
    for community_id, user_id, joined_on, left_on in memberships:
        dates = [
            d
            for d in dates_by_user[user_id]
            if (joined_on is None or d >= joined_on) and (left_on is None or d <= left_on)
        ]
        if dates:
            entry = per_community.setdefault(community_id, {"members": set(), "count": 0, "last": dates[0]})
            entry["members"].add(user_id)
            entry["count"] += len(dates)
            entry["last"] = max(entry["last"], *dates)

    existing = {r.community_id: r for r in SupportRecord.objects.select_for_update().filter(course=course)}
    changed = 0
    for community_id, entry in per_community.items():
        program = (
            education.program if education.program and education.program.year == entry["last"].year else None
        )
        notes = _("시민강좌 '%(course)s' 출석: 구성원 %(members)s명, 출석 연 %(count)s회차") % {
            "course": course.title,
            "members": len(entry["members"]),
            "count": entry["count"],
        }
        record = existing.pop(community_id, None) or SupportRecord(
            community_id=community_id, course=course, kind=SupportRecord.Kind.EDUCATION
        )
        wanted = {
            "program": program,
            "supported_on": entry["last"],
            "attendance_count": entry["count"],
            "notes": notes,
        }
        if record.pk and all(getattr(record, key) == value for key, value in wanted.items()):
            continue
        for key, value in wanted.items():
            setattr(record, key, value)
        record.full_clean()
        record.save()
        changed += 1
    for record in existing.values():
        record.delete()
        changed += 1
    education.synced_at = timezone.now()
    education.save(update_fields=["synced_at", "updated_at"])
    return changed


@writes(SupportRecord, OndureEducationCourse)
def education_attendance_sync_all(*, actor):
    """Sync every Ondure education course whose sessions ran in the last year (the nightly job)."""
    since = timezone.localdate() - datetime.timedelta(days=366)
    ids = list(
        OndureEducationCourse.objects.annotate(last_session=Max("course__sessions__date"))
        .filter(last_session__gte=since)
        .values_list("pk", flat=True)
    )
    return sum(education_attendance_sync(education_course_id=pk, actor=actor) for pk in ids)


# --- Retention of personal data (see ``retention.py``) ----------------------------------------------

ANONYMISED_REASON = "보존기간 경과: 개인정보 익명화"
# What an anonymised member's name becomes: the field is required, and the row stays for the statistics.
ANONYMISED_MEMBER_NAME = "(익명)"


def _community_ended_before(prefix, day):
    """Communities that dissolved or graduated before ``day`` (dormant ones have no end date: they may
    come back, so their people are kept)."""
    return Q(**{f"{prefix}status": CommunityStatus.DISSOLVED, f"{prefix}dissolved_on__lt": day}) | Q(
        **{f"{prefix}status": CommunityStatus.GRADUATED, f"{prefix}graduated_on__lt": day}
    )


@writes(CommunityMember)
@transaction.atomic
def community_members_anonymise(*, ended_before, now, actor) -> int:
    """Erase name, phone and account link of members who left before ``ended_before``, or whose
    community dissolved or graduated before it. Irreversible (none of these is in the history); the row
    (role, dates) stays for the statistics. Rows already anonymised are skipped, so a second run returns 0."""
    members = list(
        CommunityMember.objects.select_for_update()
        .filter(anonymised_at__isnull=True)
        .filter(Q(left_on__lt=ended_before) | _community_ended_before("community__", ended_before))
        .order_by("pk")
    )
    for member in members:
        member.name = ANONYMISED_MEMBER_NAME
        member.phone = ""
        member.user = None
        member.anonymised_at = now
    bulk_update_with_history(
        members,
        CommunityMember,
        ["name", "phone", "user", "anonymised_at"],
        default_change_reason=ANONYMISED_REASON,
        default_date=now,
    )
    return len(members)


@writes(Community)
@transaction.atomic
def community_leaders_anonymise(*, ended_before, now, actor) -> int:
    """Erase the leader's name and phone of communities that dissolved or graduated before
    ``ended_before``; a second run returns 0."""
    communities = list(
        Community.objects.select_for_update()
        .filter(_community_ended_before("", ended_before), leader_anonymised_at__isnull=True)
        .exclude(leader_name="", leader_phone="")
        .order_by("pk")
    )
    for community in communities:
        community.leader_name = ""
        community.leader_phone = ""
        community.leader_anonymised_at = now
    bulk_update_with_history(
        communities,
        Community,
        ["leader_name", "leader_phone", "leader_anonymised_at"],
        default_change_reason=ANONYMISED_REASON,
        default_date=now,
    )
    return len(communities)
