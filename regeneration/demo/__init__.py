"""Demo data of urban regeneration: four activation areas with their councils and the vacant-house programs
(the rows and texts are in ``data.toml`` beside this file; ``councils.py`` and ``houses.py`` draw the rest).

Every value is drawn from the app's own seeded generators in a fixed order, whatever already exists,
and rows are keyed on natural keys, so a second run creates nothing and changes nothing.
House life cycles use fixed calendar dates (surveys of 2019 and 2024) so re-running on another day
does not shift them; only the council meetings are placed around ``ctx.today``.
"""

import datetime

from jeonju_center.common.models import Dong
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.rows import count_line
from jeonju_center.demo.steps import demo_step

from ..models import ActivationArea, HousingProgram, ResidentCouncil
from . import councils, houses

DATA = load_demo_data(__name__)
AREAS, PROGRAMS = DATA["areas"], DATA["programs"]
HOUSES_PER_SCALE = houses.HOUSES_PER_SCALE
MEETINGS_PER_COUNCIL = councils.MEETINGS_PER_COUNCIL


@demo_step("regeneration", after=["base"])
def seed(ctx):
    programs, programs_created = _seed_programs()
    areas_created, councils_created = _seed_areas_and_councils()
    return [
        count_line("housing programs", programs_created, HousingProgram),
        count_line("activation areas", areas_created, ActivationArea),
        count_line("resident councils", councils_created, ResidentCouncil),
        *councils.seed(ctx, AREAS),
        *houses.seed(ctx, programs),
    ]


def _seed_programs():
    """Each program runs five years from 1 January of its year; returns the first program of each kind."""
    existing = {(p.name, p.year): p for p in HousingProgram.objects.all()}
    missing = []
    for spec in PROGRAMS:
        key = (spec["name"], spec["year"])
        if key not in existing:
            missing.append(
                HousingProgram(
                    starts_on=datetime.date(spec["year"], 1, 1),
                    ends_on=datetime.date(spec["year"] + 4, 12, 31),
                    **spec,
                )
            )
    HousingProgram.objects.bulk_create(missing)
    by_kind = {}
    for program in HousingProgram.objects.filter(name__in=[p["name"] for p in PROGRAMS]).order_by("year"):
        by_kind.setdefault(program.kind, program)
    return by_kind, len(missing)


def _seed_areas_and_councils():
    dongs = {dong.name: dong for dong in Dong.objects.all()}
    areas_created = councils_created = 0
    for spec in AREAS:
        area, created = ActivationArea.objects.get_or_create(
            name=spec["name"],
            defaults={
                "area_type": spec["area_type"],
                "designated_on": spec["designated_on"],
                "size_m2": spec["size_m2"],
                "project_budget": spec["project_budget"],
                "description": spec["description"],
            },
        )
        if created:
            area.dongs.add(*[dongs[name] for name in spec["dongs"] if name in dongs])
            areas_created += 1
        _council, created = ResidentCouncil.objects.get_or_create(
            area=area,
            defaults={
                "name": spec["council"],
                "founded_on": spec["founded_on"],
                "public_description": DATA["councils"]["description"].format(
                    place=spec["name"].replace(" 도시재생활성화지역", "")
                ),
            },
        )
        councils_created += created
    return areas_created, councils_created
