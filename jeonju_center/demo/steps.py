"""The steps of ``manage.py seed_demo``. Each app's ``demo`` module registers its own step with
``@demo_step`` (discovered like ``admin.py``), naming the steps whose rows it builds on; this package therefore
names no domain app, and an app added to ``INSTALLED_APPS`` brings its demo data along."""

from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class DemoStep:
    name: str
    seed: object  # callable(ctx) -> iterable of summary lines
    after: tuple


_steps = {}


def demo_step(name, *, after=()):
    """Register ``seed(ctx)`` as the demo step ``name``, to run once the steps named in ``after`` have run."""

    def register(seed):
        _steps[name] = DemoStep(name, seed, tuple(after))
        return seed

    return register


def demo_steps():
    """Every registered step, each after the steps it names; otherwise in the order the apps are installed."""
    from . import base  # noqa: F401  (registers the first step: reference data and the demo accounts)

    autodiscover_modules("demo")
    return ordered(list(_steps.values()))


def ordered(steps):
    """``steps`` with each one after those it names in ``after``; among the steps ready to run, the first
    registered goes first, so the order is the same on every run."""
    known = {step.name for step in steps}
    for step in steps:
        unknown = set(step.after) - known
        if unknown:
            raise LookupError(f"demo step {step.name!r} runs after unknown steps: {sorted(unknown)}")
    done, order, waiting = set(), [], list(steps)
    while waiting:
        ready = next((step for step in waiting if done.issuperset(step.after)), None)
        if ready is None:
            raise ValueError(f"demo steps wait for each other: {sorted(step.name for step in waiting)}")
        waiting.remove(ready)
        done.add(ready.name)
        order.append(ready)
    return order
