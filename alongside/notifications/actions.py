"""What people (and the site, on their behalf) do with notifications.

Every feature notifies through `notify`; nothing else creates Notification rows or sends their
emails.
"""

import logging
from datetime import datetime, timedelta
from functools import partial
from itertools import groupby

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.core import queue
from alongside.notifications import access, digest, live, registry, tasks
from alongside.notifications.models import DigestState, Notification, NotificationPreference

logger = logging.getLogger(__name__)

TITLE_LENGTH = Notification._meta.get_field("title").max_length or 200
URL_LENGTH = Notification._meta.get_field("url").max_length or 500
# An urgent email not sent this long after its notification is sent by the minute sweep...
URGENT_EMAIL_GRACE = timedelta(minutes=1)
# ...for this long; later, the escalation has gone on to others and the in-app alert stands.
URGENT_EMAIL_WINDOW = timedelta(hours=1)


@transaction.atomic
def notify(
    recipient, *, kind: str, title: str, body: str = "", url: str = "", program=None
) -> Notification:
    """Record a notification in the caller's transaction and, after commit, email it if the
    recipient wants that and update the unread count on their open pages.

    Raises ValueError for an unregistered kind, an empty title or an over-long url.
    """
    return notify_each([recipient], kind=kind, title=title, body=body, url=url, program=program)[0]


@transaction.atomic
def notify_each(
    recipients, *, kind: str, title: str, body: str = "", url: str = "", program=None
) -> list[Notification]:
    """`notify` each of `recipients` (distinct people) of the same thing, in a few queries
    however many they are: a reply told to a thread's hundreds of followers must not hold a
    worker thread that a crisis alert may be waiting for."""
    definition = registry.get_kind(kind)
    # One line: a title is also an email subject, where a newline is an injected header.
    title = " ".join(str(title).split())
    if not title:
        raise ValueError("A notification needs a title.")
    if len(url) > URL_LENGTH:
        raise ValueError(f"A notification url is at most {URL_LENGTH} characters.")
    recipients = list(recipients)
    if not recipients:
        return []
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=recipient,
                kind=kind,
                title=Truncator(title).chars(TITLE_LENGTH),
                body=str(body),
                url=url,
                program=program,
            )
            for recipient in recipients
        ]
    )
    choices = access.email_choices_for_each([recipient.pk for recipient in recipients], definition)
    send_email = tasks.send_notification_email
    if definition.urgent:
        send_email = partial(send_email, priority=queue.URGENT)
    for notification in notifications:
        if choices[notification.recipient_id] == NotificationPreference.Email.IMMEDIATELY:
            # robust: the row is committed by now, so a queue outage must not turn into an
            # error page.
            transaction.on_commit(partial(send_email, notification.pk), robust=True)
    transaction.on_commit(
        partial(live.push_unread_counts, [recipient.pk for recipient in recipients])
    )
    return notifications


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


