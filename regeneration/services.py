"""Writes of the regeneration data, shared by the admin, the survey import and the Celery tasks.

Every rule that spans rows is checked here under a row lock on the vacant house, so two staff members
cannot both let the same room or both move a house along its life cycle. On PostgreSQL the database
repeats the tenancy rules (exclusion constraint and trigger, see migrations 0002/0003).
"""

import datetime
import logging

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes
from jeonju_center.common.outbox import outbox_enqueue
from jeonju_center.common.teams import REGENERATION_TEAM, team_emails

from .models import (
    TENANCY_OVERLAP_MESSAGE,
    YOUTH_SHARE_HOUSE_AGE_RANGE,
    CouncilMeeting,
    CouncilMember,
    GradeReason,
    HouseStatus,
    HouseStatusChange,
    OwnerConsent,
    ProgramKind,
    ResidentCouncil,
    Tenancy,
    VacantHouse,
    VacantHouseGrade,
)

logger = logging.getLogger(__name__)

S = HouseStatus

# The life cycle: surveyed → owner contacted → consent → renovation → in use → ended / returned /
# demolished. A house in poor shape may be demolished before reuse; a house fit to use may skip renovation.
ALLOWED_TRANSITIONS = {
    S.SURVEYED: (S.OWNER_CONTACTED, S.DEMOLISHED),
    S.OWNER_CONTACTED: (S.CONSENT_OBTAINED, S.DEMOLISHED),
    S.CONSENT_OBTAINED: (S.RENOVATION, S.IN_USE, S.RETURNED_TO_OWNER, S.DEMOLISHED),
    S.RENOVATION: (S.IN_USE, S.RETURNED_TO_OWNER),
    S.IN_USE: (S.ENDED, S.RETURNED_TO_OWNER),
    S.ENDED: (S.RETURNED_TO_OWNER, S.DEMOLISHED),
    S.RETURNED_TO_OWNER: (),
    S.DEMOLISHED: (),
}
NEEDS_CONSENT = {S.CONSENT_OBTAINED, S.RENOVATION, S.IN_USE}
KEEPS_PROGRAM = {S.RENOVATION, S.IN_USE}
ENDING_EMAIL_DAYS = 60


def _label(status):
    return str(HouseStatus(status).label)


def valid_consent(*, house, on):
    """The owner's consent valid on ``on`` (latest first), or None."""
    return (
        OwnerConsent.objects.filter(house=house, consented_on__lte=on)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        .order_by("-consented_on", "-pk")
        .first()
    )


def _lock_house(house):
    return VacantHouse.objects.select_for_update().get(pk=house.pk)


# --- The ledger -------------------------------------------------------------------------------------


@writes(VacantHouse, HouseStatusChange)
@transaction.atomic
def vacant_house_register(*, house, actor) -> VacantHouse:
    """Enter a surveyed house in the ledger; its life cycle starts at "surveyed", recorded with who/when."""
    if house.pk is not None:
        raise ValidationError(_("이미 등록된 빈집입니다."))
    if house.status != S.SURVEYED or house.current_program_id is not None:
        raise ValidationError(
            {"status": _("새 빈집은 '실태조사 완료' 상태로 등록합니다. 상태는 상태 변경으로 바꾸세요.")}
        )
    house.full_clean()
    house.save()
    HouseStatusChange.objects.create(
        house=house, from_status="", to_status=S.SURVEYED, changed_by=actor.user, note=_("대장 등록")
    )
    return house


@writes(VacantHouse)
@transaction.atomic
def vacant_house_update(*, house, actor) -> VacantHouse:
    """Save survey data of a known house; status, program and grade change only through their services."""
    locked = _lock_house(house)
    for field in ("status", "current_program_id", "current_grade_scheme", "current_grade"):
        if getattr(house, field) != getattr(locked, field):
            raise ValidationError(
                _("진행 상태·활용 사업·현재 등급은 상태 변경과 등급 판정으로만 바꿀 수 있습니다.")
            )
    house.full_clean()
    house.save()
    return house


