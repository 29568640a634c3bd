"""Photos the public uploads, made safe to publish.

A phone photo carries EXIF metadata: the GPS position where it was taken (often the maker's home or
workshop), the camera and the time. Published as is, anyone can download it and read the position. Every
photo that goes onto a public page is therefore re-encoded here from its pixels alone, after the EXIF
orientation is applied to the pixels (otherwise a portrait photo would show on its side once the tag
that turned it is gone)."""

import io
import os
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# Pixel count above which a file is refused before its pixels are decoded: a few kilobytes of PNG can
# declare an image of billions of pixels and exhaust the server's memory (a decompression bomb).
MAX_IMAGE_PIXELS = 40_000_000

_FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def _invalid():
    return ValidationError(
        _("사진 파일을 읽을 수 없습니다. JPG, PNG, WEBP, GIF 사진을 올려 주세요."), code="invalid_image"
    )


def strip_image_metadata(upload, *, max_pixels=MAX_IMAGE_PIXELS):
    """A new file with the pixels of ``upload`` (orientation applied) and no EXIF, GPS or other metadata,
    in the same format; raises ``ValidationError`` with a Korean message for anything that is not a
    readable photo or is too large to decode safely."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            image_format = image.format
            if image_format not in _FORMAT_EXTENSIONS:
                raise _invalid()
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    _("사진이 너무 큽니다. 가로×세로 %(limit)d만 화소 이하로 줄여서 올려 주세요.")
                    % {"limit": max_pixels // 10_000},
                    code="image_too_large",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("사진이 너무 큽니다. 가로×세로 %(limit)d만 화소 이하로 줄여서 올려 주세요.")
            % {"limit": max_pixels // 10_000},
            code="image_too_large",
        ) from None
    except ValidationError:
        raise
    except Exception:
        # Whatever a decoder throws on a damaged or disguised file (OSError, SyntaxError, struct.error…), the
        # person gets the same answer: this is not a photo we can use.
        raise _invalid() from None
    finally:
        upload.seek(0)
    # A fresh image from the pixels only: nothing of the original's info (EXIF, XMP, ICC comments) follows.
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = Image.new(image.mode, image.size)
    if image.mode == "P":
        clean.putpalette(image.getpalette())
    clean.paste(image)
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {}
    if image_format == "PNG" and "transparency" in image.info:
        options["transparency"] = image.info["transparency"]
    buffer = io.BytesIO()
    clean.save(buffer, format=image_format, **options)
    stem = os.path.splitext(os.path.basename(getattr(upload, "name", "") or "photo"))[0] or "photo"
    clean_file = ContentFile(buffer.getvalue(), name=f"{stem}.{_FORMAT_EXTENSIONS[image_format]}")
    clean_file.photo_stripped = True  # PhotoField does not decode it a second time
    return clean_file
