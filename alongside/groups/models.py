"""Support groups, their members and announcements; meetings with their schedules, exceptions,
RSVPs and attendance.

A meeting's schedule is kept as its group's members read it: a local date and wall-clock time in
the group's IANA time zone and an RFC 5545 recurrence rule; `Meeting.schedule()` hands it to the
pure `recurrence` module, which computes the occurrences.
"""

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import SPOKEN_LANGUAGES, validate_languages, validate_time_zone
from alongside.groups import recurrence

DESCRIPTION_LENGTH = 4000
NOTES_LENGTH = 1000
ANNOUNCEMENT_LENGTH = 4000
RULE_LENGTH = 255
CHECK_IN_CODE_LENGTH = 6
# Slugs that would shadow a page of the groups URLs (/groups/<program>/new/, .../import/).
RESERVED_SLUGS = frozenset({"new", "import"})


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class Accessibility(models.TextChoices):
    WHEELCHAIR = "wheelchair", _("Wheelchair accessible")
    ASL = "asl", _("American Sign Language interpreter")
    HEARING_LOOP = "hearing_loop", _("Hearing loop")
    FRAGRANCE_FREE = "fragrance_free", _("Fragrance free")
    CHILDCARE = "childcare", _("Childcare available")


class GroupQuerySet(models.QuerySet["Group"]):
    def published(self) -> "GroupQuerySet":
        return self.filter(is_published=True)

    def of_program(self, program) -> "GroupQuerySet":
        return self.filter(program=program)


def validate_codes(allowed):
    """A validator for a JSON list holding only codes from `allowed`, each once."""

    def validate(value) -> None:
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise ValidationError(_("A list of codes is expected."))
        if len(set(value)) != len(value) or not set(value) <= set(allowed):
            raise ValidationError(_("Choose codes from the list, each once."))

    return validate


def validate_accessibility(value) -> None:
    validate_codes(Accessibility.values)(value)


class Group(models.Model):
    """A support group run within a program by its facilitators."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("address name"), max_length=120)
    description = models.TextField(_("description"), max_length=DESCRIPTION_LENGTH, blank=True)
    areas_of_concern = models.ManyToManyField(
        "core.AreaOfConcern", blank=True, related_name="groups", verbose_name=_("areas of concern")
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.IN_PERSON
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[validate_languages]
    )
    is_open = models.BooleanField(
        _("open to all"), default=True, help_text=_("Closed groups approve each request to join.")
    )
    accessibility = models.JSONField(
        _("accessibility"), default=list, blank=True, validators=[validate_accessibility]
    )
    accessibility_notes = models.TextField(
        _("accessibility notes"), max_length=NOTES_LENGTH, blank=True
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_groups",
        verbose_name=_("facilitators"),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    is_free = models.BooleanField(_("free"), default=True)
    fee = models.CharField(_("fee"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Published groups are listed publicly.")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"], name="group_slug_unique_per_program"
            ),
            models.CheckConstraint(
                condition=Q(is_free=True) | ~Q(fee=""), name="group_with_fee_names_it"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:detail", args=[self.program.slug, self.slug])

    def clean(self) -> None:
        if not self.is_free and not self.fee.strip():
            raise ValidationError({"fee": _("Say what the fee is, or mark the group free.")})
        if self.is_free:
            self.fee = ""

    @property
    def language_names(self) -> list[str]:
        """The group's languages by name, in the viewer's language."""
        names = dict(SPOKEN_LANGUAGES)
        return [str(names.get(code, code)) for code in self.languages]

    @property
    def accessibility_labels(self) -> list[str]:
        """The group's accessibility features in words, not codes."""
        labels = dict(Accessibility.choices)
        return [str(labels.get(code, code)) for code in self.accessibility]


class MembershipStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked to join")
    APPROVED = "approved", _("Member")
    DECLINED = "declined", _("Declined")


class GroupMembershipQuerySet(models.QuerySet["GroupMembership"]):
    def approved(self) -> "GroupMembershipQuerySet":
        return self.filter(status=MembershipStatus.APPROVED)

    def requested(self) -> "GroupMembershipQuerySet":
        return self.filter(status=MembershipStatus.REQUESTED)


