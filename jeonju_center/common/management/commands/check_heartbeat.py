from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jeonju_center.common.models import ServiceHeartbeat


class Command(BaseCommand):
    help = "Exit non-zero when a background component's heartbeat is missing or older than --max-age seconds."

    def add_arguments(self, parser):
        parser.add_argument("component", help="e.g. beat")
        parser.add_argument("--max-age", type=int, default=300, help="Seconds. Default 300.")

    def handle(self, *args, component, max_age, **options):
        heartbeat = ServiceHeartbeat.objects.filter(component=component).first()
        if heartbeat is None:
            raise CommandError(f"No heartbeat recorded for {component!r} yet.")
        age = timezone.now() - heartbeat.last_seen
        if age > timedelta(seconds=max_age):
            raise CommandError(
                f"{component!r} last seen {int(age.total_seconds())} s ago (limit {max_age} s)."
            )
        self.stdout.write(f"{component} alive, last seen {int(age.total_seconds())} s ago.")
