"""Demo data of the project package: reference data, the demo staff login, citizens and partner centers."""

from base64 import b32encode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from jeonju_center.accounts.models import ConsentRecord, MessageEvent, MessageSubscription
from jeonju_center.common.models import Dong
from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.teams import TEAMS
from jeonju_center.partners.models import PartnerAPIKey, PartnerCenter
from jeonju_center.partners.scopes import SCOPES
from jeonju_center.partners.services import partner_key_create

from .data import load_demo_data
from .steps import demo_step

DATA = load_demo_data(__package__)

DEMO_STAFF_USERNAME = DATA["staff"]["username"]
DEMO_STAFF_PASSWORD = "jeonju-demo-2026"
DEMO_CITIZEN_USERNAME = DATA["citizen"]["username"]
DEMO_CITIZEN_EMAIL = DATA["citizen"]["email"]
# The demo's privileged accounts (superuser, 개인정보 열람, 접근기록 점검) sign in with a second factor like real
# ones; they share this authenticator key, printed by seed_demo (the command refuses to run in production).
DEMO_TOTP_KEY = "6a65_6f6e_6a75_2d64_656d_6f2d_3230_3236_2d6f_7470".replace("_", "")
DEMO_LEADER_USERNAME = DATA["leader"]["username"]
DEMO_LEADER_EMAIL = DATA["leader"]["email"]
DEMO_ORG_MEMBER_USERNAME = DATA["org_member"]["username"]
DEMO_ORG_MEMBER_EMAIL = DATA["org_member"]["email"]
# (username, name, groups): one account per person; "staff" is the IT superuser.
DEMO_TEAM_ACCOUNTS = [(row["username"], row["name"], row["teams"]) for row in DATA["team_accounts"]]
CITIZENS_PER_SCALE = 400

PARTNER_CENTERS = [(row["name"], row["kind"]) for row in DATA["partner_centers"]]
DEMO_PARTNER_NAME = PARTNER_CENTERS[0][0]


def _demo_team_accounts(User):
    created = 0
    for username, name, teams in DEMO_TEAM_ACCOUNTS:
        if unknown := set(teams) - set(TEAMS):
            raise ValueError(f"demo account {username}: no team named {sorted(unknown)}")
        user, was_created = User.objects.get_or_create(
            username=username, defaults={"name": name, "email": f"{username}@example.com", "is_staff": True}
        )
        if was_created:
            user.set_password(DEMO_STAFF_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.set(Group.objects.filter(name__in=teams))
            created += 1
    return f"team staff logins: {created} created"


def demo_totp_secret():
    """The demo key as authenticator apps take it (base32)."""
    return b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode().rstrip("=")


def _demo_authenticators(User):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jeonju_center.common.two_factor import AUTHENTICATOR_NAME, needs_two_factor

    added = 0
    for user in User.objects.filter(is_staff=True, is_active=True):
        if needs_two_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, key=DEMO_TOTP_KEY, confirmed=True)
            added += 1
    return f"two-factor authenticators: {added} added"


def citizen_username(number):
    return f"citizen{number:05d}"


