"""The human-readable text columns of the portal's own models, for tests that walk every such column (demo text
that must read as Korean, exports that must never carry a formula)."""

from django.apps import apps
from django.db import models

DOMAIN_APPS = {
    "regeneration",
    "social_economy",
    "ondure",
    "courses",
    "news",
    "common",
    "accounts",
    "partners",
}
# Machine values, not text: identifiers, codes, contact data, files and addresses on the web.
NOT_TEXT = {
    "slug", "username", "password", "token", "key", "hash", "code", "number", "path", "ip", "dedup", "url",
    "website", "email", "mime", "content", "file", "object", "resource", "registration", "prefix", "image",
    "photo", "attachment", "headers", "agent", "method", "id",
}  # fmt: skip


def text_columns(*, also_not_text=()):
    """(model, field) for every CharField/TextField without choices of the domain apps' models (history
    tables left out) whose name has no word of ``NOT_TEXT | also_not_text``."""
    skip = NOT_TEXT | set(also_not_text)
    for model in apps.get_models():
        if model._meta.app_label not in DOMAIN_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if (
                not isinstance(field, models.CharField | models.TextField)
                or field.choices
                or field.primary_key
            ):
                continue
            if skip & set(field.name.split("_")):
                continue
            yield model, field
