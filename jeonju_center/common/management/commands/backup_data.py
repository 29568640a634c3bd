from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from jeonju_center.common.backup import backup_create


class Command(BaseCommand):
    help = "Back up the PostgreSQL database (pg_dump custom format) and the media files, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--to", default="backups", help="Directory that receives the backup (default: backups/)."
        )

    def handle(self, *args, to, **options):
        try:
            target = backup_create(target_root=to)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(target))
