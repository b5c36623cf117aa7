"""What people do with groups and meetings: start and run groups, join them, schedule meetings,
RSVP, take attendance and check in, and the reminders before each meeting.

Each action is the only caller of notifications for what it does; access is checked by the
caller through `access`, and checked again here for the things only some people may do.
"""

import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.groups import access, directory, feeds, kinds, recurrence
from alongside.groups.feeds import ImportReport
from alongside.groups.models import (
    RESERVED_SLUGS,
    RSVP,
    Announcement,
    Attendance,
    AttendanceMethod,
    CalendarFeed,
    CheckInCode,
    Group,
    GroupMembership,
    Meeting,
    MeetingException,
    MembershipStatus,
)
from alongside.notifications.actions import notify
from alongside.programs.access import can_manage, has_role
from alongside.programs.models import Program, Role

GROUP_FIELDS = (
    "name",
    "slug",
    "description",
    "format",
    "languages",
    "is_open",
    "accessibility",
    "accessibility_notes",
    "capacity",
    "is_free",
    "fee",
    "time_zone",
    "is_published",
)
MEETING_FIELDS = (
    "name",
    "slug",
    "rule",
    "starts_on",
    "start_time",
    "duration",
    "location_name",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "room_notes",
    "conference_url",
    "conference_phone",
    "types",
    "notes",
)

# Members may check in from a little before the meeting until a little after it ends.
CHECK_IN_EARLY = timedelta(minutes=30)
CHECK_IN_LATE = timedelta(minutes=30)
# Reminders go out this long before a meeting someone RSVP'd to.
REMINDER_LEAD = timedelta(hours=2)
# A meeting can be moved to a later day; RSVPs this far out are still looked at for reminders.
MOVE_SLACK = timedelta(days=31)


def _require_manager(actor, group: Group) -> None:
    if not access.may_manage(actor, group):
        raise Http404


def _check_facilitators(program: Program, facilitators) -> None:
    allowed = set(access.facilitator_choices(program).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in facilitators):
        raise ValidationError(
            {"facilitators": _("Facilitators must hold the facilitator role in the program.")}
        )


def _check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": _("This address name is taken; choose another.")})


@transaction.atomic
def create_group(
    actor, *, program: Program, fields: dict, areas_of_concern=(), facilitators=()
) -> Group:
    """Start a group in `program` (coordinators and site admins); ValidationError when invalid."""
    if not can_manage(actor, program):
        raise Http404
    _check_slug(fields.get("slug", ""))
    _check_facilitators(program, facilitators)
    group = Group(
        program=program, **{name: fields[name] for name in GROUP_FIELDS if name in fields}
    )
    group.full_clean()
    group.save()
    group.areas_of_concern.set(areas_of_concern)
    group.facilitators.set(facilitators)
    return group


@transaction.atomic
def update_group(
    actor, *, group: Group, fields: dict, areas_of_concern=None, facilitators=None
) -> Group:
    """Change a group the actor runs; only coordinators change who facilitates it."""
    _require_manager(actor, group)
    _check_slug(fields.get("slug", group.slug))
    for name in GROUP_FIELDS:
        if name in fields:
            setattr(group, name, fields[name])
    group.updated_at = timezone.now()
    group.full_clean()
    group.save()
    if areas_of_concern is not None:
        group.areas_of_concern.set(areas_of_concern)
    if facilitators is not None and can_manage(actor, group.program):
        _check_facilitators(group.program, facilitators)
        group.facilitators.set(facilitators)
    directory.refresh_group(group)
    return group


def _is_full(group: Group) -> bool:
    return group.capacity is not None and group.memberships.approved().count() >= group.capacity


@transaction.atomic
def join_group(actor, *, group: Group) -> GroupMembership:
    """Join an open group at once, or ask to join a closed one (its facilitators are told);
    ValidationError when the group is full."""
    if not access.allows(actor, group, "join"):
        raise Http404
    membership = GroupMembership.objects.select_for_update().filter(group=group, user=actor).first()
    if membership is not None and membership.status != MembershipStatus.DECLINED:
        return membership
    if _is_full(group):
        raise ValidationError(_("This group is full."))
    status = MembershipStatus.APPROVED if group.is_open else MembershipStatus.REQUESTED
    if membership is None:
        membership = GroupMembership(group=group, user=actor)
    membership.status = status
    membership.requested_at = timezone.now()
    membership.decided_at = None
    membership.decided_by = None
    membership.save()
    if status == MembershipStatus.REQUESTED:
        for facilitator in group.facilitators.all():
            notify(
                facilitator,
                kind=kinds.JOIN_REQUEST,
                title=_("Someone asked to join %(group)s") % {"group": group.name},
                url=group.get_absolute_url() + "requests/",
                program=group.program,
            )
    return membership


@transaction.atomic
def leave_group(actor, *, group: Group) -> None:
    """Leave a group, or withdraw a request to join it."""
    GroupMembership.objects.filter(group=group, user=actor).delete()


