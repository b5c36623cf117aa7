"""Goals with their milestones, progress updates, comments and cheers; recovery counters.

Everything a member writes here can be about their health, so the words are encrypted at rest.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.core.encryption import EncryptedTextField

WHAT_LENGTH = 200
WHY_LENGTH = 2000
HOW_LENGTH = 1000
MILESTONE_LENGTH = 200
UPDATE_LENGTH = 2000
COMMENT_LENGTH = 2000


class OwnerKind(models.TextChoices):
    # Each kind names exactly one of the owner foreign keys; the constraint on Goal holds it.
    MEMBER = "member", _("A member")
    PAIR = "pair", _("A pair")
    GROUP = "group", _("A group")


class Status(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Set aside")


class Visibility(models.TextChoices):
    # Only a member goal's visibility decides anything: a pair or group goal is set together and
    # seen by its pair or group alone, so it keeps the default and nobody else reads it.
    PRIVATE = "private", _("Only me")
    # Shared with each audience the member's goal consent lets in: program staff, peer supporter.
    STAFF = "staff", _("Me and those I share goals with (staff, my peer supporter)")


class GoalQuerySet(models.QuerySet["Goal"]):
    def owned_by(self, member) -> "GoalQuerySet":
        return self.filter(owner_kind=OwnerKind.MEMBER, owner_member=member)

    def of_pairings(self, pairings) -> "GoalQuerySet":
        return self.filter(owner_kind=OwnerKind.PAIR, owner_pairing__in=pairings)

    def of_groups(self, groups) -> "GoalQuerySet":
        return self.filter(owner_kind=OwnerKind.GROUP, owner_group__in=groups)

    def shared_with_staff(self) -> "GoalQuerySet":
        return self.filter(visibility=Visibility.STAFF)

    def with_counts(self) -> "GoalQuerySet":
        return self.annotate(
            milestone_count=models.Count("milestones", distinct=True),
            reached_count=models.Count(
                "milestones", filter=Q(milestones__reached_at__isnull=False), distinct=True
            ),
        )


class Goal(models.Model):
    """A SMART goal: what, why, how progress is measured, and by when; owned by a member, a
    pairing (the member and their peer supporter) or a support group, as `owner_kind` says."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="goals")
    owner_kind = models.CharField(max_length=10, choices=OwnerKind.choices)
    owner_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goals",
    )
    owner_pairing = models.ForeignKey(
        "pairing.Pairing", null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )
    owner_group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="goals"
    )
    what = EncryptedTextField(_("What do you want to do?"), max_length=WHAT_LENGTH)
    why = EncryptedTextField(_("Why does it matter to you?"), max_length=WHY_LENGTH, blank=True)
    how_measured = EncryptedTextField(
        _("How will you know you are getting there?"), max_length=HOW_LENGTH, blank=True
    )
    target_date = models.DateField(_("By when?"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    visibility = models.CharField(
        _("Who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    owner_kind=OwnerKind.MEMBER,
                    owner_member__isnull=False,
                    owner_pairing__isnull=True,
                    owner_group__isnull=True,
                )
                | Q(
                    owner_kind=OwnerKind.PAIR,
                    owner_member__isnull=True,
                    owner_pairing__isnull=False,
                    owner_group__isnull=True,
                )
                | Q(
                    owner_kind=OwnerKind.GROUP,
                    owner_member__isnull=True,
                    owner_pairing__isnull=True,
                    owner_group__isnull=False,
                ),
                name="goal_owner_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["program", "visibility"])]
        verbose_name = _("goal")

    def __str__(self) -> str:
        return f"goal {self.pk} of {self.owner_kind} {self.owner_pk}"

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def owner_pk(self) -> int | None:
        """The id of the owner the kind names: a user, a pairing or a group."""
        return self.owner_member_id or self.owner_pairing_id or self.owner_group_id


class Milestone(models.Model):
    """One step towards a goal, in order, with an optional date; reached once."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveIntegerField()
    title = EncryptedTextField(_("Step"), max_length=MILESTONE_LENGTH)
    due_date = models.DateField(_("Date (optional)"), null=True, blank=True)
    reached_at = models.DateTimeField(null=True, blank=True)
    # Who marked it reached: cheers go to them, and everyone else sharing the goal is told.
    reached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "position"], name="one_milestone_per_position")
        ]
        verbose_name = _("goal milestone")

    def __str__(self) -> str:
        return f"milestone {self.position} of goal {self.goal_id}"

    @property
    def is_reached(self) -> bool:
        return self.reached_at is not None


class ProgressUpdate(models.Model):
    """What the member did towards the goal, with how far along they feel (optional)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress_updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("What happened?"), max_length=UPDATE_LENGTH)
    percent = models.PositiveSmallIntegerField(_("How far along (%)"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100),
                name="progress_percent_at_most_100",
            ),
        ]
        verbose_name = _("goal progress update")

    def __str__(self) -> str:
        return f"update {self.pk} on goal {self.goal_id}"


class Comment(models.Model):
    """A word on a goal from its owner or from someone it is shared with."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = EncryptedTextField(_("Comment"), max_length=COMMENT_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("goal comment")

    def __str__(self) -> str:
        return f"comment {self.pk} on goal {self.goal_id}"


class Cheer(models.Model):
    """Someone the goal is shared with cheering a reached milestone; once each."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="cheers")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["milestone", "person"], name="one_cheer_per_person")
        ]

    def __str__(self) -> str:
        return f"cheer by {self.person_id} on milestone {self.milestone_id}"


class RecoveryCounter(models.Model):
    """A member's days in recovery since `started_on`, counted in their own time zone."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_counter"
    )
    started_on = models.DateField(_("Start date"))
    shown_on_profile = models.BooleanField(_("Show my days on my profile"), default=False)
    # How many badges since `started_on` have been celebrated, so each is celebrated once.
    badges_celebrated = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recovery counter")

    def __str__(self) -> str:
        return f"recovery counter of {self.member_id}"


class RecoveryRestart(models.Model):
    """A start date the member left behind when resetting their counter; theirs alone to see."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_restarts"
    )
    started_on = models.DateField()
    ended_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("earlier recovery start")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.started_on} to {self.ended_on}"
