"""Fixtures of the social-economy partner API tests: one pinned moment, a reading key, the organizations."""

import datetime

import pytest

from social_economy.models import OrganizationStatus
from tests.api.support import partner_client

from ..factories import (
    CertifiedSocialEnterpriseFactory,
    DongFactory,
    OrganizationFactory,
    PreliminarySocialEnterpriseFactory,
    ProductFactory,
)
from .support import MOMENT, READ


@pytest.fixture(autouse=True)
def _at_moment(time_machine):
    time_machine.move_to(MOMENT)


@pytest.fixture
def reader():
    return partner_client(READ)


@pytest.fixture
def organizations():
    pungnam, hyoja = DongFactory(name="풍남동"), DongFactory(name="효자4동")
    certified = CertifiedSocialEnterpriseFactory(
        name="가나푸드",
        description="어르신 도시락 배달",
        dong=pungnam,
        employees_count=20,
        vulnerable_employees_count=12,
        certification_number="제2015-101호",
        certification_expires_on=datetime.date(2027, 6, 30),
        representative_name="홍길순",
    )
    cooperative = OrganizationFactory(
        name="다라 한지공예협동조합",
        description="한지 조명과 소품",
        dong=hyoja,
        employees_count=5,
        vulnerable_employees_count=1,
        status=OrganizationStatus.SUSPENDED,
        representative_name="김철수",
    )
    preliminary = PreliminarySocialEnterpriseFactory(
        name="마바 돌봄",
        description="방문 돌봄",
        dong=DongFactory(name="송천1동"),
        employees_count=9,
        vulnerable_employees_count=4,
        certification_expires_on=datetime.date(2026, 12, 31),
        representative_name="이영희",
    )
    ProductFactory(organization=certified, name="도시락 A")
    ProductFactory(organization=certified, name="도시락 B")
    ProductFactory(organization=certified, name="단종된 반찬", is_active=False)
    return {"certified": certified, "cooperative": cooperative, "preliminary": preliminary}
