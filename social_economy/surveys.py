"""The full survey (전수조사) answered online by the organizations themselves.

When staff open a campaign, each organization's contacts (its published e-mail and its active members) get an
e-mail with a personal link: signed, expiring, tied to one response (one organization in one campaign) and
to the address it was sent to. A member who signs in reaches the same form from ``/me/organization/``.
Opening the form marks the response 연락 중; saving a draft moves it to 조사 중; submitting to 제출, recorded
as an online answer. Staff verify it or send it back with a comment (the contacts get fresh links). Staff
entry for phone and visit surveys stays in the back office. Every write here; reads in ``selectors``."""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes
from jeonju_center.common.korean import with_particle
from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.outbox import outbox_enqueue, outbox_enqueue_letter, portal_url

from .models import (
    OrganizationMember,
    Product,
    SalesChannel,
    SupportNeed,
    SurveyCampaign,
    SurveyProductItem,
    SurveyResponse,
)
from .services import survey_response_transition

S = SurveyResponse.Status
LINK_SALT = "social_economy.survey"
# Every invitation, reminder and request for correction carries a fresh link, so an old one may expire.
LINK_VALID_DAYS = 60
# An organization that opens its link is reachable, whatever staff recorded before.
OPENABLE_STATUSES = [S.NOT_STARTED, S.UNREACHABLE, S.DECLINED]
ANSWERABLE_STATUSES = [S.NOT_STARTED, S.CONTACTING, S.IN_PROGRESS, S.UNREACHABLE, S.DECLINED]


# --- Links ----------------------------------------------------------------------------------------------


def link_token(response, email):
    payload = {"r": response.pk, "o": response.organization_id, "c": response.campaign_id, "e": email}
    return signing.dumps(payload, salt=LINK_SALT, compress=True)


def link_url(response, email):
    return portal_url(reverse("social_economy:survey", args=[link_token(response, email)]))


def response_for_link(token):
    """The response a link opens and the address it was sent to; a ``ValidationError`` with code
    ``invalid`` (tampered or cut), ``expired`` or ``mismatch`` (not this organization's response) otherwise."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=datetime.timedelta(days=LINK_VALID_DAYS))
    except signing.SignatureExpired:
        raise ValidationError(
            _(
                "링크의 유효기간(%(days)d일)이 지났습니다. 가장 최근에 받은 안내 메일의 링크를 쓰시거나, "
                "조직 회원이라면 로그인한 뒤 ‘나의 조직’에서 응답해 주세요."
            )
            % {"days": LINK_VALID_DAYS},
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("링크가 올바르지 않습니다. 메일의 링크 전체를 복사했는지 확인해 주세요."), code="invalid"
        ) from None
    if not isinstance(payload, dict) or not all(isinstance(payload.get(key), int) for key in "roc"):
        raise ValidationError(_("링크가 올바르지 않습니다."), code="invalid")
    response = (
        SurveyResponse.objects.select_related("campaign", "organization")
        .filter(pk=payload["r"], organization_id=payload["o"], campaign_id=payload["c"])
        .first()
    )
    if response is None:
        raise ValidationError(_("이 링크로 열 수 있는 조사 응답이 없습니다."), code="mismatch")
    return response, payload.get("e") or ""


def answerable_problem(response):
    """Why ``response`` cannot be answered online now (a message), or None."""
    campaign = response.campaign
    if campaign.status != SurveyCampaign.Status.IN_PROGRESS:
        return _(
            "「%(campaign)s」 조사는 끝났습니다(%(date)s). 응답을 고치려면 센터 사회적경제팀에 연락해 주세요."
        ) % {
            "campaign": campaign.name,
            "date": f"{campaign.ends_on:%Y-%m-%d}",
        }
    if response.status not in ANSWERABLE_STATUSES:
        return _("이미 제출한 응답입니다. 고칠 내용이 있으면 센터 사회적경제팀에 연락해 주세요.")
    return None


# --- Contacts and e-mails -------------------------------------------------------------------------------


def contacts_by_organization(organization_ids):
    """{organization id: sorted e-mail addresses}: the organization's published address and its active
    members' addresses, each once (one query)."""
    contacts = {pk: set() for pk in organization_ids}
    rows = OrganizationMember.objects.filter(
        organization_id__in=organization_ids, status=OrganizationMember.Status.ACTIVE
    ).values_list("organization_id", "user__email")
    for organization_id, email in rows:
        if email:
            contacts[organization_id].add(email.strip().lower())
    return contacts


