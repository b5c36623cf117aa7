"""Occurrences of a meeting schedule: an RFC 5545 recurrence rule in the group's own time zone.

Pure: no Django. The rule is expanded in local wall-clock time and the zone attached afterwards,
so a meeting at 19:00 stays at 19:00 when the clocks change. As RFC 5545 does, a local time that
happens twice when the clocks go back means the first one, and a time skipped when they go
forward is read with the offset before the gap (02:30 on a spring-forward night in New York is
03:30 daylight time).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr

# Meetings repeat by day at the finest; an hourly rule is a typo that would flood every list.
ALLOWED_FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY", "YEARLY"})

# How far ahead next_occurrence looks before deciding a schedule has no more meetings.
HORIZON = timedelta(days=366 * 5)

_FREQUENCY = re.compile(r"(?:^|;)FREQ=(\w+)")
_UNTIL_UTC = re.compile(r"UNTIL=(\d{8}T\d{6})Z", re.IGNORECASE)


@dataclass(frozen=True)
class Schedule:
    """When a meeting happens: `start` is the naive local start of the first (or only) meeting.

    `rule` is the RRULE value ("FREQ=WEEKLY;BYDAY=TU"); empty for a one-off event. `cancelled`
    holds the local dates of scheduled meetings that will not happen; `moved` maps the local date
    of a scheduled meeting to its new naive local start.
    """

    zone: str
    start: datetime
    duration: timedelta
    rule: str = ""
    cancelled: frozenset[date] = frozenset()
    moved: Mapping[date, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Occurrence:
    """One meeting: `scheduled` is where the rule put it, `start` where it happens (moved or not)."""

    scheduled: datetime
    start: datetime
    end: datetime

    @property
    def is_moved(self) -> bool:
        return self.start != self.scheduled

    @property
    def scheduled_utc(self) -> datetime:
        return self.scheduled.astimezone(UTC)

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)


def zone_of(name: str) -> ZoneInfo:
    """The IANA zone called `name`; ValueError when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"Unknown time zone {name!r}.") from error


def attach_zone(local: datetime, zone: ZoneInfo) -> datetime:
    """The instant of naive wall-clock time `local` in `zone`, read as RFC 5545 reads it."""
    instant = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    return instant.astimezone(zone)


def parse_rule(text: str, *, start: datetime, zone: str) -> rrule:
    """The recurrence rule `text` anchored at naive local `start`; ValueError when it is invalid.

    An UNTIL given in UTC (as calendar clients write it) is turned into local wall-clock time,
    because the rule is expanded in local time.
    """
    value = text.strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]
    if not value or "\n" in value or "DTSTART" in value.upper():
        raise ValueError("A recurrence rule is one RRULE value, like FREQ=WEEKLY;BYDAY=TU.")
    tz = zone_of(zone)

    def local_until(match: re.Match[str]) -> str:
        until = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
        return "UNTIL=" + until.astimezone(tz).strftime("%Y%m%dT%H%M%S")

    value = _UNTIL_UTC.sub(local_until, value)
    try:
        rule = rrulestr(value, dtstart=start.replace(tzinfo=None))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ValueError(f"Not a recurrence rule: {error}") from error
    frequency = _FREQUENCY.search(value.upper())
    if not isinstance(rule, rrule) or not frequency or frequency[1] not in ALLOWED_FREQUENCIES:
        raise ValueError("A meeting repeats daily, weekly, monthly or yearly.")
    return rule


def _scheduled_starts(schedule: Schedule, first: datetime, last: datetime) -> Iterator[datetime]:
    """Naive local starts the rule (or the one-off) places between `first` and `last` inclusive."""
    if not schedule.rule:
        if first <= schedule.start <= last:
            yield schedule.start
        return
    rule = parse_rule(schedule.rule, start=schedule.start, zone=schedule.zone)
    yield from rule.between(first, last, inc=True)


def scheduled_on(schedule: Schedule, day: date) -> datetime | None:
    """The naive local start the schedule (exceptions aside) places on local `day`, if any."""
    midnight = datetime.combine(day, time.min)
    for start in _scheduled_starts(schedule, midnight, midnight + timedelta(days=1, seconds=-1)):
        return start
    return None


def occurrence_at(schedule: Schedule, scheduled_utc: datetime) -> Occurrence | None:
    """The meeting the rule scheduled at instant `scheduled_utc`, where it now happens (moved or
    not); None when the rule never scheduled one then or it was cancelled."""
    zone = zone_of(schedule.zone)
    day = scheduled_utc.astimezone(zone).date()
    local = scheduled_on(schedule, day)
    if local is None or day in schedule.cancelled:
        return None
    scheduled = attach_zone(local, zone)
    if scheduled != scheduled_utc:
        return None
    start = attach_zone(schedule.moved[day], zone) if day in schedule.moved else scheduled
    return Occurrence(scheduled, start, start + schedule.duration)


def occurrences(schedule: Schedule, start_utc: datetime, end_utc: datetime) -> list[Occurrence]:
    """Meetings starting at or after `start_utc` and before `end_utc`, in order of start.

    Cancelled meetings are left out; a moved meeting appears where it was moved to.
    """
    zone = zone_of(schedule.zone)
    # Local wall-clock bounds, widened by a day each side: offsets never exceed a day, and the
    # exact instants are compared afterwards.
    first = start_utc.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    last = end_utc.astimezone(zone).replace(tzinfo=None) + timedelta(days=1)
    found = []
    for local in _scheduled_starts(schedule, first, last):
        if local.date() in schedule.cancelled or local.date() in schedule.moved:
            continue
        start = attach_zone(local, zone)
        if start_utc <= start < end_utc:
            found.append(Occurrence(start, start, start + schedule.duration))
    for day, new_local in schedule.moved.items():
        if day in schedule.cancelled:
            continue
        start = attach_zone(new_local, zone)
        if not start_utc <= start < end_utc:
            continue
        scheduled_local = scheduled_on(schedule, day)
        if scheduled_local is None:
            continue
        found.append(
            Occurrence(attach_zone(scheduled_local, zone), start, start + schedule.duration)
        )
    return sorted(found, key=lambda occurrence: (occurrence.start, occurrence.scheduled))


def next_occurrence(schedule: Schedule, after_utc: datetime) -> Occurrence | None:
    """The first meeting starting at or after `after_utc` within HORIZON; None when there is none."""
    span = timedelta(days=8)
    window_start = after_utc
    end = after_utc + HORIZON
    while window_start < end:
        window_end = min(window_start + span, end)
        found = occurrences(schedule, window_start, window_end)
        if found:
            return found[0]
        window_start = window_end
        span *= 2
    return None
