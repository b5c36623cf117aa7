"""Days in recovery and badges, counted on the member's own calendar (no database)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alongside.goals.recovery import (
    anniversary,
    badges_reached,
    badges_to_celebrate,
    days_in_recovery,
    local_today,
    next_badge,
)

NEW_YORK = "America/New_York"


def keys(badges):
    return [badge.key for badge in badges]


def test_the_start_date_is_day_zero_and_the_next_day_is_day_one():
    assert days_in_recovery(date(2025, 3, 1), date(2025, 3, 1)) == 0
    assert days_in_recovery(date(2025, 3, 1), date(2025, 3, 2)) == 1


def test_a_start_after_today_counts_zero_not_negative():
    assert days_in_recovery(date(2025, 3, 2), date(2025, 3, 1)) == 0


def test_the_day_moves_on_at_the_members_midnight_not_the_servers():
    # 03:30 UTC on 2 March is still 1 March in New York (UTC-5).
    assert local_today(datetime(2025, 3, 2, 3, 30, tzinfo=UTC), NEW_YORK) == date(2025, 3, 1)
    assert local_today(datetime(2025, 3, 2, 5, 0, tzinfo=UTC), NEW_YORK) == date(2025, 3, 2)


def test_one_minute_before_and_after_local_midnight():
    zone = ZoneInfo(NEW_YORK)
    before = datetime(2025, 6, 10, 23, 59, tzinfo=zone)
    after = datetime(2025, 6, 11, 0, 0, tzinfo=zone)
    start = date(2025, 6, 9)

    assert days_in_recovery(start, local_today(before, NEW_YORK)) == 1
    assert days_in_recovery(start, local_today(after, NEW_YORK)) == 2


def test_the_23_hour_day_when_clocks_spring_forward_still_counts_as_one_day():
    # 9 March 2025: New York skips 02:00-03:00.
    start = date(2025, 3, 8)
    end_of_short_day = datetime(2025, 3, 10, 3, 59, tzinfo=UTC)  # 23:59 EDT on 9 March
    next_morning = datetime(2025, 3, 10, 4, 0, tzinfo=UTC)  # 00:00 EDT on 10 March

    assert days_in_recovery(start, local_today(end_of_short_day, NEW_YORK)) == 1
    assert days_in_recovery(start, local_today(next_morning, NEW_YORK)) == 2


def test_the_25_hour_day_when_clocks_fall_back_still_counts_as_one_day():
    # 2 November 2025: New York repeats 01:00-02:00.
    start = date(2025, 11, 1)
    end_of_long_day = datetime(2025, 11, 3, 4, 59, tzinfo=UTC)  # 23:59 EST on 2 November
    next_morning = datetime(2025, 11, 3, 5, 0, tzinfo=UTC)  # 00:00 EST on 3 November

    assert days_in_recovery(start, local_today(end_of_long_day, NEW_YORK)) == 1
    assert days_in_recovery(start, local_today(next_morning, NEW_YORK)) == 2


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        local_today(datetime(2025, 3, 1, 12, 0), NEW_YORK)


def test_badges_come_at_the_listed_days_then_every_anniversary():
    start = date(2021, 1, 10)

    reached = badges_reached(start, date(2024, 1, 10))

    assert keys(reached) == [
        "days-1",
        "days-7",
        "days-30",
        "days-60",
        "days-90",
        "days-180",
        "years-1",
        "years-2",
        "years-3",
    ]
    assert reached[-1].reached_on == date(2024, 1, 10)


def test_no_badge_on_the_start_date_and_the_first_the_day_after():
    start = date(2025, 5, 1)

    assert badges_reached(start, start) == []
    assert keys(badges_reached(start, date(2025, 5, 2))) == ["days-1"]


def test_the_first_year_is_365_days_in_a_common_year_and_366_across_a_leap_day():
    common = date(2025, 3, 1)
    leap = date(2023, 3, 1)

    assert (anniversary(common, 1) - common).days == 365
    assert (anniversary(leap, 1) - leap).days == 366


def test_a_leap_day_start_has_its_anniversary_on_28_february():
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_the_next_badge_names_what_comes_and_when():
    start = date(2025, 1, 1)

    upcoming = next_badge(start, date(2025, 1, 20))

    assert upcoming.key == "days-30"
    assert upcoming.reached_on == date(2025, 1, 31)
    assert next_badge(start, date(2026, 1, 1)).key == "years-2"


def test_only_badges_beyond_those_celebrated_are_to_celebrate():
    start = date(2025, 1, 1)

    assert keys(badges_to_celebrate(start, date(2025, 3, 5), celebrated=2)) == [
        "days-30",
        "days-60",
    ]
    assert badges_to_celebrate(start, date(2025, 3, 5), celebrated=4) == []


@given(
    start=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    span=st.integers(min_value=0, max_value=20 * 366),
)
def test_badges_are_in_order_each_reached_by_today_and_the_next_one_is_later(start, span):
    today = date.fromordinal(start.toordinal() + span)

    reached = badges_reached(start, today)

    assert [b.reached_on for b in reached] == sorted(b.reached_on for b in reached)
    assert all(start < b.reached_on <= today for b in reached)
    assert next_badge(start, today).reached_on > today
    assert len({b.key for b in reached}) == len(reached)
