"""One "these rows changed" event (``changed``) for the models whose changes others follow: the partner API's
change feed (``jeonju_center/partners/changes.py``) and the cached public course pages (``courses/cache.py``)
listen to it, and nothing else tells them.

It is sent for every way of writing a followed model:

* ``save()``, ``delete()`` (also a queryset's and a cascade's) and many-to-many changes, by model signals;
* ``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()``, which send no signals, by ``TrackedQuerySet``,
  which a followed model must use as its default manager (``follow`` refuses a model that does not), so no
  writer can forget to report a bulk change.

Receivers get ``sender`` (the model), ``ids``, ``action`` (``created``/``updated``/``deleted``) and
``instances`` (the objects when the writer had them, else None: a bulk ``update()`` knows only ids).
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

CREATED, UPDATED, DELETED = "created", "updated", "deleted"

changed = Signal()


def send_changed(model, ids, action, instances=None):
    if ids or instances:
        changed.send(sender=model, ids=list(ids), action=action, instances=instances)


class TrackedQuerySet(models.QuerySet):
    """The default queryset of a followed model: its bulk writes send ``changed`` too."""

    def update(self, **kwargs):
        # The rows are named before they change: an UPDATE reports no ids, and a filter on a field being
        # updated would find other rows afterwards.
        ids = list(self.order_by().values_list("pk", flat=True))
        count = super().update(**kwargs)
        send_changed(self.model, ids, UPDATED)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        with_ids = [obj for obj in created if obj.pk is not None]
        send_changed(self.model, [obj.pk for obj in with_ids], CREATED, instances=with_ids)
        return created

    bulk_create.alters_data = True
    # bulk_update() writes through update(), which reports the rows.


_followed = set()


def follow(model):
    """Send ``changed`` for every write of ``model`` (idempotent; call from an ``AppConfig.ready``)."""
    if model in _followed:
        return
    if not isinstance(model._default_manager.get_queryset(), TrackedQuerySet):
        raise ImproperlyConfigured(
            f"{model._meta.label} is followed (change feed, page cache) but its default manager is not "
            "TrackedQuerySet.as_manager(): its bulk writes would go unreported."
        )
    _followed.add(model)
    label = model._meta.label_lower

    def on_save(sender, instance, created, raw=False, **kwargs):
        if not raw:  # loading fixtures
            send_changed(model, [instance.pk], CREATED if created else UPDATED, instances=[instance])

    def on_delete(sender, instance, **kwargs):
        send_changed(model, [instance.pk], DELETED, instances=[instance])

    post_save.connect(on_save, sender=model, weak=False, dispatch_uid=f"changed-save-{label}")
    post_delete.connect(on_delete, sender=model, weak=False, dispatch_uid=f"changed-delete-{label}")
    for field in model._meta.many_to_many:

        def on_m2m(sender, instance, action, reverse, pk_set, **kwargs):
            if action not in {"post_add", "post_remove", "post_clear"}:
                return
            if not reverse:
                send_changed(model, [instance.pk], UPDATED, instances=[instance])
            elif pk_set:
                # Changed from the other side (e.g. a dong's courses): the rows of ``model`` named in pk_set.
                send_changed(model, sorted(pk_set), UPDATED)

        m2m_changed.connect(
            on_m2m,
            sender=field.remote_field.through,
            weak=False,
            dispatch_uid=f"changed-m2m-{label}-{field.name}",
        )


def followed_models():
    return set(_followed)