def _queue_survey_mails(*, campaign, responses, key, subject, template, context=None):
    """E-mail each contact of each response its own link, once per ``key``, response and address; returns
    how many e-mails were queued now (those sent before are not counted, nor sent again)."""
    from django.template.loader import render_to_string

    contacts = contacts_by_organization([response.organization_id for response in responses])
    letters = []
    for response in responses:
        addresses = set(contacts[response.organization_id])
        if response.organization.email:
            addresses.add(response.organization.email.strip().lower())
        letters += [(f"{key}:{response.pk}:{address}", response, address) for address in sorted(addresses)]
    sent_before = set(
        OutboxEmail.objects.filter(dedup_key__in=[letter[0] for letter in letters]).values_list(
            "dedup_key", flat=True
        )
    )
    for dedup_key, response, address in letters:
        if dedup_key in sent_before:
            continue
        outbox_enqueue(
            dedup_key=dedup_key,
            to=address,
            subject=subject,
            body=render_to_string(
                template,
                {
                    "organization": response.organization,
                    "campaign": campaign,
                    "response": response,
                    "link": link_url(response, address),
                    "my_organization": portal_url(reverse("my_organization:home")),
                    "valid_days": LINK_VALID_DAYS,
                    **(context or {}),
                },
            ),
        )
    return len(letters) - len(sent_before)


@writes(SurveyResponse)
@transaction.atomic
def survey_invitations_send(*, campaign_id, actor):
    """E-mail the contacts of every organization of the campaign that has not submitted: its personal link.

    Idempotent: each e-mail is keyed on campaign, response and address, so a second run (or a campaign
    reopened with new organizations) e-mails only who has not had the invitation. Returns e-mails queued."""
    campaign = SurveyCampaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None or campaign.status != SurveyCampaign.Status.IN_PROGRESS:
        return 0
    responses = list(
        campaign.responses.filter(status__in=SurveyResponse.REMINDABLE_STATUSES)
        .select_related("organization")
        .order_by("pk")
    )
    return _queue_survey_mails(
        campaign=campaign,
        responses=responses,
        key=f"survey-invitation:{campaign.pk}",
        subject=_("[전주시 사회적경제지원센터] %(campaign)s에 온라인으로 응답해 주세요")
        % {"campaign": campaign.name},
        template="social_economy/email/survey_invitation.txt",
    )


@writes(SurveyCampaign)
@transaction.atomic
def survey_reminder_round_send(*, campaign_id, round_number, actor):
    """E-mail the contacts of every organization of the campaign that has not submitted, once per round.

    Idempotent: a round already sent (or superseded by a newer one) returns 0 at once; each response
    remembers the last round it got, and each e-mail is keyed on campaign, round, response and address in
    the outbox. An organization that submitted online in the meantime is not reminded. Returns the number
    of e-mails queued."""
    campaign = SurveyCampaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None or campaign.reminder_round != round_number or campaign.reminder_round_sent_at:
        return 0
    responses = list(
        campaign.responses.filter(
            status__in=SurveyResponse.REMINDABLE_STATUSES, last_reminder_round__lt=round_number
        )
        .select_related("organization")
        .order_by("pk")
    )
    queued = _queue_survey_mails(
        campaign=campaign,
        responses=responses,
        key=f"survey-reminder:{campaign.pk}:{round_number}",
        subject=_("[전주시 사회적경제지원센터] %(campaign)s 참여를 부탁드립니다")
        % {"campaign": campaign.name},
        template="social_economy/email/survey_reminder.txt",
        context={"round_number": round_number},
    )
    now = timezone.now()
    SurveyResponse.objects.filter(pk__in=[response.pk for response in responses]).update(
        last_reminder_round=round_number, last_reminded_at=now, updated_at=now
    )
    campaign.reminder_round_sent_at = now
    campaign.save(update_fields=["reminder_round_sent_at", "updated_at"])
    return queued


