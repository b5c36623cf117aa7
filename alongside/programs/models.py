"""Programs, the people in them and the roles they hold, and invitations to join."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    SUPPORTER = "supporter", _("Peer supporter")
    FACILITATOR = "facilitator", _("Facilitator")
    COORDINATOR = "coordinator", _("Coordinator")
    CLINICIAN = "clinician", _("Clinician")
    MODERATOR = "moderator", _("Moderator")


# Roles that reach other people's records; they carry stricter session and MFA rules.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.CLINICIAN, Role.MODERATOR})


def new_join_code() -> str:
    """Eight characters a person can read out over the phone: no 0/O or 1/I/L."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class ProgramQuerySet(models.QuerySet["Program"]):
    def active(self) -> "ProgramQuerySet":
        return self.filter(is_active=True)

    def of_user(self, user) -> "ProgramQuerySet":
        return self.filter(memberships__user=user, memberships__is_active=True).distinct()


class Program(models.Model):
    """An organisation running peer support: a recovery centre, a cardiac-rehab unit, ..."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), unique=True, max_length=60)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    areas_of_concern = models.ManyToManyField(
        "core.AreaOfConcern",
        blank=True,
        related_name="programs",
        verbose_name=_("areas of concern"),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    country = models.CharField(
        _("country"), max_length=2, default="US", help_text=_("ISO 3166 code")
    )
    crisis_line_name = models.CharField(_("crisis line name"), max_length=120, blank=True)
    crisis_line_phone = models.CharField(_("crisis line phone"), max_length=40, blank=True)
    crisis_line_text = models.CharField(
        _("crisis text line"), max_length=120, blank=True, help_text=_("e.g. Text HOME to 741741")
    )
    default_time_zone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    join_code_enabled = models.BooleanField(_("people may join with the code"), default=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.slug])


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True)

    def with_role(self, *roles: str) -> "MembershipQuerySet":
        return self.filter(roles__role__in=roles).distinct()


class Membership(models.Model):
    """A person's place in one program. Leaving keeps the row (inactive) for the history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    is_active = models.BooleanField(default=True)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="one_membership_per_program"),
        ]
        ordering = ["program__name"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.program_id}"

    @property
    def role_names(self) -> set[str]:
        """The roles held; uses prefetched roles when the caller prefetched them."""
        return {r.role for r in self.roles.all()}

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def is_staff_member(self) -> bool:
        return bool(self.role_names & STAFF_ROLES)


class MembershipRole(models.Model):
    """One role held within a membership; a person may hold several (supporter and facilitator)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="one_row_per_role"),
        ]

    def __str__(self) -> str:
        return self.role


def invitation_expiry():
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A coordinator's invitation by email to join a program with given roles."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    roles = models.JSONField(default=list)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.program_id}"

    def get_absolute_url(self) -> str:
        return reverse("programs:invitation", args=[self.token])

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
