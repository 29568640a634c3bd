"""Organization profiles and products as their members keep them (issue #17, "My organization").

Every write of the member-editable fields goes through here, from ``/me/organization/`` (channel
``member``) and from the back office (channel ``staff``), so both see the same validation, the same photo
clean-up and the same change log (``ProfileChange``). A member's change of a field whose policy
(``ProfileFieldPolicy``, else ``DEFAULT_REVIEW``) says "review" waits for the social economy team; the
rest is published at once. Staff edits are published at once: staff are the reviewers.

Who changed what is kept twice on purpose: django-simple-history records the row as saved, with the
acting account (``_history_user``) and a reason, for the back office; ``ProfileChange`` keeps one row per
field, with readable old and new values, for the organization's own history page and the review queue."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import Channel as ActorChannel
from jeonju_center.common.actors import writes
from jeonju_center.common.images import strip_image_metadata
from jeonju_center.common.models import Dong
from jeonju_center.common.outbox import outbox_enqueue_letter, portal_url
from jeonju_center.common.validators import validate_image_upload, validate_plain_text

from .models import (
    NEW_PRODUCT,
    ORGANIZATION_MEMBER_FIELDS,
    PRODUCT_ACTIVE,
    PRODUCT_MEMBER_FIELDS,
    Organization,
    OrganizationStatus,
    Product,
    ProductCertification,
    ProfileChange,
    ProfileFieldPolicy,
    ProfileTarget,
)

MEMBER = ProfileChange.Channel.MEMBER
STAFF = ProfileChange.Channel.STAFF
Status = ProfileChange.Status

# Without a policy row: what a citizen reads as a fact about the organization or a claim that needs proof
# waits for review; everyday contact data and descriptions are published at once so a member can correct
# a phone number the same day.
# - representative_name: who is legally responsible (checked against the registration);
# - a product's name: how the product is listed in the directory and on store shelves;
# - certifications: a claim (HACCP, 우수재활용제품…) the team checks against the certificate;
# - image: a picture published as is on a public page;
# - a new product: appears in the public catalogue only once the team has seen it.
DEFAULT_REVIEW = {
    ProfileTarget.ORGANIZATION: {"representative_name"},
    ProfileTarget.PRODUCT: {"name", "certifications", "image", NEW_PRODUCT},
}

# Free text typed by the public: no markup (the pages escape it anyway; refusing says at once it won't work).
PLAIN_TEXT_FIELDS = {"description", "address", "representative_name", "name", "unit"}

MEMBER_REASON = "조직 회원 수정"
STAFF_REASON = "센터 직원 수정"
APPROVED_REASON = "검토 승인"


@dataclass
class ProfileUpdate:
    """What a save did: the fields published now and those waiting for review."""

    published: list = field(default_factory=list)
    pending: list = field(default_factory=list)
    product: Product | None = None


def review_policy(target):
    """{field: requires review} for every member-editable field of ``target`` (one query)."""
    fields = ORGANIZATION_MEMBER_FIELDS if target == ProfileTarget.ORGANIZATION else (
        *PRODUCT_MEMBER_FIELDS, NEW_PRODUCT
    )  # fmt: skip
    policy = {name: name in DEFAULT_REVIEW[target] for name in fields}
    rows = ProfileFieldPolicy.objects.filter(target=target).values_list("field_name", "requires_review")
    policy.update({name: requires for name, requires in rows if name in policy})
    return policy


# --- Values: stored (JSON) and shown ----------------------------------------------------------------


def current_value(instance, name):
    if name == "certifications":
        return sorted(instance.certifications.values_list("pk", flat=True)) if instance.pk else []
    if name == "image":
        return instance.image.name or ""
    if name == "dong":
        return instance.dong_id
    return getattr(instance, name)


def _normalize(name, value):
    """A form's or a caller's value as stored in the JSON columns (ids for relations)."""
    if name == "dong":
        return value.pk if isinstance(value, Dong) else (int(value) if value not in (None, "") else None)
    if name == "certifications":
        return sorted(
            item.pk if isinstance(item, ProductCertification) else int(item) for item in value or ()
        )
    if isinstance(value, str):
        return value.strip()
    return value


def display_value(target, name, value):
    """A stored value as people read it (names of 행정동 and certifications, labels of choices, 원)."""
    if name == NEW_PRODUCT:
        return value or ""
    if value in (None, "", []):
        return _("(비어 있음)")
    if name == "dong":
        dong = Dong.objects.filter(pk=value).first()
        return dong.name if dong else str(value)
    if name == "certifications":
        names = ProductCertification.objects.filter(pk__in=value).order_by("display_order", "name")
        return ", ".join(names.values_list("name", flat=True))
    if name == "image":
        return _("사진")
    if name == PRODUCT_ACTIVE:
        return _("판매 중") if value else _("판매 중단")
    if name == "price":
        return _("%(price)s원") % {"price": f"{value:,}"}
    model = Organization if target == ProfileTarget.ORGANIZATION else Product
    choices = dict(model._meta.get_field(name).choices or ())
    return str(choices.get(value, value))


def _assign(instance, name, value):
    if name == "dong":
        instance.dong_id = value
    elif name not in ("certifications", "image"):
        setattr(instance, name, value)


# --- Validation (no writes: the admin's forms call it too) -----------------------------------------------


def _check_plain_text(values, errors):
    for name in PLAIN_TEXT_FIELDS & set(values):
        try:
            validate_plain_text(values[name])
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.messages)


def _model_errors(instance, names, errors):
    """Field validation and the table's constraints for ``names`` on an unsaved copy."""
    concrete = {f.name for f in instance._meta.concrete_fields}
    exclude = [name for name in concrete if name not in names]
    try:
        instance.full_clean(exclude=exclude, validate_unique=True, validate_constraints=True)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))


