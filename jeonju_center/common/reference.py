"""Reference data every installation needs, loaded by ``manage.py load_reference_data``.

Each app may have a ``reference.py`` module whose functions are decorated with ``@reference_loader``;
the command discovers them (like the admin discovers ``admin.py``) and runs them in app order.
A loader creates what is missing and never overwrites what staff edited; it returns a summary line.
"""

from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from .models import District, Dong
from .teams import load_team_groups

# Jeonju's administrative dongs (행정동), in the city's own order.
JEONJU_DONGS = {
    District.WANSAN: [
        "중앙동", "풍남동", "노송동", "완산동", "동서학동", "서서학동", "중화산1동", "중화산2동", "서신동",
        "평화1동", "평화2동", "삼천1동", "삼천2동", "삼천3동", "효자1동", "효자2동", "효자3동", "효자4동",
        "효자5동",
    ],
    District.DEOKJIN: [
        "진북동", "인후1동", "인후2동", "인후3동", "덕진동", "금암1동", "금암2동", "팔복동", "우아1동",
        "우아2동", "호성동", "송천1동", "송천2동", "조촌동", "여의동", "혁신동",
    ],
}  # fmt: skip


_loaders = []


def reference_loader(func):
    _loaders.append(func)
    return func


def load_all_reference_data():
    autodiscover_modules("reference")
    return [loader() for loader in _loaders]


@reference_loader
@transaction.atomic
def load_dongs():
    """Create the dongs that are missing."""
    existing = set(Dong.objects.values_list("name", flat=True))
    missing = [
        Dong(name=name, district=district, display_order=order)
        for district, names in JEONJU_DONGS.items()
        for order, name in enumerate(names, start=1)
        if name not in existing
    ]
    Dong.objects.bulk_create(missing)
    return f"dongs: {len(missing)} created"


# The team groups and their permissions are reference data too (after the dongs, before the apps' data).
reference_loader(load_team_groups)
