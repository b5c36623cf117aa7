from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alongside.groups.recurrence import (
    Schedule,
    next_occurrence,
    occurrence_at,
    occurrences,
    parse_rule,
)

NEW_YORK = "America/New_York"
LONDON = "Europe/London"
HOUR = timedelta(hours=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local_starts(found, zone: str) -> list[str]:
    return [o.start.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z") for o in found]


def weekly(zone=NEW_YORK, start=datetime(2026, 1, 6, 19, 0), rule="FREQ=WEEKLY;BYDAY=TU", **kw):
    return Schedule(zone=zone, start=start, duration=HOUR, rule=rule, **kw)


def test_weekly_meeting_happens_every_tuesday_evening():
    found = occurrences(weekly(), utc(2026, 1, 1), utc(2026, 1, 31))

    assert local_starts(found, NEW_YORK) == [
        "2026-01-06 19:00 EST",
        "2026-01-13 19:00 EST",
        "2026-01-20 19:00 EST",
        "2026-01-27 19:00 EST",
    ]
    assert all(o.end - o.start == HOUR for o in found)


def test_every_other_week_skips_alternate_weeks():
    schedule = weekly(rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU")

    found = occurrences(schedule, utc(2026, 1, 1), utc(2026, 2, 28))

    assert [o.start.date() for o in found] == [
        date(2026, 1, 6),
        date(2026, 1, 20),
        date(2026, 2, 3),
        date(2026, 2, 17),
    ]


def test_monthly_on_the_second_tuesday():
    schedule = weekly(rule="FREQ=MONTHLY;BYDAY=2TU")

    found = occurrences(schedule, utc(2026, 1, 1), utc(2026, 5, 1))

    assert [o.start.date() for o in found] == [
        date(2026, 1, 13),
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 14),
    ]


@pytest.mark.parametrize(
    ("zone", "first", "before", "after"),
    [
        # New York springs forward on 8 March 2026 and falls back on 1 November.
        (NEW_YORK, datetime(2026, 3, 1, 19), "EST", "EDT"),
        (NEW_YORK, datetime(2026, 10, 25, 19), "EDT", "EST"),
        # London springs forward on 29 March 2026 and falls back on 25 October.
        (LONDON, datetime(2026, 3, 22, 19), "GMT", "BST"),
        (LONDON, datetime(2026, 10, 18, 19), "BST", "GMT"),
    ],
)
def test_seven_in_the_evening_stays_seven_across_each_clock_change(zone, first, before, after):
    schedule = Schedule(zone=zone, start=first, duration=HOUR, rule="FREQ=WEEKLY")
    start_utc = first.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)

    found = occurrences(schedule, start_utc, start_utc + timedelta(days=10))

    assert [o.start.strftime("%H:%M %Z") for o in found] == [f"19:00 {before}", f"19:00 {after}"]
    assert found[1].start_utc - found[0].start_utc != timedelta(days=7)


def test_the_utc_gap_between_meetings_changes_by_the_clock_shift():
    schedule = Schedule(
        zone=LONDON, start=datetime(2026, 3, 22, 19), duration=HOUR, rule="FREQ=WEEKLY"
    )

    first, second = occurrences(schedule, utc(2026, 3, 22), utc(2026, 4, 1))

    assert second.start_utc - first.start_utc == timedelta(days=7) - HOUR


def test_a_time_in_the_skipped_hour_moves_to_after_the_gap():
    schedule = Schedule(
        zone=NEW_YORK, start=datetime(2026, 3, 1, 2, 30), duration=HOUR, rule="FREQ=WEEKLY"
    )

    found = occurrences(schedule, utc(2026, 3, 1), utc(2026, 3, 16))

    assert local_starts(found, NEW_YORK) == [
        "2026-03-01 02:30 EST",
        "2026-03-08 03:30 EDT",
        "2026-03-15 02:30 EDT",
    ]


def test_a_time_that_happens_twice_means_the_first_one():
    schedule = Schedule(
        zone=NEW_YORK, start=datetime(2026, 11, 1, 1, 30), duration=HOUR, rule="FREQ=DAILY;COUNT=1"
    )

    (only,) = occurrences(schedule, utc(2026, 11, 1), utc(2026, 11, 2))

    assert only.start_utc == utc(2026, 11, 1, 5, 30)


def test_a_cancelled_meeting_is_left_out():
    schedule = weekly(cancelled=frozenset({date(2026, 1, 13)}))

    found = occurrences(schedule, utc(2026, 1, 1), utc(2026, 1, 31))

    assert date(2026, 1, 13) not in [o.start.date() for o in found]
    assert len(found) == 3


def test_a_moved_meeting_appears_at_its_new_time_and_remembers_its_slot():
    schedule = weekly(moved={date(2026, 1, 13): datetime(2026, 1, 15, 18, 0)})

    found = occurrences(schedule, utc(2026, 1, 1), utc(2026, 1, 31))

    assert local_starts(found, NEW_YORK)[1] == "2026-01-15 18:00 EST"
    assert found[1].is_moved
    assert found[1].scheduled == datetime(2026, 1, 13, 19, tzinfo=ZoneInfo(NEW_YORK))
    assert not found[0].is_moved


def test_a_meeting_moved_out_of_the_window_leaves_it():
    schedule = weekly(moved={date(2026, 1, 27): datetime(2026, 2, 2, 19, 0)})

    found = occurrences(schedule, utc(2026, 1, 1), utc(2026, 1, 31))

    assert [o.start.day for o in found] == [6, 13, 20]


def test_moving_a_date_the_rule_never_scheduled_adds_nothing():
    schedule = weekly(moved={date(2026, 1, 14): datetime(2026, 1, 16, 19, 0)})

    found = occurrences(schedule, utc(2026, 1, 1), utc(2026, 1, 31))

    assert len(found) == 4
    assert not any(o.is_moved for o in found)


def test_a_one_off_event_happens_once():
    schedule = Schedule(zone=LONDON, start=datetime(2026, 6, 20, 10), duration=2 * HOUR)

    found = occurrences(schedule, utc(2026, 1, 1), utc(2027, 1, 1))

    assert local_starts(found, LONDON) == ["2026-06-20 10:00 BST"]
    assert found[0].end - found[0].start == 2 * HOUR


def test_the_window_is_half_open():
    schedule = weekly()
    first = utc(2026, 1, 7, 0)  # 19:00 EST on 6 January

    assert [o.start_utc for o in occurrences(schedule, first, first + timedelta(days=7))] == [first]


def test_next_occurrence_is_the_earliest_including_a_meeting_moved_earlier():
    schedule = weekly(moved={date(2026, 1, 20): datetime(2026, 1, 14, 12, 0)})

    upcoming = next_occurrence(schedule, utc(2026, 1, 14, 1))

    assert upcoming is not None
    assert upcoming.start == datetime(2026, 1, 14, 12, tzinfo=ZoneInfo(NEW_YORK))


def test_next_occurrence_skips_cancellations_and_finds_distant_meetings():
    schedule = weekly(rule="FREQ=YEARLY", cancelled=frozenset({date(2027, 1, 6)}))

    upcoming = next_occurrence(schedule, utc(2026, 2, 1))

    assert upcoming is not None
    assert upcoming.start.date() == date(2028, 1, 6)


def test_next_occurrence_of_a_finished_schedule_is_none():
    schedule = weekly(rule="FREQ=WEEKLY;COUNT=2")

    assert next_occurrence(schedule, utc(2026, 2, 1)) is None


def test_until_in_utc_is_read_as_the_instant_it_names():
    # 00:00 UTC on 21 January is 19:00 on 20 January in New York: that meeting is the last.
    schedule = weekly(rule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20260121T000000Z")

    found = occurrences(schedule, utc(2026, 1, 1), utc(2026, 3, 1))

    assert [o.start.day for o in found] == [6, 13, 20]


@pytest.mark.parametrize(
    "text",
    ["", "FREQ=HOURLY", "FREQ=SOMETIMES", "DTSTART:20260101T000000\nRRULE:FREQ=DAILY", "BYDAY=XX"],
)
def test_invalid_rules_are_refused(text):
    with pytest.raises(ValueError):
        parse_rule(text, start=datetime(2026, 1, 1, 19), zone=NEW_YORK)


def test_unknown_zone_is_refused():
    with pytest.raises(ValueError):
        parse_rule("FREQ=WEEKLY", start=datetime(2026, 1, 1, 19), zone="Mars/Olympus_Mons")


@given(
    zone=st.sampled_from([NEW_YORK, LONDON, "Australia/Sydney", "Asia/Kolkata"]),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
    interval=st.integers(1, 3),
    offset_days=st.integers(0, 800),
)
def test_every_weekly_meeting_keeps_its_wall_clock_time_and_next_agrees(
    zone, hour, minute, interval, offset_days
):
    start = datetime(2025, 1, 1, hour, minute)
    schedule = Schedule(
        zone=zone, start=start, duration=HOUR, rule=f"FREQ=WEEKLY;INTERVAL={interval}"
    )
    window_start = utc(2025, 1, 1) + timedelta(days=offset_days)

    found = occurrences(schedule, window_start, window_start + timedelta(days=60))

    assert found == sorted(found, key=lambda o: o.start_utc)
    assert all(window_start <= o.start_utc < window_start + timedelta(days=60) for o in found)
    # Only a time in a skipped hour may shift, and then forward by the gap.
    assert all(o.start.time() >= start.time() or o.start.hour == hour + 1 for o in found)
    assert all((o.start.date() - start.date()).days % (7 * interval) == 0 for o in found)
    assert next_occurrence(schedule, window_start) == found[0]


def test_occurrence_at_finds_a_scheduled_meeting_where_it_now_happens():
    schedule = weekly(moved={date(2026, 1, 13): datetime(2026, 1, 15, 18, 0)})

    moved = occurrence_at(schedule, utc(2026, 1, 14, 0))
    plain = occurrence_at(schedule, utc(2026, 1, 21, 0))

    assert moved is not None and moved.start == datetime(2026, 1, 15, 18, tzinfo=ZoneInfo(NEW_YORK))
    assert plain is not None and not plain.is_moved


@pytest.mark.parametrize(
    "instant",
    [utc(2026, 1, 14, 1), utc(2026, 1, 15, 0), utc(2026, 1, 28, 0)],
    ids=["wrong-time", "wrong-day", "cancelled"],
)
def test_occurrence_at_refuses_instants_the_schedule_does_not_hold(instant):
    schedule = weekly(cancelled=frozenset({date(2026, 1, 27)}))

    assert occurrence_at(schedule, instant) is None
