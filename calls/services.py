"""Writes of the calls app: applying (draft, submit, edit, withdraw, 보완), review (scores, conflicts of
interest), the public draw and the results, and what a result turns into (a tenancy, a community).

Every function raises ``ValidationError`` with a Korean message and changes nothing when the input is refused.
Times are compared to the second in the portal's time zone (Asia/Seoul); a call closes at ``closes_at``
exactly — a submit at that second is late.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from jeonju_center.accounts.models import ConsentRecord, MessageEvent
from jeonju_center.accounts.notifications import notify_by_message
from jeonju_center.accounts.services import consent_record
from jeonju_center.common.actors import Channel, writes
from jeonju_center.common.korean import with_particle
from jeonju_center.common.outbox import outbox_enqueue, portal_url
from jeonju_center.common.validators import normalize_phone, validate_upload
from ondure.models import Community, CommunityMember

from . import draw as lottery
from .eligibility import application_checks, is_eligible
from .models import (
    DOCUMENT_EXTENSIONS,
    IN_REVIEW,
    Application,
    ApplicationDocument,
    ApplicationMember,
    ApplicationStatus,
    Call,
    ConflictOfInterest,
    Draw,
    ReviewScore,
    SelectionMethod,
)

# Fields an applicant fills in; the rest is the portal's or the staff's.
APPLICANT_FIELDS = (
    "applicant_name",
    "birth_date",
    "phone",
    "email",
    "dong",
    "lives_in_jeonju",
    "declares_no_home",
    "income_bracket",
    "first_choice",
    "second_choice",
    "motivation",
    "group_name",
    "group_kind",
    "group_dong",
    "activity_field",
    "requested_budget",
    "answers",
)
OFFER_DAYS = 7  # a selected applicant has this many days to sign the contract


def _now(now):
    return now or timezone.now()


def _lock_call(call_id):
    return Call.objects.select_for_update().get(pk=call_id)


def _lock_application(application_id):
    return Application.objects.select_for_update().select_related("call").get(pk=application_id)


def _format(moment):
    return formats.date_format(timezone.localtime(moment), "Y년 n월 j일 H:i")


def _require_open(call, now):
    if not call.is_published:
        raise ValidationError(_("게시되지 않은 공고입니다."))
    if now < call.opens_at:
        raise ValidationError(_("접수는 %(start)s에 시작합니다.") % {"start": _format(call.opens_at)})
    if now >= call.closes_at:
        raise ValidationError(
            _("접수가 마감되었습니다(마감 %(end)s). 마감 후에는 신청하거나 고칠 수 없습니다.")
            % {"end": _format(call.closes_at)}
        )


def _is_applicant(application, actor):
    return actor.user is not None and application.applicant_id == actor.user_id


def _require_applicant(application, actor):
    """Only the applicant changes what they entered (staff never retype it)."""
    if not _is_applicant(application, actor):
        raise PermissionDenied


# --- Applying ------------------------------------------------------------------------------------------


#: What applicants applied under: once an application is handed in, these stay as the call announced them.
RULES_ONCE_APPLIED = (
    "program",
    "housing_program",
    "code",
    "opens_at",
    "places",
    "reserve_places",
    "selection_method",
    "min_age",
    "max_age",
    "residence",
    "requires_no_home",
    "max_income_bracket",
    "group_min_members",
    "privacy_terms",
    "privacy_terms_version",
)


def _applications_handed_in(call):
    """Whether anyone has handed in an application: from then on the call's rules stay as announced."""
    return call.applications.exclude(status=ApplicationStatus.DRAFT).exists()


@writes(Call)
@transaction.atomic
def call_save(*, call, actor):
    """Save a call as its team wrote it in the back office.

    Once applications are in, the rules they were made under (eligibility, places, selection, the privacy
    terms they agreed to) stay as announced, and the deadline may move later but not earlier. The receipt
    counter is the applications' (taken under the call's lock): an edit never writes it back."""
    actor.require_staff()
    if call.pk is None:
        call.full_clean()
        call.save()
        return call
    stored = _lock_call(call.pk)
    if _applications_handed_in(stored):
        frozen = {}
        for name in RULES_ONCE_APPLIED:
            attname = Call._meta.get_field(name).attname
            if getattr(call, attname) != getattr(stored, attname):
                frozen[name] = _("신청서가 접수된 뒤에는 바꿀 수 없습니다. 신청한 분들이 본 공고대로 둡니다.")
        if call.closes_at < stored.closes_at:
            frozen["closes_at"] = _("신청서가 접수된 뒤에는 접수 마감을 앞당길 수 없습니다.")
        if frozen:
            raise ValidationError(frozen)
    call.full_clean(exclude=["receipt_sequence"])
    call.save(
        update_fields=[
            field.name
            for field in Call._meta.concrete_fields
            if not field.primary_key and field.name not in {"receipt_sequence", "created_at"}
        ]
    )
    return call


