import datetime

import factory
from factory.django import DjangoModelFactory

from jeonju_center.common.models import District, Dong
from ondure.models import (
    MINIMUM_MEMBERS,
    ActivityField,
    Community,
    CommunityKind,
    CommunityMember,
    CommunityStageRecord,
    CommunityStatus,
    Stage,
    SupportProgram,
    SupportRecord,
)
from social_economy.models import Organization, OrganizationType

DONG_NAMES = [
    "풍남동",
    "노송동",
    "서서학동",
    "중화산1동",
    "삼천2동",
    "효자4동",
    "인후1동",
    "송천2동",
    "혁신동",
]


class DongFactory(DjangoModelFactory):
    class Meta:
        model = Dong
        django_get_or_create = ["name"]

    name = factory.Iterator(DONG_NAMES)
    district = factory.LazyAttribute(
        lambda o: District.DEOKJIN if o.name in {"인후1동", "송천2동"} else District.WANSAN
    )


class OrganizationFactory(DjangoModelFactory):
    """A minimal cooperative, enough to be the organization a community graduated into."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"전주 온두레 협동조합 {n}")
    org_type = OrganizationType.COOPERATIVE
    dong = factory.SubFactory(DongFactory)


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"한옥마을 공예 공동체 {n}")
    kind = CommunityKind.STARTUP
    cohort_year = 2014
    selected_on = factory.LazyAttribute(lambda o: datetime.date(o.cohort_year, 4, 1))
    dong = factory.SubFactory(DongFactory)
    activity_field = ActivityField.CRAFT
    description = factory.Faker("sentence", locale="ko_KR")
    members_count = factory.LazyAttribute(lambda o: max(MINIMUM_MEMBERS.get(o.kind, 0), 7))
    status = CommunityStatus.ACTIVE
    current_stage = Stage.DIDIM
    leader_name = factory.Faker("name", locale="ko_KR")
    leader_phone = factory.Sequence(lambda n: f"010-{2000 + n % 8000:04d}-{n % 10000:04d}")

    class Params:
        graduated = factory.Trait(
            status=CommunityStatus.GRADUATED,
            current_stage=Stage.HOPE,
            graduated_on=factory.LazyAttribute(lambda o: datetime.date(o.cohort_year + 2, 12, 20)),
            graduated_organization=factory.SubFactory(OrganizationFactory),
        )
        apartment = factory.Trait(
            kind=CommunityKind.APARTMENT, apartment_complex="효자동 휴먼시아 3단지", members_count=24
        )


class CommunityMemberFactory(DjangoModelFactory):
    class Meta:
        model = CommunityMember

    community = factory.SubFactory(CommunityFactory)
    name = factory.Faker("name", locale="ko_KR")
    phone = factory.Sequence(lambda n: f"010-{3000 + n % 7000:04d}-{(n * 7) % 10000:04d}")
    role = CommunityMember.Role.MEMBER
    joined_on = factory.LazyAttribute(lambda o: datetime.date(o.community.cohort_year, 5, 1))


class CommunityStageRecordFactory(DjangoModelFactory):
    class Meta:
        model = CommunityStageRecord

    community = factory.SubFactory(CommunityFactory)
    year = factory.LazyAttribute(lambda o: o.community.cohort_year)
    stage = Stage.DIDIM
    decision = CommunityStageRecord.Decision.PROMOTE
    reason = factory.Faker("sentence", locale="ko_KR")
    decided_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 15) if o.decision else None)


class SupportProgramFactory(DjangoModelFactory):
    class Meta:
        model = SupportProgram

    name = factory.Sequence(lambda n: f"온두레 공동체 맞춤형 지원 {n}")
    year = 2015
    kind = SupportProgram.Kind.TAILORED
    budget = 200_000_000
    description = factory.Faker("paragraph", locale="ko_KR")


class SupportRecordFactory(DjangoModelFactory):
    class Meta:
        model = SupportRecord

    community = factory.SubFactory(CommunityFactory)
    program = factory.SubFactory(SupportProgramFactory)
    kind = SupportRecord.Kind.GRANT
    supported_on = factory.LazyAttribute(
        lambda o: datetime.date(o.program.year if o.program else 2015, 6, 10)
    )
    amount = 5_000_000
    settlement_status = factory.LazyAttribute(
        lambda o: SupportRecord.Settlement.UNSETTLED if o.kind == SupportRecord.Kind.GRANT else ""
    )
    notes = factory.Faker("sentence", locale="ko_KR")
