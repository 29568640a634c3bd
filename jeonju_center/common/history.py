"""Change history with its author: every model's ``history = PortalHistoricalRecords()``.

django-simple-history records an account (``history_user``); a partner's API key and the system's jobs are
not accounts. Each history row therefore also keeps the channel and, for a partner or a job, its name, taken
from the actor of the service call that wrote it (``jeonju_center.common.actors``), so the back office's
history reads "직원 홍길동", "협력기관 ○○ (API)" or "시스템: 보존기간 작업".
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from simple_history import utils as simple_history_utils
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from .actors import Channel, actor_label, current_actor


class ActorRecord(models.Model):
    """The fields every historical model adds to simple-history's."""

    history_channel = models.CharField(_("경로"), max_length=10, choices=Channel.CHOICES, blank=True)
    history_actor_name = models.CharField(_("작업 주체"), max_length=150, blank=True)

    class Meta:
        abstract = True

    @property
    def history_actor(self):
        """Who made this change, as the back office shows it (empty for changes made outside any service
        and account, e.g. a migration)."""
        channel = self.history_channel
        if not channel and self.history_user_id is not None:
            # Rows written before the channel was recorded, or by the admin's own save of an account.
            channel = Channel.STAFF if self.history_user.is_staff else Channel.CITIZEN
        return actor_label(channel, self.history_user, self.history_actor_name) if channel else ""


def history_author(instance=None, request=None, **kwargs):
    """The account recorded as a change's author: the service's actor's, else the request's (the partner
    API's principal is not an account, so it records none rather than failing)."""
    actor = current_actor()
    if actor is not None:
        return actor.user
    user = getattr(request, "user", None)
    return user if isinstance(user, get_user_model()) else None


class _KeptClassHistoryDescriptor(HistoryDescriptor):
    """``instance.history`` with its manager class built once. simple-history builds it again on every access
    (``Manager.from_queryset`` inspects every method of the queryset class), and every historical row written
    reads it: 0.35 ms per save, which an enrolment pays while it holds the course's lock. The class depends
    only on the descriptor's manager and queryset classes."""

    def __get__(self, instance, owner):
        manager_class = self.__dict__.get("_manager_with_queryset")
        if manager_class is None:
            manager_class = self._manager_with_queryset = self.manager_class.from_queryset(
                self.queryset_class
            )
        return manager_class(self.model, instance)


class _PortalHistoricalRecords(HistoricalRecords):
    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            kept = _KeptClassHistoryDescriptor(
                descriptor.model, manager=descriptor.manager_class, queryset=descriptor.queryset_class
            )
            setattr(sender, self.manager_name, kept)


def PortalHistoricalRecords(**options):
    """Used like the class it configures: ``history = PortalHistoricalRecords()``."""
    return _PortalHistoricalRecords(bases=[ActorRecord], get_user=history_author, **options)


@receiver(pre_create_historical_record)
def _record_actor(sender, history_instance, **kwargs):
    if not isinstance(history_instance, ActorRecord):
        return
    actor = current_actor()
    if actor is not None:
        history_instance.history_channel = actor.channel
        history_instance.history_actor_name = actor.name
        if history_instance.history_user_id is None and actor.user is not None:
            history_instance.history_user = actor.user


def _actor_attrs(kwargs):
    """simple-history's bulk writers send no per-row signal: give their rows the actor explicitly."""
    actor = current_actor()
    if actor is not None:
        kwargs.setdefault("default_user", actor.user)
        kwargs["custom_historical_attrs"] = {
            "history_channel": actor.channel,
            "history_actor_name": str(actor.name),
            **(kwargs.get("custom_historical_attrs") or {}),
        }
    return kwargs


def bulk_create_with_history(objs, model, **kwargs):
    """``simple_history.utils.bulk_create_with_history`` whose history rows name the running actor."""
    return simple_history_utils.bulk_create_with_history(objs, model, **_actor_attrs(kwargs))


def bulk_update_with_history(objs, model, fields, **kwargs):
    """``simple_history.utils.bulk_update_with_history`` whose history rows name the running actor."""
    return simple_history_utils.bulk_update_with_history(objs, model, fields, **_actor_attrs(kwargs))