@writes(Call)
@transaction.atomic
def call_areas_set(*, call, dongs, rooms, actor):
    """Set the dongs whose residents may apply and the rooms offered. Like the other rules, they stay as
    announced once an application is handed in (the admin saves them after the call itself)."""
    actor.require_staff()
    stored = _lock_call(call.pk)
    dongs, rooms = list(dongs), list(rooms)
    if _applications_handed_in(stored):
        frozen = {}
        if {dong.pk for dong in dongs} != set(stored.dongs.values_list("pk", flat=True)):
            frozen["dongs"] = _(
                "신청서가 접수된 뒤에는 대상 행정동을 바꿀 수 없습니다. 신청한 분들이 본 공고대로 둡니다."
            )
        if {room.pk for room in rooms} != set(stored.rooms.values_list("pk", flat=True)):
            frozen["rooms"] = _(
                "신청서가 접수된 뒤에는 모집하는 방을 바꿀 수 없습니다. 신청한 분들이 본 공고대로 둡니다."
            )
        if frozen:
            raise ValidationError(frozen)
    stored.dongs.set(dongs)
    stored.rooms.set(rooms)
    return stored


@writes(Application)
def application_start(*, call, actor, now=None):
    """The citizen's (``actor``'s) application to ``call``: the existing one, or a new draft prefilled from
    the profile. One per person per call (a database constraint; two simultaneous starts make one)."""
    now = _now(now)
    user = actor.user
    existing = Application.objects.filter(call=call, applicant=user).first()
    if existing:
        return existing
    _require_open(call, now)
    draft = Application(
        call=call,
        applicant=user,
        applicant_name=user.name,
        phone=user.phone,
        email=user.email,
        dong=user.dong,
    )
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:
        return Application.objects.get(call=call, applicant=user)
    return draft


def _store_documents(application, documents, now, *, actor):
    """Check every upload first (type, real content, size) and only then replace the stored files."""
    requirements = {requirement.pk: requirement for requirement in application.call.documents.all()}
    errors = {}
    for requirement_id, upload in documents.items():
        requirement = requirements.get(int(requirement_id))
        if requirement is None:
            raise ValidationError(_("이 공고의 제출 서류가 아닙니다."))
        try:
            validate_upload(upload, extensions=DOCUMENT_EXTENSIONS, limit_mb=requirement.max_mb)
        except ValidationError as error:
            errors[f"document_{requirement.pk}"] = [
                f"{requirement.name}: {message}" for message in error.messages
            ]
    if errors:
        raise ValidationError(errors)
    for requirement_id, upload in documents.items():
        requirement = requirements[int(requirement_id)]
        documents_delete(
            ApplicationDocument.objects.filter(application=application, requirement=requirement), actor=actor
        )
        ApplicationDocument.objects.create(
            application=application,
            requirement=requirement,
            file=upload,
            original_name=upload.name[:200],
            uploaded_at=now,
        )


@writes(ApplicationDocument)
def documents_delete(documents, *, actor):
    """Delete uploaded documents, their files included (a replaced or withdrawn paper must not linger in storage,
    out of the retention job's reach)."""
    for document in documents:
        document.file.delete(save=False)
    documents.delete()


def _store_members(application, members):
    application.members.all().delete()
    ApplicationMember.objects.bulk_create(
        [ApplicationMember(application=application, name=name.strip(), dong=dong) for name, dong in members]
    )


def _check_rooms(application):
    call = application.call
    offered = set(call.rooms.values_list("pk", flat=True))
    for field in ("first_choice", "second_choice"):
        room_id = getattr(application, f"{field}_id")
        if room_id and room_id not in offered:
            raise ValidationError({field: _("이 공고에서 모집하는 호실이 아닙니다.")})
    if application.first_choice_id and application.first_choice_id == application.second_choice_id:
        raise ValidationError({"second_choice": _("2지망은 1지망과 다른 호실을 골라 주세요.")})
    if offered and not application.first_choice_id:
        raise ValidationError({"first_choice": _("1지망 호실을 골라 주세요.")})


