"""Who made a change, and through which channel: the ``actor`` every writing service takes.

As pretix's ``log_action(user=…, auth=…)``, every service function that writes takes one keyword argument,
``actor``: a staff member in the back office, a citizen (or an organization's member) on the portal, a partner
center's API key, or the system running a named job. ``@writes(Model, …)`` on the service

* makes ``actor`` required and turns what callers have at hand (``request.user``, a partner API principal or
  key) into an ``Actor``, so views, the API, the admin and tasks pass what they hold;
* keeps the actor for the length of the call, so each history row the call writes records who and how
  (``jeonju_center.common.history``), without the service having to pass it to every ``save()``;
* registers the service as a writer of those models: the back office must save them through it
  (``tests/common/test_admin_saves_through_services.py`` walks every ModelAdmin).
"""

import contextvars
import functools
import inspect
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Channel:
    """How a change came in. Stored on history rows (``history_channel``); never renamed."""

    STAFF = "staff"
    CITIZEN = "citizen"
    PARTNER = "partner"
    SYSTEM = "system"

    CHOICES = [
        (STAFF, _("직원")),
        (CITIZEN, _("시민")),
        (PARTNER, _("협력기관 (API)")),
        (SYSTEM, _("시스템")),
    ]


@dataclass(frozen=True)
class Actor:
    channel: str
    user: object = None
    #: The partner API key's id (partner writes) — who, among a partner's several keys.
    partner_key_id: int | None = None
    #: The partner center's name, or the job's name for the system.
    name: str = ""

    @classmethod
    def staff(cls, user):
        return cls(Channel.STAFF, user=user)

    @classmethod
    def citizen(cls, user):
        return cls(Channel.CITIZEN, user=user)

    @classmethod
    def partner(cls, api_key):
        return cls(Channel.PARTNER, partner_key_id=api_key.pk, name=api_key.partner.name)

    @classmethod
    def system(cls, job):
        """The system running ``job`` (a Korean name staff recognise: "보존기간 작업")."""
        return cls(Channel.SYSTEM, name=job)

    @classmethod
    def of(cls, value):
        """The actor for what a caller holds: an ``Actor``, an account (staff or citizen by ``is_staff``), a
        partner API principal (``request.user`` of the partner API) or key, or an anonymous visitor."""
        if isinstance(value, Actor):
            return value
        if getattr(value, "is_anonymous", False):
            # A visitor without an account (an inquiry, a personal e-mail link).
            return cls.citizen(None)
        api_key = getattr(value, "api_key", None)
        if api_key is not None and hasattr(value, "partner"):
            return cls.partner(api_key)
        if hasattr(value, "partner") and hasattr(value, "scopes"):
            return cls.partner(value)
        if getattr(value, "is_authenticated", False) and getattr(value, "pk", None) is not None:
            return cls.staff(value) if value.is_staff else cls.citizen(value)
        raise TypeError(f"not an actor: {value!r}")

    @property
    def user_id(self):
        return getattr(self.user, "pk", None)

    @property
    def is_active_staff(self):
        """A center staff member with an active account, acting as staff (not as a citizen on the portal)."""
        user = self.user
        return self.channel == Channel.STAFF and user is not None and user.is_active and user.is_staff

    def require_staff(self, message=None):
        """Refuse (``ValidationError``) unless an active staff member acts."""
        if not self.is_active_staff:
            raise ValidationError(message or gettext("센터 직원만 할 수 있는 작업입니다."))

    @property
    def label(self):
        return actor_label(self.channel, self.user, self.name)


def actor_label(channel, user, name):
    """ "직원 홍길동", "협력기관 ○○ (API)", "시스템: 보존기간 작업", "시민 본인" (a citizen's name is personal data:
    the back office's history does not repeat it)."""
    if channel == Channel.STAFF:
        person = (user.get_full_name() or user.get_username()) if user is not None else ""
        return gettext("직원 %(name)s") % {"name": person}
    if channel == Channel.PARTNER:
        return gettext("협력기관 %(name)s (API)") % {"name": name}
    if channel == Channel.SYSTEM:
        return gettext("시스템: %(job)s") % {"job": name}
    if channel == Channel.CITIZEN:
        return gettext("시민 본인")
    return ""


_current = contextvars.ContextVar("actor", default=None)
_calls = contextvars.ContextVar("service_calls", default=None)


def current_actor():
    """The actor of the service call running now, or ``None`` outside one."""
    return _current.get()


@contextmanager
def acting(actor):
    """Run the block as ``actor`` (an ``Actor`` or what ``Actor.of`` takes). The outermost actor wins: a
    service called by another service writes in its caller's name."""
    outer = _current.get()
    token = _current.set(outer or Actor.of(actor))
    try:
        yield
    finally:
        _current.reset(token)


@contextmanager
def recording_service_calls():
    """Collect the ``@writes`` services called in the block (the back office checks that a save went
    through one of the model's services)."""
    calls = []
    token = _calls.set(calls)
    try:
        yield calls
    finally:
        _calls.reset(token)


#: model label ("courses.Enrollment") → the services that write it.
WRITERS = defaultdict(list)


def writes(*models):
    """Mark a service function as a writer of ``models`` and give it its ``actor`` (see the module)."""

    def decorate(func):
        parameter = inspect.signature(func).parameters.get("actor")
        if parameter is None or parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{func.__qualname__} writes, so it takes a keyword-only actor")

        @functools.wraps(func)
        def service(*args, actor, **kwargs):
            actor = Actor.of(actor)
            calls = _calls.get()
            if calls is not None:
                calls.append(service)
            with acting(actor):
                return func(*args, actor=actor, **kwargs)

        service.writes = tuple(models)
        for model in models:
            WRITERS[model._meta.label].append(service)
        return service

    return decorate


def writers_of(model):
    return WRITERS.get(model._meta.label, [])
