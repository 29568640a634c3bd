"""Uploads on S3-compatible object storage (moto's S3 server standing in for NCloud Object Storage / MinIO).

The storages are built by the portal's own settings from the S3_* environment, as in production: pictures
of public pages are public-read objects; documents with personal data are private objects that the portal's
permission-checked views hand out as a redirect to a URL signed for a few minutes. A second process with the
same environment reads what this one wrote, as another web or worker host would."""

import importlib.util
import io
import os
import socket
import subprocess
import sys
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.storage import public_storage
from jeonju_center.common.teams import PERSONAL_DATA_VIEWERS, REGENERATION_TEAM, SOCIAL_ECONOMY_TEAM
from regeneration.models import HouseStatus
from tests.regeneration.factories import OwnerConsentFactory, RenovationFactory, VacantHouseFactory
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

BUCKET = "portal-uploads"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_env():
    """A moto S3 server on a free local port with the portal's bucket, and the environment pointing at it."""
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "portal-test-key",
        "S3_SECRET_ACCESS_KEY": "portal-test-secret",
        "PRIVATE_FILE_URL_SECONDS": "300",
    }
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET)
    yield env
    server.stop()


def _portal_settings(env):
    """The portal's settings module run afresh with ``env`` (what a server started with it would use)."""
    path = Path(settings.BASE_DIR) / "jeonju_center" / "settings" / "__init__.py"
    with mock.patch.dict(os.environ, env):
        spec = importlib.util.spec_from_file_location("_portal_settings_with_s3", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module


@pytest.fixture
def object_storage(s3_env, settings):
    portal = _portal_settings(s3_env)
    # Changing STORAGES makes Django (and the public storage's proxy) build the storages anew.
    settings.STORAGES = {**portal.STORAGES, "staticfiles": settings.STORAGES["staticfiles"]}
    settings.PRIVATE_FILE_URL_SECONDS = portal.PRIVATE_FILE_URL_SECONDS
    load_all_reference_data()
    return boto3.client(
        "s3",
        endpoint_url=s3_env["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id=s3_env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=s3_env["S3_SECRET_ACCESS_KEY"],
    )


def _public_readers(client, key):
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    return [g for g in grants if g["Grantee"].get("URI") == "http://acs.amazonaws.com/groups/global/AllUsers"]


def jpeg_with_gps():
    """A 40×20 JPEG whose EXIF holds a GPS position and 'rotate 90° clockwise' (orientation 6)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (35.0, 49.0, 0.0), 3: "E", 4: (127.0, 8.0, 0.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "red").save(buffer, "JPEG", exif=exif)
    return ContentFile(buffer.getvalue(), name="house.jpg")


def test_without_s3_settings_uploads_stay_on_the_local_disk():
    portal = _portal_settings({"S3_BUCKET": ""})
    assert portal.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert portal.STORAGES["public"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_a_public_photo_round_trips_through_the_public_url_without_its_exif(object_storage, client):
    house = VacantHouseFactory(
        status=HouseStatus.CONSENT_OBTAINED,
        is_public=True,
        public_title="한옥 빈집",
        public_photo=jpeg_with_gps(),
    )
    key = f"public/{house.public_photo.name}"
    assert house.public_photo.name.startswith("regeneration/houses/")
    assert _public_readers(object_storage, key), "a picture of a public page is public-read"

    page = client.get(reverse("regeneration:houses")).content.decode()
    url = public_storage.url(house.public_photo.name)
    assert url.startswith(settings.STORAGES["public"]["OPTIONS"]["endpoint_url"]) and f'src="{url}"' in page
    assert "X-Amz-Signature" not in url  # a plain, cacheable URL
    feature = client.get(reverse("regeneration:houses_geojson")).json()["features"][0]
    assert feature["properties"]["photo_url"] == url

    downloaded = requests.get(url, timeout=10)
    assert downloaded.status_code == 200
    image = Image.open(io.BytesIO(downloaded.content))
    assert len(image.getexif()) == 0 and "exif" not in image.info  # no GPS position left to read
    assert image.size == (20, 40)  # the orientation was applied to the pixels before the tag went


def test_a_private_document_is_refused_without_permission_and_signed_for_minutes_with_it(
    object_storage, client
):
    consent = OwnerConsentFactory(document=ContentFile(b"%PDF-1.4 consent of an owner", name="consent.pdf"))
    key = consent.document.name
    assert object_storage.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"%PDF-1.4 consent of an owner"
    assert not _public_readers(object_storage, key), "a private document is never publicly readable"
    url = reverse("admin:regeneration_ownerconsent_document", args=[consent.pk])
    reason = {"reason": "audit", "detail": "동의 여부 확인"}

    anonymous = client.get(url, reason)
    assert (
        anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    )  # the admin's login, not the file
    client.force_login(staff_user("other-team", SOCIAL_ECONOMY_TEAM, PERSONAL_DATA_VIEWERS))
    assert client.get(url, reason).status_code == 403

    client.force_login(staff_user("regen-viewer", REGENERATION_TEAM, PERSONAL_DATA_VIEWERS))
    response = client.get(url, reason)
    assert response.status_code == 302 and "no-store" in response["Cache-Control"]
    signed = urlparse(response["Location"])
    query = parse_qs(signed.query)
    assert f"{signed.scheme}://{signed.netloc}" == settings.STORAGES["default"]["OPTIONS"]["endpoint_url"]
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    assert "attachment" in query["response-content-disposition"][0]
    downloaded = requests.get(response["Location"], timeout=10)
    assert downloaded.status_code == 200 and downloaded.content == b"%PDF-1.4 consent of an owner"


def test_another_process_with_the_same_environment_reads_and_writes_the_same_files(object_storage, s3_env):
    written = default_storage.save("calls/applications/2027/from-first.pdf", ContentFile(b"%PDF-1.4 first"))
    script = (
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "from jeonju_center.common.storage import public_storage\n"
        f"print(default_storage.open({written!r}).read().decode())\n"
        "print(public_storage.save('news/2027/from-second.png', ContentFile(b'second')))\n"
    )
    env = {
        **os.environ,
        **s3_env,
        "DJANGO_SETTINGS_MODULE": "jeonju_center.settings",
        "DJANGO_ENV": "development",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    first_line, second_name = result.stdout.strip().splitlines()[-2:]
    assert first_line == "%PDF-1.4 first"
    with public_storage.open(second_name) as stored:
        assert stored.read() == b"second"


def test_the_admin_names_a_private_file_without_linking_to_it(object_storage, client):
    renovation = RenovationFactory(before_photo=jpeg_with_gps())
    client.force_login(staff_user("regen", REGENERATION_TEAM))
    url = reverse("admin:regeneration_renovation_change", args=[renovation.pk])
    page = client.get(url).content.decode()
    assert renovation.before_photo.name in page  # named, so staff know a photo is there
    # …but no link: a private file's URL would be a signed one, outside the portal's checks and access log.
    assert "X-Amz-Signature" not in page and object_storage.meta.endpoint_url not in page