@transaction.atomic
def decide_membership(actor, *, membership: GroupMembership, approve: bool) -> GroupMembership:
    """Approve or decline a request to join a group the actor runs; the person is told."""
    group = membership.group
    _require_manager(actor, group)
    if membership.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("This request has been answered already."))
    if approve and _is_full(group):
        raise ValidationError(_("This group is full."))
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED
    membership.decided_at = timezone.now()
    membership.decided_by = actor
    membership.save()
    if approve:
        title = _("You are now a member of %(group)s") % {"group": group.name}
    else:
        title = _("Your request to join %(group)s was declined") % {"group": group.name}
    notify(
        membership.user,
        kind=kinds.JOIN_DECISION,
        title=title,
        url=group.get_absolute_url(),
        program=group.program,
    )
    return membership


@transaction.atomic
def post_announcement(actor, *, group: Group, body: str) -> Announcement:
    """Post an announcement to a group the actor runs."""
    _require_manager(actor, group)
    announcement = Announcement(group=group, author=actor, body=body.strip())
    announcement.full_clean()
    announcement.save()
    return announcement


@transaction.atomic
def save_meeting(actor, *, group: Group, fields: dict, meeting: Meeting | None = None) -> Meeting:
    """Schedule a new meeting of `group`, or change `meeting`; ValidationError when invalid."""
    _require_manager(actor, group)
    if meeting is None:
        meeting = Meeting(group=group, program=group.program)
    elif meeting.group_id != group.pk:
        raise Http404
    _check_slug(fields.get("slug", meeting.slug))
    for name in MEETING_FIELDS:
        if name in fields:
            setattr(meeting, name, fields[name])
    meeting.updated_at = timezone.now()
    meeting.full_clean()
    meeting.save()
    directory.refresh_meetings([meeting.pk])
    return meeting


@transaction.atomic
def add_exception(
    actor, *, meeting: Meeting, day: date, moved_to: datetime | None = None
) -> MeetingException:
    """Cancel the meeting scheduled on local `day`, or move it to the aware `moved_to`."""
    _require_manager(actor, meeting.group)
    if recurrence.scheduled_on(meeting.schedule(), day) is None:
        raise ValidationError({"day": _("There is no meeting on that day to change.")})
    exception, _created = MeetingException.objects.update_or_create(
        meeting=meeting,
        date=day,
        defaults={"moved_to": moved_to, "created_by": actor, "created_at": timezone.now()},
    )
    directory.refresh_meetings([meeting.pk])
    return exception


@transaction.atomic
def remove_exception(actor, *, exception: MeetingException) -> None:
    """Put a cancelled or moved meeting back where the schedule has it."""
    _require_manager(actor, exception.meeting.group)
    exception.delete()
    directory.refresh_meetings([exception.meeting_id])


def _occurrence(meeting: Meeting, scheduled_utc: datetime) -> recurrence.Occurrence:
    occurrence = recurrence.occurrence_at(meeting.schedule(), scheduled_utc)
    if occurrence is None:
        raise ValidationError(_("That meeting is not on the schedule."))
    return occurrence


@transaction.atomic
def set_rsvp(actor, *, meeting: Meeting, scheduled_utc: datetime, attending: bool) -> bool:
    """Say the actor will (or will not after all) come to one upcoming meeting; returns attending.

    Only members of the group (and the people who run it) RSVP; a past meeting refuses.
    """
    if not access.allows(actor, meeting.group, "take_part"):
        raise Http404
    occurrence = _occurrence(meeting, scheduled_utc)
    if occurrence.end <= timezone.now():
        raise ValidationError(_("That meeting is over."))
    if attending:
        meeting.rsvps.get_or_create(member=actor, occurrence_start=occurrence.scheduled_utc)
    else:
        meeting.rsvps.filter(member=actor, occurrence_start=occurrence.scheduled_utc).delete()
    return attending


@transaction.atomic
def take_attendance(actor, *, meeting: Meeting, scheduled_utc: datetime, present) -> int:
    """Record who a facilitator saw at one meeting: exactly `present` (people), keeping members'
    own check-ins; returns how many are marked present."""
    _require_manager(actor, meeting.group)
    occurrence = _occurrence(meeting, scheduled_utc)
    if occurrence.start > timezone.now() + CHECK_IN_EARLY:
        raise ValidationError(_("Attendance is taken once the meeting starts."))
    members = {m.user_id for m in access.approved_members_of(meeting.group)}
    present_ids = {person.pk for person in present}
    if not present_ids <= members:
        raise ValidationError(_("Only members of the group can be marked present."))
    sheet = meeting.attendance.filter(occurrence_start=occurrence.scheduled_utc)
    sheet.filter(method=AttendanceMethod.FACILITATOR).exclude(member_id__in=present_ids).delete()
    already = set(sheet.values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member_id=member_id,
            occurrence_start=occurrence.scheduled_utc,
            method=AttendanceMethod.FACILITATOR,
            recorded_by=actor,
        )
        for member_id in sorted(present_ids - already)
    )
    return sheet.count()


