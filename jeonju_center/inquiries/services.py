"""Writes of inquiries: asking (signed in, or confirmed by e-mail), the team's assignment, note and answer, and
retention. The public views, the back office and the retention job all call these."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes
from jeonju_center.common.outbox import outbox_enqueue_letter, portal_url
from jeonju_center.common.teams import team_emails
from jeonju_center.common.validators import validate_plain_text
from jeonju_center.common.working_days import add_working_days

from .models import (
    ANSWER_MAX_LENGTH,
    QUESTION_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    TEAM_GROUPS,
    Inquiry,
    InquiryTeam,
)

# The version of the inquiry's personal-data notice (개인정보 수집·이용 안내); bump it when the text changes.
INQUIRY_TERMS_VERSION = "2026-12-01"
CONFIRMATION_VALID_DAYS = 3
# A visitor's address gets at most this many unconfirmed inquiries at once (stops mail-bombing a stranger).
MAX_PENDING_PER_EMAIL = 3


def answer_working_days():
    return settings.INQUIRY_ANSWER_WORKING_DAYS


def answer_due_on(received_at):
    """The answer deadline: ``INQUIRY_ANSWER_WORKING_DAYS`` working days after the day it was received."""
    return add_working_days(timezone.localdate(received_at), answer_working_days())


def _mail(inquiry, *, key, to, subject, paragraphs):
    return outbox_enqueue_letter(
        dedup_key=f"inquiry-{key}:{inquiry.pk}", to=to, subject=subject, paragraphs=paragraphs
    )


def _clean_texts(*, subject, question):
    subject, question = (subject or "").strip(), (question or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("제목을 적어 주세요.")
    elif len(subject) > SUBJECT_MAX_LENGTH:
        errors["subject"] = _("제목은 %(limit)d자까지 쓸 수 있습니다.") % {"limit": SUBJECT_MAX_LENGTH}
    if not question:
        errors["question"] = _("문의 내용을 적어 주세요.")
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = _("문의 내용은 %(limit)d자까지 쓸 수 있습니다. 지금 %(count)d자입니다.") % {
            "limit": QUESTION_MAX_LENGTH,
            "count": len(question),
        }
    for field, value in (("subject", subject), ("question", question)):
        if field not in errors:
            try:
                validate_plain_text(value)
            except ValidationError as error:
                errors[field] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return subject, question


def _receive(inquiry, *, now):
    inquiry.status = Inquiry.Status.RECEIVED
    inquiry.received_at = now
    inquiry.due_on = answer_due_on(now)
    inquiry.confirm_token = ""
    inquiry.save()
    # The number comes from the primary key: unique without a counter to lock.
    inquiry.receipt_number = f"QNA{timezone.localdate(now).year}-{inquiry.pk:04d}"
    inquiry.save(update_fields=["receipt_number", "updated_at"])
    _notify_team(inquiry)
    if inquiry.email:
        _mail(
            inquiry,
            key="received",
            to=inquiry.email,
            subject=_("문의를 접수했습니다 (%(number)s)") % {"number": inquiry.receipt_number},
            paragraphs=[
                _("%(name)s 님, 문의를 접수했습니다.") % {"name": inquiry.name or _("문의하신 분")},
                _("제목: %(subject)s") % {"subject": inquiry.subject},
                _("답변 기한: %(date)s (근무일 %(days)d일 이내)")
                % {"date": inquiry.due_on.isoformat(), "days": answer_working_days()},
                _("답변을 드리면 이 주소로 알려 드립니다."),
            ],
        )


def _notify_team(inquiry):
    recipients = team_emails(TEAM_GROUPS[InquiryTeam(inquiry.team)])
    if not recipients:
        return
    link = portal_url(reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]))
    _mail(
        inquiry,
        key="team",
        to=", ".join(recipients),
        subject=_("새 1:1 문의 %(number)s") % {"number": inquiry.receipt_number},
        paragraphs=[
            _("%(team)s 앞으로 새 문의가 왔습니다.") % {"team": InquiryTeam(inquiry.team).label},
            _("제목: %(subject)s") % {"subject": inquiry.subject},
            _("답변 기한: %(date)s") % {"date": inquiry.due_on.isoformat()},
            link,
        ],
    )


@writes(Inquiry)
@transaction.atomic
def inquiry_submit(*, team, subject, question, agreed, actor, name="", email="", phone="", now=None):
    """Ask a team. A signed-in citizen's (``actor``'s) inquiry is received at once; a visitor's (a citizen
    actor without an account) gets a confirmation e-mail and waits for its link. Bad input raises
    ``ValidationError`` and writes nothing."""
    now = now or timezone.now()
    user = actor.user
    if team not in InquiryTeam.values:
        raise ValidationError({"team": _("문의할 곳을 골라 주세요.")})
    if not agreed:
        raise ValidationError({"agree": _("개인정보 수집·이용에 동의해야 문의할 수 있습니다.")})
    subject, question = _clean_texts(subject=subject, question=question)
    if user is not None and user.is_authenticated:
        inquiry = Inquiry(user=user, name=user.name or "", email=user.email or "", phone=phone or "")
    else:
        email = (email or "").strip().lower()
        if not email:
            raise ValidationError({"email": _("답변을 받을 이메일을 적어 주세요.")})
        if not (name or "").strip():
            raise ValidationError({"name": _("이름을 적어 주세요.")})
        pending = Inquiry.objects.filter(
            email=email,
            status=Inquiry.Status.PENDING,
            created_at__gte=now - datetime.timedelta(days=CONFIRMATION_VALID_DAYS),
        )
        if pending.count() >= MAX_PENDING_PER_EMAIL:
            raise ValidationError(
                _(
                    "이 이메일로 확인을 기다리는 문의가 이미 %(count)d건 있습니다. 받은 메일의 링크를 먼저 눌러 주세요."
                )
                % {"count": MAX_PENDING_PER_EMAIL}
            )
        inquiry = Inquiry(
            name=name.strip(), email=email, phone=phone or "", confirm_token=secrets.token_urlsafe(32)
        )
    inquiry.team = team
    inquiry.subject = subject
    inquiry.question = question
    inquiry.consent_version = INQUIRY_TERMS_VERSION
    inquiry.full_clean(exclude=["receipt_number", "status"])
    inquiry.save()
    if inquiry.user_id:
        _receive(inquiry, now=now)
    else:
        _mail(
            inquiry,
            key="confirm",
            to=inquiry.email,
            subject=_("문의를 접수하려면 이메일을 확인해 주세요"),
            paragraphs=[
                _("%(name)s 님, 전주도시혁신센터에 남기신 문의를 접수하려면 아래 링크를 눌러 주세요.")
                % {"name": inquiry.name},
                portal_url(reverse("inquiries:confirm", args=[inquiry.confirm_token])),
                _("링크는 %(days)d일 동안 쓸 수 있습니다. 문의하신 적이 없으면 이 메일을 지워 주세요.")
                % {"days": CONFIRMATION_VALID_DAYS},
            ],
        )
    return inquiry


@writes(Inquiry)
@transaction.atomic
def inquiry_confirm(*, token, actor, now=None):
    """A visitor's inquiry is received once the link in the confirmation e-mail is used."""
    now = now or timezone.now()
    inquiry = (
        Inquiry.objects.select_for_update().filter(confirm_token=token, status=Inquiry.Status.PENDING).first()
        if token
        else None
    )
    if inquiry is None:
        raise ValidationError(_("링크가 올바르지 않거나 이미 접수된 문의입니다."))
    if inquiry.created_at < now - datetime.timedelta(days=CONFIRMATION_VALID_DAYS):
        raise ValidationError(_("링크의 유효기간이 지났습니다. 문의를 다시 남겨 주세요."))
    _receive(inquiry, now=now)
    return inquiry


