"""What others see of a person's recovery: the days they chose to show, nothing more.

A member's counter is theirs alone (see access.py) until they turn on "show my days on my
profile". Then the people who see them next to their name (their group's facilitators on the
members list, their peer supporter) see how many days, and the latest badge. Never the start
date, never the earlier starts they left behind: a reset changes the number, privately.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from alongside.goals import recovery
from alongside.goals.models import RecoveryCounter

FALLBACK_ZONE = "UTC"  # as goals.actions.local_today, so others see the member's own number


@dataclass(frozen=True)
class ShownDays:
    """A shown counter: whole days in recovery today where the member lives, and the latest
    badge reached (None before the first day)."""

    days: int
    badge: recovery.Badge | None


def public_days_for(people: Iterable, *, now: datetime | None = None) -> dict[int, ShownDays]:
    """The shown counters of `people` (users or user ids), keyed by user id, in ONE query; people
    who keep their counter hidden, or have none, are left out. Each count is taken on the
    member's own calendar, in their profile's time zone."""
    ids = {person if isinstance(person, int) else person.pk for person in people}
    if not ids:
        return {}
    now = now or timezone.now()
    rows = RecoveryCounter.objects.filter(member_id__in=ids, shown_on_profile=True).values_list(
        "member_id", "started_on", "member__profile__time_zone"
    )
    shown = {}
    for member_id, started_on, zone in rows:
        today = recovery.local_today(now, zone or FALLBACK_ZONE)
        reached = recovery.badges_reached(started_on, today)
        shown[member_id] = ShownDays(
            recovery.days_in_recovery(started_on, today), reached[-1] if reached else None
        )
    return shown
