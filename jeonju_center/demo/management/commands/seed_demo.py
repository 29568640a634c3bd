from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from jeonju_center.demo.base import (
    DEMO_CITIZEN_EMAIL,
    DEMO_LEADER_EMAIL,
    DEMO_ORG_MEMBER_EMAIL,
    DEMO_STAFF_PASSWORD,
    DEMO_STAFF_USERNAME,
    DEMO_TEAM_ACCOUNTS,
    demo_totp_secret,
)
from jeonju_center.demo.context import DemoContext
from jeonju_center.demo.steps import demo_steps


class Command(BaseCommand):
    help = "Fill the database with a realistic Jeonju demo data set. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply the volume (for benchmarks). Default 1."
        )

    def handle(self, *args, scale, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with DJANGO_ENV=production.")
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        ctx = DemoContext(scale=scale)
        # Each app's demo module registers its step (jeonju_center/demo/steps.py); a step runs after the
        # steps whose rows it builds on (Ondure graduates into organizations, calls let renovated rooms).
        for step in demo_steps():
            with transaction.atomic():
                for line in step.seed(ctx):
                    self.stdout.write(f"[{step.name}] {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff login: {DEMO_STAFF_USERNAME} / {DEMO_STAFF_PASSWORD}  ({reverse('admin:index')})"
            )
        )
        teams = ", ".join(
            f"{username} ({'·'.join(groups)})" for username, _name, groups in DEMO_TEAM_ACCOUNTS
        )
        self.stdout.write(f"Team staff logins (same password, one per team): {teams}")
        self.stdout.write(
            "Two-factor sign-in (staff, manager, privacy: they can see personal data): add this key to an "
            f"authenticator app: {demo_totp_secret()}"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo citizen login: {DEMO_CITIZEN_EMAIL} / {DEMO_STAFF_PASSWORD}  (/accounts/login/)"
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organization member login: {DEMO_ORG_MEMBER_EMAIL} / {DEMO_STAFF_PASSWORD}  (/me/organization/)"
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo community leader login: {DEMO_LEADER_EMAIL} / {DEMO_STAFF_PASSWORD}  (/me/community/)"
            )
        )