def _locked(inquiry_id):
    inquiry = Inquiry.objects.select_for_update().filter(pk=inquiry_id).first()
    if inquiry is None or inquiry.anonymised_at:
        raise ValidationError(_("문의를 찾을 수 없습니다."))
    if inquiry.status == Inquiry.Status.PENDING:
        raise ValidationError(_("아직 이메일 확인을 기다리는 문의입니다."))
    return inquiry


@writes(Inquiry)
@transaction.atomic
def inquiry_assign(*, inquiry_id, assignee, actor, now=None):
    """Give the inquiry to a staff member of the team (담당 배정)."""
    actor.require_staff()
    inquiry = _locked(inquiry_id)
    if assignee is None or not assignee.is_staff or not assignee.is_active:
        raise ValidationError({"assignee": _("담당자는 일하고 있는 직원이어야 합니다.")})
    inquiry.assignee = assignee
    inquiry.assigned_at = now or timezone.now()
    if inquiry.status == Inquiry.Status.RECEIVED:
        inquiry.status = Inquiry.Status.ASSIGNED
    inquiry._change_reason = _("%(actor)s 님이 담당자를 정함") % {"actor": actor.user}
    inquiry.save()
    return inquiry


@writes(Inquiry)
@transaction.atomic
def inquiry_note(*, inquiry_id, note, actor):
    actor.require_staff()
    inquiry = _locked(inquiry_id)
    inquiry.internal_note = (note or "").strip()
    inquiry._change_reason = _("%(actor)s 님이 내부 메모를 고침") % {"actor": actor.user}
    inquiry.save(update_fields=["internal_note", "updated_at"])
    return inquiry


