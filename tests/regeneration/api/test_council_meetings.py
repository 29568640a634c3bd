"""The partner API's ``council-meetings``: published minutes only."""

import datetime

import pytest
from django.utils import timezone

from regeneration.models import CouncilMeeting, CouncilPosition
from tests.api.support import assert_constant_queries

from ..factories import (
    CouncilMeetingFactory,
    CouncilMemberFactory,
    MeetingAttendanceFactory,
    ResidentCouncilFactory,
)
from .support import assert_invalid, events_after, last_event_id, page

pytestmark = pytest.mark.django_db


def at(year, month, dd, hour=19):
    return timezone.make_aware(datetime.datetime(year, month, dd, hour, 0))


def make_meetings():
    gamyeong = ResidentCouncilFactory(name="감영 주민협의체")
    seohak = ResidentCouncilFactory(name="서학 주민협의체")
    march = CouncilMeetingFactory(
        council=gamyeong,
        title="3월 정기회의",
        held_at=at(2025, 3, 12),
        place="중앙동 현장지원센터",
        agenda="골목 정비 계획",
        minutes="골목 정비 계획을 논의함",
        decisions="4월 중 설명회 개최",
        attendee_count=11,
        published=True,
    )
    april = CouncilMeetingFactory(
        council=seohak, title="4월 정기회의", held_at=at(2025, 4, 1, 0), published=True
    )
    may = CouncilMeetingFactory(
        council=gamyeong, title="5월 정기회의", held_at=at(2025, 5, 14), published=True
    )
    draft = CouncilMeetingFactory(
        council=gamyeong, title="6월 정기회의 (회의록 작성 중)", held_at=at(2025, 6, 11)
    )
    attendee = CouncilMemberFactory(council=gamyeong, name="최출석", position=CouncilPosition.MEMBER)
    MeetingAttendanceFactory(meeting=march, member=attendee)
    return {
        "gamyeong": gamyeong,
        "seohak": seohak,
        "march": march,
        "april": april,
        "may": may,
        "draft": draft,
        "attendee": attendee,
    }


def test_council_meetings_list_only_published_minutes(api):
    meetings = make_meetings()
    body = page(api, "/api/v1/council-meetings/")
    assert [row["title"] for row in body["results"]] == ["5월 정기회의", "4월 정기회의", "3월 정기회의"]
    march = body["results"][2]
    assert march == {
        "id": meetings["march"].id,
        "council": meetings["gamyeong"].id,
        "council_name": "감영 주민협의체",
        "title": "3월 정기회의",
        "held_at": "2025-03-12T19:00:00+09:00",
        "place": "중앙동 현장지원센터",
        "agenda": "골목 정비 계획",
        "minutes": "골목 정비 계획을 논의함",
        "decisions": "4월 중 설명회 개최",
        "attendee_count": 11,
        "published_at": "2025-03-15T19:00:00+09:00",
        "updated_at": march["updated_at"],
    }
    text = api.get("/api/v1/council-meetings/").content.decode()
    assert "최출석" not in text
    assert meetings["attendee"].phone not in text


def test_unpublished_meeting_detail_is_404(api):
    meetings = make_meetings()
    assert api.get(f"/api/v1/council-meetings/{meetings['draft'].id}/").status_code == 404
    response = api.get(f"/api/v1/council-meetings/{meetings['march'].id}/")
    assert response.status_code == 200
    assert response.json()["minutes"] == "골목 정비 계획을 논의함"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"council": "seohak"}, ["4월 정기회의"]),
        ({"council": "gamyeong"}, ["5월 정기회의", "3월 정기회의"]),
        ({"held_after": "2025-04-01"}, ["5월 정기회의", "4월 정기회의"]),  # inclusive
        ({"held_before": "2025-04-01"}, ["3월 정기회의"]),  # exclusive
        ({"held_after": "2025-03-12T19:00:01+09:00"}, ["5월 정기회의", "4월 정기회의"]),
        (
            {"held_after": "2025-03-01", "held_before": "2025-04-01T00:00:01"},
            ["4월 정기회의", "3월 정기회의"],
        ),
        ({"held_after": "2025-06-01"}, []),  # the June draft is not published
    ],
)
def test_council_meeting_filters(api, params, expected):
    meetings = make_meetings()
    params = {key: meetings[value].id if key == "council" else value for key, value in params.items()}
    assert [row["title"] for row in page(api, "/api/v1/council-meetings/", params)["results"]] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"council": "감영"}, "council"),
        ({"council": "999999"}, "council"),
        ({"held_after": "last week"}, "held_after"),
        ({"held_before": "2025-13-01"}, "held_before"),
    ],
)
def test_council_meeting_invalid_filters_are_400(api, params, field):
    assert_invalid(api, "/api/v1/council-meetings/", params, field)


def test_council_meeting_ordering(api):
    make_meetings()

    def titles(ordering):
        return [r["title"] for r in page(api, "/api/v1/council-meetings/", {"ordering": ordering})["results"]]

    assert titles("held_at") == ["3월 정기회의", "4월 정기회의", "5월 정기회의"]
    assert titles("-published_at") == ["5월 정기회의", "4월 정기회의", "3월 정기회의"]


def test_council_meeting_updated_since(api):
    meetings = make_meetings()
    CouncilMeeting.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    meetings["april"].save()
    meetings["draft"].save()  # changed, but still not public
    body = page(api, "/api/v1/council-meetings/", {"updated_since": meetings["april"].updated_at.isoformat()})
    assert [row["title"] for row in body["results"]] == ["4월 정기회의"]


def test_council_meeting_csv(api):
    meetings = make_meetings()
    response = api.get(f"/api/v1/council-meetings/?format=csv&council={meetings['seohak'].id}")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[:4] == ["id", "council", "council_name", "title"]
    row = dict(zip(header, lines[1].split(","), strict=True))
    assert (row["council_name"], row["title"]) == ("서학 주민협의체", "4월 정기회의")
    assert len(lines) == 2


def test_council_meeting_list_query_count_is_constant(api):
    def add_rows(n):
        for _ in range(n):
            meeting = CouncilMeetingFactory(published=True)
            MeetingAttendanceFactory(meeting=meeting)
            CouncilMeetingFactory(council=meeting.council)  # unpublished: not listed

    assert_constant_queries(api, "/api/v1/council-meetings/", add_rows)


def test_council_meeting_feed_follows_publication():
    marker = last_event_id()
    draft = CouncilMeetingFactory()  # not public yet: partners must not have it
    draft.is_published, draft.published_at = True, timezone.now()
    draft.save()
    draft.title = "제목 수정"
    draft.save()
    draft.is_published, draft.published_at = False, None
    draft.save()
    published = CouncilMeetingFactory(published=True)
    published_id = published.id
    published.delete()
    draft_key, published_key = str(draft.id), str(published_id)
    assert events_after(marker, "council-meetings") == [
        (draft_key, "deleted"),
        (draft_key, "updated"),
        (draft_key, "updated"),
        (draft_key, "deleted"),
        (published_key, "created"),
        (published_key, "deleted"),
    ]