@writes(Application, ApplicationDocument, ApplicationMember, Call)
def application_save(
    *,
    application,
    actor,
    data,
    members=None,
    documents=None,
    consent=False,
    consent_ip=None,
    submit=False,
    now=None,
):
    """Save what the applicant entered (a draft), and with ``submit`` hand it in.

    ``data``: values of ``APPLICANT_FIELDS``; ``members``: ``[(name, dong)]`` for a group call;
    ``documents``: ``{requirement id: upload}`` (a new file replaces the previous one); ``data["answers"]``:
    ``{question id: text}``. A submit needs every rule of the call met, the required questions answered and
    the consent (recorded as a ``ConsentRecord`` with ``consent_ip``); it gets a receipt number and an e-mail
    with it. Editing is possible until the deadline while the application is a draft or handed in."""
    now = _now(now)
    with transaction.atomic():
        current = _lock_application(application.pk)
        _require_applicant(current, actor)
        call = _lock_call(current.call_id)
        current.call = call
        _require_open(call, now)
        if not current.is_editable_by_applicant:
            raise ValidationError(
                _("‘%(status)s’ 상태의 신청서는 고칠 수 없습니다.") % {"status": current.get_status_display()}
            )
        for field in APPLICANT_FIELDS:
            if field in data:
                setattr(current, field, data[field])
        if "answers" in data:
            asked = {str(pk) for pk in call.questions.values_list("pk", flat=True)}
            current.answers = {
                key: str(value)[:2000] for key, value in (data["answers"] or {}).items() if key in asked
            }
        if current.phone:
            current.phone = normalize_phone(current.phone)
        if call.is_group_call and members is not None:
            _store_members(current, members)
        _store_documents(current, documents or {}, now, actor=actor)
        if submit:
            _check_rooms(current)
            _require_complete(current, consent=consent)
            first_submit = current.receipt_number is None
            if first_submit:
                call.receipt_sequence += 1
                call.save(update_fields=["receipt_sequence"])
                current.receipt_number = f"{call.code}-{call.receipt_sequence:04d}"
            current.status = ApplicationStatus.SUBMITTED
            current.submitted_at = now
            current.consent_version = call.privacy_terms_version
            current.consented_at = now
            consent_record(
                user=actor.user,
                item=ConsentRecord.Item.PRIVACY_CALL,
                version=f"{call.code}:{call.privacy_terms_version}"[:20],
                ip_address=consent_ip,
                actor=actor,
            )
        current.full_clean(exclude=["applicant", "call"])
        current.save()
        if submit and first_submit:
            _email(
                current,
                event="submitted",
                subject=_("신청서가 접수되었습니다: %(title)s") % {"title": call.title},
                paragraphs=[
                    _("접수번호는 %(number)s입니다. 결과 발표와 공개추첨에서 이 번호로 확인하실 수 있습니다.")
                    % {"number": current.receipt_number},
                    _("마감(%(end)s) 전까지는 신청서를 고치거나 철회할 수 있습니다.")
                    % {"end": _format(call.closes_at)},
                ],
            )
    return current


def _require_complete(application, *, consent):
    problems = []
    for question in application.call.questions.all():
        if question.is_required and not (application.answers or {}).get(str(question.pk), "").strip():
            problems.append(_("질문에 답해 주세요: %(question)s") % {"question": question.text})
    if not (application.applicant_name and application.phone):
        problems.append(_("이름과 연락처를 입력해 주세요."))
    group = application.call.is_group_call
    if group and not all(
        (
            application.group_name,
            application.group_kind,
            application.group_dong_id,
            application.activity_field,
        )
    ):
        problems.append(_("공동체명, 유형, 활동 분야, 활동 행정동을 입력해 주세요."))
    for check in application_checks(application):
        if not check.passed:
            problems.append(f"{check.rule}: {check.detail}" if check.detail else str(check.rule))
    if not consent:
        problems.append(_("개인정보 수집·이용에 동의해야 신청할 수 있습니다."))
    if problems:
        raise ValidationError(problems)


