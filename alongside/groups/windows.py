"""When a directory search looks: a person's words ("tonight", "weekend mornings", Tuesdays)
turned into spans of time, read in that person's own time zone. Pure: no Django.

A day's slots are wall-clock hours of the day they start on; "night" runs past midnight into the
next morning, so Friday night includes 1 a.m. on Saturday. Every boundary is converted to UTC on
its own day, so a span across a daylight-saving change has its true length (the Saturday night
when New York falls back lasts an hour longer).
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Span = tuple[datetime, datetime]

WHEN_CHOICES = ("any", "today", "tonight", "tomorrow", "weekend", "week")
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # Python's weekday() order
# Slot: (first hour, hour it ends), hours past 24 end the next morning.
TIME_SLOTS: dict[str, tuple[int, int]] = {
    "morning": (5, 12),
    "afternoon": (12, 17),
    "evening": (17, 21),
    "night": (21, 29),
}
TONIGHT_FROM_HOUR = 17
NIGHT_ENDS_HOUR = 4
# Day and time filters without a "when" look this far ahead: a weekday recurs within a week.
WEEK = timedelta(days=7)


def _at(day: date, hour: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of `hour` o'clock (maybe past 24) on local `day`."""
    day += timedelta(days=hour // 24)
    return datetime.combine(day, time(hour % 24), tzinfo=zone).astimezone(UTC)


def when_span(when: str, now: datetime, zone: ZoneInfo, *, horizon: timedelta) -> Span:
    """The span `when` names, from `now` (aware) at the earliest, in `zone`."""
    local = now.astimezone(zone)
    today = local.date()
    if when == "today":
        return now, _at(today, 24, zone)
    if when == "tonight":
        if local.hour < NIGHT_ENDS_HOUR:
            return now, _at(today, NIGHT_ENDS_HOUR, zone)
        return max(now, _at(today, TONIGHT_FROM_HOUR, zone)), _at(today, 24 + NIGHT_ENDS_HOUR, zone)
    if when == "tomorrow":
        return _at(today, 24, zone), _at(today, 48, zone)
    if when == "weekend":
        saturday = today + timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            saturday = today - timedelta(days=1)
        return max(now, _at(saturday, 0, zone)), _at(saturday, 48, zone)
    if when == "week":
        return now, now + WEEK
    if when == "any":
        return now, now + horizon
    raise ValueError(f"Unknown time span {when!r}.")


def search_spans(
    now: datetime,
    zone_name: str,
    *,
    when: str = "any",
    days: Iterable[int] = (),
    times: Iterable[str] = (),
    horizon: timedelta,
) -> list[Span]:
    """The UTC spans a search covers, sorted and merged; empty when nothing can match.

    `days` are weekdays (0 = Monday) and `times` names from TIME_SLOTS; each narrows the span of
    `when` (any: the next `horizon`, or the next week when days or times are given).
    """
    zone = ZoneInfo(zone_name)
    day_set, time_set = frozenset(days), frozenset(times)
    if unknown := time_set - TIME_SLOTS.keys():
        raise ValueError(f"Unknown times of day {sorted(unknown)}.")
    if not day_set <= set(range(7)):
        raise ValueError("Weekdays run from 0 (Monday) to 6 (Sunday).")
    if when == "any" and (day_set or time_set):
        when = "week"
    start, end = when_span(when, now, zone, horizon=horizon)
    if not day_set and not time_set:
        return [(start, end)] if start < end else []
    spans: list[Span] = []
    # From the day before: last night's slot may still be running.
    day = start.astimezone(zone).date() - timedelta(days=1)
    while _at(day, 0, zone) < end:
        if not day_set or day.weekday() in day_set:
            hours = [TIME_SLOTS[name] for name in sorted(time_set)] or [(0, 24)]
            for first, last in hours:
                spans.append((max(start, _at(day, first, zone)), min(end, _at(day, last, zone))))
        day += timedelta(days=1)
    return merge(span for span in spans if span[0] < span[1])


def merge(spans: Iterable[Span]) -> list[Span]:
    """Spans sorted, with overlapping or touching ones joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
