import os
import subprocess
import sys

import pytest

from tests.api.support import partner_client
from tests.conftest import REPO_ROOT
from tests.partners.factories import PartnerCenterFactory


def test_the_committed_schema_snapshot_matches_the_code(tmp_path):
    generated = tmp_path / "openapi.yaml"
    # Integer bounds in the schema come from the database backend: the snapshot is made on the embedded default.
    env = {**os.environ, "DATABASE_URL": "", "DJANGO_SETTINGS_MODULE": "jeonju_center.settings"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(generated),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    committed = (REPO_ROOT / "docs" / "openapi.yaml").read_text()
    assert generated.read_text() == committed, "the API changed: run `make schema` and review the diff"


def test_docs_and_schema_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200


@pytest.mark.django_db
def test_etag_gives_304_and_last_modified_on_details():
    from tests.social_economy.factories import OrganizationFactory

    organization = OrganizationFactory()
    client = partner_client("social_economy:read", partner=PartnerCenterFactory())
    first = client.get(f"/api/v1/organizations/{organization.pk}/")
    assert first.status_code == 200
    assert first["Last-Modified"]
    again = client.get(f"/api/v1/organizations/{organization.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    organization.name = "바뀐 이름 협동조합"
    organization.save()
    changed = client.get(f"/api/v1/organizations/{organization.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["name"] == "바뀐 이름 협동조합"


@pytest.mark.django_db
def test_unknown_api_urls_answer_in_the_json_error_shape(client):
    response = client.get("/api/v1/no-such-resource/1.5/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "찾을 수 없습니다.", "errors": {}}
    site = client.get("/no-such-page/")
    assert site.status_code == 404
    assert site["Content-Type"].startswith("text/html")
