from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar, Timezone

from alongside.groups.ical import CalendarEvent, calendar_for
from alongside.groups.recurrence import Schedule

STAMP = datetime(2026, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


def tuesdays(zone="America/New_York", **kw) -> CalendarEvent:
    schedule = Schedule(
        zone=zone,
        start=datetime(2026, 3, 3, 19, 0),
        duration=HOUR,
        rule="FREQ=WEEKLY;BYDAY=TU",
        **kw,
    )
    return CalendarEvent(
        uid="meeting-1@alongside.example",
        summary="Tuesday Serenity",
        schedule=schedule,
        description="Bring a friend.",
        location="1 Main St, Chicago",
        url="https://alongside.example/meetings/1",
    )


def parsed(*events: CalendarEvent) -> Calendar:
    return Calendar.from_ical(
        calendar_for(events, name="Group", prodid="-//Alongside//EN", stamp=STAMP)
    )


def vevents(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def expanded_local_starts(vevent, until: datetime) -> list[str]:
    start = vevent.decoded("dtstart")
    rule = rrulestr(vevent["rrule"].to_ical().decode(), dtstart=start)
    excluded = {exdate.dt for group in _as_list(vevent.get("exdate")) for exdate in group.dts}
    return [
        occurrence.strftime("%Y-%m-%d %H:%M %Z")
        for occurrence in rule.between(start, until, inc=True)
        if occurrence not in excluded
    ]


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_weekly_meeting_is_one_vevent_with_rrule_and_tzid():
    [vevent] = vevents(parsed(tuesdays()))

    assert vevent["uid"] == "meeting-1@alongside.example"
    assert vevent["rrule"]["FREQ"] == ["WEEKLY"]
    assert vevent["rrule"]["BYDAY"] == ["TU"]
    assert vevent["dtstart"].params["TZID"] == "America/New_York"
    assert vevent["dtend"].params["TZID"] == "America/New_York"
    assert vevent.decoded("dtend") - vevent.decoded("dtstart") == HOUR
    assert str(vevent["location"]) == "1 Main St, Chicago"
    assert str(vevent["url"]) == "https://alongside.example/meetings/1"
    assert str(vevent["description"]) == "Bring a friend."


def test_calendar_carries_a_vtimezone_for_each_zone_used():
    calendar = parsed(tuesdays(), tuesdays(zone="Europe/London"))

    assert {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")} == {
        "America/New_York",
        "Europe/London",
    }
    assert calendar.get_missing_tzids() == set()


def test_vtimezone_gives_the_real_offsets_on_both_sides_of_dst():
    [vtimezone] = parsed(tuesdays()).walk("VTIMEZONE")
    assert isinstance(vtimezone, Timezone)
    from_calendar = vtimezone.to_tz()

    for moment in (datetime(2026, 3, 3, 19), datetime(2026, 3, 10, 19), datetime(2026, 11, 3, 19)):
        expected = moment.replace(tzinfo=ZoneInfo("America/New_York")).utcoffset()
        assert moment.replace(tzinfo=from_calendar).utcoffset() == expected


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (
            "America/New_York",
            [
                "2026-03-03 19:00 EST",
                "2026-03-10 19:00 EDT",
                "2026-03-17 19:00 EDT",
                "2026-03-24 19:00 EDT",
                "2026-03-31 19:00 EDT",
            ],
        ),
        (
            "Europe/London",
            [
                "2026-03-03 19:00 GMT",
                "2026-03-10 19:00 GMT",
                "2026-03-17 19:00 GMT",
                "2026-03-24 19:00 GMT",
                "2026-03-31 19:00 BST",
            ],
        ),
    ],
)
def test_occurrences_from_the_parsed_calendar_stay_at_local_time_across_dst(zone, expected):
    [vevent] = vevents(parsed(tuesdays(zone=zone)))

    starts = expanded_local_starts(vevent, datetime(2026, 4, 1, tzinfo=ZoneInfo(zone)))

    assert starts == expected


