from django.core.management.base import BaseCommand

from jeonju_center.common.reference import load_all_reference_data


class Command(BaseCommand):
    help = "Load the reference data every installation needs (dongs, course tracks, …). Safe to re-run."

    def handle(self, *args, **options):
        for summary in load_all_reference_data():
            self.stdout.write(summary)
