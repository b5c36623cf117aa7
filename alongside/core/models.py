"""What every domain shares: the taxonomy of areas of concern and the access log."""

from django.conf import settings
from django.db import models
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


class AppendOnlyQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")

    def _raw_delete(self, using):
        raise PermissionError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """One opening of a person's health record by someone else: who, as what, whose, which, why.

    Written only through `alongside.core.audit`, in the same transaction as the read it records.
    Rows are never changed or removed by the application: the model refuses, and on PostgreSQL a
    trigger refuses too (migration 0004). Foreign keys carry no database constraint and do nothing
    on delete, so removing a user can never cascade into the log.
    """

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        DENIED = "denied", _("denied")

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    program = models.ForeignKey(
        "programs.Program",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    purpose = models.CharField(max_length=40)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    emergency_access = models.BooleanField(default=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject", "-occurred_at"])]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.actor_id} viewed {self.object_type}:{self.object_id} of {self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")


class Heartbeat(models.Model):
    """When a periodic job last ran, so the health check can tell a stopped worker.

    One row per job name, overwritten each run: nothing about people, nothing to keep.
    """

    name = models.CharField(max_length=60, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
