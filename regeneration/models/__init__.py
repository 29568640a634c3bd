"""Urban regeneration (도시재생): activation areas, resident councils and the vacant-house programs.

Invariants live in database constraints (so the admin shows a Korean message and the database refuses
bad rows); multi-row rules (life-cycle transitions, tenancy overlaps, age checks) belong to services.

One module per sub-domain; import from ``regeneration.models`` as before:

- ``areas``: activation areas (도시재생활성화지역);
- ``councils``: resident councils, their members, meetings (minutes, attendance, attachments) and support;
- ``vacant_houses``: vacant houses, their grade history, owner consents and status changes;
- ``programs``: the reuse programs and renovations;
- ``tenancies``: rooms and tenancies (the half-rent rule, no overlapping tenancies).

Every model keeps its change history (who, when, what, why). A model's PERSONAL_DATA_FIELDS are left out
of its history on purpose: the history tables must not keep copies of what the retention job erases.
"""

from .areas import ActivationArea, AreaType
from .councils import (
    CouncilMeeting,
    CouncilMember,
    CouncilPosition,
    CouncilSupport,
    MeetingAttachment,
    MeetingAttendance,
    ResidentCouncil,
    SupportKind,
)
from .programs import YOUTH_SHARE_HOUSE_AGE_RANGE, HousingProgram, ProgramKind, Renovation
from .tenancies import (
    HALF_RENT_CONSTRAINT_MESSAGE,
    HALF_RENT_MESSAGE,
    TENANCY_OVERLAP_MESSAGE,
    DateRange,
    HouseholdType,
    Int8Range,
    Room,
    Tenancy,
    occupied_until,
)
from .vacant_houses import (
    GRADE_LABELS,
    GRADE_RANGE_MESSAGE,
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    BuildingType,
    ConsentScope,
    GradeReason,
    GradeScheme,
    HouseStatus,
    HouseStatusChange,
    OwnerConsent,
    Structure,
    VacancyCause,
    VacantHouse,
    VacantHouseGrade,
    grade_in_scheme,
    grade_label,
)

__all__ = [
    "GRADE_LABELS",
    "GRADE_RANGE_MESSAGE",
    "HALF_RENT_CONSTRAINT_MESSAGE",
    "HALF_RENT_MESSAGE",
    "LATITUDE_RANGE",
    "LONGITUDE_RANGE",
    "TENANCY_OVERLAP_MESSAGE",
    "YOUTH_SHARE_HOUSE_AGE_RANGE",
    "ActivationArea",
    "AreaType",
    "BuildingType",
    "ConsentScope",
    "CouncilMeeting",
    "CouncilMember",
    "CouncilPosition",
    "CouncilSupport",
    # Migration 0003 refers to ``regeneration.models.DateRange`` and ``regeneration.models.Int8Range``.
    "DateRange",
    "GradeReason",
    "GradeScheme",
    "HouseStatus",
    "HouseStatusChange",
    "HouseholdType",
    "HousingProgram",
    "Int8Range",
    "MeetingAttachment",
    "MeetingAttendance",
    "OwnerConsent",
    "ProgramKind",
    "Renovation",
    "ResidentCouncil",
    "Room",
    "Structure",
    "SupportKind",
    "Tenancy",
    "VacancyCause",
    "VacantHouse",
    "VacantHouseGrade",
    "grade_in_scheme",
    "grade_label",
    "occupied_until",
]