@writes(VacantHouse, HouseStatusChange)
@transaction.atomic
def house_transition(
    *, house, to_status, actor, program=None, note="", changed_at=None, reason=""
) -> HouseStatusChange:
    """Move ``house`` to ``to_status`` if the life cycle allows it; records who and when.

    ``reason`` (else the note) is the change reason of the house's and the record's history rows.

    Consent, renovation and use need the owner's consent valid on the day; use needs a program; ending
    the use needs every tenant moved out.
    """
    house = _lock_house(house)
    changed_at = changed_at or timezone.now()
    on = timezone.localdate(changed_at)
    if to_status not in HouseStatus.values:
        raise ValidationError({"to_status": _("알 수 없는 상태입니다.")})
    if to_status == house.status:
        raise ValidationError(
            {"to_status": _("이미 '%(status)s' 상태입니다.") % {"status": _label(to_status)}}
        )
    allowed = ALLOWED_TRANSITIONS[house.status]
    if to_status not in allowed:
        if allowed:
            message = _(
                "'%(from)s'에서 '%(to)s'(으)로 바꿀 수 없습니다. 다음 상태로 가능한 것: %(allowed)s"
            ) % {
                "from": _label(house.status),
                "to": _label(to_status),
                "allowed": ", ".join(_label(s) for s in allowed),
            }
        else:
            message = _("'%(from)s' 상태의 빈집은 더 이상 상태를 바꿀 수 없습니다.") % {
                "from": _label(house.status)
            }
        raise ValidationError({"to_status": message})
    if to_status in NEEDS_CONSENT and valid_consent(house=house, on=on) is None:
        raise ValidationError(
            {
                "to_status": _(
                    "%(date)s에 유효한 소유자 동의가 없어 '%(to)s'(으)로 바꿀 수 없습니다. "
                    "소유자 동의(동의일·범위·만료일)를 먼저 기록하세요."
                )
                % {"date": on.isoformat(), "to": _label(to_status)}
            }
        )
    if to_status == S.IN_USE and program is None and house.current_program_id is None:
        raise ValidationError({"program": _("활용을 시작하려면 활용 사업을 지정해야 합니다.")})
    if house.status == S.IN_USE:
        living = Tenancy.objects.filter(house=house, moved_out_on__isnull=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )
        if living.exists():
            raise ValidationError(
                {"to_status": _("입주 중인 계약이 있어 활용을 끝낼 수 없습니다. 먼저 퇴거일을 기록하세요.")}
            )

    change = HouseStatusChange(
        house=house,
        from_status=house.status,
        to_status=to_status,
        changed_at=changed_at,
        changed_by=actor.user,
        note=note,
    )
    change.full_clean()
    house.status = to_status
    if to_status in KEEPS_PROGRAM:
        house.current_program = program or house.current_program
    else:
        house.current_program = None
    house.full_clean()
    house._change_reason = change._change_reason = (reason or note)[:100] or None
    house.save(update_fields=["status", "current_program", "updated_at"])
    change.save()
    return change


@writes(VacantHouseGrade, VacantHouse)
@transaction.atomic
def house_grade_record(*, house, scheme, grade, graded_on, reason, actor, note="") -> VacantHouseGrade:
    """Record a grading (survey, re-survey, after renovation); the latest grading becomes the house's."""
    grading = VacantHouseGrade(
        house=house, scheme=scheme, grade=grade, graded_on=graded_on, reason=reason, note=note
    )
    return house_grade_save(grading=grading, actor=actor)


@writes(VacantHouseGrade, VacantHouse)
@transaction.atomic
def house_grade_save(*, grading, actor) -> VacantHouseGrade:
    """Record a grading, or correct one staff typed wrong; the house then shows its latest grading.

    A grading stays with the house it was made for (the survey of another house is another grading)."""
    house = _lock_house(grading.house)
    if grading.pk is not None:
        stored_house_id = (
            VacantHouseGrade.objects.filter(pk=grading.pk).values_list("house_id", flat=True).first()
        )
        if stored_house_id is not None and stored_house_id != grading.house_id:
            raise ValidationError({"house": _("등급 이력은 다른 빈집으로 옮길 수 없습니다.")})
    grading.full_clean()
    grading.save()
    house_current_grade_refresh(house=house, actor=actor)
    return grading


