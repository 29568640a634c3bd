"""Where uploads live: two storages, chosen by settings (``STORAGES``).

- ``default`` (private): documents and photos that carry personal data (applications' documents, owner
  consents, settlement receipts and evidence, minutes' attachments, pending profile photos, renovation
  photos of people's houses). Never publicly readable: on object storage the objects are private and the
  portal's permission-checked views redirect to a short-lived signed URL (``private_file_response``); on
  the local disk the same views stream the file.
- ``public``: pictures shown on public pages (courses, news, products, spaces, houses on the map), readable
  by anyone at their URL.

Both are the local disk (``MEDIA_ROOT``) unless ``S3_BUCKET`` is set, then S3-compatible object storage
(NCloud Object Storage, MinIO, AWS), so any number of web and worker processes on any hosts share them.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header

PUBLIC = "public"


class _PublicStorage(LazyObject):
    """The ``public`` storage of the current settings, like Django's ``default_storage`` for ``default``."""

    def _setup(self):
        self._wrapped = storages[PUBLIC]


public_storage = _PublicStorage()


def get_public_storage():
    """For ``FileField(storage=...)``: migrations name this function, so the backend stays a setting."""
    return public_storage


@receiver(setting_changed)
def _forget_public_storage(*, setting, **kwargs):
    # Django forgets its own storages when STORAGES changes (tests); the public proxy must follow.
    if setting == "STORAGES":
        public_storage._wrapped = empty


def _is_object_storage(storage):
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a main dependency
        return False
    return isinstance(storage, S3Storage)


def signed_url(file, *, filename, inline=False, content_type=None):
    """A URL that hands out ``file`` for a few minutes (``PRIVATE_FILE_URL_SECONDS``), or ``None`` when its
    storage cannot sign one (the local disk: the caller streams the file instead)."""
    if not _is_object_storage(file.storage):
        return None
    parameters = {"ResponseContentDisposition": content_disposition_header(not inline, filename)}
    if content_type:
        parameters["ResponseContentType"] = content_type
    return file.storage.url(file.name, parameters=parameters, expire=settings.PRIVATE_FILE_URL_SECONDS)


def private_file_response(file, *, not_found, filename=None, inline=False, content_type=None):
    """The response of a permission-checked view handing out a stored file: a redirect to a signed URL that
    expires in minutes on object storage, the file's bytes on the local disk. Never cached by a browser or a
    proxy. ``not_found``: the Korean message when storage has lost the file."""
    filename = filename or file.name.rsplit("/", 1)[-1]
    url = signed_url(file, filename=filename, inline=inline, content_type=content_type)
    if url is not None:
        if not file.storage.exists(file.name):
            raise Http404(not_found)
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = file.open("rb")
        except OSError:
            raise Http404(not_found) from None
        response = FileResponse(handle, as_attachment=not inline, filename=filename)
        if content_type:
            response["Content-Type"] = content_type
    response["Cache-Control"] = "no-store"
    return response
