"""Recompute a published draw from its stored inputs and compare: exit 0 when everything matches, 1 otherwise.

Checks that the order follows from the seed and the entries by the published algorithm, that the entries are the
receipt numbers of the applications that were in the draw, and that each application's stored position is its
place in the order."""

from django.core.management.base import BaseCommand, CommandError

from calls.draw import ALGORITHM, draw_order
from calls.models import Call, Draw


class Command(BaseCommand):
    help = "Recompute a call's published lottery from the stored seed and entries (exit 1 on any difference)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the call's slug, as in /calls/<slug>/draw/")

    def handle(self, *args, slug, **options):
        try:
            draw = Draw.objects.select_related("call").get(call__slug=slug)
        except Draw.DoesNotExist:
            if not Call.objects.filter(slug=slug).exists():
                raise CommandError(f"no call with the slug {slug!r}") from None
            raise CommandError(f"the call {slug!r} has no published draw") from None
        problems = []
        if draw.algorithm != ALGORITHM:
            problems.append(f"unknown algorithm {draw.algorithm!r} (this portal implements {ALGORITHM})")
        if list(draw.entries) != sorted(draw.entries):
            problems.append("the stored entries are not in sorted order")
        recomputed = draw_order(draw.seed, draw.entries)
        if recomputed != list(draw.order):
            first = next(
                (i for i, (a, b) in enumerate(zip(recomputed, draw.order, strict=False), 1) if a != b),
                min(len(recomputed), len(draw.order)) + 1,
            )
            problems.append(f"the stored order differs from the recomputed one from position {first}")
        drawn = dict(
            draw.call.applications.filter(draw_position__isnull=False).values_list(
                "receipt_number", "draw_position"
            )
        )
        if sorted(drawn) != sorted(draw.entries):
            missing = sorted(set(draw.entries) - set(drawn))
            extra = sorted(set(drawn) - set(draw.entries))
            problems.append(
                f"applications in the draw differ from the entries (missing {missing}, extra {extra})"
            )
        positions = {number: index for index, number in enumerate(recomputed, start=1)}
        moved = sorted(number for number, position in drawn.items() if positions.get(number) != position)
        if moved:
            problems.append(f"stored positions differ for {moved}")
        self.stdout.write(f"call: {draw.call.title} ({slug})")
        self.stdout.write(f"algorithm: {draw.algorithm}; seed: {draw.seed!r}; entries: {len(draw.entries)}")
        if problems:
            for problem in problems:
                self.stderr.write(f"MISMATCH: {problem}")
            raise SystemExit(1)
        self.stdout.write(f"OK: the order of {len(recomputed)} entries is reproduced exactly")
