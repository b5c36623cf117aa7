"""What every domain shares: the taxonomy of areas of concern and notifications."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AreaOfConcernQuerySet(models.QuerySet["AreaOfConcern"]):
    def active(self) -> "AreaOfConcernQuerySet":
        return self.filter(is_active=True)


class AreaOfConcern(models.Model):
    """A managed taxonomy entry ("Alcohol use" under "Substance use", "Cardiac", ...).

    Admins curate the list; the default entries come from a data migration. Names are stored
    in English and Spanish because they are data, not code strings that gettext could reach.
    """

    slug = models.SlugField(unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=100)
    name_es = models.CharField(_("name in Spanish"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = AreaOfConcernQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("area of concern")
        verbose_name_plural = _("areas of concern")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        from django.utils.translation import get_language

        if (get_language() or "en").startswith("es") and self.name_es:
            return self.name_es
        return self.name


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(recipient=user)


class Notification(models.Model):
    """One message to one person, shown in the notification centre and maybe emailed.

    Every feature notifies through `alongside.core.notifications.notify`, never by creating rows.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    program = models.ForeignKey(
        "programs.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("core:notification_open", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Whether a person wants a kind of notification by email as well as in the app."""

    class Email(models.TextChoices):
        IMMEDIATELY = "immediately", _("Right away")
        NEVER = "never", _("Never (in the app only)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=60)
    email = models.CharField(max_length=20, choices=Email.choices, default=Email.IMMEDIATELY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.kind}={self.email}"