@transaction.atomic
def open_check_in(actor, *, meeting: Meeting, scheduled_utc: datetime) -> CheckInCode:
    """The self check-in code of one meeting, made the first time a facilitator asks for it."""
    _require_manager(actor, meeting.group)
    occurrence = _occurrence(meeting, scheduled_utc)
    code, _created = CheckInCode.objects.get_or_create(
        meeting=meeting,
        occurrence_start=occurrence.scheduled_utc,
        defaults={"created_by": actor},
    )
    return code


def current_occurrence(meeting: Meeting, now: datetime) -> recurrence.Occurrence | None:
    """The meeting open for check-in at `now`: from CHECK_IN_EARLY before its start until
    CHECK_IN_LATE after its end."""
    window = meeting.occurrences(now - meeting.duration - CHECK_IN_LATE, now + CHECK_IN_EARLY)
    return window[-1] if window else None


@transaction.atomic
def check_in(actor, *, meeting: Meeting, code: str) -> Attendance:
    """Check the actor in to the meeting happening now with the code read out in the room;
    ValidationError when no meeting is on or the code is wrong."""
    if not access.allows(actor, meeting.group, "take_part"):
        raise Http404
    occurrence = current_occurrence(meeting, timezone.now())
    issued = (
        None
        if occurrence is None
        else meeting.check_in_codes.filter(occurrence_start=occurrence.scheduled_utc).first()
    )
    if occurrence is None or issued is None:
        raise ValidationError(_("Check-in is not open for this meeting right now."))
    if not hmac.compare_digest(issued.code, code.strip()):
        raise ValidationError({"code": _("That code is not right. Ask the facilitator again.")})
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting,
        member=actor,
        occurrence_start=occurrence.scheduled_utc,
        defaults={"method": AttendanceMethod.CHECK_IN, "recorded_by": actor},
    )
    return attendance


@dataclass(frozen=True)
class RemindersSent:
    sent: int
    skipped: int


@transaction.atomic
def send_due_meeting_reminders(now: datetime | None = None) -> RemindersSent:
    """Remind each person once before each meeting they RSVP'd to, REMINDER_LEAD ahead; RSVPs of
    cancelled meetings, or ones whose time passed unreminded, are closed without a message."""
    now = now or timezone.now()
    rsvps = (
        RSVP.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(reminded_at__isnull=True, occurrence_start__lt=now + REMINDER_LEAD + MOVE_SLACK)
        .select_related("meeting__group__program", "member")
        .prefetch_related("meeting__exceptions")
        .order_by("occurrence_start")
    )
    sent = skipped = 0
    for rsvp in rsvps:
        meeting = rsvp.meeting
        occurrence = recurrence.occurrence_at(meeting.schedule(), rsvp.occurrence_start)
        if occurrence is not None and occurrence.start > now + REMINDER_LEAD:
            continue
        if occurrence is None or occurrence.start <= now or not _still_member(rsvp.member, meeting):
            skipped += 1
        else:
            notify(
                rsvp.member,
                kind=kinds.MEETING_REMINDER,
                title=_("%(meeting)s starts soon") % {"meeting": meeting.name},
                url=meeting.get_absolute_url(),
                program=meeting.program,
            )
            sent += 1
        rsvp.reminded_at = now
        rsvp.save(update_fields=["reminded_at"])
    return RemindersSent(sent=sent, skipped=skipped)


def _still_member(person, meeting: Meeting) -> bool:
    return has_role(person, meeting.program, *Role.values) and access.allows(
        person, meeting.group, "take_part"
    )


# A calendar app polls its feed often; noting every read would write on each poll.
CALENDAR_READ_PRECISION = timedelta(hours=1)


@transaction.atomic
def create_calendar_feed(actor) -> str:
    """Make the actor's personal calendar address and return its secret, the only time it is
    seen; an existing address stops working at once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        member=actor,
        defaults={
            "token_hash": access.calendar_token_hash(token),
            "created_at": timezone.now(),
            "last_read_at": None,
        },
    )
    return token


@transaction.atomic
def delete_calendar_feed(actor) -> None:
    """Remove the actor's personal calendar address; calendar apps get 404 from then on."""
    CalendarFeed.objects.filter(member=actor).delete()


def note_calendar_read(feed: CalendarFeed, *, now: datetime | None = None) -> None:
    """Remember when a calendar app last read `feed`, to the hour (one write an hour at most)."""
    now = now or timezone.now()
    if feed.last_read_at is not None and feed.last_read_at > now - CALENDAR_READ_PRECISION:
        return
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    feed.last_read_at = now


@transaction.atomic
def import_meetings(actor, *, program: Program, data: bytes, publish: bool) -> ImportReport:
    """Create or update `program`'s meetings from a Meeting Guide feed (coordinators and site
    admins); meetingguide.FeedError, with nothing imported, when the feed cannot be read."""
    if not can_manage(actor, program):
        raise Http404
    return feeds.import_feed(program, data, publish=publish)
