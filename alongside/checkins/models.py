"""Daily check-ins, what programs track in them, questionnaires and their schedule, reminders."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.checkins import scoring, tracking
from alongside.core.encryption import EncryptedTextField

DEFAULT_MISSED_STREAK_DAYS = 3
DEFAULT_QUESTIONNAIRE_EVERY_DAYS = 14
NOTE_LENGTH = 2000


class ItemKind(models.TextChoices):
    SCALE_0_10 = tracking.SCALE_0_10, _("A scale from 0 to 10")
    HOURS = tracking.HOURS, _("Hours")
    YES_NO_PARTLY = tracking.YES_NO_PARTLY, _("Yes, partly or no")
    YES_NO = tracking.YES_NO, _("Yes or no")
    COUNT = tracking.COUNT, _("A count")


class QuestionnaireCode(models.TextChoices):
    PHQ9 = scoring.PHQ9, "PHQ-9"
    GAD7 = scoring.GAD7, "GAD-7"
    WHO5 = scoring.WHO5, "WHO-5"


class CheckInSettings(models.Model):
    """How a program runs check-ins; made with the defaults on first use."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="checkin_settings"
    )
    missed_streak_days = models.PositiveSmallIntegerField(
        _("tell someone after this many missed days in a row"),
        default=DEFAULT_MISSED_STREAK_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("check-in settings")

    def __str__(self) -> str:
        return f"check-in settings of {self.program_id}"


class TrackedItem(models.Model):
    """Something a program's members may track in their daily check-in (cravings, sleep ...)."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="tracked_items"
    )
    key = models.SlugField(max_length=40)
    label = models.CharField(_("label"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="one_tracked_item_per_key"),
        ]
        verbose_name = _("tracked item")

    def __str__(self) -> str:
        return self.label


class CheckInPreference(models.Model):
    """One member's choices for check-ins in one program: what they track and when to remind."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_preferences"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="checkin_preferences"
    )
    # Empty means every item the program tracks: a new member starts with the program's list.
    items = models.ManyToManyField(TrackedItem, blank=True, related_name="+")
    chose_items = models.BooleanField(default=False)
    remind_at = models.TimeField(_("remind me at"), null=True, blank=True)
    # The member's local day whose reminder was sent or skipped: one reminder a day at most.
    reminder_handled_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "program"], name="one_checkin_preference_per_program"
            ),
        ]
        indexes = [models.Index(fields=["remind_at"], name="checkin_reminder_time")]

    def __str__(self) -> str:
        return f"check-in preferences of {self.member_id} in {self.program_id}"


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def between(self, first_day, last_day) -> "CheckInQuerySet":
        return self.filter(day__gte=first_day, day__lte=last_day)


class CheckIn(models.Model):
    """A member's check-in for one day of their own time zone in one program; editing the day
    replaces it."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="check_ins"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="check_ins"
    )
    day = models.DateField(_("day"))
    mood = models.PositiveSmallIntegerField(
        _("mood"),
        validators=[
            MinValueValidator(tracking.MOOD_LOWEST),
            MaxValueValidator(tracking.MOOD_HIGHEST),
        ],
    )
    # {item key: value}; values are checked against the item's kind by actions.record_check_in.
    values = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(_("note"), blank=True, max_length=NOTE_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "program", "day"], name="one_check_in_per_day"
            ),
            models.CheckConstraint(
                condition=Q(mood__gte=tracking.MOOD_LOWEST) & Q(mood__lte=tracking.MOOD_HIGHEST),
                name="check_in_mood_in_range",
            ),
        ]
        verbose_name = _("check-in")

    def __str__(self) -> str:
        return f"check-in of {self.member_id} on {self.day}"

    def get_absolute_url(self) -> str:
        return reverse("checkins:today", args=[self.program.slug])


class CheckInSubmission(models.Model):
    """Every idempotency key a member submitted, with the check-in it made or replaced: the same
    key again returns that check-in and changes nothing."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    check_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="submissions")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "key"], name="one_submission_per_key"),
        ]

    def __str__(self) -> str:
        return f"submission {self.key} of check-in {self.check_in_id}"


class QuestionnaireSchedule(models.Model):
    """A questionnaire a program asks its members, and how often."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="questionnaire_schedules"
    )
    questionnaire = models.CharField(max_length=10, choices=QuestionnaireCode.choices)
    every_days = models.PositiveSmallIntegerField(
        _("every how many days"),
        default=DEFAULT_QUESTIONNAIRE_EVERY_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["questionnaire"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "questionnaire"], name="one_schedule_per_questionnaire"
            ),
        ]
        verbose_name = _("questionnaire schedule")

    def __str__(self) -> str:
        return f"{self.questionnaire} every {self.every_days} days in {self.program_id}"


class QuestionnaireResponse(models.Model):
    """A member's complete answers to one questionnaire, scored on the server."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    questionnaire = models.CharField(max_length=10, choices=QuestionnaireCode.choices)
    answers = models.JSONField()
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=30)
    day = models.DateField(help_text="The member's local day of the answers.")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(
                fields=["member", "program", "questionnaire", "day"],
                name="questionnaire_by_member_day",
            )
        ]
        verbose_name = _("questionnaire answers")
        verbose_name_plural = _("questionnaire answers")

    def __str__(self) -> str:
        return f"{self.questionnaire} of {self.member_id} on {self.day}: {self.score}"

    @property
    def definition(self) -> scoring.Questionnaire:
        return scoring.get_questionnaire(self.questionnaire)

    @property
    def band_label(self) -> str:
        return scoring.band_for(self.definition, self.score).label


class MissedStreakNotice(models.Model):
    """That a run of missed check-ins starting on `first_missed_day` was told about: once only."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    first_missed_day = models.DateField()
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "program", "first_missed_day"], name="one_notice_per_streak"
            ),
        ]

    def __str__(self) -> str:
        return f"missed streak of {self.member_id} from {self.first_missed_day}"
