"""Writes of the social-economy data, shared by the admin and the partner API."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import Channel, writes
from jeonju_center.common.history import bulk_create_with_history, bulk_update_with_history
from jeonju_center.common.outbox import outbox_enqueue
from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM, team_emails

from .models import (
    ConsultingCase,
    ConsultingSession,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    Product,
    Store,
    StoreListing,
    SurveyCampaign,
    SurveyProductItem,
    SurveyResponse,
)


@writes(Organization)
def organization_register(*, organization, actor) -> Organization:
    """Staff add an organization to the directory. Its later edits go through ``profiles`` (the change
    log its members see, the review of what they change)."""
    organization.full_clean()
    organization.save()
    return organization


@writes(ConsultingCase)
@transaction.atomic
def consulting_case_create(
    *, organization, partner, topic, title, opened_on, actor, summary="", consultant=""
) -> ConsultingCase:
    """Open a consulting case for ``organization``, delivered with ``partner`` (None: the center
    alone). A closed organization gets no new consulting."""
    # Locked so the organization cannot be closed between the check and the insert.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status == OrganizationStatus.CLOSED:
        raise ValidationError({"organization": _("폐업한 조직에는 컨설팅을 등록할 수 없습니다.")})
    case = ConsultingCase(
        organization=organization,
        partner=partner,
        topic=topic,
        title=title,
        opened_on=opened_on,
        summary=summary,
        consultant=consultant,
        status=ConsultingCase.Status.REQUESTED,
    )
    case.full_clean()
    case.save()
    return case


@writes(ConsultingCase)
@transaction.atomic
def consulting_case_update(*, case, actor) -> ConsultingCase:
    """Save staff's edits of a case's own fields (title, topic, summary, consultant, partner). Its
    organization stays, and its status moves only by sessions, ``consulting_case_complete`` and
    ``consulting_case_cancel``."""
    stored = ConsultingCase.objects.select_for_update().get(pk=case.pk)
    if (case.organization_id, case.status, case.closed_on) != (
        stored.organization_id,
        stored.status,
        stored.closed_on,
    ):
        raise ValidationError(_("조직과 진행 상태는 여기서 바꿀 수 없습니다. 완료·취소 기능을 쓰세요."))
    case.full_clean()
    case.save()
    return case


def _check_session(case, hours):
    if case.status == ConsultingCase.Status.CANCELLED:
        raise ValidationError({"case": _("취소된 컨설팅에는 회차를 추가할 수 없습니다.")})
    if hours is not None and hours <= 0:
        raise ValidationError({"hours": _("컨설팅 시간은 0보다 커야 합니다.")})


@writes(ConsultingSession, ConsultingCase)
@transaction.atomic
def consulting_session_create(
    *, case, held_on, consultant, hours, actor, notes="", outcome=""
) -> ConsultingSession:
    """Record a consulting session of ``case``; the first session moves a requested case to in progress."""
    case = ConsultingCase.objects.select_for_update().get(pk=case.pk)
    _check_session(case, hours)
    session = ConsultingSession(
        case=case, held_on=held_on, consultant=consultant, hours=hours, notes=notes, outcome=outcome
    )
    session.full_clean()
    session.save()
    if case.status == ConsultingCase.Status.REQUESTED:
        case.status = ConsultingCase.Status.IN_PROGRESS
    # Saved in any case: the case's updated_at is what partners' ``updated_since`` sees.
    case.save(update_fields=["status", "updated_at"])
    return session


@writes(ConsultingSession)
@transaction.atomic
def consulting_session_update(*, session, actor) -> ConsultingSession:
    """Save staff's corrections of a session (date, hours, notes…), under the same rules as a new one."""
    case = ConsultingCase.objects.select_for_update().get(pk=session.case_id)
    _check_session(case, session.hours)
    session.full_clean()
    session.save()
    return session


# --- Survey workflow ------------------------------------------------------------------------------


