"""Crisis safety: what screening flagged, escalations to the people on call, and safety plans.

Nothing here holds a copy of what a member wrote: a flag points at the text where it lives, and
the evidence it quotes is encrypted like the text itself.
"""

import json

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from alongside.core.encryption import EncryptedTextField
from alongside.safety.screening.assessment import Category
from alongside.safety.screening.combine import CLASSIFIER_CODE

DEFAULT_ACKNOWLEDGE_MINUTES = 10

# What staff read for each screening category; the screening package stays free of Django, so
# its codes get their translatable names here, next to the rows that store them.
CATEGORY_LABELS = {
    Category.SUICIDE: _("Suicide"),
    Category.SELF_HARM: _("Self-harm"),
    Category.OVERDOSE: _("Overdose"),
    Category.HARM_TO_OTHERS: _("Harm to others"),
    Category.ABUSE: _("Abuse or violence against them"),
}


def category_labels(codes) -> list[str]:
    """The names of stored screening categories, in their order; a code without a name (from an
    older screening) is shown as it is rather than hidden."""
    return [str(CATEGORY_LABELS.get(code, code)) for code in codes]


class FlagLevel(models.TextChoices):
    CONCERN = "concern", _("Concern")
    URGENT = "urgent", _("Urgent")


class SafetySettings(models.Model):
    """How one program handles crisis safety; every program has one, created on first use."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="safety_settings"
    )
    hold_flagged_for_review = models.BooleanField(
        _("hold flagged posts for review"),
        default=False,
        help_text=_(
            "When on, a post that screening flags is kept from others until a moderator or "
            "coordinator has looked at it. The writer still sees it and the crisis resources."
        ),
    )
    acknowledge_within_minutes = models.PositiveSmallIntegerField(
        _("minutes to acknowledge an escalation"),
        default=DEFAULT_ACKNOWLEDGE_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("If nobody acknowledges in time, the next person on call is alerted."),
    )
    webhook_url = models.URLField(
        _("paging webhook"),
        blank=True,
        help_text=_("Optional: an HTTPS address that relays escalations by SMS or pager."),
    )
    # Signs webhook bodies so the relay can tell they came from us; a secret, so encrypted.
    webhook_secret = EncryptedTextField(_("webhook signing secret"), blank=True)

    class Meta:
        verbose_name = _("safety settings")
        verbose_name_plural = _("safety settings")

    def __str__(self) -> str:
        return f"Safety settings of {self.program_id}"


class FlagQuerySet(models.QuerySet["Flag"]):
    def unreviewed(self) -> "FlagQuerySet":
        return self.filter(reviewed_at__isnull=True)


# An escalation shows the on-call person the words behind it; a pasted page can hold hundreds.
FLAGGED_WORDS_SHOWN = 5


class Flag(models.Model):
    """One piece of member-written text that screening found worrying, pointing at where it lives.

    `writing_path` names the place it was written ("checkins.note"); the generic pointer finds
    the row itself so a reviewer can open it through that app's own access rules.
    """

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_flags"
    )
    writing_path = models.CharField(max_length=60)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    item = GenericForeignKey("content_type", "object_id")
    level = models.CharField(max_length=10, choices=FlagLevel.choices)
    categories = models.JSONField(default=list)
    # The screening reasons quote the member's words, so they are health data: kept encrypted.
    reasons = EncryptedTextField(blank=True)
    held = models.BooleanField(default=False)
    # Written under an anonymous name (community): the queues name no one, and the writer's
    # supporter is not shown it. Only an escalation (urgent) reaches the person behind it.
    is_anonymous = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = EncryptedTextField(_("note"), blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "level", "reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.level} flag on {self.writing_path} by {self.author_id}"

    @property
    def category_labels(self) -> list[str]:
        return category_labels(self.categories)

    @property
    def shown_author(self):
        """The writer, or None for what they wrote anonymously: the queues name no one then."""
        return None if self.is_anonymous else self.author

    @cached_property
    def _quotable_reasons(self) -> list[dict]:
        """The stored reasons, decrypted and read once; none for what was written anonymously:
        the escalation names the person, and their words would let the reader find which
        anonymous post is theirs, which only a moderator's audited reveal may do."""
        if self.is_anonymous or not self.reasons:
            return []
        return json.loads(self.reasons)

    def flagged_words(self) -> list[str]:
        """The member's own words that the rules flagged, each once, at most FLAGGED_WORDS_SHOWN.

        Only findings taken at face value: a phrase read as negated, past, reported or a
        joke (its code carries that mitigation) is not why the text was flagged.
        """
        words = [
            reason["evidence"]
            for reason in self._quotable_reasons
            if reason.get("source") == "rules"
            and ":" not in reason.get("code", "")
            and reason.get("evidence")
        ]
        return list(dict.fromkeys(words))[:FLAGGED_WORDS_SHOWN]

    def flagged_as_a_whole(self) -> bool:
        """Whether the classifier's reading of the whole text raised the flag."""
        return any(
            reason.get("source") == "classifier" and reason.get("code") == CLASSIFIER_CODE
            for reason in self._quotable_reasons
        )


