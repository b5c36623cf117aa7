"""The directory's spans of time, read in the searcher's zone, across daylight-saving changes."""

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alongside.groups.windows import merge, search_spans, when_span

HORIZON = timedelta(days=35)
NEW_YORK = "America/New_York"
LONDON = "Europe/London"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def spans(now, zone=NEW_YORK, **filters):
    return search_spans(now, zone, horizon=HORIZON, **filters)


def test_any_time_is_the_whole_horizon_from_now():
    now = utc(2026, 11, 25, 18)
    assert spans(now) == [(now, now + HORIZON)]


def test_tonight_runs_from_five_in_the_evening_to_four_in_the_morning_local():
    # 13:00 in New York (UTC-5): tonight is 17:00 to 04:00 local, 22:00 to 09:00 UTC.
    assert spans(utc(2026, 11, 25, 18), when="tonight") == [
        (utc(2026, 11, 25, 22), utc(2026, 11, 26, 9))
    ]


def test_tonight_already_under_way_starts_now():
    now = utc(2026, 11, 26, 1, 30)  # 20:30 in New York
    assert spans(now, when="tonight") == [(now, utc(2026, 11, 26, 9))]


def test_tonight_after_midnight_is_what_is_left_of_the_night():
    now = utc(2026, 11, 26, 6)  # 01:00 in New York
    assert spans(now, when="tonight") == [(now, utc(2026, 11, 26, 9))]


def test_tonight_is_an_hour_longer_when_new_york_falls_back():
    # Saturday 31 October 2026; the clocks go back at 02:00 on Sunday 1 November.
    [(start, end)] = spans(utc(2026, 10, 31, 16), when="tonight")
    assert start == utc(2026, 10, 31, 21)  # 17:00 EDT
    assert end == utc(2026, 11, 1, 9)  # 04:00 EST
    assert end - start == timedelta(hours=12)


def test_tonight_is_an_hour_shorter_when_london_springs_forward():
    # Saturday 28 March 2026; the clocks go forward at 01:00 on Sunday 29 March.
    [(start, end)] = spans(utc(2026, 3, 28, 12), LONDON, when="tonight")
    assert start == utc(2026, 3, 28, 17)  # 17:00 GMT
    assert end == utc(2026, 3, 29, 3)  # 04:00 BST
    assert end - start == timedelta(hours=10)


def test_the_same_words_mean_different_instants_in_different_zones():
    now = utc(2026, 11, 25, 12)
    assert spans(now, NEW_YORK, when="tonight") != spans(now, LONDON, when="tonight")


def test_today_and_tomorrow_end_at_local_midnight():
    now = utc(2026, 11, 25, 18)
    assert spans(now, when="today") == [(now, utc(2026, 11, 26, 5))]
    assert spans(now, when="tomorrow") == [(utc(2026, 11, 26, 5), utc(2026, 11, 27, 5))]


@pytest.mark.parametrize(
    ("now", "saturday"),
    [
        (utc(2026, 11, 25, 18), utc(2026, 11, 28, 5)),  # Wednesday: the coming weekend
        (utc(2026, 11, 28, 15), utc(2026, 11, 28, 15)),  # Saturday: from now
        (utc(2026, 11, 29, 15), utc(2026, 11, 29, 15)),  # Sunday: what is left of it
    ],
)
def test_this_weekend_ends_at_midnight_before_monday(now, saturday):
    assert spans(now, when="weekend") == [(saturday, utc(2026, 11, 30, 5))]


def test_weekend_mornings_are_two_spans():
    now = utc(2026, 11, 25, 18)
    assert spans(now, when="weekend", times=["morning"]) == [
        (utc(2026, 11, 28, 10), utc(2026, 11, 28, 17)),
        (utc(2026, 11, 29, 10), utc(2026, 11, 29, 17)),
    ]


def test_tuesdays_without_when_look_a_week_ahead():
    now = utc(2026, 11, 25, 18)  # Wednesday
    assert spans(now, days=[1]) == [(utc(2026, 12, 1, 5), utc(2026, 12, 2, 5))]


def test_friday_night_runs_into_saturday_morning():
    now = utc(2026, 11, 25, 18)
    assert spans(now, days=[4], times=["night"]) == [
        (utc(2026, 11, 28, 2), utc(2026, 11, 28, 10))  # 21:00 Friday to 05:00 Saturday
    ]


def test_last_nights_slot_still_running_is_included():
    now = utc(2026, 11, 28, 6)  # 01:00 Saturday in New York: Friday night is still on
    # ... and next Friday night, as far as the week ahead reaches.
    assert spans(now, days=[4], times=["night"]) == [
        (now, utc(2026, 11, 28, 10)),
        (utc(2026, 12, 5, 2), now + timedelta(days=7)),
    ]


def test_touching_slots_merge_into_one_span():
    now = utc(2026, 11, 25, 18)
    assert spans(now, when="tomorrow", times=["morning", "afternoon"]) == [
        (utc(2026, 11, 26, 10), utc(2026, 11, 26, 22))
    ]


def test_a_day_outside_the_span_matches_nothing():
    now = utc(2026, 11, 25, 18)  # Wednesday
    assert spans(now, when="tomorrow", days=[0]) == []


def test_when_span_never_starts_before_now():
    now = utc(2026, 11, 28, 20)  # a Saturday afternoon
    for when in ("today", "tonight", "weekend", "week", "any"):
        start, end = when_span(when, now, ZoneInfo(NEW_YORK), horizon=HORIZON)
        assert now <= start < end


@pytest.mark.parametrize(
    "filters",
    [{"when": "soon"}, {"times": ["dawn"]}, {"days": [7]}],
)
def test_unknown_words_are_refused(filters):
    with pytest.raises(ValueError):
        spans(utc(2026, 11, 25, 18), **filters)


def minute(number: int) -> datetime:
    return utc(2026, 1, 1) + timedelta(minutes=number)


@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 100)), max_size=20))
def test_merged_spans_cover_the_same_instants_without_overlap(pairs):
    merged = merge((minute(start), minute(start + length)) for start, length in pairs)
    assert all(earlier[1] < later[0] for earlier, later in itertools.pairwise(merged))
    covered = {start + step for start, length in pairs for step in range(length)}
    assert {minute(number) for number in covered} == {
        start + timedelta(minutes=step)
        for start, end in merged
        for step in range((end - start) // timedelta(minutes=1))
    }
