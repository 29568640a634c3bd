"""Which actor a service call ran as, seen from inside the call: where the service writes its rows
(``actors_saving``) or calls a helper such as its e-mail (``actors_seen``)."""

from contextlib import contextmanager

from django.db.models.signals import pre_save

from jeonju_center.common.actors import current_actor


def actors_seen(monkeypatch, module, name):
    """Wrap ``module.name`` so each call records the actor running it; returns the list it fills."""
    seen = []
    original = getattr(module, name)

    def spy(*args, **kwargs):
        seen.append(current_actor())
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


@contextmanager
def actors_saving(*models):
    """The actor in effect each time a row of ``models`` is saved, as (model name, actor)."""
    seen = []

    def record(sender, **kwargs):
        seen.append((sender.__name__, current_actor()))

    for model in models:
        pre_save.connect(record, sender=model, weak=False)
    try:
        yield seen
    finally:
        for model in models:
            pre_save.disconnect(record, sender=model)
