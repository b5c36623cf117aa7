"""When a person's daily summary of notifications is due, in their own time zone.

Pure: no Django. Every instant is an aware datetime; every zone an IANA name.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# The summary goes out in the morning, so it is read with the day's first coffee rather than
# waking anyone; it lists what arrived before this time.
DIGEST_TIME = time(8)
# A summary lists notifications of at most this age: choosing "daily" must not mail a backlog of
# months-old ones, while a task queue down for a few days still loses nothing.
LOOKBACK = timedelta(days=7)


@cache
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def digest_cutoff(now: datetime, zone: str) -> datetime | None:
    """Today's DIGEST_TIME in `zone` as an instant, or None when it has not come yet today.

    08:00 is never inside a daylight-saving gap or overlap, so the wall time is unambiguous.
    """
    local_now = now.astimezone(ZoneInfo(zone))
    cutoff = datetime.combine(local_now.date(), DIGEST_TIME, tzinfo=ZoneInfo(zone))
    return cutoff if cutoff <= local_now else None


def digest_due(now: datetime, *, zone: str, last_sent_at: datetime | None) -> datetime | None:
    """The cutoff of the summary due at `now` (what arrived before it goes in), or None when
    today's summary time has not come yet or today's summary was sent already."""
    cutoff = digest_cutoff(now, zone)
    if cutoff is None or (last_sent_at is not None and last_sent_at >= cutoff):
        return None
    return cutoff
