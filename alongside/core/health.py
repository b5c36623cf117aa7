"""Health checks, for a load balancer and for the monitoring that pages an operator.

Two questions, kept apart on purpose:

- `web_checks`: can this web process serve pages? Only its database. A load balancer that takes
  web processes out of rotation must not do it because the worker stopped: the crisis lines
  and "Help now" are served by the web processes.
- `alert_checks`: will crisis alerts go out? The task queue answers, the worker's minute sweep
  ran lately (its heartbeat), and no alert has waited in the safety outbox for long. Meant for
  the monitoring that wakes someone: while any of these fails, on-call people are not alerted.

Each check answers only ok or not, with a short reason in English for the operator: nothing
about any person, no counts (the endpoints are public).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from alongside.core.models import Heartbeat

# The sweep runs every minute; three missed runs mean the worker (or its scheduler) stopped.
WORKER_SILENT_AFTER = timedelta(minutes=3)
# An alert not delivered this long after it was written is stuck (failing, or nobody sweeping).
ALERT_LATE_AFTER = timedelta(minutes=5)
SWEEP = "safety.sweep"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    reason: str = ""


def beat(name: str, now: datetime | None = None) -> None:
    """Record that the periodic job `name` ran now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": now or timezone.now()})


def web_checks() -> list[Check]:
    return [_database()]


def alert_checks(now: datetime | None = None) -> list[Check]:
    now = now or timezone.now()
    database = _database()
    if not database.ok:
        return [database]
    return [database, _queue(), _worker(now), _safety_outbox(now)]


def _database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return Check("database", False, type(error).__name__)
    return Check("database", True)


def _queue() -> Check:
    from huey.contrib.djhuey import HUEY

    try:
        HUEY.storage.queue_size()
    except Exception as error:
        return Check("queue", False, type(error).__name__)
    return Check("queue", True)


def _worker(now: datetime) -> Check:
    seen_at = Heartbeat.objects.filter(name=SWEEP).values_list("seen_at", flat=True).first()
    if seen_at is None:
        return Check("worker", False, "the minute sweep has never run")
    if now - seen_at > WORKER_SILENT_AFTER:
        return Check("worker", False, "the minute sweep has not run for over 3 minutes")
    return Check("worker", True)


def _safety_outbox(now: datetime) -> Check:
    from alongside.safety.models import OutboxMessage

    late = OutboxMessage.objects.filter(
        delivered_at__isnull=True, skipped_at__isnull=True, created_at__lte=now - ALERT_LATE_AFTER
    )
    if late.exists():
        return Check("safety_outbox", False, "an alert has waited over 5 minutes")
    return Check("safety_outbox", True)
