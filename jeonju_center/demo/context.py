"""What every app's ``demo.seed(ctx)`` receives from ``manage.py seed_demo``.

Demo data is deterministic (seeded Faker and random) and keyed on natural keys, so running the
command twice changes nothing; ``scale`` multiplies the volume for benchmarks.
"""

import random
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from faker import Faker

from jeonju_center.common.actors import Actor

DEMO_SEED = 20261124


@dataclass
class DemoContext:
    scale: int = 1
    today: "timezone.datetime.date" = field(default_factory=lambda: timezone.localdate())
    #: Who the history records for the demo's writes that no demo person makes.
    job: Actor = field(default_factory=lambda: Actor.system(_("시연 데이터")))

    def __post_init__(self):
        self.faker = Faker("ko_KR")

    def rng(self, namespace):
        """A random generator of its own per app/namespace, so one app's data does not shift another's."""
        return random.Random(f"{DEMO_SEED}:{namespace}")

    def faker_for(self, namespace):
        fake = Faker("ko_KR")
        fake.seed_instance(f"{DEMO_SEED}:{namespace}")
        return fake
