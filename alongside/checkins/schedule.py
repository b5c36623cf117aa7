"""Days and times in the member's own time zone: which day a check-in belongs to, when a reminder
is due, when a questionnaire is due again, and how long a run of missed days is.

Pure: no Django. Every instant is an aware datetime; every zone an IANA name.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A reminder the task queue could not send within this long after its time is skipped for the
# day: a "time to check in" arriving hours late only annoys.
REMINDER_GRACE = timedelta(minutes=30)


def local_time(now: datetime, zone: str) -> datetime:
    """The wall-clock date and time it is at `now` in `zone`."""
    return now.astimezone(ZoneInfo(zone))


def local_day(now: datetime, zone: str) -> date:
    """The calendar day it is at `now` in `zone`."""
    return now.astimezone(ZoneInfo(zone)).date()


def reminder_instant(day: date, at: time, zone: str) -> datetime:
    """The instant of wall-clock time `at` on `day` in `zone`.

    As RFC 5545 (iCalendar) does: a time that happens twice when the clocks go back means the
    first one, and a time skipped when they go forward is read with the offset before the gap
    (02:30 on a spring-forward night in New York is 03:30 daylight time).
    """
    local = datetime.combine(day, at).replace(tzinfo=ZoneInfo(zone), fold=0)
    return local.astimezone(ZoneInfo("UTC"))


def reminder_due(now: datetime, *, at: time, zone: str, handled_on: date | None) -> bool:
    """True when a daily reminder set for `at` in `zone` should go out at `now`: its time today
    has come, less than REMINDER_GRACE ago, and today's has not been dealt with yet."""
    today = local_day(now, zone)
    if handled_on is not None and handled_on >= today:
        return False
    instant = reminder_instant(today, at, zone)
    return instant <= now < instant + REMINDER_GRACE


def questionnaire_due(last_day: date | None, *, every_days: int, today: date) -> bool:
    """True when a questionnaire last answered on `last_day` (None: never) is due `today`."""
    return last_day is None or (today - last_day).days >= every_days


def next_due_day(last_day: date | None, *, every_days: int, today: date) -> date:
    """The day the questionnaire is next due: today when it is due already."""
    if last_day is None:
        return today
    return max(today, last_day + timedelta(days=every_days))


def missed_days(last_check_in: date, today: date) -> int:
    """How many whole days in a row were missed since the last check-in; today does not count
    yet, since it is not over."""
    return max(0, (today - last_check_in).days - 1)


def streak_start(last_check_in: date) -> date:
    """The first missed day of the run after `last_check_in`: it names the streak, so each one is
    told about once."""
    return last_check_in + timedelta(days=1)
