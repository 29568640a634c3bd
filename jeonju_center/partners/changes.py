"""The change feed: created/updated/deleted events per API resource, in commit order.

Models are tracked by declaring a ``FeedSource`` (see ``jeonju_center/api/feed.py``). Their changes reach
the feed through the one ``changed`` event of ``jeonju_center.common.changes``, which every write sends —
saves, deletes, cascades, many-to-many changes and the bulk ``update()``/``bulk_create()`` of their
``TrackedQuerySet`` — because a change feed that misses an admin edit, a cascade delete or a retention job's
bulk update is worse than none. Only a change to another resource's data (e.g. a new campaign's responses
shown inside the campaign) is recorded by hand, with ``record_changes()``.
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import pre_save

from jeonju_center.common import changes as events

from .models import ChangeEvent

CREATED, UPDATED, DELETED = ChangeEvent.Action.values


@dataclass(frozen=True)
class FeedSource:
    """``model`` (app_label.Model) changes are events of ``resource``.

    ``is_visible(obj)``: objects the API does not show (e.g. unpublished minutes) are "deleted" for partners.
    ``parent``: for a child model shown inside another resource (e.g. sessions inside courses): the
    attribute holding the parent's id; the child's changes become "updated" events of the parent. With a
    parent, ``is_visible(child)`` tells whether the parent is shown; no event is sent for a hidden parent.
    Changes of the model's many-to-many fields are "updated" events too.
    """

    model: str
    resource: str
    is_visible: Any = None
    parent: str | None = None
    # ``partner_of(obj)`` → the id of the only partner center allowed to see this record's events.
    partner_of: Any = None
    # Scopes besides the resource's read scope whose keys may follow this resource's events.
    extra_read_scopes: tuple = ()
    # ``fan_out(obj)`` → ids of ``resource`` records that show data of ``obj`` (e.g. products show their
    # organization's name): saving ``obj`` is an "updated" event for each of them.
    fan_out: Any = None


_sources: list[FeedSource] = []


def _transaction_id():
    if connection.vendor == "postgresql":
        return RawSQL("pg_current_xact_id()::text::bigint", [])
    return 0  # SQLite runs one writer at a time, so insertion order is commit order.


def record_changes(resource, object_ids, action, *, partner_id=None):
    txid = _transaction_id()
    ChangeEvent.objects.bulk_create(
        [
            ChangeEvent(
                resource=resource,
                object_id=str(pk),
                action=action,
                transaction_id=txid,
                partner_id=partner_id,
            )
            for pk in object_ids
        ]
    )


def _partner(source, instance):
    return source.partner_of(instance) if source.partner_of else None


def _record(source, object_ids, action, partner_id):
    """An event of ``source``; a partner-scoped record that belongs to no partner is nobody's to follow (an
    event without a partner would reach every reader of the resource, who could not fetch it)."""
    if source.partner_of is not None and partner_id is None:
        return
    record_changes(source.resource, object_ids, action, partner_id=partner_id)


_UNKNOWN = object()


def _remember_partner(source, instance, raw=False, **kwargs):
    """pre_save: the partner the stored row belongs to, so that a move to another partner can be told."""
    if raw or instance.pk is None or instance._state.adding:
        instance._feed_previous_partner = None
        return
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    instance._feed_previous_partner = source.partner_of(stored) if stored is not None else None


def _on_save(source, instance, created):
    if source.fan_out:
        if not created:
            _record_fan_out(source, instance)
        return
    partner_id = _partner(source, instance)
    previous = instance.__dict__.pop(
        "_feed_previous_partner", _UNKNOWN
    )  # set by pre_save (not for m2m changes or bulk updates)
    moved = (
        source.partner_of is not None and not created and previous is not _UNKNOWN and previous != partner_id
    )
    if moved and previous is not None:
        # Moved to another partner (or to none): gone for the one that had it.
        _record(source, [instance.pk], DELETED, previous)
    if source.is_visible is not None and not source.is_visible(instance):
        _record(source, [instance.pk], DELETED, partner_id)
    else:
        _record(source, [instance.pk], CREATED if created or moved else UPDATED, partner_id)


def _on_children_changed(source, children):
    """Children shown inside their parent resource: one "updated" event per parent (and partner), however
    many children changed at once."""
    parents = {}
    for child in children:
        parent_id = getattr(child, source.parent)
        if parent_id is not None and (source.is_visible is None or source.is_visible(child)):
            parents.setdefault(_partner(source, child), set()).add(parent_id)
    for partner_id, parent_ids in parents.items():
        _record(source, sorted(parent_ids), UPDATED, partner_id)


def _record_fan_out(source, instance):
    """``fan_out`` yields ids, or ``(id, partner_id)`` pairs for partner-scoped resources."""
    by_partner = {}
    for item in source.fan_out(instance):
        if isinstance(item, tuple):
            pk, partner_id = item
            if partner_id is None:
                continue  # a partner-scoped record of no partner: nobody follows it
        else:
            pk, partner_id = item, None
        by_partner.setdefault(partner_id, []).append(pk)
    for partner_id, ids in by_partner.items():
        record_changes(source.resource, ids, UPDATED, partner_id=partner_id)


def _on_delete(source, instance):
    if source.fan_out:
        return  # dependent records are deleted or changed by their own cascade
    _record(source, [instance.pk], DELETED, _partner(source, instance))


_sources_by_model = {}


def _on_changed(sender, ids, action, instances=None, **kwargs):
    sources = _sources_by_model.get(sender)
    if not sources:
        return
    if instances is None:
        # A bulk update names only ids: the rows as they are now say where the events go.
        instances = list(sender._base_manager.filter(pk__in=ids).order_by("pk"))
    for source in sources:
        if source.parent:
            _on_children_changed(source, instances)
        elif action == events.DELETED:
            for instance in instances:
                _on_delete(source, instance)
        else:
            for instance in instances:
                _on_save(source, instance, created=action == events.CREATED)


def track(*sources):
    """Declare feed sources and follow their models' changes (call once, from an AppConfig.ready())."""
    events.changed.connect(_on_changed, weak=False, dispatch_uid="partners-change-feed")
    for source in sources:
        model = apps.get_model(source.model)
        _sources.append(source)
        _sources_by_model.setdefault(model, []).append(source)
        events.follow(model)
        if source.partner_of is not None and not source.parent and not source.fan_out:

            def before_save(sender, instance, raw=False, _source=source, **kwargs):
                _remember_partner(_source, instance, raw)

            pre_save.connect(
                before_save,
                sender=model,
                weak=False,
                dispatch_uid=f"feed-pre-save-{source.model}-{source.resource}",
            )