def resend_urgent_emails(now: datetime | None = None) -> int:
    """Email each notification of an urgent kind (a crisis escalation) that is still not emailed
    a minute after it was made, returning how many were sent now.

    The email task gives up after its retries, and a queue outage loses the task itself; an
    urgent email must not be lost with it, so the worker's minute sweep calls this until the
    email goes or URGENT_EMAIL_WINDOW has passed (by then others were alerted, and the in-app
    alert stands). Each email is claimed before sending, so this and a late task never both send.
    """
    now = now or timezone.now()
    urgent_kinds = [kind.kind for kind in registry.all_kinds() if kind.urgent]
    waiting = (
        Notification.objects.filter(
            kind__in=urgent_kinds,
            emailed_at__isnull=True,
            created_at__lte=now - URGENT_EMAIL_GRACE,
            created_at__gte=now - URGENT_EMAIL_WINDOW,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    sent = 0
    for notification_id in waiting:
        # Urgent kinds are emailed whatever the person chose (mandatory), so no choice to read.
        try:
            sent += deliver_notification_email(notification_id=notification_id)
        except Exception:
            logger.exception("Could not send urgent notification email %s", notification_id)
    return sent


def _language_of(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE


def _zone_of(user) -> str:
    profile = getattr(user, "profile", None)
    zone = getattr(profile, "time_zone", "") or settings.TIME_ZONE
    # A zone this machine's tzdata no longer knows must not stop everyone else's summary.
    return zone if zone in digest.known_zones() else settings.TIME_ZONE


def _site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def _notification_email(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    language = _language_of(recipient)
    site_url = _site_url()
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


def _waiting_for_a_digest() -> QuerySet[Notification]:
    """Unread notifications not emailed yet, of a kind their recipient chose the summary for."""
    chose_daily = NotificationPreference.objects.filter(
        user=OuterRef("recipient_id"),
        kind=OuterRef("kind"),
        email=NotificationPreference.Email.DAILY,
    )
    digest_kinds = [kind.kind for kind in registry.all_kinds() if kind.digest_allowed]
    return Notification.objects.filter(
        Exists(chose_daily),
        kind__in=digest_kinds,
        read_at__isnull=True,
        emailed_at__isnull=True,
        recipient__is_active=True,
    ).exclude(recipient__email="")


def send_daily_digests(now: datetime | None = None) -> int:
    """Email each person whose 08:00 has come today, and who has not had today's summary yet,
    one summary of their unread notifications that waited for it; returns how many were sent.

    A summary lists what arrived before today's 08:00 in the person's zone (within
    digest.LOOKBACK), so a kind chosen "daily" is never mailed the moment it arrives. Not atomic
    on purpose, like deliver_notification_email: the day and the notifications are claimed and
    committed before sending, so a second run sends nothing again; a failed send releases both
    claims for the next run to retry, and does not stop the others.
    """
    now = now or timezone.now()
    waiting = _waiting_for_a_digest().filter(created_at__lt=now)
    people = (
        get_user_model()
        .objects.filter(Exists(waiting.filter(recipient=OuterRef("pk"))))
        .select_related("profile", "notification_digest")
    )
    cutoffs: dict[int, datetime] = {}
    people_by_id = {}
    for person in people:
        state = getattr(person, "notification_digest", None)
        cutoff = digest.digest_due(
            now, zone=_zone_of(person), last_sent_at=state.last_sent_at if state else None
        )
        if cutoff is not None:
            cutoffs[person.pk] = cutoff
            people_by_id[person.pk] = person
    if not cutoffs:
        return 0
    DigestState.objects.bulk_create(
        [DigestState(user_id=person_id) for person_id in cutoffs], ignore_conflicts=True
    )
    due = (
        waiting.filter(
            recipient_id__in=cutoffs,
            created_at__lt=max(cutoffs.values()),
            created_at__gte=min(cutoffs.values()) - digest.LOOKBACK,
        )
        .select_related("program")
        .order_by("recipient_id", "created_at", "id")
    )
    sent = 0
    for person_id, rows in groupby(due, key=lambda notification: notification.recipient_id):
        cutoff = cutoffs[person_id]
        notifications = [
            notification
            for notification in rows
            if cutoff - digest.LOOKBACK <= notification.created_at < cutoff
        ]
        if notifications:
            try:
                sent += _send_digest(people_by_id[person_id], notifications, cutoff=cutoff, now=now)
            except Exception:
                logger.exception("Could not send the daily summary of user %s", person_id)
    return sent


def _send_digest(
    person, notifications: list[Notification], *, cutoff: datetime, now: datetime
) -> bool:
    """Claim today's summary and its notifications, send it, and release both if sending fails."""
    state = getattr(person, "notification_digest", None)
    previous = state.last_sent_at if state is not None else None
    claimed_day = DigestState.objects.filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lt=cutoff), user=person
    ).update(last_sent_at=now)
    if not claimed_day:
        return False
    ids = [notification.pk for notification in notifications]

    def release() -> None:
        Notification.objects.filter(pk__in=ids, emailed_at=now).update(emailed_at=None)
        DigestState.objects.filter(user=person, last_sent_at=now).update(last_sent_at=previous)

    claimed = Notification.objects.filter(
        pk__in=ids, read_at__isnull=True, emailed_at__isnull=True
    ).update(emailed_at=now)
    if claimed != len(ids):
        # Some were read or emailed in the meantime: list only those this run holds.
        held = set(
            Notification.objects.filter(pk__in=ids, emailed_at=now).values_list("pk", flat=True)
        )
        notifications = [notification for notification in notifications if notification.pk in held]
        if not notifications:
            release()
            return False
    try:
        _digest_email(person, notifications).send()
    except Exception:
        release()
        raise
    return True


def _digest_email(person, notifications: list[Notification]) -> EmailMultiAlternatives:
    site_url = _site_url()
    context = {
        "items": [
            {"notification": notification, "open_url": site_url + notification.get_absolute_url()}
            for notification in notifications
        ],
        "notifications_url": site_url + reverse("notifications:list"),
        "preferences_url": site_url + reverse("notifications:preferences"),
    }
    with translation.override(_language_of(person)):
        count = len(notifications)
        subject = "[Alongside] " + ngettext(
            "Your daily summary: %(count)d update",
            "Your daily summary: %(count)d updates",
            count,
        ) % {"count": count}
        context["subject"] = subject
        text = render_to_string("notifications/email/digest.txt", context)
        html = render_to_string("notifications/email/digest.html", context)
    message = EmailMultiAlternatives(subject, text, to=[person.email])
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
    by kind) for an unknown kind, an unknown choice, turning off a mandatory email or asking for
    a kind that cannot wait in the daily summary."""
    errors: dict[str, str] = {}
    Email = NotificationPreference.Email
    for kind, choice in choices.items():
        if not registry.is_registered(kind):
            errors[kind] = _("There is no kind of notification called “%(kind)s”.") % {"kind": kind}
            continue
        definition = registry.get_kind(kind)
        if definition.mandatory_email and choice != Email.IMMEDIATELY:
            errors[kind] = _("This email is always sent, to keep your account safe.")
        elif choice == Email.DAILY and not definition.digest_allowed:
            errors[kind] = _(
                "This notification cannot wait for the daily summary: choose “right away” or "
                "“never”."
            )
        elif choice not in Email.values:
            if definition.digest_allowed:
                errors[kind] = _("Choose “right away”, “in a daily summary” or “never”.")
            else:
                errors[kind] = _("Choose “right away” or “never”.")
    if errors:
        raise ValidationError(errors)
    for kind, choice in choices.items():
        if registry.get_kind(kind).mandatory_email:
            continue
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"email": choice}
        )
