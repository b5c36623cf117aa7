"""Days in recovery and the badges along the way: pure computation, no Django.

Days are counted on the member's own calendar: the local date in their time zone minus the
start date, so the count moves on at their midnight, whatever the server's clock or a daylight
saving change does to the length of that day. The start date itself is day 0.

Badges come at 1, 7, 30, 60, 90 and 180 days, then on every anniversary of the start date. The
first anniversary is the "365 days" badge; across a 29 February it falls on day 366, because
people in recovery count years by the calendar. A start on 29 February has its anniversaries on
28 February in common years.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DAY_BADGES = (1, 7, 30, 60, 90, 180)


@dataclass(frozen=True)
class Badge:
    """One milestone of a recovery counter: `count` days, or `count` years when `in_years`."""

    count: int
    in_years: bool
    reached_on: date

    @property
    def key(self) -> str:
        """A stable name for the badge ("days-30", "years-2"), the same for every start date."""
        return f"{'years' if self.in_years else 'days'}-{self.count}"


def local_today(now: datetime, zone: str) -> date:
    """The calendar date in time zone `zone` at the aware instant `now`."""
    if now.tzinfo is None:
        raise ValueError("`now` must be an aware datetime.")
    return now.astimezone(ZoneInfo(zone)).date()


def days_in_recovery(started_on: date, today: date) -> int:
    """Whole days from `started_on` to `today` (0 on the start date); never negative."""
    return max((today - started_on).days, 0)


def anniversary(started_on: date, years: int) -> date:
    """The date `years` after `started_on`; 29 February falls back to 28 February."""
    try:
        return started_on.replace(year=started_on.year + years)
    except ValueError:
        return started_on.replace(year=started_on.year + years, day=28)


def badges_reached(started_on: date, today: date) -> list[Badge]:
    """Every badge reached by `today`, in the order they were reached."""
    reached = [
        Badge(days, False, started_on + timedelta(days=days))
        for days in DAY_BADGES
        if started_on + timedelta(days=days) <= today
    ]
    years = 1
    while anniversary(started_on, years) <= today:
        reached.append(Badge(years, True, anniversary(started_on, years)))
        years += 1
    return reached


def next_badge(started_on: date, today: date) -> Badge:
    """The first badge not yet reached by `today`, with the date it will be reached."""
    for days in DAY_BADGES:
        if started_on + timedelta(days=days) > today:
            return Badge(days, False, started_on + timedelta(days=days))
    years = 1
    while anniversary(started_on, years) <= today:
        years += 1
    return Badge(years, True, anniversary(started_on, years))


def badges_to_celebrate(started_on: date, today: date, celebrated: int) -> list[Badge]:
    """The badges reached by `today` beyond the first `celebrated` ones, oldest first."""
    return badges_reached(started_on, today)[celebrated:]