@writes(VacantHouseGrade, VacantHouse)
@transaction.atomic
def house_survey_grade_set(*, house, scheme, grade, surveyed_on, actor) -> VacantHouseGrade:
    """The grade the survey of ``surveyed_on`` gave (the survey register's import): recorded as a grading of
    that day, or — when that survey's grading exists already — corrected to ``grade``."""
    house = _lock_house(house)
    grading = house.grades.filter(scheme=scheme, graded_on=surveyed_on).first()
    if grading is None:
        return house_grade_record(
            house=house,
            scheme=scheme,
            grade=grade,
            graded_on=surveyed_on,
            reason=GradeReason.SURVEY,
            actor=actor,
        )
    if grading.grade != grade:
        grading.grade = grade
        grading.full_clean()
        grading.save(update_fields=["grade"])
        house_current_grade_refresh(house=house, actor=actor)
    return grading


@writes(VacantHouse)
@transaction.atomic
def house_current_grade_refresh(*, house, actor) -> VacantHouse:
    """Copy the latest grading onto the house (after gradings were added, edited or deleted)."""
    house = _lock_house(house)
    latest = house.grades.order_by("-graded_on", "-pk").first()
    scheme, grade = (latest.scheme, latest.grade) if latest else ("", None)
    if (house.current_grade_scheme, house.current_grade) != (scheme, grade):
        house.current_grade_scheme, house.current_grade = scheme, grade
        house.save(update_fields=["current_grade_scheme", "current_grade", "updated_at"])
    return house


@writes(OwnerConsent)
@transaction.atomic
def owner_consent_save(*, consent, actor) -> OwnerConsent:
    """Record the owner's consent, or its expiry or withdrawal, under the house's row lock: a transition
    checks the consent valid on its day under the same lock, so the two cannot interleave.

    A consent stays with the house its owner signed it for."""
    _lock_house(consent.house)
    if consent.pk is not None:
        stored_house_id = (
            OwnerConsent.objects.filter(pk=consent.pk).values_list("house_id", flat=True).first()
        )
        if stored_house_id is not None and stored_house_id != consent.house_id:
            raise ValidationError({"house": _("소유자 동의는 다른 빈집으로 옮길 수 없습니다.")})
    consent.full_clean()
    consent.save()
    return consent


# --- Tenancies --------------------------------------------------------------------------------------


def program_age_range(program):
    """(min, max) tenant age of ``program``; the youth share house defaults to 19–39."""
    low, high = program.tenant_min_age, program.tenant_max_age
    if program.kind == ProgramKind.YOUTH_SHARE_HOUSE:
        low = YOUTH_SHARE_HOUSE_AGE_RANGE[0] if low is None else low
        high = YOUTH_SHARE_HOUSE_AGE_RANGE[1] if high is None else high
    return low, high


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def tenancy_errors(tenancy) -> dict:
    """Multi-row rules of a tenancy: age range, room let individually, no overlapping tenancy."""
    errors = {}
    program = tenancy.program if tenancy.program_id else None
    if program is not None and not tenancy.is_anonymised:
        low, high = program_age_range(program)
        if low is not None or high is not None:
            if tenancy.tenant_birth_date is None:
                errors["tenant_birth_date"] = _(
                    "입주 나이 기준이 있는 사업은 입주자 생년월일을 입력해야 합니다."
                )
            elif tenancy.starts_on:
                age = age_on(tenancy.tenant_birth_date, tenancy.starts_on)
                if (low is not None and age < low) or (high is not None and age > high):
                    errors["tenant_birth_date"] = _(
                        "입주일 기준 나이가 %(age)s세로, 이 사업의 입주 나이(%(low)s~%(high)s세)를 벗어납니다."
                    ) % {
                        "age": age,
                        "low": low if low is not None else "",
                        "high": high if high is not None else "",
                    }
    if program is not None and program.kind == ProgramKind.YOUTH_SHARE_HOUSE and not tenancy.room_id:
        errors["room"] = _("청년쉐어하우스는 방 단위로 임대합니다. 호실을 지정하세요.")
    overlap_checkable = tenancy.house_id and tenancy.starts_on and not errors
    if overlap_checkable and overlapping_tenancies(tenancy).exists():
        errors["starts_on"] = str(TENANCY_OVERLAP_MESSAGE)
    return errors