@writes(Inquiry)
@transaction.atomic
def inquiry_answer(*, inquiry_id, answer, actor, now=None):
    """Answer: the asker gets it by e-mail and sees it at /me/inquiries/. An answer is sent once."""
    actor.require_staff()
    now = now or timezone.now()
    inquiry = _locked(inquiry_id)
    if inquiry.status == Inquiry.Status.ANSWERED:
        raise ValidationError(_("이미 답변한 문의입니다. 덧붙일 말은 새 메일로 보내 주세요."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("답변을 적어 주세요.")})
    if len(answer) > ANSWER_MAX_LENGTH:
        raise ValidationError(
            {"answer": _("답변은 %(limit)d자까지 쓸 수 있습니다.") % {"limit": ANSWER_MAX_LENGTH}}
        )
    inquiry.answer = answer
    inquiry.answered_at = now
    inquiry.answered_by = actor.user
    if inquiry.assignee_id is None:
        inquiry.assignee, inquiry.assigned_at = actor.user, now
    inquiry.status = Inquiry.Status.ANSWERED
    inquiry.save()
    address = inquiry.email or (inquiry.user.email if inquiry.user_id else "")
    if address:
        paragraphs = [
            _("%(name)s 님, 문의하신 내용에 답변드립니다.") % {"name": inquiry.name or _("문의하신 분")},
            _("접수번호: %(number)s") % {"number": inquiry.receipt_number},
            _("제목: %(subject)s") % {"subject": inquiry.subject},
            _("답변:"),
            answer,
        ]
        if inquiry.user_id:
            paragraphs.append(_("나의 문의: %(url)s") % {"url": portal_url(reverse("inquiries:mine"))})
        _mail(
            inquiry,
            key="answer",
            to=address,
            subject=_("문의에 답변드립니다 (%(number)s)") % {"number": inquiry.receipt_number},
            paragraphs=paragraphs,
        )
    return inquiry


# --- Retention ------------------------------------------------------------------------------------------


@writes(Inquiry)
def inquiries_purge_unconfirmed(*, created_before, actor):
    """Visitors' inquiries whose confirmation link expired unused: deleted."""
    deleted, _by_model = Inquiry.objects.filter(
        status=Inquiry.Status.PENDING, created_at__lt=created_before
    ).delete()
    return deleted


@writes(Inquiry)
def inquiries_anonymise(*, answered_before, actor, now=None):
    """Answered inquiries past their retention: the asker and every text erased; team, dates and status stay."""
    now = now or timezone.now()
    erased = dict.fromkeys((*Inquiry.PERSONAL_DATA_FIELDS, *Inquiry.ERASED_TEXT_FIELDS), "")
    return Inquiry.objects.filter(
        status=Inquiry.Status.ANSWERED, answered_at__lt=answered_before, anonymised_at__isnull=True
    ).update(**erased, user=None, anonymised_at=now, updated_at=now)
