"""The demo's data files. Each app's demo package keeps its rows (names, addresses, descriptions, the lists
its generators draw from) in a ``data.toml`` beside its code, and reads them with ``load_demo_data``; the
code keeps only the logic (the draws, the dates, the service calls).

Dates that move with the demo's day are offsets (``days_from_today = -20``); a date in a data file is a fact
of the past (an area designated in 2017, the 2016 survey) and reads the same on any day.
"""

import tomllib
from decimal import Decimal
from importlib.resources import files

DATA_FILE = "data.toml"


def load_demo_data(package):
    """The contents of ``<package>/data.toml``, e.g. ``load_demo_data(__name__)`` in an app's ``demo/__init__.py``.

    Numbers with a decimal point come back as ``Decimal`` (areas, hours, coordinates), so that they reach
    the database exactly as written; TOML dates come back as ``datetime.date``."""
    text = files(package).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text, parse_float=Decimal)
