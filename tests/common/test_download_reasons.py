"""No file with personal data is made without a reason (개인정보의 안전성 확보조치 기준: 다운로드 사유 확인):
every back-office export that would hold personal data, found by walking the admin, refuses without one and
logs the reason with the row count when given. The course rosters, the owner consent documents and staff
certificate downloads are tested with their apps."""

import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from jeonju_center.common.admin_mixins import _exports_personal_data
from jeonju_center.common.download_reasons import DownloadReasonForm
from jeonju_center.common.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def personal_exports():
    found = []
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ExportMixin):
            resource = model_admin.get_export_resource_classes(None)[0]
            if _exports_personal_data(resource):
                found.append((model._meta, resource))
    return found


def test_the_walk_finds_the_exports_that_hold_personal_data():
    labels = {opts.label_lower for opts, _resource in personal_exports()}
    assert "social_economy.organization" in labels  # 대표자명
    assert "regeneration.vacanthouse" not in labels  # its export leaves the owners out


@pytest.mark.parametrize(
    ("opts", "resource"), personal_exports(), ids=lambda value: getattr(value, "label_lower", "")
)
def test_every_personal_data_export_needs_a_reason_and_logs_it(admin_client, opts, resource):
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    columns = {f"{resource.__name__}_{name}".lower(): "on" for name in resource().fields}
    data = {"format": "1", "resource": "0", **columns}

    refused = admin_client.post(url, {**data, "reason": ""})
    assert refused.status_code == 200 and "text/csv" not in refused["Content-Type"]
    assert "내려받는 사유를 골라 주세요" in refused.content.decode()
    assert not PersonalDataAccess.objects.exists()

    done = admin_client.post(url, {**data, "reason": "audit", "detail": "분기 점검"})
    assert done.status_code == 200 and "text/csv" in done["Content-Type"]
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.action, entry.reason) == ("export", "감사·점검 대응: 분기 점검")
    assert entry.record_count == opts.model._default_manager.count()


@pytest.mark.parametrize(
    ("data", "valid", "text"),
    [
        ({"reason": "contact"}, True, "참여자 연락 (변경·취소 안내)"),
        ({"reason": "contact", "detail": "휴강 안내"}, True, "참여자 연락 (변경·취소 안내): 휴강 안내"),
        ({"reason": "other", "detail": "  감사원 자료 요구 "}, True, "감사원 자료 요구"),
        ({"reason": "other", "detail": ""}, False, None),
        ({"reason": ""}, False, None),
        ({"reason": "anything"}, False, None),
    ],
)
def test_the_reason_as_the_log_keeps_it(data, valid, text):
    form = DownloadReasonForm(data)
    assert form.is_valid() is valid
    if valid:
        assert form.reason_text() == text


def test_only_holders_of_the_permission_are_offered_unmasked_files():
    assert "unmasked" not in DownloadReasonForm(may_unmask=False).fields
    assert "unmasked" in DownloadReasonForm(may_unmask=True).fields
