"""The demo organization member (``org@example.com``) at work through the services: invited and accepted as
대표, asking for consulting, and editing the organization's profile and products through the review queue."""

from django.contrib.auth import get_user_model

from jeonju_center.demo.base import DEMO_ORG_MEMBER_USERNAME
from jeonju_center.demo.data import load_demo_data

from .. import members, profiles
from ..models import (
    NEW_PRODUCT,
    ORGANIZATION_MEMBER_FIELDS,
    PRODUCT_MEMBER_FIELDS,
    Organization,
    OrganizationMember,
    OrganizationStatus,
    ProfileChange,
    ProfileFieldPolicy,
    ProfileTarget,
)

DATA = load_demo_data(__package__)


def seed_members():
    """Portal members through the services: the demo organization member (``org@example.com``) invited and
    accepted as 대표 of an organization, another citizen's join request waiting for the staff."""
    User = get_user_model()
    member_user = User.objects.filter(username=DEMO_ORG_MEMBER_USERNAME).first()
    if member_user is None or OrganizationMember.objects.exists():
        return f"organization members: 0 created, {OrganizationMember.objects.count()} total"
    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    with_numbers = (
        Organization.objects.exclude(status=OrganizationStatus.CLOSED)
        .exclude(business_registration_number="")
        .order_by("name", "pk")
    )
    organization, other = list(with_numbers[:2])
    invited = members.member_invite(
        organization=organization,
        email=member_user.email,
        role=OrganizationMember.Role.REPRESENTATIVE,
        actor=staff,
    )
    members.invitation_accept(token=members.invitation_token(invited), actor=member_user)
    applicant = User.objects.filter(username__startswith="citizen").order_by("username").first()
    members.member_request(
        actor=applicant,
        business_registration_number=other.business_registration_number,
        role=OrganizationMember.Role.CONTACT,
    )
    # The member asks for consulting: the accepted requests are under way, the others wait for the team.
    requests = DATA["member_consulting_requests"]
    for row in requests:
        request = members.consulting_request_submit(
            organization=organization, actor=member_user, topic=row["topic"], description=row["description"]
        )
        if "accepted_as" in row:
            members.consulting_request_accept(request_id=request.pk, actor=staff, title=row["accepted_as"])
    return (
        f"organization members: {OrganizationMember.objects.count()} created ({organization.name}: org login), "
        f"consulting requests: {len(requests)} created"
    )


def seed_profile_changes():
    """The review policy as the team keeps it (the code's defaults written out, and prices reviewed too), and
    the demo member's edits through the service: a published description and phone number, a new
    representative's name, a product's price and a new product waiting in the review queue."""
    for target, fields in (
        (ProfileTarget.ORGANIZATION, ORGANIZATION_MEMBER_FIELDS),
        (ProfileTarget.PRODUCT, (*PRODUCT_MEMBER_FIELDS, NEW_PRODUCT)),
    ):
        for name in fields:
            review = name in profiles.DEFAULT_REVIEW[target] or (
                target == ProfileTarget.PRODUCT and name == "price"
            )
            ProfileFieldPolicy.objects.get_or_create(
                target=target, field_name=name, defaults={"requires_review": review}
            )
    member = (
        OrganizationMember.objects.filter(
            user__username=DEMO_ORG_MEMBER_USERNAME, status=OrganizationMember.Status.ACTIVE
        )
        .select_related("organization", "user")
        .first()
    )
    if member is None or ProfileChange.objects.exists():
        return f"profile changes: 0 created, {ProfileChange.objects.count()} total"
    organization, user = member.organization, member.user
    for changes in DATA["member_profile_changes"]:
        profiles.organization_profile_update(organization=organization, changes=dict(changes), actor=user)
    product = organization.products.filter(is_active=True).order_by("name", "pk").first()
    if product is not None:
        edit = DATA["member_product_edit"]
        profiles.product_update(
            product=product,
            changes={"price": (product.price or edit["price_when_none"]) + edit["price_rise"]},
            actor=user,
        )
    new_product = DATA["member_new_product"]
    if not organization.products.filter(name=new_product["name"]).exists():
        profiles.product_create(organization=organization, values=dict(new_product), actor=user)
    return f"profile changes: {ProfileChange.objects.count()} created ({organization.name})"
