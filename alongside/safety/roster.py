"""Who is alerted at each step of an escalation, and turning a coordinator's local times into UTC.

Pure: plain data in, plain data out, no Django.

The chain for one program at one moment: each distinct person on call, one at a time, in the
order of their shifts (position, then start); after the last of them every coordinator at once,
again and again until someone acknowledges. A program without coordinators falls back to the
site admins, so the chain never ends in nobody.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Longer shifts are almost always a typing mistake (a month instead of a day).
MAX_SHIFT_LENGTH = timedelta(days=31)


@dataclass(frozen=True)
class ShiftOnCall:
    """One shift in force now: who, their place in the order, and when it started."""

    person_id: int
    position: int
    starts_at: datetime


def on_call_order(shifts: Iterable[ShiftOnCall]) -> list[int]:
    """The distinct people on call, first to be alerted first; someone with two shifts counts once."""
    ordered = sorted(shifts, key=lambda shift: (shift.position, shift.starts_at, shift.person_id))
    return list(dict.fromkeys(shift.person_id for shift in ordered))


def recipients_at(
    tier: int,
    *,
    on_call: Sequence[int],
    coordinators: Sequence[int],
    site_admins: Sequence[int] = (),
) -> tuple[int, ...]:
    """Whom step `tier` (0 first) of the chain alerts: the tier-th person on call, or, past the
    last of them, every coordinator (the site admins if there are none)."""
    if tier < 0:
        raise ValueError("A tier is 0 or more.")
    if tier < len(on_call):
        return (on_call[tier],)
    return tuple(dict.fromkeys(coordinators or site_admins))


def chain_steps(
    *, on_call: Sequence[int], coordinators: Sequence[int], site_admins: Sequence[int] = ()
) -> list[tuple[int, ...]]:
    """The chain written out: one step per person on call, then the step that repeats."""
    return [
        recipients_at(tier, on_call=on_call, coordinators=coordinators, site_admins=site_admins)
        for tier in range(len(on_call) + 1)
    ]


class NonexistentLocalTime(ValueError):
    """The local time falls in the hour that clocks skip when daylight saving time starts."""


def local_to_utc(day: date, at: time, zone: str) -> datetime:
    """The UTC moment of wall-clock `at` on `day` in IANA `zone`.

    When clocks go back the hour happens twice; the first (daylight) one is meant. When clocks go
    forward the skipped hour does not exist and raises NonexistentLocalTime.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None))
    local = wall.replace(tzinfo=ZoneInfo(zone), fold=0)
    moment = local.astimezone(UTC)
    if moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != wall:
        raise NonexistentLocalTime(f"{wall:%Y-%m-%d %H:%M} does not exist in {zone}.")
    return moment


def shift_problem(starts_at: datetime, ends_at: datetime) -> str | None:
    """Why a shift from `starts_at` to `ends_at` cannot be, as a key, or None when it can."""
    if ends_at <= starts_at:
        return "ends_before_start"
    if ends_at - starts_at > MAX_SHIFT_LENGTH:
        return "too_long"
    return None
