"""In development runserver serves exactly the public upload folders that nginx serves in production."""

import re

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import Resolver404, get_resolver

from jeonju_center.urls import public_media_urlpatterns


class _DevelopmentUrls:
    urlpatterns = None


def _resolver():
    _DevelopmentUrls.urlpatterns = public_media_urlpatterns()
    return get_resolver(_DevelopmentUrls)


@pytest.fixture
def media(tmp_path):
    for relative in ("courses/poster.png", "regeneration/houses/front.jpg", "regeneration/consents/owner.pdf",
                     "ondure/evidence/receipt.pdf"):  # fmt: skip
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data of " + relative.encode())
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


@pytest.mark.parametrize("path", ["/media/courses/poster.png", "/media/regeneration/houses/front.jpg"])
def test_public_pictures_are_served(media, path):
    match = _resolver().resolve(path)
    response = match.func(RequestFactory().get(path), *match.args, **match.kwargs)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"data of " + path.removeprefix("/media/").encode()


@pytest.mark.parametrize(
    "path",
    [
        "/media/regeneration/consents/owner.pdf",
        "/media/ondure/evidence/receipt.pdf",
        "/media/courses/../regeneration/consents/owner.pdf",
        "/media/coursesX/poster.png",
    ],
)
def test_private_uploads_are_not(media, path):
    with pytest.raises(Resolver404):
        _resolver().resolve(path)


def test_nginx_serves_the_same_folders():
    config = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text()
    [alternatives] = re.findall(r"location ~ \^/media/\(\?:([^)]*)\)/", config)
    assert tuple(alternatives.split("|")) == settings.PUBLIC_MEDIA_FOLDERS
