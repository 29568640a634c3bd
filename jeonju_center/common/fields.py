"""Model fields shared by the apps."""

import os

from django.db import models
from django.db.models.fields.files import ImageFieldFile

from .images import strip_image_metadata
from .storage import get_public_storage
from .validators import validate_image_upload


class PhotoFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # Every way a file reaches the field ends here (a model's save, a service's field.save, a copy from
        # another field), so none can store a photo with its metadata.
        if not getattr(content, "photo_stripped", False):
            content = strip_image_metadata(content)
        name = os.path.splitext(name)[0] + os.path.splitext(content.name)[1]
        super().save(name, content, save)


class PhotoField(models.ImageField):
    """An ``ImageField`` whose files are stored re-encoded from their pixels, without EXIF (GPS position,
    camera, time) or any other metadata (``images.strip_image_metadata``).

    A form's validation strips the new photo already, so an unreadable or oversized picture is a form error
    in Korean rather than a failure on saving."""

    attr_class = PhotoFieldFile

    def run_validators(self, value):
        # After the field's validators, so a wrong type or size gets their precise message first.
        super().run_validators(value)
        if value and not value._committed and not getattr(value.file, "photo_stripped", False):
            # The field keeps the clean copy: saving after validation does not decode the photo again.
            value.file = strip_image_metadata(value.file)


class PublicPhotoField(PhotoField):
    """A photo citizens see on public pages: in the public storage (public-read on object storage, where a
    private file never goes) and checked as an image upload."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("storage", get_public_storage)
        kwargs.setdefault("validators", [validate_image_upload])
        super().__init__(*args, **kwargs)