def overlapping_tenancies(tenancy):
    """Tenancies of the same house whose occupied days meet ``tenancy``'s: the same room, or the whole
    house on either side. A tenancy occupies from its start through its move-out day (else its end)."""
    start = tenancy.starts_on
    end = tenancy.moved_out_on or tenancy.ends_on
    others = Tenancy.objects.filter(house_id=tenancy.house_id).exclude(pk=tenancy.pk)
    if end is not None:
        others = others.filter(starts_on__lte=end)
    others = others.filter(
        Q(moved_out_on__gte=start)
        | Q(moved_out_on__isnull=True, ends_on__gte=start)
        | Q(moved_out_on__isnull=True, ends_on__isnull=True)
    )
    if tenancy.room_id:
        others = others.filter(Q(room_id=tenancy.room_id) | Q(room__isnull=True))
    return others


@writes(Tenancy)
@transaction.atomic
def tenancy_save(*, tenancy, actor) -> Tenancy:
    """Create or change a tenancy (house or one room) under its program's rules.

    The house row is locked first, so the overlap check and the write cannot interleave with another.
    """
    if tenancy.house_id:
        _lock_house(tenancy.house)
    try:
        tenancy.full_clean()
    except ValidationError as error:
        raise _overlap_on_start_date(error) from None
    errors = tenancy_errors(tenancy)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            tenancy.save()
    except IntegrityError as error:
        # The PostgreSQL constraint/trigger caught what the checks above let through (they should not).
        text = str(error)
        if "age_in_program_range" in text:
            raise ValidationError(
                {"tenant_birth_date": _("입주자 나이가 이 사업의 기준을 벗어납니다.")}
            ) from None
        if "no_overlap" in text:
            raise ValidationError({"starts_on": str(TENANCY_OVERLAP_MESSAGE)}) from None
        raise
    return tenancy


def _overlap_on_start_date(error):
    """PostgreSQL's exclusion constraint reports the overlap for the whole form; SQLite's check (in
    ``tenancy_errors``) on the start date. Report it on the start date on both."""
    errors = error.update_error_dict({})
    general = errors.pop(NON_FIELD_ERRORS, [])
    overlap = str(TENANCY_OVERLAP_MESSAGE)
    rest = [e for e in ValidationError(general).messages if e != overlap]
    if len(rest) < len(general):
        errors.setdefault("starts_on", []).append(overlap)
    if rest:
        errors[NON_FIELD_ERRORS] = rest
    return ValidationError(errors)


