from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.actors import Actor
from jeonju_center.partners.models import PartnerCenter
from jeonju_center.partners.scopes import SCOPES
from jeonju_center.partners.services import partner_by_name, partner_key_create

KEY_ISSUE_JOB = Actor.system(_("협력기관 API 키 발급 명령"))


class Command(BaseCommand):
    help = (
        "Create an API key for a partner center and print it once, alone on the last line. "
        f"Scopes: {', '.join(SCOPES)}."
    )

    def add_arguments(self, parser):
        parser.add_argument("partner", help="The partner center's name, as in the admin.")
        parser.add_argument(
            "--scope", action="append", dest="scopes", default=[], help="Repeat for each scope."
        )
        parser.add_argument(
            "--expires-in-days", type=int, help="Days until the key expires (default: never)."
        )
        parser.add_argument("--name", default="", help="A label for the key (default: '<partner> API').")
        parser.add_argument(
            "--create-partner", action="store_true", help="Create the partner center if it does not exist."
        )

    def handle(self, *args, partner, scopes, expires_in_days, name, create_partner, **options):
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        try:
            if create_partner:
                center, _ = PartnerCenter.objects.get_or_create(name=partner)
            else:
                center = partner_by_name(partner)
            expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
            api_key, raw_key = partner_key_create(
                partner=center, scopes=scopes, name=name, expires_at=expires_at, actor=KEY_ISSUE_JOB
            )
        except ValidationError as error:
            known = ", ".join(PartnerCenter.objects.values_list("name", flat=True)[:20])
            hint = (
                f" Known partner centers: {known}." if "협력기관이 없습니다" in str(error) and known else ""
            )
            raise CommandError(" ".join(error.messages) + hint) from None
        self.stderr.write(
            f"Key {api_key.prefix}… for {center.name}, scopes: {', '.join(api_key.scopes)}, "
            f"expires: {api_key.expiry_date or 'never'}. It is shown only once:"
        )
        self.stdout.write(raw_key)
