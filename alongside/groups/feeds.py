"""Meetings in and out of Meeting Guide feeds, and groups as iCalendar feeds.

Export: the published groups' weekly meetings of a program, as Meeting Guide records. The spec
only knows weekly meetings, so monthly, every-other-week, bounded and one-off schedules are
left out of the feed (they stay in the directory and the calendars).

Import decisions:
- A meeting is found by its slug within the program; a re-import updates it, never duplicates it.
- Its group is the record's `group` (found by the slugified name, else created); a record with no
  `group` gets a group of its own named after the meeting, with the meeting's slug. Existing
  groups are never changed by an import; new ones take format, languages, open or closed and
  accessibility from the record's type codes, and are published only when asked.
- A meeting's stored types leave out the codes its group already states (O/C, ONL/HY, language,
  accessibility); export adds them back, so import -> export -> import changes nothing.
- The spec's fields with nowhere to live here (contacts, entity, payment handles, regions,
  feedback addresses, formatted_address) are read, checked and not kept.
- Each record is saved in its own savepoint: a record is imported whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as TimeOfDay
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import validate_languages
from alongside.groups import access, directory, ical, meetingguide
from alongside.groups.models import RESERVED_SLUGS, RSVP, Accessibility, Format, Group, Meeting
from alongside.programs.models import Program

WEEKDAY_CODES = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # Meeting Guide's 0 is Sunday
DEFAULT_DURATION = timedelta(hours=1)
MIN_DURATION = timedelta(minutes=5)
MAX_DURATION = timedelta(hours=12)
CALENDAR_PRODID = "-//Alongside//Groups//EN"

# The group's accessibility choices <-> the directory's accessibility needs in meetingguide.
NEED_BY_ACCESSIBILITY = {
    Accessibility.WHEELCHAIR: "wheelchair",
    Accessibility.ASL: "sign_language",
    Accessibility.FRAGRANCE_FREE: "fragrance_free",
}
ACCESSIBILITY_BY_NEED = {need: choice for choice, need in NEED_BY_ACCESSIBILITY.items()}


def weekly_days(rule: str, starts_on: date) -> tuple[int, ...] | None:
    """Meeting Guide days (0 = Sunday) of a plain weekly rule, or None when the spec cannot say it.

    Plain weekly: FREQ=WEEKLY, no INTERVAL other than 1, no COUNT or UNTIL, and nothing but BYDAY
    (which defaults to the first meeting's weekday).
    """
    parts: dict[str, str] = {}
    for part in rule.strip().removeprefix("RRULE:").split(";"):
        key, _sep, value = part.partition("=")
        parts[key.strip().upper()] = value.strip().upper()
    if parts.pop("FREQ", "") != "WEEKLY" or parts.pop("INTERVAL", "1") != "1":
        return None
    by_day = parts.pop("BYDAY", "")
    parts.pop("WKST", None)
    if parts:
        return None
    if not by_day:
        return ((starts_on.weekday() + 1) % 7,)
    if any(code not in WEEKDAY_CODES for code in by_day.split(",")):
        return None
    return tuple(sorted({WEEKDAY_CODES.index(code) for code in by_day.split(",")}))


def weekly_rule(days: tuple[int, ...]) -> str:
    """The recurrence rule of a meeting held every week on Meeting Guide `days`."""
    return "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAY_CODES[day] for day in sorted(set(days)))


def first_date_on(days: tuple[int, ...], on_or_after: date) -> date:
    """The first date on or after `on_or_after` falling on one of Meeting Guide `days`."""
    for offset in range(7):
        candidate = on_or_after + timedelta(days=offset)
        if (candidate.weekday() + 1) % 7 in days:
            return candidate
    raise ValueError("No days given.")


def group_type_codes(group: Group) -> tuple[str, ...]:
    """The type codes that state the group's format, languages, openness and accessibility."""
    return meetingguide.type_codes_for(
        attendance=group.format,
        languages=group.languages,
        is_open=group.is_open,
        accessibility=[
            NEED_BY_ACCESSIBILITY[choice]
            for choice in group.accessibility
            if choice in NEED_BY_ACCESSIBILITY
        ],
    )


def record_for(meeting: Meeting, *, url: str = "") -> meetingguide.MeetingRecord | None:
    """The meeting as a Meeting Guide record (group preloaded), or None when not plain weekly."""
    days = weekly_days(meeting.rule, meeting.starts_on) if meeting.rule else None
    if days is None:
        return None
    group = meeting.group
    codes = tuple(dict.fromkeys([*meeting.types, *group_type_codes(group)]))
    end = (datetime.combine(meeting.starts_on, meeting.start_time) + meeting.duration).time()
    return meetingguide.MeetingRecord(
        name=meeting.name,
        slug=meeting.slug,
        day=days,
        time=meeting.start_time,
        end_time=end,
        timezone=group.time_zone,
        types=tuple(code for code in codes if code in meetingguide.TYPE_CODES),
        unknown_types=tuple(code for code in codes if code not in meetingguide.TYPE_CODES),
        notes=meeting.notes,
        conference_url=meeting.conference_url,
        conference_phone=meeting.conference_phone,
        location=meeting.location_name,
        location_notes=meeting.room_notes,
        address=meeting.address,
        city=meeting.city,
        state=meeting.state,
        postal_code=meeting.postal_code,
        country=meeting.country,
        latitude=float(meeting.latitude) if meeting.latitude is not None else None,
        longitude=float(meeting.longitude) if meeting.longitude is not None else None,
        group=group.name,
        url=url,
        updated=meeting.updated_at,
    )


def published_meetings_of(program: Program):
    """The meetings of the program's published groups, with their groups, in a stable order."""
    return (
        Meeting.objects.filter(program=program, group__is_published=True)
        .select_related("group", "program")
        .order_by("slug")
    )


def program_feed(program: Program, *, url_of=lambda meeting: "") -> list[dict[str, Any]]:
    """The program's public Meeting Guide feed: published groups' weekly meetings."""
    records = []
    for meeting in published_meetings_of(program):
        record = record_for(meeting, url=url_of(meeting))
        if record is not None:
            records.append(record)
    return meetingguide.export_feed(records)


def group_calendar(group: Group, *, url_of=lambda meeting: "") -> bytes:
    """The iCalendar text of every meeting of `group`, with cancellations and moves."""
    meetings = group.meetings.prefetch_related("exceptions").order_by("slug")
    events = []
    for meeting in meetings:
        # Already loaded: spares two queries per meeting (schedule and address use them).
        meeting.group = group
        meeting.program = group.program
        events.append(_calendar_event(meeting, url=url_of(meeting)))
    return ical.calendar_for(events, name=group.name, prodid=CALENDAR_PRODID)


def _calendar_event(meeting: Meeting, *, url: str) -> ical.CalendarEvent:
    """The meeting's whole schedule as one calendar event (group and exceptions preloaded).

    The UID is the meeting's, so the group's calendar and a personal one name the same event.
    """
    place = ", ".join(
        part for part in (meeting.location_name, meeting.address, meeting.city) if part
    )
    return ical.CalendarEvent(
        uid=f"meeting-{meeting.pk}@alongside",
        summary=meeting.name,
        schedule=meeting.schedule(),
        description=meeting.notes,
        location=place or meeting.conference_url,
        url=url,
    )


@dataclass(frozen=True)
class ImportProblem:
    """A record the import left out: its position, slug or name, the field, and why (translated)."""

    index: int
    label: str
    field: str
    message: str


@dataclass
class ImportReport:
    """What an import did, by meeting slug, and which records it left out and why."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)
    total: int = 0


def import_feed(program: Program, data: bytes, *, publish: bool = False) -> ImportReport:
    """Create or update the program's meetings from a Meeting Guide feed, one savepoint a record.

    Raises meetingguide.FeedError when the feed as a whole is unusable (nothing is imported).
    """
    parsed = meetingguide.parse_feed(data)
    report = ImportReport(total=parsed.total)
    for problem in parsed.rejections:
        report.rejected.append(
            ImportProblem(problem.index, problem.slug_or_name, problem.field, problem.text(gettext))
        )
    for warning in parsed.warnings:
        report.warnings.append(
            ImportProblem(warning.index, warning.slug_or_name, warning.field, warning.text(gettext))
        )
    rejected = set(parsed.rejected_indexes)
    accepted_indexes = [index for index in range(parsed.total) if index not in rejected]
    with transaction.atomic():
        _import_records(program, parsed, accepted_indexes, report, publish=publish)
    report.rejected.sort(key=lambda problem: problem.index)
    return report


def _import_records(
    program: Program,
    parsed: meetingguide.ParseResult,
    accepted_indexes: list[int],
    report: ImportReport,
    *,
    publish: bool,
) -> None:
    """Save each accepted record in a savepoint of one transaction (one commit, not thousands),
    then index what changed."""
    today = timezone.localdate()
    known = _Known.of(program)
    changed: list[int] = []
    for index, record in zip(accepted_indexes, parsed.records, strict=True):
        try:
            with transaction.atomic():
                outcome, meeting = _import_record(
                    program, record, publish=publish, today=today, known=known
                )
        except ValidationError as error:
            for field_name, messages in _by_field(error):
                report.rejected.append(
                    ImportProblem(index, record.slug, field_name, " ".join(messages))
                )
            continue
        except IntegrityError:
            # Someone else saved the same slug meanwhile; this record was rolled back whole.
            report.rejected.append(
                ImportProblem(index, record.slug, "slug", str(_("Another import changed this.")))
            )
            continue
        getattr(report, outcome).append(record.slug)
        if outcome != "unchanged":
            # Only once its savepoint is released: a record rolled back leaves them as they were.
            known.meetings[meeting.slug] = meeting
            known.groups[meeting.group.slug] = meeting.group
            changed.append(meeting.pk)
    directory.refresh_meetings(changed)


@dataclass
class _Known:
    """The program's meetings and groups by slug, read once for a whole import rather than
    twice a record; kept up to date as the import creates them."""

    meetings: dict[str, Meeting]
    groups: dict[str, Group]

    @classmethod
    def of(cls, program: Program) -> _Known:
        return cls(
            meetings={meeting.slug: meeting for meeting in Meeting.objects.filter(program=program)},
            groups={group.slug: group for group in Group.objects.filter(program=program)},
        )


def _by_field(error: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return [
            (name, [str(message) for message in messages])
            for name, messages in error.message_dict.items()
        ]
    return [("", [str(message) for message in error.messages])]


def _import_record(
    program: Program,
    record: meetingguide.MeetingRecord,
    *,
    publish: bool,
    today: date,
    known: _Known,
) -> tuple[str, Meeting]:
    """Save one record: 'created', 'updated' or 'unchanged', and the meeting; ValidationError
    names the field."""
    fields = _meeting_fields(record)
    meeting = known.meetings.get(record.slug)
    group = _group_for(program, record, publish=publish, known=known)
    fields["types"] = [code for code in fields["types"] if code not in group_type_codes(group)]
    if meeting is not None and meeting.group_id == group.pk:
        stored = {name: getattr(meeting, name) for name in fields}
        if stored == fields and weekly_days(meeting.rule, meeting.starts_on) == record.day:
            return "unchanged", meeting
    outcome = "created" if meeting is None else "updated"
    changed = Meeting(program=program, slug=record.slug, starts_on=today)
    if meeting is not None:
        changed.pk, changed.starts_on, changed.created_at = (
            meeting.pk,
            meeting.starts_on,
            meeting.created_at,
        )
    changed.group = group
    for name, value in fields.items():
        setattr(changed, name, value)
    changed.starts_on = first_date_on(record.day, min(changed.starts_on, today))
    changed.updated_at = timezone.now()
    # The slug is unique in `known`, clean() checks what the other constraints say and the group
    # and program are in hand, so the query per constraint and per foreign key that validating
    # them would cost is left out (the database still enforces them).
    changed.full_clean(
        exclude=["group", "program"], validate_unique=False, validate_constraints=False
    )
    changed.save(force_insert=meeting is None)
    return outcome, changed


def _meeting_fields(record: meetingguide.MeetingRecord) -> dict[str, Any]:
    """The Meeting fields a record sets; ValidationError for what a meeting here cannot hold."""
    errors: dict[str, Any] = {}
    try:
        validate_slug(record.slug)
    except ValidationError:
        errors["slug"] = _("Use only letters, numbers, hyphens and underscores.")
    if len(record.slug) > Meeting._meta.get_field("slug").max_length:  # type: ignore[operator]
        errors["slug"] = _("This is longer than we can store.")
    if not record.day:
        errors["day"] = _("A meeting needs a day of the week to be listed here.")
    if record.time is None:
        errors["time"] = _("A meeting needs a start time to be listed here.")
    if len(record.country) > 2:
        errors["country"] = _("Give the country as its two-letter code, like US.")
    duration = _duration(record.time, record.end_time)
    if not MIN_DURATION <= duration <= MAX_DURATION:
        errors["end_time"] = _("A meeting lasts from 5 minutes to 12 hours.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": record.name,
        "rule": weekly_rule(record.day),
        "start_time": record.time,
        "duration": duration,
        "location_name": record.location,
        "room_notes": record.location_notes,
        "address": record.address,
        "city": record.city,
        "state": record.state,
        "postal_code": record.postal_code,
        "country": record.country,
        "latitude": _coordinate(record.latitude),
        "longitude": _coordinate(record.longitude),
        "conference_url": record.conference_url,
        "conference_phone": record.conference_phone,
        "types": [*record.types, *record.unknown_types],
        "notes": record.notes,
    }


def _duration(start: TimeOfDay | None, end: TimeOfDay | None) -> timedelta:
    if start is None or end is None:
        return DEFAULT_DURATION
    day = date(2000, 1, 1)
    length = datetime.combine(day, end) - datetime.combine(day, start)
    return length if length > timedelta(0) else length + timedelta(days=1)


def _coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.6f}")


def _group_for(
    program: Program, record: meetingguide.MeetingRecord, *, publish: bool, known: _Known
) -> Group:
    """The record's group in the program, created from the record's codes when new."""
    name = record.group or record.name
    slug = (slugify(record.group) if record.group else "") or record.slug
    slug = slug[: Group._meta.get_field("slug").max_length]
    if slug in RESERVED_SLUGS:
        slug = f"{slug}-group"
    group = known.groups.get(slug)
    if group is not None:
        if record.timezone and record.timezone != group.time_zone:
            raise ValidationError(
                {"timezone": _("The meeting's group meets in another time zone.")}
            )
        return group
    facets = meetingguide.directory_facets(record)
    languages = [tag for tag in facets.languages if _is_spoken_language(tag)]
    group = Group(
        program=program,
        name=name[: Group._meta.get_field("name").max_length],
        slug=slug,
        format=facets.attendance if facets.attendance in Format.values else Format.IN_PERSON,
        languages=languages,
        is_open=facets.is_open is not False,
        accessibility=[
            ACCESSIBILITY_BY_NEED[need]
            for need in dict.fromkeys(facets.accessibility)
            if need in ACCESSIBILITY_BY_NEED
        ],
        time_zone=record.timezone or program.default_time_zone,
        is_published=publish,
        description=record.group_notes,
    )
    group.full_clean(exclude=["program"], validate_constraints=False)
    group.save()
    return group


def _is_spoken_language(tag: str) -> bool:
    try:
        validate_languages([tag])
    except ValidationError:
        return False
    return True


# A personal calendar keeps meetings the member went to this long, so last week stays on it.
PERSONAL_CALENDAR_PAST = timedelta(days=30)


def personal_calendar(member, *, url_of=lambda meeting: "") -> bytes:
    """The iCalendar text of every meeting `member` RSVP'd to, upcoming or in the last
    PERSONAL_CALENDAR_PAST, each as its whole schedule; only groups the member may still see
    (access.groups_for), so leaving a closed group takes its meetings off the calendar."""
    since = timezone.now() - PERSONAL_CALENDAR_PAST
    meetings = (
        Meeting.objects.filter(
            pk__in=RSVP.objects.filter(member=member, occurrence_start__gte=since).values(
                "meeting_id"
            ),
            group__in=access.groups_for(member).values("pk"),
        )
        .select_related("group", "program")
        .prefetch_related("exceptions")
        .order_by("slug", "pk")
    )
    events = [_calendar_event(meeting, url=url_of(meeting)) for meeting in meetings]
    return ical.calendar_for(events, name=gettext("My meetings"), prodid=CALENDAR_PRODID)