def tenancies_ending(*, today=None, within_days=ENDING_EMAIL_DAYS):
    """Tenancies whose contract ends within ``within_days`` of ``today`` and whose tenant is still there."""
    today = today or timezone.localdate()
    return (
        Tenancy.objects.filter(
            moved_out_on__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("house__dong", "room", "program")
        .order_by("ends_on", "pk")
    )


@writes()
def tenancy_ending_report_send(*, actor, today=None):
    """Queue the monthly e-mail to the regeneration team: tenancies ending within 60 days.

    Once per month (the de-duplication key is the month); tenants appear masked only."""
    from jeonju_center.common.masking import mask_name

    today = today or timezone.localdate()
    recipients = team_emails(REGENERATION_TEAM)
    if not recipients:
        return None
    ending = list(tenancies_ending(today=today))
    lines = [
        _("%(today)s 기준 %(days)s일 안에 계약이 끝나는 입주 계약: %(count)s건")
        % {"today": today.isoformat(), "days": ENDING_EMAIL_DAYS, "count": len(ending)},
        "",
    ]
    for tenancy in ending:
        place = tenancy.house.management_number + (f" {tenancy.room.name}" if tenancy.room_id else "")
        tenant = _("익명") if tenancy.is_anonymised else mask_name(tenancy.tenant_name)
        lines.append(
            f"- {tenancy.ends_on.isoformat()} · {place} ({tenancy.house.dong.name}) · "
            f"{tenancy.program.name} · {tenant}"
        )
    if not ending:
        lines.append(_("해당하는 계약이 없습니다."))
    return outbox_enqueue(
        dedup_key=f"regeneration-tenancies-ending:{today:%Y-%m}",
        to=recipients,
        subject=_("[도시재생] %(month)s 계약 종료 예정 입주 계약 %(count)s건")
        % {"month": f"{today:%Y-%m}", "count": len(ending)},
        body="\n".join(lines),
    )


# --- Councils ---------------------------------------------------------------------------------------


@writes(CouncilMember)
@transaction.atomic
def council_member_save(*, member, actor) -> CouncilMember:
    """Add a council member or edit one (position, term, note). The council row is locked, so two staff
    members cannot both name a current chair. An anonymised member stays anonymous: the retention job
    erased the name and phone for good."""
    ResidentCouncil.objects.select_for_update().filter(pk=member.council_id).first()
    if member.pk is not None:
        stored = CouncilMember.objects.filter(pk=member.pk).values("name", "phone", "anonymised_at").first()
        identity = (member.name, member.phone)
        if stored and stored["anonymised_at"] and identity != (stored["name"], stored["phone"]):
            raise ValidationError(_("익명 처리된 위원의 이름과 연락처는 다시 입력할 수 없습니다."))
    member.full_clean()
    member.save()
    return member


@writes(CouncilMeeting)
@transaction.atomic
def council_meeting_save(*, meeting, actor) -> CouncilMeeting:
    """Add a meeting or edit its record (agenda, minutes, decisions, attendance count…).

    Ticking or clearing "회의록 공개" publishes or withdraws the minutes through ``meeting_publish`` and
    ``meeting_unpublish`` (a held meeting with minutes only), which also keep the publication time."""
    stored = CouncilMeeting.objects.select_for_update().filter(pk=meeting.pk).first() if meeting.pk else None
    was_published = stored.is_published if stored else False
    published_at = stored.published_at if stored else None
    if meeting.published_at != published_at and meeting.is_published == was_published:
        raise ValidationError({"published_at": _("공개 일시는 회의록을 공개할 때 기록됩니다.")})
    publish = meeting.is_published
    if was_published and not publish:
        # Withdrawn first: the edit may clear minutes that only published minutes need.
        meeting_unpublish(meeting=stored, actor=actor)
        was_published, published_at = False, None
    meeting.is_published, meeting.published_at = was_published, published_at
    meeting.full_clean()
    meeting.save()
    if publish and not was_published:
        published = meeting_publish(meeting=meeting, actor=actor)
        meeting.is_published, meeting.published_at = published.is_published, published.published_at
    return meeting


@writes(CouncilMeeting)
@transaction.atomic
def meeting_publish(*, meeting, actor) -> CouncilMeeting:
    """Publish a held meeting's minutes to citizens (members' names never are)."""
    meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        return meeting
    if meeting.held_at > timezone.now():
        raise ValidationError(_("아직 열리지 않은 회의의 회의록은 공개할 수 없습니다."))
    if not meeting.minutes.strip():
        raise ValidationError(_("회의록이 있어야 공개할 수 있습니다."))
    meeting.is_published = True
    meeting.published_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["is_published", "published_at", "updated_at"])
    return meeting


