"""What people (and the site, on their behalf) do with notifications.

Every feature notifies through `notify`; nothing else creates Notification rows or sends their
emails.
"""

from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from alongside.notifications import access, live, registry, tasks
from alongside.notifications.models import Notification, NotificationPreference

TITLE_LENGTH = Notification._meta.get_field("title").max_length or 200
URL_LENGTH = Notification._meta.get_field("url").max_length or 500


@transaction.atomic
def notify(
    recipient, *, kind: str, title: str, body: str = "", url: str = "", program=None
) -> Notification:
    """Record a notification in the caller's transaction and, after commit, email it if the
    recipient wants that and update the unread count on their open pages.

    Raises ValueError for an unregistered kind, an empty title or an over-long url.
    """
    definition = registry.get_kind(kind)
    # One line: a title is also an email subject, where a newline is an injected header.
    title = " ".join(str(title).split())
    if not title:
        raise ValueError("A notification needs a title.")
    if len(url) > URL_LENGTH:
        raise ValueError(f"A notification url is at most {URL_LENGTH} characters.")
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        title=Truncator(title).chars(TITLE_LENGTH),
        body=str(body),
        url=url,
        program=program,
    )
    if access.wants_email(recipient, definition):
        # robust: the row is committed by now, so a queue outage must not turn into an error page.
        transaction.on_commit(partial(tasks.send_notification_email, notification.pk), robust=True)
    transaction.on_commit(partial(live.push_unread_count, recipient.pk))
    return notification


def deliver_notification_email(*, notification_id: int) -> bool:
    """Email the notification to its recipient at most once, returning whether this call sent it.

    Not atomic on purpose: the row is claimed (emailed_at set) and committed before sending, so a
    retried or duplicated task finds it claimed and sends nothing. If sending fails the claim is
    released and the error re-raised, so the queue's retry can try again.
    """
    notification = (
        Notification.objects.select_related("recipient", "program")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return False
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        _notification_email(notification).send()
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def _notification_email(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    profile = getattr(recipient, "profile", None)
    language = getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
    site_url = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    context = {
        "notification": notification,
        "kind": registry.get_kind(notification.kind)
        if registry.is_registered(notification.kind)
        else None,
        "open_url": site_url + notification.get_absolute_url(),
        "preferences_url": site_url + reverse("notifications:preferences"),
    }
    with translation.override(language):
        subject = f"[Alongside] {notification.title}"
        text = render_to_string("notifications/email/notification.txt", context)
        html = render_to_string("notifications/email/notification.html", context)
    message = EmailMultiAlternatives(subject, text, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message


@transaction.atomic
def mark_read(actor, *, notification: Notification) -> Notification:
    """Mark the actor's own notification read (again is harmless); someone else's is refused."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(partial(live.push_unread_count, actor.pk))
    return notification


@transaction.atomic
def mark_all_read(actor) -> int:
    """Mark every unread notification of the actor read, returning how many changed."""
    changed = Notification.objects.for_user(actor).unread().update(read_at=timezone.now())
    if changed:
        transaction.on_commit(partial(live.push_unread_count, actor.pk))
    return changed


@transaction.atomic
def update_preferences(actor, *, choices: dict[str, str]) -> None:
    """Save the actor's email choice per kind, or save nothing and raise ValidationError (keyed
    by kind) for an unknown kind, an unknown choice or turning off a mandatory email."""
    errors: dict[str, str] = {}
    allowed = set(NotificationPreference.Email.values)
    for kind, choice in choices.items():
        if not registry.is_registered(kind):
            errors[kind] = _("There is no kind of notification called “%(kind)s”.") % {"kind": kind}
        elif choice not in allowed:
            errors[kind] = _("Choose “right away” or “never”.")
        elif (
            registry.get_kind(kind).mandatory_email
            and choice != NotificationPreference.Email.IMMEDIATELY
        ):
            errors[kind] = _("This email is always sent, to keep your account safe.")
    if errors:
        raise ValidationError(errors)
    for kind, choice in choices.items():
        if registry.get_kind(kind).mandatory_email:
            continue
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"email": choice}
        )
