"""The kinds of notification the site sends, each registered once by the app that sends it.

Pure: no database. A kind is a dotted name owned by one app ("programs.invitation"); the registry
gives its label and description for the preferences page, whether it is emailed by default and
whether a person may have it batched into a daily summary instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

MAX_KIND_LENGTH = 60


class UnknownNotificationKind(ValueError):
    """Raised for a kind nobody registered, so a typo fails loudly instead of notifying nobody."""


@dataclass(frozen=True)
class NotificationKind:
    kind: str
    label: StrOrPromise
    description: StrOrPromise
    email_default: bool = True
    # Some emails protect the account (a new sign-in, MFA turned off): the person cannot opt out.
    mandatory_email: bool = False
    # Only what can wait a day may be batched into the daily summary (replies, mentions,
    # reactions); crisis and account-security kinds leave this off, so they come right away or not.
    digest_allowed: bool = False
    # Someone may be in danger while it waits (a crisis escalation): its email is taken before
    # every routine job in the worker's queue, and sent again by the minute sweep when it failed
    # or its job was lost (actions.resend_urgent_emails). Its email is mandatory.
    urgent: bool = False


_kinds: dict[str, NotificationKind] = {}


def register_kind(
    kind: str,
    *,
    label: StrOrPromise,
    description: StrOrPromise = "",
    email_default: bool = True,
    mandatory_email: bool = False,
    digest_allowed: bool = False,
    urgent: bool = False,
) -> NotificationKind:
    """Register a kind; the same definition again is harmless, a different one is refused."""
    if not kind or len(kind) > MAX_KIND_LENGTH or "." not in kind:
        raise ValueError(
            f"A notification kind is a dotted name up to {MAX_KIND_LENGTH} characters."
        )
    if mandatory_email and not email_default:
        raise ValueError("A kind with mandatory email must be emailed by default.")
    if mandatory_email and digest_allowed:
        raise ValueError("A kind with mandatory email is sent right away, never in a summary.")
    if urgent and not mandatory_email:
        raise ValueError("An urgent kind is always emailed: make its email mandatory.")
    definition = NotificationKind(
        kind, label, description, email_default, mandatory_email, digest_allowed, urgent
    )
    existing = _kinds.get(kind)
    if existing is not None and existing != definition:
        raise ValueError(f"Notification kind {kind!r} is already registered differently.")
    _kinds[kind] = definition
    return definition


def get_kind(kind: str) -> NotificationKind:
    try:
        return _kinds[kind]
    except KeyError:
        raise UnknownNotificationKind(f"Unknown notification kind {kind!r}.") from None


def is_registered(kind: str) -> bool:
    return kind in _kinds


def all_kinds() -> list[NotificationKind]:
    """Every registered kind, in registration order (the order of the preferences page)."""
    return list(_kinds.values())
