"""seed_demo's steps: each app registers its own, they run after the steps they name, and the demo package
imports no domain app; the data files they read parse into the values the demo writes."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps

from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.steps import DemoStep, demo_steps, ordered

DOMAIN_APPS = {"courses", "social_economy", "regeneration", "ondure", "calls", "spaces"}


def _step(name, *after):
    return DemoStep(name, seed=None, after=after)


def test_a_step_runs_after_the_steps_it_names_and_otherwise_in_the_order_registered():
    steps = [_step("news", "courses"), _step("base"), _step("courses", "base"), _step("spaces", "base")]
    assert [step.name for step in ordered(steps)] == ["base", "courses", "news", "spaces"]


def test_a_step_after_an_unknown_step_or_a_circle_of_steps_is_refused():
    with pytest.raises(LookupError, match="unknown"):
        ordered([_step("base"), _step("calls", "ondure")])
    with pytest.raises(ValueError, match="wait for each other"):
        ordered([_step("a", "b"), _step("b", "a")])


def test_every_app_with_a_demo_registers_a_step_that_runs_after_what_it_builds_on():
    steps = demo_steps()
    names = [step.name for step in steps]
    assert names[0] == "base"
    assert {"social_economy", "ondure", "ondure.courses", "regeneration", "courses", "calls"} <= set(names)
    assert {"news", "inquiries", "spaces"} <= set(names)
    for position, step in enumerate(steps):
        assert set(step.after) <= set(names[:position]), step.name
    # Ondure graduates into organizations; its education courses are citizen courses.
    assert names.index("social_economy") < names.index("ondure") < names.index("ondure.courses")
    assert names.index("courses") < names.index("ondure.courses")


def test_the_demo_package_imports_no_domain_app():
    package = Path(apps.get_app_config("demo").path)
    imported = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    assert imported & DOMAIN_APPS == set()


def test_data_files_give_decimals_and_dates_as_written():
    regeneration = load_demo_data("regeneration.demo")
    area = regeneration["areas"][0]
    assert area["size_m2"] == Decimal("1480000.00") and str(area["size_m2"]) == "1480000.00"
    assert area["designated_on"] == datetime.date(2017, 3, 2)
    spaces = load_demo_data("spaces.demo")
    assert spaces["spaces"][0]["opens_at"] == datetime.time(9, 0)


@pytest.mark.parametrize("config", [c for c in apps.get_app_configs() if (Path(c.path) / "demo").is_dir()])
def test_every_demo_package_has_a_data_file_that_parses(config):
    assert load_demo_data(f"{config.name}.demo")