@writes(Application)
def application_withdraw(*, application, actor, now=None):
    """The applicant withdraws before the deadline: a draft is deleted, a handed-in application is kept as
    철회."""
    now = _now(now)
    with transaction.atomic():
        current = _lock_application(application.pk)
        _require_applicant(current, actor)
        _require_open(current.call, now)
        if current.status == ApplicationStatus.DRAFT:
            documents_delete(current.documents.all(), actor=actor)
            current.delete()
            return None
        if current.status != ApplicationStatus.SUBMITTED:
            raise ValidationError(_("이 신청서는 철회할 수 없습니다."))
        current.status = ApplicationStatus.WITHDRAWN
        current.save(update_fields=["status", "updated_at"])
    return current


# --- Review ---------------------------------------------------------------------------------------------


@writes(Application)
def application_request_revision(*, application, actor, message, due_at, now=None):
    """보완 요청: ask the applicant for a missing or wrong document by ``due_at``; they are e-mailed."""
    now = _now(now)
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("무엇을 보완해야 하는지 적어 주세요."))
    if due_at <= now:
        raise ValidationError(_("보완 기한은 지금 이후여야 합니다."))
    with transaction.atomic():
        current = _lock_application(application.pk)
        if current.status not in IN_REVIEW:
            raise ValidationError(_("접수·심사 중인 신청서에만 보완을 요청할 수 있습니다."))
        current.status = ApplicationStatus.REVISION_REQUESTED
        current.revision_message = message
        current.revision_due_at = due_at
        current.save(update_fields=["status", "revision_message", "revision_due_at", "updated_at"])
        _email(
            current,
            event=f"revision:{now:%Y%m%d%H%M%S}",
            subject=_("신청서 보완을 요청드립니다: %(title)s") % {"title": current.call.title},
            paragraphs=[
                message,
                _("%(due)s까지 나의 신청에서 서류를 올려 주세요.") % {"due": _format(due_at)},
            ],
        )
    return current


@writes(Application, ApplicationDocument)
def application_revision_submit(*, application, actor, documents, now=None):
    """The applicant uploads what was asked for, before the revision deadline (even after the call closed)."""
    now = _now(now)
    with transaction.atomic():
        current = _lock_application(application.pk)
        _require_applicant(current, actor)
        if current.status != ApplicationStatus.REVISION_REQUESTED:
            raise ValidationError(_("보완 요청을 받은 신청서가 아닙니다."))
        if current.revision_due_at and now >= current.revision_due_at:
            raise ValidationError(
                _("보완 기한(%(due)s)이 지났습니다.") % {"due": _format(current.revision_due_at)}
            )
        if not documents:
            raise ValidationError(_("보완할 서류를 올려 주세요."))
        _store_documents(current, documents, now, actor=actor)
        current.status = (
            ApplicationStatus.SUBMITTED if now < current.call.closes_at else ApplicationStatus.UNDER_REVIEW
        )
        current.save(update_fields=["status", "updated_at"])
    return current


@writes(ReviewScore)
def score_record(*, application, actor, points):
    """A reviewer's (``actor``'s) points per criterion (``{criterion id: points}``) for one application. A
    reviewer who declared a conflict of interest with it cannot score it."""
    reviewer = actor.user
    with transaction.atomic():
        current = _lock_application(application.pk)
        if current.status not in IN_REVIEW:
            raise ValidationError(_("심사 중인 신청서만 점수를 매길 수 있습니다."))
        if ConflictOfInterest.objects.filter(application=current, reviewer=reviewer).exists():
            raise ValidationError(_("이해충돌을 신고한 신청서는 심사할 수 없습니다."))
        criteria = {criterion.pk: criterion for criterion in current.call.criteria.all()}
        for criterion_id, value in points.items():
            criterion = criteria.get(int(criterion_id))
            if criterion is None:
                raise ValidationError(_("이 공고의 심사 항목이 아닙니다."))
            if not 0 <= int(value) <= criterion.max_points:
                raise ValidationError(
                    _("‘%(name)s’ 점수는 0~%(max)d점입니다.")
                    % {"name": criterion.name, "max": criterion.max_points}
                )
        for criterion_id, value in points.items():
            ReviewScore.objects.update_or_create(
                application=current,
                criterion_id=int(criterion_id),
                reviewer=reviewer,
                defaults={"points": int(value)},
            )
    return current


@writes(ConflictOfInterest, ReviewScore)
def conflict_declare(*, application, actor, reason):
    """이해충돌 신고: the reviewer (``actor``) is excluded from this application and their scores on it are
    removed."""
    reviewer = actor.user
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("이해충돌 사유를 적어 주세요."))
    with transaction.atomic():
        ConflictOfInterest.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"reason": reason}
        )
        ReviewScore.objects.filter(application=application, reviewer=reviewer).delete()


