"""Excel import/export of the vacant-house ledger (django-import-export), with Korean headers.

Rows are matched on 관리번호. A new row enters the ledger through ``services.vacant_house_register``
(status "surveyed", recorded with who and when); its 등급 체계/등급 become the first grading through
``services.house_grade_record``. A known row updates the survey data only; status, program and grade change
through their own services. Owner data is imported (the survey spreadsheet carries it) but never exported:
the export has no personal data (no owner, no exact address).
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from jeonju_center.common.imports import (
    ChoiceLabelWidget,
    DongWidget,
    KoreanDateWidget,
    KoreanDecimalWidget,
    PortalResource,
    WholeNumberWidget,
)

from . import services
from .models import (
    GRADE_LABELS,
    GRADE_RANGE_MESSAGE,
    BuildingType,
    GradeScheme,
    HouseStatus,
    Structure,
    VacancyCause,
    VacantHouse,
)

PERSONAL_COLUMNS = ("address", "owner_name", "owner_phone", "owner_address")


class VacantHouseResource(PortalResource):
    management_number = fields.Field("management_number", column_name="관리번호")
    address = fields.Field("address", column_name="소재지")
    dong = fields.Field("dong", column_name="행정동", widget=DongWidget(required=True))
    latitude = fields.Field("latitude", column_name="위도", widget=KoreanDecimalWidget())
    longitude = fields.Field("longitude", column_name="경도", widget=KoreanDecimalWidget())
    building_type = fields.Field(
        "building_type", column_name="건물 유형", widget=ChoiceLabelWidget(BuildingType.choices)
    )
    structure = fields.Field("structure", column_name="구조", widget=ChoiceLabelWidget(Structure.choices))
    built_year = fields.Field("built_year", column_name="준공 연도", widget=WholeNumberWidget())
    land_area_m2 = fields.Field("land_area_m2", column_name="대지면적(㎡)", widget=KoreanDecimalWidget())
    floor_area_m2 = fields.Field("floor_area_m2", column_name="연면적(㎡)", widget=KoreanDecimalWidget())
    vacant_since = fields.Field("vacant_since", column_name="빈집 시작 시점", widget=KoreanDateWidget())
    vacancy_cause = fields.Field(
        "vacancy_cause", column_name="빈집 발생 사유", widget=ChoiceLabelWidget(VacancyCause.choices)
    )
    surveyed_on = fields.Field("surveyed_on", column_name="실태조사일", widget=KoreanDateWidget())
    survey_round = fields.Field("survey_round", column_name="실태조사 차수(연도)", widget=WholeNumberWidget())
    grade_scheme = fields.Field(
        "current_grade_scheme", column_name="등급 체계", widget=ChoiceLabelWidget(GradeScheme.choices)
    )
    grade = fields.Field("current_grade", column_name="등급", widget=WholeNumberWidget())
    owner_name = fields.Field("owner_name", column_name="소유자 이름")
    owner_phone = fields.Field("owner_phone", column_name="소유자 연락처")
    owner_address = fields.Field("owner_address", column_name="소유자 주소")
    status = fields.Field(
        "status", column_name="진행 상태", widget=ChoiceLabelWidget(HouseStatus.choices), readonly=True
    )
    current_program = fields.Field("current_program__name", column_name="현재 활용 사업", readonly=True)

    class Meta:
        model = VacantHouse
        fields = [
            "management_number",
            "address",
            "dong",
            "latitude",
            "longitude",
            "building_type",
            "structure",
            "built_year",
            "land_area_m2",
            "floor_area_m2",
            "vacant_since",
            "vacancy_cause",
            "surveyed_on",
            "survey_round",
            "grade_scheme",
            "grade",
            "owner_name",
            "owner_phone",
            "owner_address",
            "status",
            "current_program",
        ]
        import_id_fields = ["management_number"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    @classmethod
    def get_display_name(cls):
        return str(_("빈집 실태조사 대장"))

    def get_export_fields(self, selected_fields=None):
        return [
            field
            for field in super().get_export_fields(selected_fields)
            if field.attribute not in PERSONAL_COLUMNS
        ]

    def get_export_queryset(self, request=None):
        return VacantHouse.objects.select_related("dong", "current_program").order_by("management_number")

    def row_key(self, row):
        number = str(row.get("관리번호") or "").strip()
        return (number,) if number else None

    def import_instance(self, instance, row, **kwargs):
        for key in ("address", "owner_name", "owner_phone", "owner_address"):
            column = self.fields[key].column_name
            if column in row and row[column] is None:
                row[column] = ""
        # The grade is not written onto the house directly: it becomes a grading (see save_instance).
        previous = (instance.current_grade_scheme, instance.current_grade)
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            has_grade = (
                self.fields["grade_scheme"].column_name in row or self.fields["grade"].column_name in row
            )
            self._grade = (instance.current_grade_scheme, instance.current_grade) if has_grade else ("", None)
            instance.current_grade_scheme, instance.current_grade = previous

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if self._grade_is_new(instance):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def _grade_is_new(self, instance):
        """The row's grade is a new grading unless it is the house's grade already or was recorded for this
        survey before: so a file exported from the portal, or imported twice, adds no grading."""
        scheme, grade = getattr(self, "_grade", ("", None))
        if not scheme or grade is None:
            return False
        if instance.pk is None:
            return True
        if (instance.current_grade_scheme, instance.current_grade) == (scheme, grade):
            return False
        return not instance.grades.filter(scheme=scheme, grade=grade, graded_on=instance.surveyed_on).exists()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        scheme, grade = getattr(self, "_grade", ("", None))
        if bool(scheme) != (grade is not None):
            errors.setdefault("current_grade", []).append(_("등급 체계와 등급은 함께 입력해야 합니다."))
        elif scheme and grade not in GRADE_LABELS[scheme]:
            errors.setdefault("current_grade", []).append(GRADE_RANGE_MESSAGE)
        super().validate_instance(instance, errors, validate_unique)

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            services.vacant_house_register(house=instance, actor=self.user)
        else:
            services.vacant_house_update(house=instance, actor=self.user)
        scheme, grade = self._grade
        if scheme and grade is not None and self._grade_is_new(instance):
            services.house_survey_grade_set(
                house=instance, scheme=scheme, grade=grade, surveyed_on=instance.surveyed_on, actor=self.user
            )
        # The services wrote to the row (the current grade follows the latest grading, the status its
        # rules): the preview shows the house as stored, not as the file put it.
        instance.refresh_from_db()