def test_cancelled_meeting_is_an_exdate_at_the_scheduled_local_time():
    [vevent] = vevents(parsed(tuesdays(cancelled=frozenset({date(2026, 3, 10)}))))

    [exdates] = _as_list(vevent["exdate"])
    assert exdates.params["TZID"] == "America/New_York"
    assert [exdate.dt for exdate in exdates.dts] == [
        datetime(2026, 3, 10, 19, 0, tzinfo=ZoneInfo("America/New_York"))
    ]
    starts = expanded_local_starts(vevent, datetime(2026, 3, 20, tzinfo=UTC))
    assert starts == ["2026-03-03 19:00 EST", "2026-03-17 19:00 EDT"]


def test_moved_meeting_is_a_second_vevent_with_recurrence_id():
    event = tuesdays(moved={date(2026, 3, 17): datetime(2026, 3, 18, 20, 0)})

    main, moved = vevents(parsed(event))

    assert "exdate" not in main
    assert moved["uid"] == main["uid"]
    assert moved["recurrence-id"].params["TZID"] == "America/New_York"
    assert moved.decoded("recurrence-id") == datetime(
        2026, 3, 17, 19, tzinfo=ZoneInfo("America/New_York")
    )
    assert moved.decoded("dtstart") == datetime(
        2026, 3, 18, 20, tzinfo=ZoneInfo("America/New_York")
    )
    assert moved.decoded("dtend") - moved.decoded("dtstart") == HOUR
    assert "rrule" not in moved


def test_moving_a_date_the_rule_does_not_use_adds_nothing():
    event = tuesdays(moved={date(2026, 3, 18): datetime(2026, 3, 19, 20, 0)})

    assert len(vevents(parsed(event))) == 1


def test_local_until_is_written_in_utc_as_rfc_5545_requires():
    event = CalendarEvent(
        uid="m-2",
        summary="Spring only",
        schedule=Schedule(
            zone="America/New_York",
            start=datetime(2026, 3, 3, 19),
            duration=HOUR,
            rule="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20260317T190000",
        ),
    )
    [vevent] = vevents(parsed(event))

    assert vevent["rrule"]["UNTIL"] == [datetime(2026, 3, 17, 23, 0, tzinfo=UTC)]
    starts = expanded_local_starts(vevent, datetime(2026, 6, 1, tzinfo=UTC))
    assert starts[-1] == "2026-03-17 19:00 EDT"


def test_one_off_event_has_no_rrule_and_a_cancelled_one_is_marked_cancelled():
    one_off = Schedule(zone="Europe/London", start=datetime(2026, 6, 1, 10), duration=2 * HOUR)
    cancelled = Schedule(
        zone="Europe/London",
        start=datetime(2026, 6, 2, 10),
        duration=HOUR,
        cancelled=frozenset({date(2026, 6, 2)}),
    )

    first, second = vevents(
        parsed(CalendarEvent("a", "Picnic", one_off), CalendarEvent("b", "Walk", cancelled))
    )

    assert "rrule" not in first
    assert first.decoded("dtend") - first.decoded("dtstart") == 2 * HOUR
    assert str(second["status"]) == "CANCELLED"


def test_invalid_rule_raises_value_error():
    event = CalendarEvent(
        uid="m-3",
        summary="Broken",
        schedule=Schedule(
            zone="America/New_York",
            start=datetime(2026, 3, 3, 19),
            duration=HOUR,
            rule="FREQ=HOURLY",
        ),
    )

    with pytest.raises(ValueError, match="daily, weekly, monthly or yearly"):
        calendar_for([event], name="G", prodid="-//Alongside//EN")


def test_output_is_identical_for_the_same_input_and_stamp():
    first = calendar_for([tuesdays()], name="G", prodid="-//Alongside//EN", stamp=STAMP)

    assert calendar_for([tuesdays()], name="G", prodid="-//Alongside//EN", stamp=STAMP) == first
    assert b"X-WR-CALNAME:G" in first