@writes(SurveyCampaign)
@transaction.atomic
def survey_campaign_save(*, campaign, actor) -> SurveyCampaign:
    """Staff create a campaign or edit its name, period and notes. It opens with ``survey_campaign_open``
    (which creates every response and invites the organizations), not by editing its status."""
    if campaign.pk is None:
        if campaign.status != SurveyCampaign.Status.PLANNED:
            raise ValidationError({"status": _("새 전수조사는 준비 상태로 만들고 ‘조사 시작’으로 여세요.")})
    else:
        stored = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
        if (
            stored.status == SurveyCampaign.Status.PLANNED
            and campaign.status == SurveyCampaign.Status.IN_PROGRESS
        ):
            raise ValidationError(
                {
                    "status": _(
                        "조사는 목록의 ‘조사 시작’으로 여세요. 응답 기록과 안내 메일이 함께 만들어집니다."
                    )
                }
            )
    campaign.full_clean()
    campaign.save()
    return campaign


def _check_answer_editable(response_id):
    campaign = SurveyCampaign.objects.filter(responses__pk=response_id).only("status").first()
    if campaign is not None and campaign.status == SurveyCampaign.Status.CLOSED:
        raise ValidationError(_("종료된 전수조사의 응답은 고칠 수 없습니다."))


@writes(SurveyResponse)
@transaction.atomic
def survey_response_record(*, response, actor) -> SurveyResponse:
    """Staff enter or correct an answer taken by phone or on a visit (channel 직원 입력). Its status moves
    by the list's actions and the review, not here."""
    if response.pk is not None:
        stored = SurveyResponse.objects.select_for_update().get(pk=response.pk)
        _check_answer_editable(stored.pk)
        if response.status != stored.status:
            raise ValidationError({"status": _("상태는 목록의 표시 기능이나 검토 화면에서 바꾸세요.")})
    elif response.campaign_id and response.campaign.status == SurveyCampaign.Status.CLOSED:
        raise ValidationError(_("종료된 전수조사의 응답은 고칠 수 없습니다."))
    if response.pk is None or not response.channel:
        response.channel = SurveyResponse.Channel.STAFF
    response.full_clean()
    response.save()
    return response


@writes(SurveyProductItem)
def survey_product_item_save(*, item, actor) -> SurveyProductItem:
    """One product line of an answer, entered or corrected by staff."""
    _check_answer_editable(item.response_id)
    item.full_clean()
    item.save()
    return item


S = SurveyResponse.Status

# 미접촉 → 연락함 → (조사 중) → 제출 → 검증완료, or 거절 / 연락 불가 on the way; a submitted response can be
# sent back for correction, and a declined or unreachable organization can be contacted again.
SURVEY_TRANSITIONS = {
    S.NOT_STARTED: {S.CONTACTING, S.DECLINED, S.UNREACHABLE},
    S.CONTACTING: {S.IN_PROGRESS, S.SUBMITTED, S.DECLINED, S.UNREACHABLE},
    S.IN_PROGRESS: {S.SUBMITTED, S.DECLINED},
    S.SUBMITTED: {S.VERIFIED, S.IN_PROGRESS},
    S.UNREACHABLE: {S.CONTACTING},
    S.DECLINED: {S.CONTACTING},
    S.VERIFIED: set(),
}


@writes(SurveyCampaign, SurveyResponse)
@transaction.atomic
def survey_campaign_open(*, campaign, actor) -> int:
    """Start ``campaign``: every operating organization gets a (미접촉) response record, and after commit
    its contacts get their personal links to answer online (``surveys.survey_invitations_send``).

    Idempotent: organizations that already have a response keep it (and are not invited twice); returns
    how many responses were created.
    """
    campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == SurveyCampaign.Status.CLOSED:
        raise ValidationError({"campaign": _("종료된 전수조사는 다시 시작할 수 없습니다.")})
    existing = set(campaign.responses.values_list("organization_id", flat=True))
    organization_ids = Organization.objects.filter(status=OrganizationStatus.OPERATING).values_list(
        "pk", flat=True
    )
    # With history, so each response's history starts at its creation (one insert per table, not per row).
    created = bulk_create_with_history(
        [
            SurveyResponse(campaign=campaign, organization_id=pk, status=S.NOT_STARTED)
            for pk in organization_ids
            if pk not in existing
        ],
        SurveyResponse,
    )
    campaign.status = SurveyCampaign.Status.IN_PROGRESS
    # Saved in any case: updated_at is what partners' ``updated_since`` sees.
    campaign.save(update_fields=["status", "updated_at"])
    campaign_id = campaign.pk
    transaction.on_commit(lambda: _queue_invitations(campaign_id))
    return len(created)


