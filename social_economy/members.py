"""Organization members (조직 회원): the accounts that act for an organization on the portal.

Staff invite by e-mail (the link is signed and expires; only the account with that address can accept) or a
person asks to join with the organization's business registration number and staff approve. Members leave
themselves; staff revoke. Every write here; reads in ``selectors`` (``member_organizations``)."""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes
from jeonju_center.common.outbox import outbox_enqueue_letter, portal_url
from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM, team_emails
from jeonju_center.common.validators import normalize_business_registration_number

from .models import ConsultingCase, ConsultingRequest, Organization, OrganizationMember, OrganizationStatus

INVITATION_SALT = "social_economy.invitation"
INVITATION_VALID_DAYS = 14
Status = OrganizationMember.Status


def invitation_token(member):
    return signing.dumps({"member": member.pk}, salt=INVITATION_SALT, compress=True)


def _letter(member, *, key, to, subject, paragraphs):
    if not to:
        return None
    return outbox_enqueue_letter(
        dedup_key=f"se-member-{key}:{member.pk}", to=to, subject=subject, paragraphs=paragraphs
    )


def _lock(member_id):
    member = (
        OrganizationMember.objects.select_for_update(of=("self",))
        .select_related("organization", "user")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        raise ValidationError(_("조직 회원 정보를 찾을 수 없습니다."))
    return member


def _check_open(organization):
    if organization.status == OrganizationStatus.CLOSED:
        raise ValidationError(_("폐업한 조직에는 회원을 둘 수 없습니다."))


def invite_problems(*, organization, email):
    """Why ``email`` cannot be invited to ``organization`` ({field: message}; empty when it can)."""
    email = (email or "").strip().lower()
    if not email:
        return {"email": _("초대할 이메일을 적어 주세요.")}
    if organization.status == OrganizationStatus.CLOSED:
        return {"organization": _("폐업한 조직에는 회원을 둘 수 없습니다.")}
    members = OrganizationMember.objects.filter(organization=organization)
    if members.filter(status=Status.ACTIVE, user__email__iexact=email).exists():
        return {"email": _("이 이메일의 회원은 이미 이 조직의 회원입니다.")}
    if members.filter(status=Status.INVITED, email__iexact=email).exists():
        return {"email": _("이 이메일로 보낸 초대가 이미 있습니다.")}
    return {}


@writes(OrganizationMember)
@transaction.atomic
def member_invite(*, organization, email, role, actor):
    """Invite the person with ``email`` to act for ``organization``: one e-mail with a personal link."""
    problems = invite_problems(organization=organization, email=email)
    if problems:
        raise ValidationError(problems)
    email = email.strip().lower()
    try:
        with transaction.atomic():
            member = OrganizationMember.objects.create(
                organization=organization,
                email=email,
                role=role,
                status=Status.INVITED,
                invited_by=actor.user,
            )
    except IntegrityError:
        raise ValidationError({"email": _("이 이메일로 보낸 초대가 이미 있습니다.")}) from None
    _letter(
        member,
        key="invited",
        to=email,
        subject=_("%(organization)s 조직 회원으로 초대합니다") % {"organization": organization.name},
        paragraphs=[
            _(
                "전주도시혁신센터 포털에서 %(organization)s의 %(role)s(으)로 조직 정보와 제품을 관리하도록 초대합니다."
            )
            % {"organization": organization.name, "role": member.get_role_display()},
            _(
                "이 이메일 주소로 회원가입하거나 로그인한 뒤 아래 링크에서 초대를 받아 주세요. 링크는 %(days)d일 동안 쓸 수 있습니다."
            )
            % {"days": INVITATION_VALID_DAYS},
            portal_url(reverse("my_organization:invitation", args=[invitation_token(member)])),
        ],
    )
    return member


def invitation_for_token(token):
    """The open invitation a link belongs to; raises ``ValidationError`` with a Korean message."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=datetime.timedelta(days=INVITATION_VALID_DAYS)
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("초대 링크의 유효기간이 지났습니다. 센터에 다시 초대를 요청해 주세요.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("초대 링크가 올바르지 않습니다. 받은 메일의 링크를 그대로 눌러 주세요.")
        ) from None
    member = OrganizationMember.objects.select_related("organization").filter(pk=data.get("member")).first()
    if member is None or member.status != Status.INVITED:
        raise ValidationError(_("이미 받았거나 취소된 초대입니다."))
    return member


@writes(OrganizationMember)
@transaction.atomic
def invitation_accept(*, token, actor, now=None):
    """The invited person (``actor``) accepts, signed in with the account of the invited address."""
    user = actor.user
    member = _lock(invitation_for_token(token).pk)
    if member.status != Status.INVITED:
        raise ValidationError(_("이미 받았거나 취소된 초대입니다."))
    if (user.email or "").lower() != member.email:
        raise ValidationError(
            _(
                "초대받은 이메일 주소로 로그인해야 초대를 받을 수 있습니다. 지금 로그인한 계정의 이메일이 다릅니다."
            )
        )
    _check_open(member.organization)
    member.user, member.status = user, Status.ACTIVE
    member.decided_at = now or timezone.now()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError(_("이미 이 조직의 회원이거나 가입을 신청했습니다.")) from None
    return member


@writes(OrganizationMember)
@transaction.atomic
def member_request(*, actor, business_registration_number, role):
    """``actor`` asks to join the organization with this business registration number; staff approve."""
    try:
        number = normalize_business_registration_number(business_registration_number or "")
    except ValidationError as error:
        raise ValidationError({"business_registration_number": error.messages}) from None
    organization = (
        Organization.objects.exclude(status=OrganizationStatus.CLOSED)
        .filter(business_registration_number=number)
        .first()
    )
    if organization is None:
        raise ValidationError(
            {
                "business_registration_number": _(
                    "이 사업자등록번호로 등록된 조직이 없습니다. 번호를 확인하거나 센터 사회적경제팀에 문의해 주세요."
                )
            }
        )
    if role not in OrganizationMember.Role.values:
        raise ValidationError({"role": _("역할을 골라 주세요.")})
    try:
        with transaction.atomic():
            member = OrganizationMember.objects.create(
                organization=organization, user=actor.user, role=role, status=Status.REQUESTED
            )
    except IntegrityError:
        raise ValidationError(_("이미 이 조직의 회원이거나 가입을 신청했습니다.")) from None
    _letter(
        member,
        key="requested",
        to=", ".join(team_emails(SOCIAL_ECONOMY_TEAM)),
        subject=_("조직 회원 가입 신청: %(organization)s") % {"organization": organization.name},
        paragraphs=[
            _("%(organization)s의 %(role)s(으)로 가입 신청이 들어왔습니다.")
            % {"organization": organization.name, "role": member.get_role_display()},
            portal_url(reverse("admin:social_economy_organizationmember_change", args=[member.pk])),
        ],
    )
    return member


def _decide(member_id, *, actor, expected, status, now, key, subject, paragraph):
    member = _lock(member_id)
    if member.status != expected:
        raise ValidationError(
            _("지금 상태(%(status)s)에서는 할 수 없습니다.") % {"status": member.get_status_display()}
        )
    member.status = status
    member.decided_by, member.decided_at = actor.user, now or timezone.now()
    if status in (Status.LEFT, Status.REVOKED):
        member.ended_at = member.decided_at
    member.save()
    if member.user_id and member.user.email and subject:
        _letter(member, key=key, to=member.user.email, subject=subject, paragraphs=[paragraph])
    return member


@writes(OrganizationMember)
@transaction.atomic
def member_approve(*, member_id, actor, now=None):
    return _decide(
        member_id, actor=actor, expected=Status.REQUESTED, status=Status.ACTIVE, now=now, key="approved",
        subject=_("조직 회원 가입이 승인되었습니다"),
        paragraph=_("이제 포털의 ‘나의 조직’에서 조직 정보를 관리할 수 있습니다: %(url)s")
        % {"url": portal_url(reverse("my_organization:home"))},
    )  # fmt: skip


@writes(OrganizationMember)
@transaction.atomic
def member_decline(*, member_id, actor, now=None):
    return _decide(
        member_id, actor=actor, expected=Status.REQUESTED, status=Status.DECLINED, now=now, key="declined",
        subject=_("조직 회원 가입 신청을 승인하지 못했습니다"),
        paragraph=_("자세한 내용은 센터 사회적경제팀에 문의해 주세요."),
    )  # fmt: skip


@writes(OrganizationMember)
@transaction.atomic
def member_revoke(*, member_id, actor, now=None):
    return _decide(
        member_id, actor=actor, expected=Status.ACTIVE, status=Status.REVOKED, now=now, key="revoked",
        subject=_("조직 회원 권한이 해제되었습니다"),
        paragraph=_("센터가 조직 회원 권한을 해제했습니다. 자세한 내용은 센터 사회적경제팀에 문의해 주세요."),
    )  # fmt: skip


@writes(OrganizationMember)
@transaction.atomic
def member_leave(*, member_id, actor, now=None):
    member = _lock(member_id)
    if (
        member.user_id is None
        or member.user_id != actor.user_id
        or member.status not in (Status.ACTIVE, Status.REQUESTED)
    ):
        raise ValidationError(_("조직 회원 정보를 찾을 수 없습니다."))
    member.status = Status.LEFT
    member.ended_at = member.decided_at = now or timezone.now()
    member.save()
    return member


# --- Consulting requests ------------------------------------------------------------------------------


@writes(ConsultingRequest)
@transaction.atomic
def consulting_request_submit(*, organization, actor, topic, description, preferred_partner=None):
    """A member (``actor``) asks for consulting for their organization; the social economy team is told."""
    user = actor.user
    from jeonju_center.common.validators import validate_plain_text

    if not OrganizationMember.objects.filter(
        organization=organization, user=user, status=Status.ACTIVE
    ).exists():
        raise ValidationError(_("이 조직의 회원만 컨설팅을 신청할 수 있습니다."))
    _check_open(organization)
    errors = {}
    description = (description or "").strip()
    if topic not in ConsultingCase.Topic.values:
        errors["topic"] = _("분야를 골라 주세요.")
    if not description:
        errors["description"] = _("요청 내용을 적어 주세요.")
    elif len(description) > ConsultingRequest.DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("요청 내용은 %(limit)d자까지 쓸 수 있습니다.") % {
            "limit": ConsultingRequest.DESCRIPTION_MAX_LENGTH
        }
    else:
        try:
            validate_plain_text(description)
        except ValidationError as error:
            errors["description"] = error.messages[0]
    if preferred_partner is not None and not preferred_partner.is_active:
        errors["preferred_partner"] = _("지금 협력하지 않는 기관입니다.")
    if errors:
        raise ValidationError(errors)
    request = ConsultingRequest.objects.create(
        organization=organization,
        requested_by=user,
        topic=topic,
        description=description,
        preferred_partner=preferred_partner,
    )
    recipients = team_emails(SOCIAL_ECONOMY_TEAM)
    if recipients:
        outbox_enqueue_letter(
            dedup_key=f"se-consulting-request:{request.pk}",
            to=", ".join(recipients),
            subject=_("컨설팅 신청: %(organization)s") % {"organization": organization.name},
            paragraphs=[
                _("분야: %(topic)s") % {"topic": request.get_topic_display()},
                description,
                portal_url(reverse("admin:social_economy_consultingrequest_change", args=[request.pk])),
            ],
        )
    return request


def _locked_request(request_id):
    request = (
        ConsultingRequest.objects.select_for_update(of=("self",))
        .select_related("organization", "requested_by")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise ValidationError(_("컨설팅 신청을 찾을 수 없습니다."))
    if request.status != request.Status.NEW:
        raise ValidationError(_("이미 처리한 컨설팅 신청입니다."))
    return request


def _tell_requester(request, *, key, subject, paragraphs):
    user = request.requested_by
    if user is None or not user.email:
        return None
    return outbox_enqueue_letter(
        dedup_key=f"se-consulting-request-{key}:{request.pk}",
        to=user.email,
        subject=subject,
        paragraphs=paragraphs,
    )


@writes(ConsultingRequest, ConsultingCase)
@transaction.atomic
def consulting_request_accept(*, request_id, actor, title, partner=None, now=None):
    """Triage into a consulting case through the back office's own service (opened today)."""
    from .services import consulting_case_create

    request = _locked_request(request_id)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("컨설팅 제목을 적어 주세요.")})
    now = now or timezone.now()
    case = consulting_case_create(
        organization=request.organization,
        partner=partner if partner is not None else request.preferred_partner,
        topic=request.topic,
        title=title,
        opened_on=timezone.localdate(now),
        summary=request.description,
        actor=actor,
    )
    request.case, request.status = case, request.Status.ACCEPTED
    request.decided_by, request.decided_at = actor.user, now
    request.save()
    _tell_requester(
        request,
        key="accepted",
        subject=_("컨설팅이 시작되었습니다: %(title)s") % {"title": title},
        paragraphs=[
            _("신청하신 컨설팅을 시작합니다. 진행 상황은 포털의 ‘나의 조직’에서 볼 수 있습니다."),
            portal_url(reverse("my_organization:consulting", args=[request.organization_id])),
        ],
    )
    return request


@writes(ConsultingRequest)
@transaction.atomic
def consulting_request_decline(*, request_id, actor, reason, now=None):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"decline_reason": _("반려 사유를 적어 주세요. 신청한 분에게 그대로 보냅니다.")}
        )
    request = _locked_request(request_id)
    request.status, request.decline_reason = request.Status.DECLINED, reason
    request.decided_by, request.decided_at = actor.user, now or timezone.now()
    request.save()
    _tell_requester(
        request,
        key="declined",
        subject=_("컨설팅 신청을 진행하지 못합니다"),
        paragraphs=[_("사유: %(reason)s") % {"reason": reason}],
    )
    return request