# --- The draw and the results -----------------------------------------------------------------------------


@writes(Application, Draw)
def call_decide(*, call, actor, seed="", witnessed_by="", now=None):
    """Decide the call after it closed: rank the eligible applications (scores, the public draw, or scores
    with the draw breaking ties), mark selected / reserve n / not selected and e-mail each applicant once.

    A lottery needs the ``seed`` fixed in public as the call announced; the draw is stored and published
    and can never be redone. Returns the Draw (or None for a call decided on scores alone)."""
    from .selectors import application_scores

    now = _now(now)
    seed = (seed or "").strip()
    with transaction.atomic():
        call = _lock_call(call.pk)
        if now < call.closes_at:
            raise ValidationError(_("접수가 끝난 뒤에 결과를 정할 수 있습니다."))
        if (
            Draw.objects.filter(call=call).exists()
            or call.applications.filter(decided_at__isnull=False).exists()
        ):
            raise ValidationError(_("이미 결과를 정한 공고입니다. 추첨과 결과는 다시 할 수 없습니다."))
        pending = call.applications.filter(
            status=ApplicationStatus.REVISION_REQUESTED, revision_due_at__gt=now
        )
        if pending.exists():
            raise ValidationError(
                _("보완 기한이 남은 신청서가 있습니다. 기한이 지난 뒤에 결과를 정해 주세요.")
            )
        needs_draw = call.selection_method in (SelectionMethod.LOTTERY, SelectionMethod.SCORE_THEN_LOTTERY)
        if needs_draw and not seed:
            raise ValidationError(_("공개추첨의 시드를 입력해 주세요(공고에 밝힌 방법으로 정한 값)."))
        candidates = list(
            call.applications.select_for_update()
            .filter(status__in=IN_REVIEW)
            .prefetch_related("documents", "members")
            .order_by("receipt_number")
        )
        eligible = [
            application
            for application in candidates
            if is_eligible(
                application,
                call=call,
                documents={document.requirement_id for document in application.documents.all()},
                members=len(application.members.all()),
            )
        ]
        draw = None
        if needs_draw:
            order = lottery.draw_order(seed, [application.receipt_number for application in eligible])
            draw = Draw.objects.create(
                call=call,
                algorithm=lottery.ALGORITHM,
                seed=seed,
                entries=sorted(application.receipt_number for application in eligible),
                order=order,
                witnessed_by=witnessed_by.strip(),
                performed_by=actor.user,
                published_at=now,
            )
            positions = {number: index + 1 for index, number in enumerate(order)}
            for application in eligible:
                application.draw_position = positions[application.receipt_number]
        scores = application_scores(call) if call.selection_method != SelectionMethod.LOTTERY else {}
        if call.selection_method == SelectionMethod.LOTTERY:
            ranked = sorted(eligible, key=lambda a: a.draw_position)
        elif call.selection_method == SelectionMethod.SCORE_THEN_LOTTERY:
            ranked = sorted(eligible, key=lambda a: (-scores.get(a.pk, 0), a.draw_position))
        else:
            ranked = sorted(eligible, key=lambda a: (-scores.get(a.pk, 0), a.submitted_at, a.receipt_number))
        offer_deadline = timezone.localdate(now) + datetime.timedelta(days=OFFER_DAYS)
        for index, application in enumerate(ranked, start=1):
            application.rank = index
            if index <= call.places:
                application.status = ApplicationStatus.SELECTED
                application.offer_deadline = offer_deadline
            elif index <= call.places + call.reserve_places:
                application.status = ApplicationStatus.RESERVE
                application.reserve_number = index - call.places
            else:
                application.status = ApplicationStatus.NOT_SELECTED
        eligible_ids = {application.pk for application in eligible}
        for application in candidates:
            if application.pk not in eligible_ids:
                application.status = ApplicationStatus.NOT_SELECTED
            application.decided_at = now
            application.save(
                update_fields=[
                    "status", "rank", "reserve_number", "draw_position", "offer_deadline", "decided_at", "updated_at",
                ]
            )  # fmt: skip
            _result_email(application)
    return draw