@demo_step("base")
def seed(ctx):
    summary = load_all_reference_data()
    User = get_user_model()

    staff, created = User.objects.get_or_create(
        username=DEMO_STAFF_USERNAME,
        defaults={
            "name": DATA["staff"]["name"],
            "email": DATA["staff"]["email"],
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        staff.set_password(DEMO_STAFF_PASSWORD)
        staff.save(update_fields=["password"])
    summary.append(f"staff login: {'created' if created else 'kept'}")
    summary.append(_demo_team_accounts(User))
    summary.append(_demo_authenticators(User))
    summary.append(_demo_citizen(User))
    summary.append(_demo_leader(User))
    summary.append(_demo_org_member(User))

    for name, kind in PARTNER_CENTERS:
        PartnerCenter.objects.get_or_create(
            name=name, defaults={"kind": kind, "contact_email": "contact@example.org"}
        )

    summary.append(_demo_partner_key(ctx.job))

    fake = ctx.faker_for("citizens")
    rng = ctx.rng("citizens")
    dongs = list(Dong.objects.order_by("pk"))
    wanted = CITIZENS_PER_SCALE * ctx.scale
    existing = set(User.objects.filter(username__startswith="citizen").values_list("username", flat=True))
    new_citizens = []
    for number in range(1, wanted + 1):
        # Draw for every number, created or not, so the data stays the same on re-runs.
        name, phone, dong = fake.name(), fake.phone_number(), rng.choice(dongs)
        username = citizen_username(number)
        if username in existing:
            continue
        user = User(username=username, name=name, email=f"{username}@example.com", dong=dong)
        user.phone = phone if phone.startswith("010") else ""
        user.set_unusable_password()
        new_citizens.append(user)
    User.objects.bulk_create(new_citizens, batch_size=500)
    summary.append(f"citizens: {len(new_citizens)} created, {wanted} wanted")

    # Every citizen signed up by agreeing to the privacy terms.
    without_consent = User.objects.exclude(consents__item=ConsentRecord.Item.PRIVACY_SIGNUP).filter(
        is_staff=False
    )
    consents = [
        ConsentRecord(
            user=user, item=ConsentRecord.Item.PRIVACY_SIGNUP, version=settings.PRIVACY_TERMS_VERSION
        )
        for user in without_consent.only("pk")
    ]
    ConsentRecord.objects.bulk_create(consents, batch_size=500)
    summary.append(f"sign-up consents: {len(consents)} created")
    return summary


def _demo_partner_key(actor):
    """One key with every scope, so a newcomer can try the API; printed only when it is created."""
    partner = PartnerCenter.objects.get(name=DEMO_PARTNER_NAME)
    if PartnerAPIKey.objects.filter(partner=partner, name="demo").exists():
        return "Demo partner API key: kept (only shown when created; make another with create_partner_key)"
    _, raw_key = partner_key_create(partner=partner, scopes=list(SCOPES), name="demo", actor=actor)
    return f"Demo partner API key: {raw_key}"


def _demo_org_member(User):
    """The account of an organization's representative (``social_economy.demo`` invites it, and it accepts)."""
    member, created = User.objects.get_or_create(
        username=DEMO_ORG_MEMBER_USERNAME,
        defaults={"name": DATA["org_member"]["name"], "email": DEMO_ORG_MEMBER_EMAIL},
    )
    if created:
        member.set_password(DEMO_STAFF_PASSWORD)
        member.save(update_fields=["password"])
        EmailAddress.objects.create(user=member, email=DEMO_ORG_MEMBER_EMAIL, verified=True, primary=True)
    return f"demo organization member account: {'created' if created else 'kept'}"


def _demo_leader(User):
    """The account of an Ondure community's leader (``ondure.demo`` links it to a community and its grant)."""
    leader, created = User.objects.get_or_create(
        username=DEMO_LEADER_USERNAME, defaults={"name": DATA["leader"]["name"], "email": DEMO_LEADER_EMAIL}
    )
    if created:
        leader.set_password(DEMO_STAFF_PASSWORD)
        leader.save(update_fields=["password"])
        EmailAddress.objects.create(user=leader, email=DEMO_LEADER_EMAIL, verified=True, primary=True)
    return f"demo community leader account: {'created' if created else 'kept'}"


def _demo_citizen(User):
    """A citizen who can sign in on the public site right away (e-mail already verified), with a verified
    mobile number and every notice chosen, so the 알림톡/SMS a course event causes shows on the console."""
    citizen, created = User.objects.get_or_create(
        username=DEMO_CITIZEN_USERNAME,
        defaults={
            "name": DATA["citizen"]["name"],
            "email": DEMO_CITIZEN_EMAIL,
            "phone": DATA["citizen"]["phone"],
        },
    )
    if created:
        citizen.set_password(DEMO_STAFF_PASSWORD)
        citizen.phone_verified_at = timezone.now()
        citizen.save(update_fields=["password", "phone_verified_at"])
        EmailAddress.objects.create(user=citizen, email=DEMO_CITIZEN_EMAIL, verified=True, primary=True)
        MessageSubscription.objects.bulk_create(
            [MessageSubscription(user=citizen, event=event) for event in MessageEvent.values]
        )
    return f"demo citizen login: {'created' if created else 'kept'}"
