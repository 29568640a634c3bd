"""Output of the ``calls`` resource: the public notice, places and how many applied, and the published draw.
No applicant data, ever (not even receipt numbers with names)."""

from rest_framework import serializers

from jeonju_center.api.serializers import ChoiceLabelField, FastModelSerializer

from ..models import Call, Draw


class DrawSerializer(FastModelSerializer):
    """The published lottery: anyone can recompute ``order`` from ``seed`` and ``entries`` (see /calls/<slug>/draw/)."""

    class Meta:
        model = Draw
        fields = ["algorithm", "seed", "entries", "order", "published_at"]


class CallSerializer(FastModelSerializer):
    """A published call (모집공고) with its period, rules and places."""

    program_label = ChoiceLabelField("program")
    selection_method_label = ChoiceLabelField("selection_method")
    residence_label = ChoiceLabelField("residence")
    dong_names = serializers.SerializerMethodField(help_text="거주 요건이 지정 행정동일 때 그 행정동 이름")
    room_names = serializers.SerializerMethodField(help_text="모집 호실 (빈집 관리번호와 호실)")
    documents = serializers.SerializerMethodField(help_text="제출 서류 이름 (필수 여부)")
    applied_count = serializers.IntegerField(
        read_only=True, help_text="지금까지 접수된 신청서 수 (작성 중·철회 제외)"
    )
    is_open = serializers.SerializerMethodField(help_text="지금 접수 중인지")
    draw = serializers.SerializerMethodField(help_text="공개추첨 결과 (없으면 null)")

    class Meta:
        model = Call
        fields = [
            "id", "slug", "title", "program", "program_label", "summary", "notice", "opens_at", "closes_at",
            "announce_on", "places", "reserve_places", "selection_method", "selection_method_label", "min_age",
            "max_age", "residence", "residence_label", "dong_names", "requires_no_home", "max_income_bracket",
            "group_min_members", "room_names", "documents", "applied_count", "is_open", "draw", "updated_at",
        ]  # fmt: skip

    def get_dong_names(self, call) -> list[str]:
        return [dong.name for dong in call.dongs.all()]

    def get_room_names(self, call) -> list[str]:
        return [f"{room.house.management_number} {room.name}" for room in call.rooms.all()]

    def get_documents(self, call) -> list[dict]:
        return [
            {"name": document.name, "required": document.is_required} for document in call.documents.all()
        ]

    def get_is_open(self, call) -> bool:
        return call.is_open()

    def get_draw(self, call) -> dict | None:
        try:
            return DrawSerializer(call.draw).data
        except Draw.DoesNotExist:
            return None