@writes(CouncilMeeting)
@transaction.atomic
def meeting_unpublish(*, meeting, actor) -> CouncilMeeting:
    meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_published:
        meeting.is_published = False
        meeting.published_at = None
        meeting.save(update_fields=["is_published", "published_at", "updated_at"])
    return meeting


# --- Retention of personal data (called by ``regeneration.retention``) -------------------------------
# Irreversible: the personal fields are overwritten (their history rows never held them), the rows stay
# for statistics, marked with the time. Bulk ``update()`` on purpose: one statement per kind of row, and
# nothing personal is left for a history row to record (the mark is on the row itself and in RetentionRun).


@writes(Tenancy)
@transaction.atomic
def tenancies_anonymise_ended(*, ended_before, now, actor) -> int:
    """Erase the tenant's name, phone and birth date of tenancies that ended before ``ended_before``.

    A tenancy ends on the move-out day, else on the contract's end; open-ended ones are never touched."""
    ended = Q(moved_out_on__lt=ended_before) | Q(moved_out_on__isnull=True, ends_on__lt=ended_before)
    # The PostgreSQL trigger skips its age check for anonymised rows (no birth date left to check).
    return (
        Tenancy.objects.filter(ended, anonymised_at__isnull=True)
        .order_by()
        .update(
            tenant_name="",
            tenant_phone="",
            tenant_birth_date=None,
            anonymised_at=now,
            updated_at=now,
        )
    )


@writes(CouncilMember)
@transaction.atomic
def council_members_anonymise_departed(*, ended_before, now, actor) -> int:
    """Erase the name and phone of council members whose term ended before ``ended_before``."""
    return (
        CouncilMember.objects.filter(ended_on__lt=ended_before, anonymised_at__isnull=True)
        .order_by()
        .update(name="", phone="", anonymised_at=now, updated_at=now)
    )


# A house in these states still relies on its owner's consent (and on reaching the owner).
OWNER_NEEDED_STATUSES = (S.OWNER_CONTACTED, S.CONSENT_OBTAINED, S.RENOVATION, S.IN_USE)


def houses_with_owner_data_past_retention(*, consent_ended_before):
    """Houses whose every owner consent ended (withdrawn, else expired) before ``consent_ended_before``,
    that are in no program and no longer in a state that needs the owner, and whose owner data is kept."""
    consent_end = Coalesce(F("withdrawn_on"), F("expires_on"))
    consents = OwnerConsent.objects.filter(house=OuterRef("pk"))
    still_running = consents.annotate(ended_on=consent_end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=consent_ended_before)
    )
    return VacantHouse.objects.filter(
        Exists(consents),
        ~Exists(still_running),
        owner_data_erased_at__isnull=True,
        current_program__isnull=True,
    ).exclude(status__in=OWNER_NEEDED_STATUSES)


@writes(VacantHouse, OwnerConsent)
@transaction.atomic
def house_owner_data_erase_expired(*, consent_ended_before, now, actor) -> int:
    """Erase the owner's name, phone and address and delete the scanned consent forms of the houses of
    ``houses_with_owner_data_past_retention``. The house's own address stays: the five-yearly survey
    finds the building by it, and without the owner it no longer points to a person in our records."""
    houses = list(
        houses_with_owner_data_past_retention(consent_ended_before=consent_ended_before)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not houses:
        return 0
    documents = OwnerConsent.objects.filter(house_id__in=houses).exclude(document="")
    for consent in documents.only("pk", "document"):
        _delete_file_after_commit(consent.document.storage, consent.document.name)
    documents.order_by().update(document="", updated_at=now)
    return (
        VacantHouse.objects.filter(pk__in=houses)
        .order_by()
        .update(owner_name="", owner_phone="", owner_address="", owner_data_erased_at=now, updated_at=now)
    )


def _delete_file_after_commit(storage, name):
    # Deleted once the rows no longer point to it, so a rolled-back run keeps file and reference together.
    def delete():
        try:
            storage.delete(name)
        except OSError:
            logger.exception("retention: could not delete %s", name)

    transaction.on_commit(delete)
