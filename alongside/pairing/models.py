"""One-on-one pairing: what supporters offer and members ask for, blocks, pairings and session logs.

Availability is stored as hours of the week in the person's own time zone (0 = Monday 00:00 to
01:00, 167 = Sunday 23:00 to 24:00), the way they chose it; alongside.pairing.profiles moves it to
UTC in each week of the year whose clocks differ (daylight saving) when matching.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import validate_languages
from alongside.core.encryption import EncryptedTextField
from alongside.pairing.scoring import Weights

MIN_CAPACITY = 1
MAX_CAPACITY = 5
HOURS_PER_WEEK = 168
FEEDBACK_MAX_LENGTH = 2000
NOTES_MAX_LENGTH = 5000
MAX_SESSION_MINUTES = 600
# Raise when the text of templates/pairing/_boundaries.html changes, so both sides accept it again.
BOUNDARIES_VERSION = 1


class Modality(models.TextChoices):
    CHAT = "chat", _("chat")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video")
    IN_PERSON = "in_person", _("in person")


class Experience(models.TextChoices):
    """Specific lived experience beyond the area of concern: what someone is in recovery from."""

    ALCOHOL = "alcohol", _("alcohol")
    OPIOIDS = "opioid", _("opioid")
    FENTANYL = "fentanyl", _("fentanyl")
    METHAMPHETAMINE = "methamphetamine", _("methamphetamine")
    COCAINE = "cocaine", _("cocaine")
    CANNABIS = "cannabis", _("cannabis")
    BENZODIAZEPINES = "benzodiazepine", _("benzodiazepine")
    PRESCRIPTION = "prescription_drug", _("prescription drug")
    NICOTINE = "nicotine", _("nicotine")


class Identity(models.TextChoices):
    """Identities a supporter may choose to be matched on; never asked for, always opt-in."""

    VETERAN = "veteran", _("a veteran")
    LGBTQ = "lgbtq", _("LGBTQ+")
    PARENT = "parent", _("a parent")
    FAITH = "faith", _("a person of faith")
    BIPOC = "bipoc", _("Black, Indigenous or a person of colour")
    WOMAN = "woman", _("a woman")
    YOUNG_ADULT = "young_adult", _("a young adult")


class Preference(models.TextChoices):
    REQUIRED = "required", _("Required")
    NICE = "nice", _("Nice to have")


def validate_hours_of_week(value) -> None:
    if not isinstance(value, list) or any(
        not isinstance(hour, int) or isinstance(hour, bool) or not 0 <= hour < HOURS_PER_WEEK
        for hour in value
    ):
        raise ValidationError(_("Choose times of the week from the grid."))


def validate_modalities(value) -> None:
    _check_choice_list(value, Modality, _("Choose ways of meeting from the list."))


def validate_experiences(value) -> None:
    _check_choice_list(value, Experience, _("Choose experiences from the list."))


def validate_identities(value) -> None:
    _check_choice_list(value, Identity, _("Choose identities from the list."))


def _check_choice_list(value, choices: type[models.TextChoices], message) -> None:
    if not isinstance(value, list) or any(item not in choices.values for item in value):
        raise ValidationError(message)


def validate_identity_preferences(value) -> None:
    if not isinstance(value, dict) or any(
        key not in Identity.values or preference not in Preference.values
        for key, preference in value.items()
    ):
        raise ValidationError(_("Mark each identity as required or nice to have."))


DEFAULT_WEIGHTS = Weights()
MAX_WEIGHT = 10
DEFAULT_TOP_K = 20
MAX_TOP_K = 200


def _weight_field(label, name: str) -> models.FloatField:
    return models.FloatField(
        label,
        default=getattr(DEFAULT_WEIGHTS, name),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_WEIGHT)],
    )


class PairingSettings(models.Model):
    """How one program matches: what each soft factor weighs, how many candidates the batch
    keeps per person, and whether members choose their supporter themselves."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="pairing_settings"
    )
    # One field per scoring.Weights field, same name (a test keeps them equal).
    area_overlap = _weight_field(_("shared areas of concern"), "area_overlap")
    shared_experience = _weight_field(_("shared specific experience"), "shared_experience")
    availability = _weight_field(_("overlapping free times"), "availability")
    time_zone = _weight_field(_("close time zones"), "time_zone")
    modality = _weight_field(_("shared ways of meeting"), "modality")
    identity_nice = _weight_field(_("identities the member would like"), "identity_nice")
    recovery_time = _weight_field(_("supporter's time in recovery"), "recovery_time")
    top_k = models.PositiveSmallIntegerField(
        _("candidates kept per person in batch matching"),
        default=DEFAULT_TOP_K,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TOP_K)],
        help_text=_("More finds better matches in large cohorts but takes longer."),
    )
    allow_self_selection = models.BooleanField(
        _("members choose their supporter"),
        default=False,
        help_text=_(
            "When on, a waiting member sees their three best matches with the reasons and "
            "chooses one; the supporter then accepts as usual."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pairing settings")
        verbose_name_plural = _("pairing settings")

    def __str__(self) -> str:
        return f"pairing settings of {self.program_id}"

    @property
    def weights(self) -> Weights:
        return Weights(**{name: getattr(self, name) for name in WEIGHT_NAMES})


WEIGHT_NAMES = tuple(Weights.__dataclass_fields__)


class SupporterStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    PAUSED = "paused", _("Paused")


class SupporterMatchProfile(models.Model):
    """What a peer supporter offers for matching in one program; matched only once approved."""

    membership = models.OneToOneField(
        "programs.Membership", on_delete=models.CASCADE, related_name="supporter_match_profile"
    )
    areas = models.ManyToManyField(
        "core.AreaOfConcern",
        blank=True,
        related_name="+",
        verbose_name=_("lived experience"),
    )
    experiences = models.JSONField(
        _("specific experience"), default=list, blank=True, validators=[validate_experiences]
    )
    years_in_recovery = models.DecimalField(
        _("years in recovery"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    availability = models.JSONField(
        _("weekly availability"), default=list, blank=True, validators=[validate_hours_of_week]
    )
    modalities = models.JSONField(
        _("ways of meeting"), default=list, blank=True, validators=[validate_modalities]
    )
    identities = models.JSONField(
        _("identities to be matched on"),
        default=list,
        blank=True,
        validators=[validate_identities],
    )
    capacity = models.PositiveSmallIntegerField(
        _("how many members at once"),
        default=2,
        validators=[MinValueValidator(MIN_CAPACITY), MaxValueValidator(MAX_CAPACITY)],
    )
    status = models.CharField(
        max_length=10, choices=SupporterStatus.choices, default=SupporterStatus.PENDING
    )
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=MIN_CAPACITY) & Q(capacity__lte=MAX_CAPACITY),
                name="supporter_capacity_1_to_5",
            ),
        ]
        verbose_name = _("supporter match profile")

    def __str__(self) -> str:
        return f"supporter profile of {self.membership_id}"

    @property
    def is_approved(self) -> bool:
        return self.status == SupporterStatus.APPROVED


class MemberMatchRequest(models.Model):
    """What a member wants from a peer supporter in one program; waiting while `wants_supporter`."""

    membership = models.OneToOneField(
        "programs.Membership", on_delete=models.CASCADE, related_name="member_match_request"
    )
    areas = models.ManyToManyField(
        "core.AreaOfConcern", blank=True, related_name="+", verbose_name=_("help with")
    )
    experiences = models.JSONField(
        _("specific experience"), default=list, blank=True, validators=[validate_experiences]
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_languages]
    )
    availability = models.JSONField(
        _("weekly availability"), default=list, blank=True, validators=[validate_hours_of_week]
    )
    modalities = models.JSONField(
        _("ways of meeting"), default=list, blank=True, validators=[validate_modalities]
    )
    modality_required = models.BooleanField(_("only these ways of meeting"), default=False)
    identity_preferences = models.JSONField(
        _("supporter identities"),
        default=dict,
        blank=True,
        validators=[validate_identity_preferences],
    )
    wants_supporter = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member match request")

    def __str__(self) -> str:
        return f"match request of {self.membership_id}"


