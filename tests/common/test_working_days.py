"""Working days in Korea. The holidays are written here from the official calendar, independent of the
``holidays`` package the code uses: 설날 2027 (2월 6–8일, 대체공휴일 9일), 추석 2027 (9월 14–16일), 개천절 2027
(일요일 → 대체공휴일 10월 4일), 추석 2028 (10월 2–4일, 개천절과 겹쳐 대체공휴일 10월 5일)."""

import datetime

import pytest

from jeonju_center.common.working_days import (
    add_working_days,
    holiday_name,
    is_working_day,
    working_days_between,
)

D = datetime.date


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2027, 3, 2), 1, D(2027, 3, 3)),  # an ordinary Tuesday
        (D(2027, 3, 5), 1, D(2027, 3, 8)),  # Friday → Monday over a weekend
        (D(2027, 3, 6), 1, D(2027, 3, 8)),  # asked on a Saturday: Monday is the first day
        (D(2027, 2, 5), 1, D(2027, 2, 10)),  # 설날 over the weekend and its substitute Tuesday
        (D(2027, 2, 5), 7, D(2027, 2, 18)),
        (D(2027, 9, 10), 7, D(2027, 9, 24)),  # 추석 Tuesday to Thursday
        (D(2027, 10, 1), 1, D(2027, 10, 5)),  # 개천절 on a Sunday → substitute Monday
        (D(2028, 9, 29), 3, D(2028, 10, 11)),  # 추석 + 개천절 together, 대체공휴일 10/5, 한글날 10/9
    ],
)
def test_deadlines_skip_weekends_and_korean_public_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_holidays_and_substitutes_are_not_working_days():
    for day in (
        D(2027, 2, 8),
        D(2027, 2, 9),
        D(2027, 9, 15),
        D(2027, 10, 4),
        D(2028, 10, 5),
        D(2027, 12, 25),
    ):
        assert not is_working_day(day), day
        assert holiday_name(day)
    assert "대체" in holiday_name(D(2027, 2, 9))
    assert is_working_day(D(2027, 2, 10)) and holiday_name(D(2027, 2, 10)) == ""
    assert not is_working_day(D(2027, 3, 6))  # a Saturday


def test_working_days_between_counts_after_the_start_up_to_the_end():
    assert working_days_between(D(2027, 9, 10), D(2027, 9, 24)) == 7
    assert working_days_between(D(2027, 9, 24), D(2027, 9, 10)) == 0
    with pytest.raises(ValueError):
        add_working_days(D(2027, 9, 10), 0)