class GroupMembership(models.Model):
    """A person's place in a group: approved at once in an open group, requested in a closed one."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    status = models.CharField(max_length=10, choices=MembershipStatus.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.status})"


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def published(self) -> "MeetingQuerySet":
        return self.filter(group__is_published=True)


class Meeting(models.Model):
    """A group's meeting: one-off on `starts_on`, or repeating by `rule` from `starts_on`."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    # Copied from the group so a slug can be unique per program (Meeting Guide feeds key on it).
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="meetings"
    )
    slug = models.SlugField(_("address name"), max_length=120)
    name = models.CharField(_("name"), max_length=120)
    rule = models.CharField(
        _("repeats"),
        max_length=RULE_LENGTH,
        blank=True,
        help_text=_("An iCalendar recurrence rule, like FREQ=WEEKLY;BYDAY=TU. Empty: once."),
    )
    starts_on = models.DateField(_("first (or only) date"))
    start_time = models.TimeField(_("starts at"))
    duration = models.DurationField(
        _("duration"),
        default=timedelta(hours=1),
        validators=[
            MinValueValidator(timedelta(minutes=5)),
            MaxValueValidator(timedelta(hours=12)),
        ],
    )
    location_name = models.CharField(_("place"), max_length=120, blank=True)
    address = models.CharField(_("street address"), max_length=RULE_LENGTH, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=50, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country"), max_length=2, default="US", blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    room_notes = models.TextField(_("room and directions"), max_length=NOTES_LENGTH, blank=True)
    conference_url = models.URLField(_("video meeting link"), blank=True)
    conference_phone = models.CharField(_("dial-in number"), max_length=50, blank=True)
    types = models.JSONField(
        _("meeting types"),
        default=list,
        blank=True,
        help_text=_("Meeting Guide type codes, like O for open or D for discussion."),
    )
    notes = models.TextField(_("notes"), max_length=NOTES_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "start_time", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "slug"], name="meeting_slug_unique_per_program"
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="meeting_coordinates_come_in_pairs",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("groups:meeting", args=[self.program.slug, self.group.slug, self.slug])

    def clean(self) -> None:
        if self.group_id and self.program_id and self.group.program_id != self.program_id:
            raise ValidationError(_("A meeting belongs to its group's program."))
        if self.rule and self.group_id:
            try:
                recurrence.parse_rule(self.rule, start=self.local_start, zone=self.group.time_zone)
            except ValueError as error:
                raise ValidationError({"rule": _("This is not a repeat rule we can read.")}) from (
                    error
                )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @property
    def local_start(self) -> datetime:
        """The naive wall-clock start of the first (or only) meeting in the group's zone."""
        return datetime.combine(self.starts_on, self.start_time)

    @property
    def is_online(self) -> bool:
        return bool(self.conference_url or self.conference_phone)

    def schedule(self) -> recurrence.Schedule:
        """The schedule with its exceptions; uses prefetched `exceptions` when loaded."""
        zone = recurrence.zone_of(self.group.time_zone)
        cancelled: set[date] = set()
        moved: dict[date, datetime] = {}
        for exception in self.exceptions.all():
            if exception.moved_to is None:
                cancelled.add(exception.date)
            else:
                moved[exception.date] = exception.moved_to.astimezone(zone).replace(tzinfo=None)
        return recurrence.Schedule(
            zone=self.group.time_zone,
            start=self.local_start,
            duration=self.duration,
            rule=self.rule,
            cancelled=frozenset(cancelled),
            moved=moved,
        )

    def occurrences(self, start_utc: datetime, end_utc: datetime) -> list[recurrence.Occurrence]:
        """Meetings of this schedule starting in [start_utc, end_utc)."""
        return recurrence.occurrences(self.schedule(), start_utc, end_utc)

    def next_occurrence(self, after_utc: datetime) -> recurrence.Occurrence | None:
        """The first meeting starting at or after `after_utc`."""
        return recurrence.next_occurrence(self.schedule(), after_utc)


class MeetingException(models.Model):
    """One scheduled meeting cancelled (moved_to empty) or moved to another time."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date of the scheduled meeting"))
    moved_to = models.DateTimeField(_("moved to"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "date"], name="one_exception_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} on {self.date}"

    @property
    def is_cancelled(self) -> bool:
        return self.moved_to is None


class RSVP(models.Model):
    """A member saying they will come to one occurrence, keyed by its scheduled start (UTC) so
    moving the meeting keeps the RSVP."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_rsvps"
    )
    occurrence_start = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "occurrence_start"], name="one_rsvp_per_occurrence"
            ),
        ]
        indexes = [models.Index(fields=["reminded_at", "occurrence_start"])]

    def __str__(self) -> str:
        return f"{self.member} to {self.meeting} at {self.occurrence_start}"