def _result_email(application):
    call = application.call
    if application.status == ApplicationStatus.SELECTED:
        subject = _("선정되었습니다: %(title)s") % {"title": call.title}
        text = _("축하합니다. 선정되었습니다. %(deadline)s까지 센터에서 계약(또는 협약)을 맺어 주세요.") % {
            "deadline": formats.date_format(application.offer_deadline, "Y년 n월 j일")
        }
    elif application.status == ApplicationStatus.RESERVE:
        subject = _("예비 %(number)d번입니다: %(title)s") % {
            "number": application.reserve_number,
            "title": call.title,
        }
        text = _("예비 %(number)d번으로 정해졌습니다. 선정된 분이 포기하면 순서대로 연락드립니다.") % {
            "number": application.reserve_number
        }
    else:
        subject = _("선정 결과를 알려 드립니다: %(title)s") % {"title": call.title}
        text = _("아쉽게도 이번에는 선정되지 않았습니다. 신청해 주셔서 감사합니다.")
    _email(application, event="result", subject=subject, paragraphs=[text])


@writes(Application)
def selection_decline(*, application, actor, now=None):
    """A selected applicant declines (or staff record that they did, or the system that they missed the
    contract deadline): the first reserve in order is selected in their place and told."""
    now = _now(now)
    with transaction.atomic():
        current = _lock_application(application.pk)
        # Staff record a decline told by phone, the system one whose deadline passed; a citizen only their own.
        if actor.channel not in (Channel.STAFF, Channel.SYSTEM) and not _is_applicant(current, actor):
            raise PermissionDenied
        if current.status != ApplicationStatus.SELECTED or current.tenancy_id or current.community_id:
            raise ValidationError(_("계약 전의 선정자만 포기할 수 있습니다."))
        _lock_call(current.call_id)
        current.status = ApplicationStatus.DECLINED
        current.save(update_fields=["status", "updated_at"])
        promoted = _promote_next_reserve(current.call, now)
    return promoted


def _promote_next_reserve(call, now):
    following = (
        Application.objects.select_for_update()
        .filter(call=call, status=ApplicationStatus.RESERVE)
        .order_by("reserve_number")
        .first()
    )
    if following is None:
        return None
    number = following.reserve_number
    following.status = ApplicationStatus.SELECTED
    following.reserve_number = None
    following.offer_deadline = timezone.localdate(now) + datetime.timedelta(days=OFFER_DAYS)
    following.save(update_fields=["status", "reserve_number", "offer_deadline", "updated_at"])
    _email(
        following,
        event="promoted",
        subject=_("예비에서 선정되었습니다: %(title)s") % {"title": call.title},
        paragraphs=[
            _(
                "선정된 분이 포기하여 예비 %(number)d번이던 신청이 선정되었습니다. %(deadline)s까지 센터에서 계약해 주세요."
            )
            % {"number": number, "deadline": formats.date_format(following.offer_deadline, "Y년 n월 j일")}
        ],
    )
    return following


@writes(Application)
def offers_expire(*, actor, today=None, now=None):
    """Selected applicants who let the contract deadline pass are treated as declined, and the reserves move
    up. Returns how many offers expired (the nightly job; a rerun finds nothing more)."""
    now = _now(now)
    today = today or timezone.localdate(now)
    expired = 0
    for application_id in Application.objects.filter(
        status=ApplicationStatus.SELECTED,
        offer_deadline__lt=today,
        tenancy__isnull=True,
        community__isnull=True,
    ).values_list("pk", flat=True):
        try:
            selection_decline(application=Application(pk=application_id), actor=actor, now=now)
        except ValidationError:
            continue  # contracted or declined meanwhile
        expired += 1
    return expired


# --- What a result becomes -------------------------------------------------------------------------------