# --- Answering ------------------------------------------------------------------------------------------


def _lock(response_id):
    return (
        SurveyResponse.objects.select_for_update(of=("self",))
        .select_related("campaign", "organization")
        .get(pk=response_id)
    )


def _mark_opened(response, now):
    changed = []
    if response.first_opened_at is None:
        response.first_opened_at = now
        changed.append("first_opened_at")
    if response.status in OPENABLE_STATUSES:
        response.status = S.CONTACTING
        response.contacted_on = response.contacted_on or timezone.localdate(now)
        changed += ["status", "contacted_on"]
    return changed


@writes(SurveyResponse)
@transaction.atomic
def survey_response_open(*, response_id, actor, now=None):
    """The organization opened its form: the first time is recorded, and a response nobody answered yet
    becomes 연락 중. Nothing changes for a closed campaign or a submitted response."""
    now = now or timezone.now()
    response = _lock(response_id)
    if answerable_problem(response):
        return response
    changed = _mark_opened(response, now)
    if changed:
        response._history_user = actor.user
        response._change_reason = _("온라인 응답 화면을 처음 열었습니다.")
        response.save(update_fields=[*changed, "updated_at"])
    return response


def _clean_products(response, product_rows):
    product_ids = [row["product_id"] for row in product_rows]
    if len(set(product_ids)) != len(product_ids):
        raise ValidationError({"products": _("같은 생산품·서비스를 두 번 적을 수 없습니다.")})
    own = set(
        Product.objects.filter(organization_id=response.organization_id, pk__in=product_ids).values_list(
            "pk", flat=True
        )
    )
    if own != set(product_ids):
        raise ValidationError({"products": _("이 조직의 생산품·서비스만 응답할 수 있습니다.")})
    for row in product_rows:
        for field in ("annual_sales", "unit_price"):
            if row.get(field) is not None and row[field] < 0:
                raise ValidationError({"products": _("매출액과 단가는 0원 이상이어야 합니다.")})


@writes(SurveyResponse, SurveyProductItem)
@transaction.atomic
def survey_response_save(*, response_id, answers, product_rows, submit, actor, now=None):
    """Save an organization's online answer as a draft (조사 중) or submit it (제출, an online answer).

    ``answers``: respondent_name, respondent_phone, annual_revenue, employees_count,
    vulnerable_employees_count, sales_channels and needs (ids); ``product_rows``: the products the
    organization reports, each ``{"product_id", "annual_sales", "unit_price", "notes"}`` (the others are
    removed from the answer). ``actor``: the signed-in member, or an anonymous citizen for a mail link. A closed campaign or
    a submitted response refuses and changes nothing; a submission needs the respondent and one product."""
    now = now or timezone.now()
    response = _lock(response_id)
    problem = answerable_problem(response)
    if problem:
        raise ValidationError(problem)
    _clean_products(response, product_rows)
    if submit:
        errors = {}
        if not (answers.get("respondent_name") or "").strip():
            errors["respondent_name"] = _("제출하려면 응답자 이름을 적어 주세요.")
        if not (answers.get("respondent_phone") or "").strip():
            errors["respondent_phone"] = _("제출하려면 응답자 연락처를 적어 주세요.")
        if not product_rows:
            errors["products"] = _(
                "제출하려면 생산품·서비스를 한 개 이상 선택해 주세요. 목록에 없으면 ‘나의 조직’에서 먼저 등록해 주세요."
            )
        if errors:
            raise ValidationError(errors)
    _mark_opened(response, now)
    response.respondent_name = (answers.get("respondent_name") or "").strip()
    response.respondent_phone = (answers.get("respondent_phone") or "").strip()
    for field in ("annual_revenue", "employees_count", "vulnerable_employees_count"):
        setattr(response, field, answers.get(field))
    if submit:
        response.status = S.SUBMITTED
        response.surveyed_on = timezone.localdate(now)
        response.submitted_at = now
        response.submitted_by = actor.user
        response.channel = SurveyResponse.Channel.ONLINE
        response.return_comment = ""
        response._change_reason = _("온라인으로 제출했습니다.")
    else:
        response.status = S.IN_PROGRESS
        response._change_reason = _("온라인으로 임시 저장했습니다.")
    response.full_clean(exclude=["campaign", "organization", "surveyor", "submitted_by"])
    response._history_user = actor.user
    response.save()
    response.sales_channels.set(SalesChannel.objects.filter(pk__in=answers.get("sales_channels") or []))
    response.needs.set(SupportNeed.objects.filter(pk__in=answers.get("needs") or []))
    keep = {row["product_id"]: row for row in product_rows}
    response.product_items.exclude(product_id__in=keep).delete()
    existing = {item.product_id: item for item in response.product_items.all()}
    for product_id, row in keep.items():
        item = existing.get(product_id) or SurveyProductItem(response=response, product_id=product_id)
        item.annual_sales = row.get("annual_sales")
        item.unit_price = row.get("unit_price")
        item.notes = (row.get("notes") or "").strip()
        item._history_user = actor.user
        item.full_clean(exclude=["response", "product"])
        item.save()
    if submit:
        _confirm_submission(response)
    return response


