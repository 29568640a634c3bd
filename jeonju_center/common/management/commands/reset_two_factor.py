"""Remove the two-factor devices of a staff member who lost both the phone and the recovery codes.

    python manage.py reset_two_factor <login> --by <administrator's login>

The next sign-in sets up a new authenticator app; the reset is written to the account's history with the
administrator who asked for it.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from jeonju_center.common.two_factor import two_factor_reset


class Command(BaseCommand):
    help = (
        "Remove a staff member's two-factor devices (lost phone and recovery codes); recorded in the history."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="the staff member's login")
        parser.add_argument(
            "--by", required=True, help="login of the administrator who confirmed the request"
        )

    def handle(self, *args, username, by, **options):
        users = get_user_model().objects
        try:
            user = users.get(username=username)
        except users.model.DoesNotExist:
            raise CommandError(f"No account with the login {username!r}.") from None
        admin = users.filter(username=by, is_active=True, is_superuser=True).first()
        if admin is None:
            raise CommandError(f"--by must name an active superuser, not {by!r}.")
        removed = two_factor_reset(user=user, by=admin)
        self.stdout.write(
            f"Removed {removed} two-factor device(s) of {username}; the next sign-in sets up a new one."
        )
