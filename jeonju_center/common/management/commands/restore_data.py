import subprocess

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from jeonju_center.common.backup import RestoreMismatch, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_data into an EMPTY PostgreSQL database (default: DATABASE_URL) and "
        "verify every table's row count and checksum against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The backup directory, e.g. backups/20261125-030000")
        parser.add_argument("--database-url", help="Restore into this database instead of DATABASE_URL.")

    def handle(self, *args, source, database_url, **options):
        try:
            tables = backup_restore(source=source, database_url=database_url)
        except (ImproperlyConfigured, RestoreMismatch, FileNotFoundError) as error:
            raise CommandError(str(error)) from None
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_restore failed: {error.stderr.strip()[-500:]}") from None
        self.stdout.write(f"Restored and verified {tables} tables from {source}.")
