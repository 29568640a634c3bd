"""Saving demo rows so that a second run creates nothing: each row is keyed on its natural key."""


def create_missing(model, rows, *, key, batch_size=500):
    """Save, in bulk, the unsaved ``rows`` whose ``key`` (field names; ``*_id`` for a foreign key) is not in
    the database yet, and return them."""
    existing = set(model.objects.values_list(*key))
    new = [row for row in rows if tuple(getattr(row, field) for field in key) not in existing]
    model.objects.bulk_create(new, batch_size=batch_size)
    return new


def count_line(label, created, model):
    """The summary line seed_demo prints for ``model``."""
    return f"{label}: {created} created, {model.objects.count()} total"