def _queue_invitations(campaign_id):
    from .tasks import send_survey_invitations

    send_survey_invitations.delay(campaign_id)


@writes(SurveyResponse)
@transaction.atomic
def survey_response_transition(*, response, to_status, actor, on=None, notes="") -> SurveyResponse:
    """Move a survey response to ``to_status`` (see ``SURVEY_TRANSITIONS``), recording who and when (a
    staff actor becomes the response's surveyor).

    ``on`` is the date of the step (today by default): first contact, submission or verification.
    """
    response = SurveyResponse.objects.select_for_update().select_related("campaign").get(pk=response.pk)
    on = on or timezone.localdate()
    if to_status not in S.values:
        raise ValidationError({"status": _("알 수 없는 조사 상태입니다.")})
    if response.campaign.status == SurveyCampaign.Status.CLOSED:
        raise ValidationError({"status": _("종료된 전수조사의 응답은 상태를 바꿀 수 없습니다.")})
    if to_status not in SURVEY_TRANSITIONS[response.status]:
        raise ValidationError(
            {
                "status": _("‘%(from)s’ 상태에서 ‘%(to)s’(으)로 바꿀 수 없습니다.")
                % {"from": S(response.status).label, "to": S(to_status).label}
            }
        )
    if to_status == S.CONTACTING and response.contacted_on is None:
        response.contacted_on = on
    if to_status == S.SUBMITTED:
        response.surveyed_on = response.surveyed_on or on
    if to_status == S.VERIFIED:
        if not response.product_items.exists():
            raise ValidationError(
                {"status": _("생산품·서비스가 한 건도 없는 응답은 검증 완료할 수 없습니다.")}
            )
        response.verified_on = on
    if to_status == S.IN_PROGRESS and response.status == S.SUBMITTED:
        response.verified_on = None
    response.status = to_status
    if actor.channel == Channel.STAFF and actor.user is not None:
        response.surveyor = actor.user
    if notes:
        response.notes = f"{response.notes}\n{on:%Y-%m-%d} {notes}".strip()
    response.full_clean()
    response.save()
    return response


@writes(SurveyCampaign)
@transaction.atomic
def survey_reminder_round_start(*, campaign, actor) -> int:
    """Open the next reminder round of ``campaign`` and return its number; the e-mails go out from a
    task after commit (``surveys.survey_reminder_round_send``: each contact of every organization that has
    not submitted, with its personal link)."""
    campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != SurveyCampaign.Status.IN_PROGRESS:
        raise ValidationError({"campaign": _("조사 중인 전수조사에만 독려 메일을 보낼 수 있습니다.")})
    if (
        not campaign.responses.filter(status__in=SurveyResponse.REMINDABLE_STATUSES)
        .filter(
            ~Q(organization__email="")
            | Q(organization__portal_members__status=OrganizationMember.Status.ACTIVE)
        )
        .exists()
    ):
        raise ValidationError(
            {"campaign": _("독려 메일을 받을 미제출 조직(이메일이나 조직 회원 있음)이 없습니다.")}
        )
    now = timezone.now()
    interval = datetime.timedelta(hours=settings.SURVEY_REMINDER_INTERVAL_HOURS)
    if campaign.reminder_round_started_at and now < campaign.reminder_round_started_at + interval:
        # A second click, or two staff at once: organizations must not get the same plea twice in a day.
        raise ValidationError(
            {
                "campaign": _(
                    "%(round)d차 독려 메일을 %(started)s에 보냈습니다. 다음 차수는 %(next)s부터 보낼 수 있습니다."
                )
                % {
                    "round": campaign.reminder_round,
                    "started": f"{timezone.localtime(campaign.reminder_round_started_at):%Y-%m-%d %H:%M}",
                    "next": f"{timezone.localtime(campaign.reminder_round_started_at + interval):%Y-%m-%d %H:%M}",
                }
            }
        )
    campaign.reminder_round += 1
    campaign.reminder_round_started_at = now
    campaign.reminder_round_sent_at = None
    campaign.save(
        update_fields=["reminder_round", "reminder_round_started_at", "reminder_round_sent_at", "updated_at"]
    )
    campaign_id, round_number = campaign.pk, campaign.reminder_round
    transaction.on_commit(lambda: _queue_reminder_round(campaign_id, round_number))
    return round_number