def _confirm_submission(response):
    from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM, team_emails

    staff = team_emails(SOCIAL_ECONOMY_TEAM)
    if staff:
        outbox_enqueue_letter(
            dedup_key=f"survey-submitted:{response.pk}:{response.submitted_at:%Y%m%d%H%M%S%f}",
            to=staff,
            subject=_("전수조사 온라인 응답: %(organization)s")
            % {"organization": response.organization.name},
            paragraphs=[
                _("%(organization)s 「%(campaign)s」에 온라인으로 응답했습니다.")
                % {
                    "organization": with_particle(response.organization.name, "이/가"),
                    "campaign": response.campaign.name,
                },
                _("검토하고 검증 완료하거나 보완을 요청해 주세요: %(link)s")
                % {
                    "link": portal_url(
                        reverse("admin:social_economy_surveyresponse_review", args=[response.pk])
                    )
                },
            ],
        )


# --- Staff review ---------------------------------------------------------------------------------------


@writes(SurveyResponse)
@transaction.atomic
def survey_response_verify(*, response_id, actor):
    """Staff accept a submitted answer (검증 완료)."""
    response = _lock(response_id)
    if response.status != S.SUBMITTED:
        raise ValidationError(_("제출된 응답만 검증 완료할 수 있습니다."))
    return survey_response_transition(response=response, to_status=S.VERIFIED, actor=actor)


@writes(SurveyResponse)
@transaction.atomic
def survey_response_return(*, response_id, comment, actor):
    """Staff send a submitted answer back for correction with ``comment``; the organization's contacts get
    an e-mail with the comment and fresh links, and the form opens again with the answer as it was."""
    from jeonju_center.common.validators import validate_plain_text

    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("무엇을 보완해야 하는지 적어 주세요.")})
    validate_plain_text(comment)
    response = _lock(response_id)
    if response.status != S.SUBMITTED:
        raise ValidationError(_("제출된 응답만 보완 요청할 수 있습니다."))
    response = survey_response_transition(
        response=response,
        to_status=S.IN_PROGRESS,
        actor=actor,
        notes=_("보완 요청: %(comment)s") % {"comment": comment},
    )
    response.return_comment = comment
    response.save(update_fields=["return_comment", "updated_at"])
    _queue_survey_mails(
        campaign=response.campaign,
        responses=[response],
        key=f"survey-returned:{response.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        subject=_("[전주시 사회적경제지원센터] %(campaign)s 응답을 보완해 주세요")
        % {"campaign": response.campaign.name},
        template="social_economy/email/survey_returned.txt",
        context={"comment": comment},
    )
    return response
