"""A member's consent to share their health records, and clinicians' emergency access to them."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from alongside.core.encryption import EncryptedTextField

EMERGENCY_ACCESS_DURATION = timedelta(minutes=60)
EMERGENCY_REASON_MIN_LENGTH = 20
# The purpose written to the access log for every break-glass opening.
EMERGENCY_PURPOSE = "emergency"


class Audience(models.TextChoices):
    SUPPORTER = "supporter", _("Your peer supporter")
    STAFF = "staff", _("Program staff")


class Scope(models.TextChoices):
    CHECKINS = "checkins", _("check-ins")
    QUESTIONNAIRES = "questionnaires", _("questionnaires")
    GOALS = "goals", _("goals")
    SAFETY_PLAN = "safety_plan", _("safety plan")


# One sentence per checkbox, so a person knows exactly what ticking it does.
CONSENT_SENTENCES = {
    (Audience.SUPPORTER, Scope.CHECKINS): _("Your peer supporter can see your check-ins."),
    (Audience.SUPPORTER, Scope.QUESTIONNAIRES): _(
        "Your peer supporter can see your questionnaire answers and scores."
    ),
    (Audience.SUPPORTER, Scope.GOALS): _("Your peer supporter can see your goals."),
    (Audience.SUPPORTER, Scope.SAFETY_PLAN): _("Your peer supporter can see your safety plan."),
    (Audience.STAFF, Scope.CHECKINS): _(
        "Program staff (coordinators and clinicians) can see your check-ins."
    ),
    (Audience.STAFF, Scope.QUESTIONNAIRES): _(
        "Program staff (coordinators and clinicians) can see your questionnaire answers and scores."
    ),
    (Audience.STAFF, Scope.GOALS): _(
        "Program staff (coordinators and clinicians) can see your goals."
    ),
    (Audience.STAFF, Scope.SAFETY_PLAN): _(
        "Program staff (coordinators and clinicians) can see your safety plan."
    ),
}


class SharingConsentQuerySet(models.QuerySet["SharingConsent"]):
    def in_force(self) -> "SharingConsentQuerySet":
        return self.filter(revoked_at__isnull=True)


class SharingConsent(models.Model):
    """A member's consent that one audience in one program may see one kind of their records.

    Rows are history: revoking sets `revoked_at`, granting again adds a new row, so the record of
    when consent existed survives. At most one row per (member, program, audience, scope) is in
    force at a time.
    """

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sharing_consents"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="sharing_consents"
    )
    audience = models.CharField(_("who may see"), max_length=20, choices=Audience.choices)
    scope = models.CharField(_("what they may see"), max_length=20, choices=Scope.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = SharingConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "program", "audience", "scope"],
                condition=Q(revoked_at__isnull=True),
                name="one_consent_in_force_per_scope",
            ),
        ]
        indexes = [models.Index(fields=["member", "program", "audience", "scope"])]
        verbose_name = _("sharing consent")

    def __str__(self) -> str:
        state = "revoked" if self.revoked_at else "in force"
        return f"{self.member_id}: {self.scope} to {self.audience} in {self.program_id} ({state})"


class EmergencyAccessQuerySet(models.QuerySet["EmergencyAccess"]):
    def active(self) -> "EmergencyAccessQuerySet":
        return self.filter(ended_at__isnull=True).filter(expires_at__gt=timezone.now())


class EmergencyAccess(models.Model):
    """A clinician's time-boxed access to one member's records outside the normal rules.

    Started only by re-entering the password and stating a reason, for at most
    EMERGENCY_ACCESS_DURATION; every grant is reviewed afterwards by a coordinator.
    """

    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses_to"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    # The reason and the review can hold health details: encrypted at rest.
    reason = EncryptedTextField(
        _("reason"), validators=[MinLengthValidator(EMERGENCY_REASON_MIN_LENGTH)]
    )
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = EncryptedTextField(_("review note"), blank=True)

    objects = EmergencyAccessQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("started_at")),
                name="emergency_access_expires_after_start",
            ),
        ]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")

    def __str__(self) -> str:
        return f"{self.clinician_id} -> {self.member_id} in {self.program_id} at {self.started_at}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None and self.expires_at > timezone.now()

    @property
    def finished_at(self):
        """When access stopped: ended early, or expired; None while it lasts."""
        if self.ended_at is not None:
            return self.ended_at
        return None if self.is_active else self.expires_at

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None
