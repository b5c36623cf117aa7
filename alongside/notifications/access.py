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


def email_choices_of(user) -> dict[str, str]:
    """Every registered kind mapped to the person's email choice: their own, else the default."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    choices = {}
    for kind in registry.all_kinds():
        if kind.mandatory_email or kind.kind not in stored:
            choices[kind.kind] = default_email_choice(kind)
        else:
            choices[kind.kind] = stored[kind.kind]
    return choices


def wants_email(user, kind: registry.NotificationKind) -> bool:
    """Whether this kind of notification should also be emailed to the person."""
    if kind.mandatory_email:
        return True
    stored = (
        NotificationPreference.objects.filter(user=user, kind=kind.kind)
        .values_list("email", flat=True)
        .first()
    )
    choice = stored or default_email_choice(kind)
    return choice == NotificationPreference.Email.IMMEDIATELY