def _prepare_image(upload, errors):
    """The photo without its metadata, or ``None`` (and an error) when it is not a usable photo."""
    try:
        validate_image_upload(upload)
        return strip_image_metadata(upload)
    except ValidationError as error:
        errors.setdefault("image", []).extend(error.messages)
        return None


def _editable(model, channel):
    if channel == MEMBER:
        return set(ORGANIZATION_MEMBER_FIELDS if model is Organization else PRODUCT_MEMBER_FIELDS)
    # Staff keep the verified fields too (name, registration, certification, status…) from the back office.
    extra = {f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key}
    extra -= {"organization", "created_at", "updated_at", PRODUCT_ACTIVE}
    return extra | set(PRODUCT_MEMBER_FIELDS if model is Product else ())


def _organization_state(organization, values, *, channel=MEMBER):
    errors = {}
    unknown = set(values) - _editable(Organization, channel)
    if unknown:
        raise ValidationError(
            _("조직 회원이 고칠 수 없는 항목입니다: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    normalized = {name: _normalize(name, value) for name, value in values.items()}
    _check_plain_text(normalized, errors)
    copy = Organization.objects.get(pk=organization.pk)
    for name, value in normalized.items():
        _assign(copy, name, value)
    checked = set(normalized)
    if checked & {"employees_count", "vulnerable_employees_count"}:
        checked |= {"employees_count", "vulnerable_employees_count"}
    for name in ("employees_count", "vulnerable_employees_count"):
        value = normalized.get(name)
        if value is not None and value < 0:
            errors.setdefault(name, []).append(_("0명 이상으로 적어 주세요."))
    _model_errors(copy, checked, errors)
    # The model's clean() writes some values in one spelling (063-123-4567, 220-81-62517): keep those.
    for name in normalized:
        if name not in errors:
            normalized[name] = current_value(copy, name)
    return normalized, errors


def validate_organization_changes(organization, changes, *, channel=MEMBER):
    """Raise the ``ValidationError`` the service would raise for these changes (nothing is written)."""
    _normalized, errors = _organization_state(organization, changes, channel=channel)
    if errors:
        raise ValidationError(errors)


def _product_state(product, values, *, organization, channel=MEMBER):
    errors = {}
    unknown = set(values) - _editable(Product, channel)
    if unknown:
        raise ValidationError(
            _("조직 회원이 고칠 수 없는 항목입니다: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    upload = values.get("image")
    normalized = {name: _normalize(name, value) for name, value in values.items() if name != "image"}
    _check_plain_text(normalized, errors)
    if normalized.get("price") is not None and normalized["price"] < 0:
        errors.setdefault("price", []).append(_("가격은 0원 이상이어야 합니다."))
    if "certifications" in normalized:
        known = set(
            ProductCertification.objects.filter(
                pk__in=normalized["certifications"], is_active=True
            ).values_list("pk", flat=True)
        )
        if known != set(normalized["certifications"]):
            errors.setdefault("certifications", []).append(_("목록에 있는 인증만 고를 수 있습니다."))
    copy = Product.objects.get(pk=product.pk) if product is not None else Product(organization=organization)
    for name, value in normalized.items():
        _assign(copy, name, value)
    _model_errors(copy, set(normalized) | {"organization", "name"}, errors)
    image = None
    if upload:
        image = _prepare_image(upload, errors)
    elif upload is False:  # the form's "지우기" box
        normalized["image"] = ""
    return normalized, image, errors


def validate_product_changes(product, changes, *, organization=None, channel=MEMBER):
    """Raise the ``ValidationError`` the product services would raise (nothing is written)."""
    _normalized, _image, errors = _product_state(
        product,
        changes,
        organization=organization or (product.organization if product else None),
        channel=channel,
    )
    if errors:
        raise ValidationError(errors)


# --- Writes --------------------------------------------------------------------------------------------


def _save(instance, *, actor, reason):
    # The account is passed explicitly: the history must name the member (or the staff member) who changed
    # the row even where no request is in sight (a task, the demo, a test).
    instance._history_user = actor.user
    instance._change_reason = reason
    instance.save()


def _locked_organization(organization, channel=MEMBER):
    organization = Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if organization is None:
        raise ValidationError(_("조직을 찾을 수 없습니다."))
    # Staff still correct a closed organization's record; its members no longer act for it.
    if channel == MEMBER and organization.status == OrganizationStatus.CLOSED:
        raise ValidationError(_("폐업한 조직의 정보는 고칠 수 없습니다."))
    return organization


def channel_of(actor):
    """Staff in the back office publish at once; everyone else acts as a member of the organization (the
    /me/ pages pass their account as a citizen, so a staff account there is a member like any other)."""
    return STAFF if actor.channel == ActorChannel.STAFF else MEMBER


def _check_actor(organization, actor, channel):
    from .models import OrganizationMember

    if channel == MEMBER and (
        actor.user is None
        or not OrganizationMember.objects.filter(
            organization=organization, user=actor.user, status=OrganizationMember.Status.ACTIVE
        ).exists()
    ):
        raise ValidationError(_("이 조직의 회원만 조직 정보를 고칠 수 있습니다."))


def _discard_photo(name):
    """Delete a photo that will never be published, once the decision is committed (a rollback keeps it)."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _supersede(waiting, now):
    for name in waiting.exclude(new_image="").values_list("new_image", flat=True):
        _discard_photo(name)
    waiting.update(status=Status.SUPERSEDED, new_image="", updated_at=now)


def _record(*, organization, product, name, old, new, status, actor, channel, now, image=None, target):
    """One row of the change log. A member's newer value of a field retires the field's waiting one (their
    latest word wins); a staff edit leaves it for the reviewer, whose approval is then refused as stale."""
    if status == Status.PENDING or channel == MEMBER:
        _supersede(
            ProfileChange.objects.filter(
                organization=organization, product=product, field_name=name, status=Status.PENDING
            ),
            now,
        )
    change = ProfileChange(
        organization=organization,
        product=product,
        field_name=name,
        old_value=old,
        new_value=new,
        old_display=display_value(target, name, old) if name != NEW_PRODUCT else "",
        new_display=display_value(target, name, new) if image is None else _("새 사진"),
        status=status,
        channel=channel,
        submitted_by=actor.user,
    )
    if image is not None:
        change.new_image.save(image.name, image, save=False)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:
        raise ValidationError(_("같은 항목을 동시에 고쳤습니다. 다시 시도해 주세요.")) from None
    return change


def _tell_team(organization, pending):
    if not pending:
        return
    from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM, team_emails

    recipients = team_emails(SOCIAL_ECONOMY_TEAM)
    if not recipients:
        return
    first = pending[0]
    outbox_enqueue_letter(
        dedup_key=f"se-profile-change-submitted:{first.pk}",
        to=", ".join(recipients),
        subject=_("조직 정보 변경 검토 요청: %(organization)s") % {"organization": organization.name},
        paragraphs=[
            ", ".join(change.field_label for change in pending),
            portal_url(reverse("admin:social_economy_profilechange_changelist")),
        ],
    )


@writes(Organization)
@transaction.atomic
def organization_profile_update(*, organization, changes, actor, reason="", now=None) -> ProfileUpdate:
    """Change the member-editable fields of ``organization`` (``changes``: field → value; a 행정동 as a
    ``Dong`` or its id). Only the fields whose value differs are recorded."""
    now = now or timezone.now()
    channel = channel_of(actor)
    organization = _locked_organization(organization, channel)
    _check_actor(organization, actor, channel)
    normalized, errors = _organization_state(organization, changes, channel=channel)
    if errors:
        raise ValidationError(errors)
    diffs = {name: value for name, value in normalized.items() if value != current_value(organization, name)}
    policy = review_policy(ProfileTarget.ORGANIZATION) if channel == MEMBER and diffs else {}
    held = {name for name in diffs if policy.get(name)}
    publish = {name: value for name, value in diffs.items() if name not in held}
    result = ProfileUpdate()
    target = ProfileTarget.ORGANIZATION
    common = {"organization": organization, "product": None, "actor": actor, "channel": channel, "now": now}
    if publish:
        # What goes public now must be valid on its own, without the values that wait for review.
        _published, publish_errors = _organization_state(organization, publish, channel=channel)
        if publish_errors:
            raise ValidationError(publish_errors)
        old = {name: current_value(organization, name) for name in publish}
        for name, value in publish.items():
            _assign(organization, name, value)
        _save(
            organization, actor=actor, reason=reason or (MEMBER_REASON if channel == MEMBER else STAFF_REASON)
        )
        for name, value in publish.items():
            if name in ORGANIZATION_MEMBER_FIELDS:  # the verified fields have only the back office's history
                _record(**common, name=name, old=old[name], new=value, status=Status.PUBLISHED, target=target)
            result.published.append(name)
    pending = []
    for name in sorted(held):
        pending.append(
            _record(
                **common, name=name, old=current_value(organization, name), new=diffs[name],
                status=Status.PENDING, target=target,
            )
        )  # fmt: skip
        result.pending.append(name)
    _tell_team(organization, pending)
    return result


def _apply_product(product, normalized, image, *, actor, reason):
    for name, value in normalized.items():
        _assign(product, name, value)
    if image is not None:
        product.image.save(image.name, image, save=False)
    elif normalized.get("image") == "":
        product.image = ""
    _save(product, actor=actor, reason=reason)
    if "certifications" in normalized:
        product.certifications.set(normalized["certifications"])


@writes(Product)
@transaction.atomic
def product_create(*, organization, values, actor, reason="", now=None) -> ProfileUpdate:
    """Add a product. A member's new product is saved at once but stays hidden (``is_active`` off) until
    the team approves it, when the ``새 생산품 등록`` policy says review."""
    now = now or timezone.now()
    channel = channel_of(actor)
    organization = _locked_organization(organization, channel)
    _check_actor(organization, actor, channel)
    values = dict(values)
    active = values.pop(PRODUCT_ACTIVE, True)
    normalized, image, errors = _product_state(None, values, organization=organization, channel=channel)
    if not (normalized.get("name") or "").strip():
        errors.setdefault("name", []).append(_("품명을 적어 주세요."))
    if errors:
        raise ValidationError(errors)
    held = channel == MEMBER and review_policy(ProfileTarget.PRODUCT)[NEW_PRODUCT]
    product = Product(organization=organization, is_active=bool(active) and not held)
    try:
        with transaction.atomic():
            _apply_product(
                product, normalized, image, actor=actor,
                reason=reason or (MEMBER_REASON if channel == MEMBER else STAFF_REASON),
            )  # fmt: skip
    except IntegrityError:
        raise ValidationError({"name": _("이 조직에 같은 이름의 생산품·서비스가 이미 있습니다.")}) from None
    change = _record(
        organization=organization, product=product, name=NEW_PRODUCT, old=None, new=product.name,
        status=Status.PENDING if held else Status.PUBLISHED, actor=actor, channel=channel, now=now,
        target=ProfileTarget.PRODUCT,
    )  # fmt: skip
    if held:
        _tell_team(organization, [change])
    return ProfileUpdate(
        published=[] if held else [NEW_PRODUCT], pending=[NEW_PRODUCT] if held else [], product=product
    )


def _locked_product(product, channel=MEMBER):
    product = Product.objects.select_for_update().select_related("organization").filter(pk=product.pk).first()
    if product is None:
        raise ValidationError(_("생산품·서비스를 찾을 수 없습니다."))
    _locked_organization(product.organization, channel)
    return product


@writes(Product)
@transaction.atomic
def product_update(*, product, changes, actor, reason="", now=None) -> ProfileUpdate:
    """Change a product's member-editable fields (``image``: an upload, re-encoded without its metadata;
    ``False`` removes the photo; ``certifications``: certifications or their ids)."""
    now = now or timezone.now()
    channel = channel_of(actor)
    product = _locked_product(product, channel)
    organization = product.organization
    _check_actor(organization, actor, channel)
    normalized, image, errors = _product_state(product, changes, organization=organization, channel=channel)
    if errors:
        raise ValidationError(errors)
    diffs = {name: value for name, value in normalized.items() if value != current_value(product, name)}
    if image is not None:
        diffs["image"] = None  # a new photo is always a change; its name is known once stored
    policy = review_policy(ProfileTarget.PRODUCT) if channel == MEMBER and diffs else {}
    held = {name for name in diffs if policy.get(name)}
    publish = {name: value for name, value in diffs.items() if name not in held}
    target = ProfileTarget.PRODUCT
    common = {
        "organization": organization,
        "product": product,
        "actor": actor,
        "channel": channel,
        "now": now,
    }
    result = ProfileUpdate(product=product)
    if publish:
        old = {name: current_value(product, name) for name in publish}
        written = {name: value for name, value in publish.items() if name != "image" or value == ""}
        try:
            with transaction.atomic():
                _apply_product(
                    product, written, image if "image" in publish else None, actor=actor,
                    reason=reason or (MEMBER_REASON if channel == MEMBER else STAFF_REASON),
                )  # fmt: skip
        except IntegrityError:
            raise ValidationError(
                {"name": _("이 조직에 같은 이름의 생산품·서비스가 이미 있습니다.")}
            ) from None
        for name in publish:
            if name not in PRODUCT_MEMBER_FIELDS:
                result.published.append(name)
                continue
            _record(
                **common, name=name, old=old[name], new=current_value(product, name),
                status=Status.PUBLISHED, target=target,
            )  # fmt: skip
            result.published.append(name)
    pending = []
    for name in sorted(held):
        pending.append(
            _record(
                **common, name=name, old=current_value(product, name),
                new=diffs[name] if name != "image" else "", status=Status.PENDING, target=target,
                image=image if name == "image" else None,
            )
        )  # fmt: skip
        result.pending.append(name)
    _tell_team(organization, pending)
    return result


@writes(Product)
@transaction.atomic
def product_set_active(*, product, active, actor, now=None) -> Product:
    """Retire a product (판매 중단: hidden from the public, never deleted) or put it on sale again."""
    now = now or timezone.now()
    channel = channel_of(actor)
    product = _locked_product(product, channel)
    _check_actor(product.organization, actor, channel)
    waiting = ProfileChange.objects.filter(product=product, field_name=NEW_PRODUCT, status=Status.PENDING)
    if active and channel == MEMBER and waiting.exists():
        raise ValidationError(_("센터가 검토 중인 새 생산품입니다. 승인되면 바로 공개됩니다."))
    if product.is_active == bool(active):
        return product
    if not active:
        # Withdrawn before the review: nothing is left for the team to approve.
        _supersede(waiting, now)
    old = product.is_active
    product.is_active = bool(active)
    _save(product, actor=actor, reason=MEMBER_REASON if channel == MEMBER else STAFF_REASON)
    _record(
        organization=product.organization, product=product, name=PRODUCT_ACTIVE, old=old, new=product.is_active,
        status=Status.PUBLISHED, actor=actor, channel=channel, now=now, target=ProfileTarget.PRODUCT,
    )  # fmt: skip
    return product


@writes(Product)
def product_retire(*, product, actor, now=None):
    return product_set_active(product=product, active=False, actor=actor, now=now)


# --- Review --------------------------------------------------------------------------------------------


def _locked_change(change_id):
    change = (
        ProfileChange.objects.select_for_update(of=("self",))
        .select_related("organization", "product", "submitted_by")
        .filter(pk=change_id)
        .first()
    )
    if change is None:
        raise ValidationError(_("조직 정보 변경을 찾을 수 없습니다."))
    if change.status != Status.PENDING:
        raise ValidationError(
            _("이미 처리한 변경입니다 (%(status)s).") % {"status": change.get_status_display()}
        )
    return change


def _tell_submitter(change, *, subject, paragraphs):
    user = change.submitted_by
    if user is None or not user.email:
        return
    outbox_enqueue_letter(
        dedup_key=f"se-profile-change-{change.status}:{change.pk}",
        to=user.email,
        subject=subject,
        paragraphs=[
            *paragraphs,
            portal_url(reverse("my_organization:history", args=[change.organization_id])),
        ],
    )


STALE_MESSAGE = _(
    "요청한 뒤 이 항목의 현재 값이 바뀌었습니다. 요청을 반려하고 조직에 다시 요청하도록 안내해 주세요."
)


@writes(ProfileChange, Organization, Product)
@transaction.atomic
def profile_change_approve(*, change_id, actor, now=None) -> ProfileChange:
    """Publish exactly this field of the change, under the row's lock. Refused when the field's current
    value is no longer the one the member saw (someone changed it since): approving would silently undo
    that later change."""
    now = now or timezone.now()
    change = _locked_change(change_id)
    reason = f"{APPROVED_REASON} (#{change.pk})"
    if change.product_id is None:
        organization = _locked_organization(change.organization)
        if current_value(organization, change.field_name) != change.old_value:
            raise ValidationError(str(STALE_MESSAGE))
        _normalized, errors = _organization_state(organization, {change.field_name: change.new_value})
        if errors:
            raise ValidationError([message for messages in errors.values() for message in messages])
        _assign(organization, change.field_name, change.new_value)
        _save(organization, actor=actor, reason=reason)
    else:
        product = _locked_product(change.product)
        if change.field_name == NEW_PRODUCT:
            if product.is_active:
                raise ValidationError(str(STALE_MESSAGE))
            product.is_active = True
            _save(product, actor=actor, reason=reason)
        elif change.field_name == "image":
            if product.image.name != change.old_value:
                raise ValidationError(str(STALE_MESSAGE))
            if change.new_image:
                with change.new_image.open("rb") as stored:
                    product.image.save(change.new_image.name.rsplit("/", 1)[-1], stored, save=False)
            else:
                product.image = ""  # the member asked to remove the photo
            _save(product, actor=actor, reason=reason)
            change.new_value = product.image.name
        else:
            if current_value(product, change.field_name) != change.old_value:
                raise ValidationError(str(STALE_MESSAGE))
            _normalized, _image, errors = _product_state(
                product, {change.field_name: change.new_value}, organization=product.organization
            )
            if errors:
                raise ValidationError([message for messages in errors.values() for message in messages])
            _apply_product(product, {change.field_name: change.new_value}, None, actor=actor, reason=reason)
    change.status, change.decided_by, change.decided_at = Status.APPROVED, actor.user, now
    change.save()
    _tell_submitter(
        change,
        subject=_("조직 정보 변경이 승인되었습니다: %(field)s") % {"field": change.field_label},
        paragraphs=[
            _("%(organization)s의 ‘%(field)s’ 변경을 센터가 승인해 공개했습니다.")
            % {"organization": change.organization.name, "field": change.field_label},
            _("새 값: %(value)s") % {"value": change.new_display},
        ],
    )
    return change


@writes(ProfileChange)
@transaction.atomic
def profile_change_reject(*, change_id, actor, comment, now=None) -> ProfileChange:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("반려 사유를 적어 주세요. 요청한 분에게 그대로 보냅니다.")})
    if len(comment) > ProfileChange._meta.get_field("decision_comment").max_length:
        raise ValidationError({"comment": _("반려 사유는 300자까지 쓸 수 있습니다.")})
    change = _locked_change(change_id)
    change.status, change.decision_comment = Status.REJECTED, comment
    change.decided_by, change.decided_at = actor.user, now or timezone.now()
    # A rejected photo is never published: it does not stay in storage either.
    _discard_photo(change.new_image.name)
    change.new_image = ""
    change.save()
    _tell_submitter(
        change,
        subject=_("조직 정보 변경을 반영하지 못했습니다: %(field)s") % {"field": change.field_label},
        paragraphs=[
            _("%(organization)s의 ‘%(field)s’ 변경 요청을 센터가 반려했습니다.")
            % {"organization": change.organization.name, "field": change.field_label},
            _("사유: %(reason)s") % {"reason": comment},
        ],
    )
    return change