@writes(Application)
def application_contract(
    *, application, actor, room, starts_on, ends_on=None, deposit=0, monthly_rent=0, market_rent=None,
    household_size=1,
):  # fmt: skip
    """A selected housing applicant signs: the tenancy is made through the regeneration service, so the
    program's age band, the half-rent rule and the no-overlap rule hold as for any tenancy."""
    from regeneration.models import Tenancy
    from regeneration.services import tenancy_save

    with transaction.atomic():
        current = _lock_application(application.pk)
        call = current.call
        if current.status != ApplicationStatus.SELECTED or current.tenancy_id:
            raise ValidationError(_("계약하지 않은 선정자만 입주 계약을 맺을 수 있습니다."))
        if not call.is_housing or call.housing_program is None:
            raise ValidationError(_("주택 모집이 아니어서 입주 계약을 맺을 수 없습니다."))
        if room is not None and not call.rooms.filter(pk=room.pk).exists():
            raise ValidationError({"room": _("이 공고에서 모집한 호실이 아닙니다.")})
        room = room or current.first_choice
        if room is None:
            raise ValidationError({"room": _("입주할 호실을 골라 주세요.")})
        tenancy = Tenancy(
            house=room.house,
            room=room,
            program=call.housing_program,
            tenant_name=current.applicant_name,
            tenant_phone=current.phone,
            tenant_birth_date=current.birth_date,
            household_size=household_size,
            deposit=deposit,
            monthly_rent=monthly_rent,
            market_rent=market_rent,
            starts_on=starts_on,
            ends_on=ends_on,
            note=_("모집공고 %(number)s 선정") % {"number": current.receipt_number},
        )
        tenancy_save(tenancy=tenancy, actor=actor)
        current.tenancy = tenancy
        current.save(update_fields=["tenancy", "updated_at"])
    return tenancy


@writes(Application, CommunityMember)
def application_register_community(*, application, actor, now=None):
    """A selected Ondure group becomes a Community of the call's year through the Ondure registry service
    (its minimum-members rule holds), with the representative as leader and the listed members."""
    from ondure.services import community_select

    now = _now(now)
    today = timezone.localdate(now)
    with transaction.atomic():
        current = _lock_application(application.pk)
        call = current.call
        if not call.is_group_call:
            raise ValidationError(_("공동체 공모가 아닙니다."))
        if current.status != ApplicationStatus.SELECTED or current.community_id:
            raise ValidationError(_("등록하지 않은 선정 공동체만 등록할 수 있습니다."))
        members = list(current.members.select_related("dong"))
        community = Community(
            name=current.group_name,
            kind=current.group_kind,
            cohort_year=timezone.localtime(call.opens_at).year,
            selected_on=today,
            dong=current.group_dong,
            activity_field=current.activity_field,
            description=_community_description(current.group_name, timezone.localtime(call.opens_at).year),
            members_count=len(members),
            leader_name=current.applicant_name,
            leader_phone=current.phone,
        )
        community_select(community=community, actor=actor)
        CommunityMember.objects.create(
            community=community,
            name=current.applicant_name,
            phone=current.phone,
            role=CommunityMember.Role.LEADER,
            user=current.applicant,
            joined_on=today,
        )
        CommunityMember.objects.bulk_create(
            [
                CommunityMember(community=community, name=member.name, joined_on=today)
                for member in members
                if member.name != current.applicant_name
            ]
        )
        current.community = community
        current.save(update_fields=["community", "updated_at"])
    return community


def _community_description(name, year):
    # Stored data (shown on the public directory): in Korean whatever language the staff member uses.
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(name)s %(year)d 온두레 공동체 공모로 선정된 공동체입니다.") % {
            "name": with_particle(name, "은/는"),
            "year": year,
        }


# --- E-mail ---------------------------------------------------------------------------------------------


def _email(application, *, event, subject, paragraphs):
    """Queue an e-mail to the applicant (once per event and application), and the same notice by 알림톡/SMS
    when the applicant verified a number and chose "모집·공모 결과" (not for the receipt of a submit)."""
    if event != "submitted" and application.applicant_id:
        with translation.override(settings.LANGUAGE_CODE):
            text = f"[{_('전주도시혁신센터')}] {subject} ({application.receipt_number})"
        notify_by_message(
            user=application.applicant,
            event=MessageEvent.APPLICATION_RESULT,
            dedup_key=f"call-{event}:{application.pk}",
            text=text,
            variables={"#{공고명}": application.call.title, "#{접수번호}": application.receipt_number or ""},
        )
    address = application.email or (application.applicant.email if application.applicant_id else "")
    if not address:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        body = "\n\n".join(
            [
                _("%(name)s 님, 안녕하세요. 전주도시혁신센터입니다.") % {"name": application.applicant_name},
                *[str(paragraph) for paragraph in paragraphs],
                _("공고: %(title)s") % {"title": application.call.title},
                _("접수번호: %(number)s") % {"number": application.receipt_number or "-"},
                _("나의 신청: %(url)s") % {"url": portal_url(reverse("calls:my_applications"))},
                _("감사합니다."),
            ]
        )
        return outbox_enqueue(
            dedup_key=f"call-{event}:{application.pk}",
            to=address,
            subject=f"[{_('전주도시혁신센터')}] {subject}",
            body=body,
        )
