"""iCalendar (RFC 5545) feeds of meetings: one VEVENT per schedule, in the group's own zone.

Pure: no Django. A recurring meeting is one VEVENT with an RRULE; a cancelled meeting is an
EXDATE; a moved meeting is a second VEVENT with the same UID and a RECURRENCE-ID naming the
meeting it replaces. Times carry a TZID and the calendar holds a VTIMEZONE for each zone used,
so calendar clients keep 19:00 at 19:00 when the clocks change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from alongside.groups.recurrence import Schedule, attach_zone, parse_rule, zone_of

_LOCAL_UNTIL = re.compile(r"UNTIL=(\d{8})(T\d{6})?(?![\dZ])", re.IGNORECASE)


@dataclass(frozen=True)
class CalendarEvent:
    """A meeting as a calendar shows it: `uid` must stay the same for the meeting's whole life."""

    uid: str
    summary: str
    schedule: Schedule
    description: str = ""
    location: str = ""
    url: str = ""


def calendar_for(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    prodid: str,
    stamp: datetime | None = None,
) -> bytes:
    """The iCalendar text of `events`, with a VTIMEZONE for every zone they use.

    `stamp` (UTC, default now) is each VEVENT's DTSTAMP; pass a fixed one for byte-identical
    output. Raises ValueError for an unknown zone or an invalid recurrence rule.
    """
    dtstamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    first_day = date.max
    for event in events:
        first_day = min(first_day, event.schedule.start.date())
        for component in _components(event, dtstamp):
            calendar.add_component(component)
    # Transitions from the year before the first meeting keep the VTIMEZONEs short.
    if first_day != date.max:
        calendar.add_missing_timezones(first_date=date(first_day.year - 1, 1, 1))
    return calendar.to_ical()


def _components(event: CalendarEvent, dtstamp: datetime) -> list[Event]:
    """The main VEVENT of `event`, then one per moved meeting."""
    schedule = event.schedule
    zone = zone_of(schedule.zone)
    if not schedule.rule:
        moved_start = schedule.moved.get(schedule.start.date(), schedule.start)
        single = _vevent(event, dtstamp, zone, moved_start)
        if schedule.start.date() in schedule.cancelled:
            single.add("status", "CANCELLED")
        return [single]
    parse_rule(schedule.rule, start=schedule.start, zone=schedule.zone)
    main = _vevent(event, dtstamp, zone, schedule.start)
    main.add("rrule", vRecur.from_ical(_rule_for_calendar(schedule.rule, zone)))
    cancelled = [
        attach_zone(start, zone)
        for day in sorted(schedule.cancelled)
        if (start := _scheduled_on(schedule, day)) is not None
    ]
    if cancelled:
        main.add("exdate", cancelled)
    components = [main]
    for day, new_start in sorted(schedule.moved.items()):
        scheduled = _scheduled_on(schedule, day)
        if day in schedule.cancelled or scheduled is None:
            continue
        override = _vevent(event, dtstamp, zone, new_start)
        override.add("recurrence-id", attach_zone(scheduled, zone))
        components.append(override)
    return components


def _vevent(event: CalendarEvent, dtstamp: datetime, zone: ZoneInfo, local: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", dtstamp)
    vevent.add("summary", event.summary)
    vevent.add("dtstart", attach_zone(local, zone))
    vevent.add("dtend", attach_zone(local + event.schedule.duration, zone))
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    if event.description:
        vevent.add("description", event.description)
    return vevent


def _scheduled_on(schedule: Schedule, day: date) -> datetime | None:
    """The naive local start the rule places on local `day`, if any."""
    rule = parse_rule(schedule.rule, start=schedule.start, zone=schedule.zone)
    midnight = datetime.combine(day, time.min)
    found = rule.between(midnight, midnight + timedelta(days=1, seconds=-1), inc=True)
    return found[0] if found else None


def _rule_for_calendar(rule: str, zone: ZoneInfo) -> str:
    """`rule` as an RRULE value; a local UNTIL is written in UTC, as RFC 5545 requires with TZID."""
    value = rule.strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]

    def utc_until(match: re.Match[str]) -> str:
        day = datetime.strptime(match.group(1), "%Y%m%d")
        local = (
            datetime.strptime(match.group(1) + match.group(2), "%Y%m%dT%H%M%S")
            if match.group(2)
            else datetime.combine(day, time(23, 59, 59))
        )
        return "UNTIL=" + attach_zone(local, zone).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    return _LOCAL_UNTIL.sub(utc_until, value)