def _queue_reminder_round(campaign_id, round_number):
    from .tasks import send_survey_reminders

    send_survey_reminders.delay(campaign_id, round_number)


# --- Certification / designation expiry -------------------------------------------------------------

EXPIRY_WARNING_DAYS = 90


@writes(Organization)
@transaction.atomic
def expiring_certifications_report_send(*, actor, today=None):
    """E-mail the social-economy team the organizations whose certification or designation expires within
    90 days (and those already expired but still operating). Once per month; None when nobody to send to."""
    from .selectors import organizations_expiring

    today = today or timezone.localdate()
    recipients = team_emails(SOCIAL_ECONOMY_TEAM)
    if not recipients:
        return None
    organizations = list(organizations_expiring(today=today, within_days=EXPIRY_WARNING_DAYS))
    context = {"organizations": organizations, "today": today, "within_days": EXPIRY_WARNING_DAYS}
    return outbox_enqueue(
        dedup_key=f"social-economy-expiring:{today:%Y-%m}",
        to=recipients,
        subject=_("[사회적경제] %(month)s 인증·지정 만료 예정 조직 %(count)d곳")
        % {"month": f"{today:%Y-%m}", "count": len(organizations)},
        body=render_to_string("social_economy/email/expiring_certifications.txt", context),
    )


# --- Stores -----------------------------------------------------------------------------------------


@writes(StoreListing)
@transaction.atomic
def store_listing_create(*, store, product, listed_on, actor, shelf_price=None) -> StoreListing:
    """Put ``product`` on the shelves of ``store`` from ``listed_on``."""
    store = Store.objects.select_for_update().get(pk=store.pk)
    product = Product.objects.select_related("organization").get(pk=product.pk)
    if not store.is_active:
        raise ValidationError({"store": _("운영하지 않는 매장에는 상품을 입점할 수 없습니다.")})
    if not product.is_active:
        raise ValidationError({"product": _("판매 중이 아닌 상품은 입점할 수 없습니다.")})
    if product.organization.status == OrganizationStatus.CLOSED:
        raise ValidationError({"product": _("폐업한 조직의 상품은 입점할 수 없습니다.")})
    if shelf_price is not None and shelf_price < 0:
        raise ValidationError({"shelf_price": _("판매가는 0원 이상이어야 합니다.")})
    if StoreListing.objects.filter(store=store, product=product, delisted_on__isnull=True).exists():
        raise ValidationError(
            {"product": _("‘%(product)s’은(는) 이미 ‘%(store)s’에서 판매 중입니다.")
             % {"product": product.name, "store": store.name}}
        )  # fmt: skip
    listing = StoreListing(store=store, product=product, listed_on=listed_on, shelf_price=shelf_price)
    listing.full_clean()
    listing.save()
    return listing


@writes(StoreListing)
@transaction.atomic
def store_listing_update(*, listing, actor) -> StoreListing:
    """Correct a listing's dates or shelf price. Ending it is ``store_listing_end`` (a listing ends once)."""
    stored = StoreListing.objects.select_for_update().get(pk=listing.pk)
    if (listing.store_id, listing.product_id) != (stored.store_id, stored.product_id):
        raise ValidationError(_("매장이나 상품을 바꾸려면 퇴점한 뒤 새로 입점하세요."))
    if listing.shelf_price is not None and listing.shelf_price < 0:
        raise ValidationError({"shelf_price": _("판매가는 0원 이상이어야 합니다.")})
    if stored.delisted_on is None and listing.delisted_on is not None:
        delisted_on, listing.delisted_on = listing.delisted_on, None
        listing.full_clean()
        listing.save()
        return store_listing_end(listing=listing, delisted_on=delisted_on, actor=actor)
    listing.full_clean()
    listing.save()
    return listing