class Block(models.Model):
    """A member's wish never to be matched with this supporter again in this program."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairing_blocks"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["program", "member", "supporter"], name="one_block_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} blocks {self.supporter_id} in {self.program_id}"


class State(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


# A pairing in these states holds one of the supporter's places.
LIVE_STATES = (State.ACTIVE, State.PAUSED)
# A member has at most one pairing in these states per program.
OPEN_STATES = (State.PROPOSED, State.ACTIVE, State.PAUSED)


class CloseReason(models.TextChoices):
    DECLINED = "declined", _("The proposal was declined")
    COMPLETED = "completed", _("Support is complete")
    MEMBER_REQUEST = "member_request", _("Closed at the member's request")
    SUPPORTER_REQUEST = "supporter_request", _("Closed at the supporter's request")
    NOT_A_FIT = "not_a_fit", _("Not a good fit")
    LEFT_PROGRAM = "left_program", _("Someone left the program")
    SAFETY = "safety", _("A safety concern")
    OTHER = "other", _("Another reason")


class PairingQuerySet(models.QuerySet["Pairing"]):
    def open(self) -> "PairingQuerySet":
        return self.filter(state__in=OPEN_STATES)

    def live(self) -> "PairingQuerySet":
        return self.filter(state__in=LIVE_STATES)

    def in_program(self, program) -> "PairingQuerySet":
        return self.filter(program=program)


class Pairing(models.Model):
    """A member and a peer supporter, from the proposal through acceptance by both to its end."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="pairings"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairings_as_member"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pairings_as_supporter"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The matching score when proposed, for the coordinator's later review.
    score = models.FloatField(null=True, blank=True)
    proposed_at = models.DateTimeField(default=timezone.now)
    member_accepted_at = models.DateTimeField(null=True, blank=True)
    supporter_accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    # Each side's words on the ending; the other side never sees them.
    member_feedback = EncryptedTextField(
        _("member's feedback"), blank=True, max_length=FEEDBACK_MAX_LENGTH
    )
    supporter_feedback = EncryptedTextField(
        _("supporter's feedback"), blank=True, max_length=FEEDBACK_MAX_LENGTH
    )
    # Keeps these two apart in later matching (scoring.hard_filter's "ended_badly").
    ended_badly = models.BooleanField(default=False)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "member"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_pairing_per_member",
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("supporter")), name="pairing_of_two_people"
            ),
        ]
        indexes = [models.Index(fields=["program", "supporter", "state"])]
        verbose_name = _("pairing")

    def __str__(self) -> str:
        return f"{self.member_id} with {self.supporter_id} in {self.program_id} ({self.state})"

    def side_of(self, user) -> str | None:
        """ "member", "supporter" or None: which side of this pairing `user` is on."""
        if user.pk == self.member_id:
            return "member"
        if user.pk == self.supporter_id:
            return "supporter"
        return None

    def accepted_by(self, side: str) -> bool:
        return getattr(self, f"{side}_accepted_at") is not None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def duration(self, now=None):
        """How long it has run since both accepted (to its close, or to now); None if never."""
        if self.started_at is None:
            return None
        return (self.closed_at or now or timezone.now()) - self.started_at

    def contact_figures(self, sessions: int, now=None) -> tuple[int | None, float | None]:
        """Whole days it has run, and the `sessions` logged per week over that time to one decimal
        (a pairing younger than a week counts as one week); (None, None) if it never started."""
        duration = self.duration(now)
        if duration is None:
            return None, None
        weeks = max(duration / timedelta(weeks=1), 1.0)
        return duration.days, round(sessions / weeks, 1)