class Origin(models.TextChoices):
    SCREENING = "screening", _("What they wrote")
    HELP_NOW = "help_now", _("They asked for help")
    QUESTIONNAIRE = "questionnaire", _("A questionnaire answer")


class State(models.TextChoices):
    OPEN = "open", _("Waiting for someone to acknowledge")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CONTACTED = "contacted", _("Contact made")
    OUTCOME = "outcome", _("Outcome recorded")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    SAFE = "safe", _("Safe for now, plan in place")
    REFERRED = "referred", _("Referred to professional care")
    EMERGENCY = "emergency", _("Emergency services involved")
    UNREACHABLE = "unreachable", _("Could not reach the member")
    NOT_A_CRISIS = "not_a_crisis", _("Not a crisis")


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def unacknowledged(self) -> "EscalationQuerySet":
        return self.filter(state=State.OPEN)

    def overdue(self, now=None) -> "EscalationQuerySet":
        return self.unacknowledged().filter(acknowledge_by__lte=now or timezone.now())

    def not_closed(self) -> "EscalationQuerySet":
        return self.exclude(state=State.CLOSED)


class Escalation(models.Model):
    """A member who may be in danger, and the people on call until one of them takes it on.

    It moves OPEN -> ACKNOWLEDGED -> CONTACTED -> OUTCOME -> CLOSED, never back. While OPEN,
    `acknowledge_by` is when it goes to the next person in the chain (`tier` counts the steps).
    """

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="escalations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_about"
    )
    origin = models.CharField(max_length=20, choices=Origin.choices)
    flag = models.OneToOneField(
        Flag, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalation"
    )
    categories = models.JSONField(default=list)
    member_message = EncryptedTextField(_("message from the member"), blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    tier = models.PositiveSmallIntegerField(default=0)
    acknowledge_by = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acknowledged_escalations",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "acknowledge_by"]),
            models.Index(fields=["program", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=State.OPEN) | Q(acknowledged_by__isnull=False),
                name="escalation_past_open_has_acknowledger",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation {self.pk} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("safety:escalation", args=[self.program.slug, self.pk])

    def flagged_words(self) -> list[str]:
        """For one opened by screening, the words its flag quotes (`Flag.flagged_words`)."""
        return self.flag.flagged_words() if self.flag else []

    def flagged_as_a_whole(self) -> bool:
        """For one opened by screening, whether the wording as a whole raised it."""
        return self.flag.flagged_as_a_whole() if self.flag else False

    @property
    def category_labels(self) -> list[str]:
        return category_labels(self.categories)


class EventKind(models.TextChoices):
    FLAGGED = "flagged", _("Flagged")
    NOTIFIED = "notified", _("Notified")
    RE_ESCALATED = "re_escalated", _("Passed on: nobody acknowledged in time")
    DELIVERY_FAILED = "delivery_failed", _("Delivery failed, retrying")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CONTACTED = "contacted", _("Contact made")
    OUTCOME = "outcome", _("Outcome recorded")
    CLOSED = "closed", _("Closed")
    NOTE = "note", _("Note")
    ALERT_SKIPPED = "alert_skipped", _("Alert not sent: no longer needed")


class EscalationEvent(models.Model):
    """One line of an escalation's timeline; appended, never edited."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tier = models.PositiveSmallIntegerField(default=0)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on escalation {self.escalation_id}"


class Channel(models.TextChoices):
    # In-app notification; email follows through the notification system, itself idempotent.
    NOTIFICATION = "notification", _("In the app and by email")
    WEBHOOK = "webhook", _("Paging webhook")


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def due(self, now=None) -> "OutboxMessageQuerySet":
        return (
            self.filter(delivered_at__isnull=True)
            .filter(skipped_at__isnull=True)
            .filter(next_attempt_at__lte=now or timezone.now())
        )


class OutboxMessage(models.Model):
    """An alert written in the same transaction as what caused it, kept until delivered.

    `key` is unique, so writing the same alert twice is impossible; a message is marked
    delivered in the same transaction that delivers it (in-app) or right after (webhook, which
    carries the key as its idempotency key), so a retry never alerts twice.
    """

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="outbox")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    key = models.CharField(max_length=120, unique=True)
    tier = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Set instead of delivered_at when the alert was no longer needed (see is_moot).
    skipped_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["delivered_at", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.key

    def is_moot(self) -> bool:
        """Whether the alert no longer needs to go: it asks someone to take the escalation on,
        and someone already has (or it is closed), so nobody is woken for a crisis in hand.

        Every row is such an alert to the people on call; one to the member themselves always goes.
        """
        escalation = self.escalation
        return escalation.state != State.OPEN and self.recipient_id != escalation.member_id

    def skip(self, now) -> None:
        """Take the alert out of the outbox without sending it: no sweep picks it up again."""
        self.skipped_at = now
        self.save(update_fields=["skipped_at"])


class OnCallShiftQuerySet(models.QuerySet["OnCallShift"]):
    def at(self, moment) -> "OnCallShiftQuerySet":
        return self.filter(starts_at__lte=moment).filter(ends_at__gt=moment)


class OnCallShift(models.Model):
    """A stretch of time during which one clinician or coordinator takes escalations.

    Several people can be on call at once; `position` orders who is alerted first.
    """

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    position = models.PositiveSmallIntegerField(
        _("order"), default=1, help_text=_("1 is alerted first, then 2, and so on.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = OnCallShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "position", "id"]
        indexes = [models.Index(fields=["program", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} on call {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"


# The Stanley-Brown safety plan, in its order; each section is the member's own words.
SAFETY_PLAN_SECTIONS = (
    "warning_signs",
    "coping_strategies",
    "distractions",
    "people_to_ask",
    "professionals",
    "safe_environment",
    "reasons_to_live",
)


class SafetyPlan(models.Model):
    """A member's personal safety plan, in their words, encrypted; one per person."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_plan"
    )
    warning_signs = EncryptedTextField(
        _("Warning signs"),
        blank=True,
        max_length=4000,
        help_text=_(
            "Thoughts, moods, situations or behaviours that tell you a crisis may be near."
        ),
    )
    coping_strategies = EncryptedTextField(
        _("Things I can do on my own"),
        blank=True,
        max_length=4000,
        help_text=_("Ways to take your mind off things without contacting anyone."),
    )
    distractions = EncryptedTextField(
        _("People and places that take my mind off things"),
        blank=True,
        max_length=4000,
    )
    people_to_ask = EncryptedTextField(
        _("People I can ask for help"),
        blank=True,
        max_length=4000,
        help_text=_("Names and phone numbers."),
    )
    professionals = EncryptedTextField(
        _("Professionals and services I can contact"),
        blank=True,
        max_length=4000,
        help_text=_("Your clinician, your program, a crisis line, the nearest emergency room."),
    )
    safe_environment = EncryptedTextField(
        _("Making my surroundings safer"),
        blank=True,
        max_length=4000,
        help_text=_("What you can put out of reach, and who can help you do it."),
    )
    reasons_to_live = EncryptedTextField(
        _("What matters most to me and is worth living for"),
        blank=True,
        max_length=4000,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("safety plan")

    def __str__(self) -> str:
        return f"Safety plan of {self.member_id}"

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name in SAFETY_PLAN_SECTIONS)