@writes(StoreListing)
@transaction.atomic
def store_listing_end(*, listing, delisted_on, actor) -> StoreListing:
    listing = StoreListing.objects.select_for_update().get(pk=listing.pk)
    if listing.delisted_on is not None:
        raise ValidationError({"delisted_on": _("이미 퇴점한 상품입니다.")})
    listing.delisted_on = delisted_on
    listing.full_clean()
    listing.save(update_fields=["delisted_on", "updated_at"])
    return listing


# --- Consulting -------------------------------------------------------------------------------------


@writes(ConsultingCase)
@transaction.atomic
def consulting_case_complete(*, case, closed_on, actor, outcome="") -> ConsultingCase:
    case = ConsultingCase.objects.select_for_update().get(pk=case.pk)
    if case.status in (ConsultingCase.Status.COMPLETED, ConsultingCase.Status.CANCELLED):
        raise ValidationError({"status": _("이미 종결된 컨설팅입니다.")})
    case.status = ConsultingCase.Status.COMPLETED
    case.closed_on = closed_on
    if outcome:
        case.outcome = outcome
    case.full_clean()
    case.save()
    return case


@writes(ConsultingCase)
@transaction.atomic
def consulting_case_cancel(*, case, actor) -> ConsultingCase:
    case = ConsultingCase.objects.select_for_update().get(pk=case.pk)
    if case.status in (ConsultingCase.Status.COMPLETED, ConsultingCase.Status.CANCELLED):
        raise ValidationError({"status": _("이미 종결된 컨설팅입니다.")})
    case.status = ConsultingCase.Status.CANCELLED
    case.full_clean()
    case.save()
    return case


# --- Retention of personal data (see ``retention.py``) ----------------------------------------------

ANONYMISED_REASON = "보존기간 경과: 개인정보 익명화"


@writes(SurveyResponse)
@transaction.atomic
def survey_respondents_anonymise(*, campaigns_ended_before, actor, now) -> int:
    """Erase the respondent's name and phone of responses to closed campaigns that ended before
    ``campaigns_ended_before``. Irreversible (personal fields are not in the history either); the answers
    stay for the statistics. Only responses still holding a name or phone are touched, so a second run
    returns 0."""
    responses = list(
        SurveyResponse.objects.select_for_update()
        .filter(
            campaign__status=SurveyCampaign.Status.CLOSED,
            campaign__ends_on__lt=campaigns_ended_before,
            respondent_anonymised_at__isnull=True,
        )
        .exclude(respondent_name="", respondent_phone="")
        .order_by("pk")
    )
    for response in responses:
        response.respondent_name = ""
        response.respondent_phone = ""
        response.respondent_anonymised_at = now
    # One history row per response records when and why (no personal values: they are excluded).
    bulk_update_with_history(
        responses,
        SurveyResponse,
        ["respondent_name", "respondent_phone", "respondent_anonymised_at"],
        default_change_reason=ANONYMISED_REASON,
        default_date=now,
    )
    return len(responses)


@writes(Organization)
@transaction.atomic
def organization_representatives_anonymise(*, closed_before, actor, now) -> int:
    """Erase the representative's name of organizations closed (폐업) before ``closed_before``. The
    organization itself stays in the directory's statistics; a second run returns 0."""
    organizations = list(
        Organization.objects.select_for_update()
        .filter(
            status=OrganizationStatus.CLOSED,
            closed_on__lt=closed_before,
            representative_anonymised_at__isnull=True,
        )
        .exclude(representative_name="")
        .order_by("pk")
    )
    for organization in organizations:
        organization.representative_name = ""
        organization.representative_anonymised_at = now
    bulk_update_with_history(
        organizations,
        Organization,
        ["representative_name", "representative_anonymised_at"],
        default_change_reason=ANONYMISED_REASON,
        default_date=now,
    )
    # The organization's change log keeps the names members typed: erased with the profile's.
    from .models import ProfileChange

    ProfileChange.objects.filter(organization__in=organizations, field_name="representative_name").update(
        old_value=None, new_value=None, old_display="", new_display="", updated_at=now
    )
    return len(organizations)
