from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes
from jeonju_center.common.outbox import outbox_erase_recipient
from jeonju_center.common.validators import normalize_phone

from .models import ConsentRecord, User
from .notifications import phone_verification_clear
from .signals import account_deleting


@writes(ConsentRecord)
def consent_record(*, user, item, actor, version=None, ip_address=None):
    """Record that ``user`` agreed to ``item`` in ``version`` (default: the current privacy terms)."""
    return ConsentRecord.objects.create(
        user=user, item=item, version=version or settings.PRIVACY_TERMS_VERSION, ip_address=ip_address
    )


@writes(User)
@transaction.atomic
def citizen_profile_update(*, actor, name, phone="", dong=None):
    """Save the profile of the citizen acting (``actor``). A changed phone number loses its verification (and
    its queued notices) until the person proves the new one with a code."""
    user = actor.user
    new_phone = normalize_phone(phone) if phone else ""
    phone_changed = new_phone != user.phone
    user.name = name.strip()
    user.phone = new_phone
    user.dong = dong
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["name", "phone", "dong"])
    if phone_changed and user.pk:
        phone_verification_clear(user=user, actor=actor)
    return user


@writes(User)
@transaction.atomic
def account_save(*, account, actor):
    """Save an account as a center administrator edited it in the back office (the rights the form may
    change are the admin's to limit). A changed phone number loses its verification, as when the person changes
    it: only the person proves a number, with the code sent to it."""
    actor.require_staff()
    if account.phone:
        account.phone = normalize_phone(account.phone)
    previous_phone = User.objects.filter(pk=account.pk).values_list("phone", flat=True).first()
    account.save()
    if previous_phone is not None and previous_phone != account.phone:
        phone_verification_clear(user=account, actor=actor)
    return account


@writes(User)
@transaction.atomic
def account_delete(*, actor, password):
    """The citizen acting (``actor``) deletes their own account after checking the password (개인정보 보호법
    제36·37조).

    Consent records and every e-mail sent to the account's addresses go with it; enrolments and other records stay for statistics without the
    person (see ``account_deleting``). Staff accounts are closed by a center administrator instead, so that
    the access log and change history keep pointing at a known account.
    """
    user = actor.user
    if user.is_staff or user.is_superuser:
        raise ValidationError(_("직원 계정은 여기서 탈퇴할 수 없습니다. 센터 관리자에게 요청해 주세요."))
    # An account made by Kakao or Naver login has no password of its own: being signed in is the proof.
    if user.has_usable_password() and not user.check_password(password):
        raise ValidationError(_("비밀번호가 맞지 않습니다."), code="password")
    account_deleting.send(sender=type(user), user=user)
    for address in {user.email, *user.emailaddress_set.values_list("email", flat=True)}:
        outbox_erase_recipient(email=address)
    user.delete()