class AttendanceMethod(models.TextChoices):
    FACILITATOR = "facilitator", _("Marked by a facilitator")
    CHECK_IN = "check_in", _("Checked in with the code")


class Attendance(models.Model):
    """A member present at one occurrence, marked by a facilitator or checked in with its code."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_attendance"
    )
    occurrence_start = models.DateTimeField()
    method = models.CharField(max_length=12, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "occurrence_start"],
                name="one_attendance_per_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.meeting} on {self.occurrence_start}"


def new_check_in_code() -> str:
    """Six digits a facilitator can read out in the room."""
    return f"{secrets.randbelow(10**CHECK_IN_CODE_LENGTH):0{CHECK_IN_CODE_LENGTH}d}"


class CheckInCode(models.Model):
    """The code members type to check themselves in to one occurrence."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="check_in_codes")
    occurrence_start = models.DateTimeField()
    code = models.CharField(max_length=CHECK_IN_CODE_LENGTH, default=new_check_in_code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "occurrence_start"], name="one_code_per_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return f"check-in code for {self.meeting} at {self.occurrence_start}"


class Announcement(models.Model):
    """A facilitator's note to the group, shown in the group space."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("announcement"), max_length=ANNOUNCEMENT_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"announcement in {self.group} at {self.created_at}"


class DirectoryEntry(models.Model):
    """One occurrence of a meeting in the next `directory.HORIZON`, with everything the directory
    filters on copied beside it, so a search is one indexed scan of one table.

    Rebuilt from the meeting, its group and its exceptions by `directory.refresh_meetings`
    whenever one of them changes, and extended daily. Sets of codes are kept as "|a|b|" text so a
    filter is a LIKE on both SQLite and PostgreSQL.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="directory")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    is_published = models.BooleanField()
    # Where the schedule put it (an RSVP's key) and when it happens, moved or not.
    scheduled_at = models.DateTimeField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    # The square of the map the place is in (directory.cell_of), so that a search near a place
    # reads a few squares' rows from the index instead of a whole band of latitude.
    cell = models.IntegerField(null=True)
    # The meeting's next occurrence; a search at any time lists these rows, one per meeting.
    is_next = models.BooleanField(default=False)
    format = models.CharField(max_length=10, choices=Format.choices)
    is_free = models.BooleanField()
    areas = models.CharField(max_length=400, blank=True)
    languages = models.CharField(max_length=100, blank=True)
    accessibility = models.CharField(max_length=100, blank=True)
    types = models.CharField(max_length=400, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["starts_at"], name="directory_by_start"),
            models.Index(fields=["cell", "starts_at"], name="directory_by_place"),
            models.Index(fields=["is_next", "starts_at"], name="directory_next_by_start"),
            models.Index(fields=["is_next", "cell"], name="directory_next_by_place"),
            models.Index(fields=["meeting", "starts_at"], name="directory_by_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} at {self.starts_at}"


class CalendarFeed(models.Model):
    """A member's personal calendar address for the meetings they said they would come to.

    Only a hash of the secret is kept: the address is shown once when made, and resetting it
    makes the old one stop working at once.
    """

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_calendar"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar of {self.member}"
