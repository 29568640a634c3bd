"""Reference data of the citizen courses: the five course tracks (강좌 분야)."""

from django.db import transaction

from jeonju_center.common.reference import reference_loader

from .models import Track

# (slug, name, description) in display order.
TRACKS = [
    ("community", "공동체", "마을공동체를 만들고 가꾸는 시민을 위한 강좌입니다."),
    ("social-economy", "사회적경제", "사회적기업·협동조합·마을기업 등 사회적경제를 배우는 강좌입니다."),
    ("urban-regeneration", "도시재생", "주민이 주도하는 도시재생과 빈집 활용을 배우는 강좌입니다."),
    ("evening-humanities", "주경야독 인문학", "낮에는 일하고 밤에는 배우는 시민 인문학 강좌입니다."),
    ("resident-capacity", "주민역량강화", "도시재생활성화지역 주민의 역량을 키우는 교육입니다."),
]


@reference_loader
@transaction.atomic
def load_tracks():
    """Create the tracks that are missing; tracks staff edited are left as they are."""
    existing = set(Track.objects.values_list("slug", flat=True))
    missing = [
        Track(slug=slug, name=name, description=description, display_order=order)
        for order, (slug, name, description) in enumerate(TRACKS, start=1)
        if slug not in existing
    ]
    Track.objects.bulk_create(missing)
    return f"course tracks: {len(missing)} created"