class Side(models.TextChoices):
    MEMBER = "member", _("Member")
    SUPPORTER = "supporter", _("Peer supporter")


class BoundariesAgreement(models.Model):
    """One side's acceptance of the shared boundaries agreement at the start of a pairing."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="agreements")
    side = models.CharField(max_length=10, choices=Side.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    version = models.PositiveSmallIntegerField(default=BOUNDARIES_VERSION)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pairing", "side"], name="one_agreement_per_side"),
        ]

    def __str__(self) -> str:
        return f"{self.side} of {self.pairing_id} accepted v{self.version}"


class Topic(models.TextChoices):
    CHECK_IN = "check_in", _("General check-in")
    CRAVINGS = "cravings", _("Cravings and triggers")
    GOALS = "goals", _("Goals")
    RELATIONSHIPS = "relationships", _("Relationships and family")
    WORK = "work", _("Work, school or money")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health and treatment")
    MOOD = "mood", _("Mood and stress")
    MILESTONE = "milestone", _("A milestone to celebrate")
    RESOURCES = "resources", _("Finding services")


def validate_topics(value) -> None:
    _check_choice_list(value, Topic, _("Choose topics from the list."))


class SessionLog(models.Model):
    """A supporter's record of one contact with their member; the notes are theirs alone."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="session_logs")
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    modality = models.CharField(_("how you met"), max_length=10, choices=Modality.choices)
    topics = models.JSONField(_("topics"), default=list, blank=True, validators=[validate_topics])
    notes = EncryptedTextField(_("private notes"), blank=True, max_length=NOTES_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("session log")

    def __str__(self) -> str:
        return f"session of {self.pairing_id} on {self.date}"