def tracked_sources():
    return list(_sources)


def tracked_resources():
    return sorted({source.resource for source in _sources})


def extra_read_scopes(resource):
    return {scope for source in _sources if source.resource == resource for scope in source.extra_read_scopes}


class InvalidCursor(ValueError):
    pass


def encode_cursor(event):
    return f"{event.transaction_id}-{event.id}"


def decode_cursor(cursor):
    try:
        transaction_id, event_id = (int(part) for part in cursor.split("-"))
    except (ValueError, AttributeError):
        raise InvalidCursor(cursor) from None
    if transaction_id < 0 or event_id < 0:
        raise InvalidCursor(cursor)
    return transaction_id, event_id


def events_after(cursor, *, limit, resources, partner_id=None, all_partners=False):
    """Events after ``cursor`` (None: from the start), at most ``limit``, only of committed transactions
    older than every transaction still running — so nothing can later appear behind the cursor."""
    events = ChangeEvent.objects.order_by("transaction_id", "id")
    if cursor:
        transaction_id, event_id = decode_cursor(cursor)
        events = events.filter(
            Q(transaction_id__gt=transaction_id) | Q(transaction_id=transaction_id, id__gt=event_id)
        )
    if connection.vendor == "postgresql":
        events = events.filter(
            Q(transaction_id__lt=RawSQL("pg_snapshot_xmin(pg_current_snapshot())::text::bigint", []))
            | Q(transaction_id=RawSQL("pg_current_xact_id_if_assigned()::text::bigint", []))
        )
    if not all_partners:
        events = events.filter(Q(partner__isnull=True) | Q(partner_id=partner_id))
    return list(events.filter(resource__in=resources)[:limit])
