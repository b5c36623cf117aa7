"""Recording who opened whose health record, for the person and for the program's review.

Every read of a member's health data by staff or a supporter calls `record_access` (one record)
or `record_list_access` (a list page: one row per record shown) inside the transaction that
reads it, so there is no read without its row.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest

from alongside.core.models import AccessLogEntry


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the last trusted proxy saw it (REMOTE_ADDR after proxy fix-up)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _entry(
    actor, *, actor_role, subject, obj, purpose, program, ip, outcome, emergency
) -> AccessLogEntry:
    return AccessLogEntry(
        actor=actor,
        actor_role=actor_role,
        subject=subject,
        program=program,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        purpose=purpose,
        ip_address=ip,
        outcome=outcome,
        emergency_access=emergency,
    )


@transaction.atomic
def record_access(
    actor,
    *,
    actor_role: str,
    subject,
    obj: Model,
    purpose: str,
    program=None,
    request: HttpRequest | None = None,
    outcome: str = AccessLogEntry.Outcome.ALLOWED,
    emergency: bool = False,
) -> AccessLogEntry:
    """Append one row saying `actor` (acting as `actor_role`) opened `obj`, `subject`'s record."""
    entry = _entry(
        actor,
        actor_role=actor_role,
        subject=subject,
        obj=obj,
        purpose=purpose,
        program=program,
        ip=client_ip(request),
        outcome=outcome,
        emergency=emergency,
    )
    entry.save()
    return entry


@transaction.atomic
def record_list_access(
    actor,
    *,
    actor_role: str,
    records: Iterable[tuple[object, Model]],
    purpose: str,
    program=None,
    request: HttpRequest | None = None,
    emergency: bool = False,
) -> list[AccessLogEntry]:
    """Append one row per (subject, object) shown on a list page, in one INSERT."""
    ip = client_ip(request)
    entries = [
        _entry(
            actor,
            actor_role=actor_role,
            subject=subject,
            obj=obj,
            purpose=purpose,
            program=program,
            ip=ip,
            outcome=AccessLogEntry.Outcome.ALLOWED,
            emergency=emergency,
        )
        for subject, obj in records
    ]
    return AccessLogEntry.objects.bulk_create(entries)


def accesses_to_records_of(subject):
    """What a member sees of who opened their records, newest first."""
    return AccessLogEntry.objects.filter(subject=subject).select_related(
        "actor__profile", "program"
    )
