"""The only gate to notifications: each person sees their own and nobody else's."""

from django.db.models import QuerySet
from django.http import Http404

from alongside.notifications import registry
from alongside.notifications.models import Notification, NotificationPreference


def notifications_of(user) -> QuerySet[Notification]:
    """The person's own notifications, newest first, ready for a list (nothing for anonymous)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.for_user(user).select_related("program")


def get_notification_for(user, notification_id: int) -> Notification:
    """The person's own notification with this id; Http404 if it is missing or someone else's."""
    try:
        return notifications_of(user).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404("No such notification.") from None


def default_email_choice(kind: registry.NotificationKind) -> str:
    if kind.mandatory_email or kind.email_default:
        return NotificationPreference.Email.IMMEDIATELY
    return NotificationPreference.Email.NEVER


def email_choices_for(kind: registry.NotificationKind) -> list[tuple[str, registry.StrOrPromise]]:
    """The email choices a person has for this kind: the daily summary only where it may wait."""
    Email = NotificationPreference.Email
    allowed = [Email.IMMEDIATELY, Email.DAILY] if kind.digest_allowed else [Email.IMMEDIATELY]
    return [(choice.value, choice.label) for choice in [*allowed, Email.NEVER]]


def _effective_choice(kind: registry.NotificationKind, stored: str | None) -> str:
    if kind.mandatory_email or stored is None:
        return default_email_choice(kind)
    if stored == NotificationPreference.Email.DAILY and not kind.digest_allowed:
        # A kind that stopped allowing the summary: it comes right away rather than never.
        return NotificationPreference.Email.IMMEDIATELY
    return stored


def email_choices_of(user) -> dict[str, str]:
    """Every registered kind mapped to the person's email choice: their own, else the default."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {
        kind.kind: _effective_choice(kind, stored.get(kind.kind)) for kind in registry.all_kinds()
    }


def email_choice_of(user, kind: registry.NotificationKind) -> str:
    """The person's email choice for this one kind: their own, else the default."""
    return email_choices_for_each([user.pk], kind)[user.pk]


def email_choices_for_each(user_ids: list[int], kind: registry.NotificationKind) -> dict[int, str]:
    """`email_choice_of` for many people at once, by user id (one query at most)."""
    if kind.mandatory_email:
        return dict.fromkeys(user_ids, default_email_choice(kind))
    stored = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind.kind).values_list(
            "user_id", "email"
        )
    )
    return {user_id: _effective_choice(kind, stored.get(user_id)) for user_id in user_ids}


def wants_email(user, kind: registry.NotificationKind) -> bool:
    """Whether this kind of notification should be emailed to the person right away."""
    return email_choice_of(user, kind) == NotificationPreference.Email.IMMEDIATELY


def wants_digest(user, kind: registry.NotificationKind) -> bool:
    """Whether this kind of notification should wait for the person's daily summary."""
    return email_choice_of(user, kind) == NotificationPreference.Email.DAILY
