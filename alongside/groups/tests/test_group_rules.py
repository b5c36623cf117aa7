"""The rules of groups and meetings, through the actions every page and endpoint uses."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404

from alongside.groups import actions, kinds
from alongside.groups.models import Attendance, MembershipStatus
from alongside.groups.tasks import send_meeting_reminders
from alongside.groups.tests.conftest import FIRST_MEETING_UTC, meeting_fields, start_group
from alongside.notifications.models import Notification
from alongside.testing import make_person


def test_only_people_with_the_facilitator_role_can_facilitate(coordinator, program, member):
    with pytest.raises(ValidationError) as refused:
        start_group(coordinator, program, member)

    assert "facilitators" in refused.value.message_dict


def test_members_cannot_start_groups(member, program):
    with pytest.raises(Http404):
        start_group(member, program)


def test_a_group_with_a_fee_must_name_it(coordinator, program):
    with pytest.raises(ValidationError) as refused:
        start_group(coordinator, program, is_free=False, fee="")

    assert "fee" in refused.value.message_dict


def test_a_slug_that_shadows_a_page_is_refused(coordinator, program):
    with pytest.raises(ValidationError):
        start_group(coordinator, program, slug="new")


def test_joining_an_open_group_is_immediate(group, member):
    membership = actions.join_group(member, group=group)

    assert membership.status == MembershipStatus.APPROVED


def test_asking_to_join_a_closed_group_tells_its_facilitators(
    coordinator, program, facilitator, member
):
    group = start_group(coordinator, program, facilitator, is_open=False)

    membership = actions.join_group(member, group=group)

    assert membership.status == MembershipStatus.REQUESTED
    note = Notification.objects.get(recipient=facilitator)
    assert note.kind == kinds.JOIN_REQUEST


def test_an_approved_request_makes_a_member_and_tells_them(
    coordinator, program, facilitator, member
):
    group = start_group(coordinator, program, facilitator, is_open=False)
    membership = actions.join_group(member, group=group)

    actions.decide_membership(facilitator, membership=membership, approve=True)

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert Notification.objects.get(recipient=member).kind == kinds.JOIN_DECISION


def test_a_full_group_takes_nobody_more(coordinator, program, member, supporter):
    group = start_group(coordinator, program, capacity=1)
    actions.join_group(supporter, group=group)

    with pytest.raises(ValidationError, match="full"):
        actions.join_group(member, group=group)


def test_people_from_another_program_cannot_join(group, outsider):
    with pytest.raises(Http404):
        actions.join_group(outsider, group=group)


def test_a_facilitator_who_lost_the_role_no_longer_runs_the_group(group, facilitator, program):
    facilitator.memberships.get(program=program).roles.filter(role="facilitator").delete()

    with pytest.raises(Http404):
        actions.post_announcement(facilitator, group=group, body="Hello")


def test_meeting_slugs_are_unique_in_a_program(meeting, group, facilitator):
    with pytest.raises(ValidationError):
        actions.save_meeting(facilitator, group=group, fields=meeting_fields(name="Another"))


def test_an_unreadable_rule_is_refused_next_to_it(group, facilitator):
    with pytest.raises(ValidationError) as refused:
        actions.save_meeting(facilitator, group=group, fields=meeting_fields(rule="FREQ=HOURLY"))

    assert "rule" in refused.value.message_dict


def test_cancelling_a_meeting_takes_it_off_the_schedule(meeting, facilitator):
    actions.add_exception(facilitator, meeting=meeting, day=date(2026, 1, 13))

    days = [
        o.start.date()
        for o in meeting.occurrences(FIRST_MEETING_UTC, FIRST_MEETING_UTC + timedelta(days=21))
    ]
    assert date(2026, 1, 13) not in days and len(days) == 2


def test_a_day_without_a_meeting_cannot_be_changed(meeting, facilitator):
    with pytest.raises(ValidationError):
        actions.add_exception(facilitator, meeting=meeting, day=date(2026, 1, 14))


def test_a_member_rsvps_once_per_meeting(meeting, joined):
    actions.set_rsvp(joined, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True)
    actions.set_rsvp(joined, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True)

    assert meeting.rsvps.count() == 1


def test_an_rsvp_to_a_time_without_a_meeting_is_refused(meeting, joined):
    with pytest.raises(ValidationError):
        actions.set_rsvp(
            joined,
            meeting=meeting,
            scheduled_utc=FIRST_MEETING_UTC + timedelta(hours=1),
            attending=True,
        )


def test_people_outside_the_group_cannot_rsvp(meeting, supporter):
    with pytest.raises(Http404):
        actions.set_rsvp(
            supporter, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True
        )


def test_a_reminder_goes_out_once_shortly_before_the_meeting(meeting, joined):
    actions.set_rsvp(joined, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True)

    early = actions.send_due_meeting_reminders(FIRST_MEETING_UTC - timedelta(hours=5))
    due = actions.send_due_meeting_reminders(FIRST_MEETING_UTC - timedelta(hours=1))
    again = actions.send_due_meeting_reminders(FIRST_MEETING_UTC - timedelta(minutes=30))

    assert (early.sent, due.sent, again.sent) == (0, 1, 0)
    assert Notification.objects.get(recipient=joined).kind == kinds.MEETING_REMINDER


def test_a_cancelled_meeting_sends_no_reminder(meeting, joined, facilitator):
    actions.set_rsvp(joined, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True)
    actions.add_exception(facilitator, meeting=meeting, day=date(2026, 1, 6))

    result = actions.send_due_meeting_reminders(FIRST_MEETING_UTC - timedelta(hours=1))

    assert (result.sent, result.skipped) == (0, 1)
    assert not Notification.objects.filter(recipient=joined).exists()


def test_a_moved_meeting_is_reminded_at_its_new_time(meeting, joined, facilitator):
    actions.set_rsvp(joined, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True)
    new_start = FIRST_MEETING_UTC + timedelta(days=1)
    actions.add_exception(facilitator, meeting=meeting, day=date(2026, 1, 6), moved_to=new_start)

    at_old_time = actions.send_due_meeting_reminders(FIRST_MEETING_UTC - timedelta(hours=1))
    at_new_time = actions.send_due_meeting_reminders(new_start - timedelta(hours=1))

    assert (at_old_time.sent, at_new_time.sent) == (0, 1)


def test_a_member_checks_in_with_the_code_during_the_meeting(meeting, joined, facilitator):
    code = actions.open_check_in(facilitator, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC)

    with time_machine.travel(FIRST_MEETING_UTC + timedelta(minutes=10), tick=False):
        with pytest.raises(ValidationError):
            actions.check_in(
                joined, meeting=meeting, code="000000" if code.code != "000000" else "1"
            )
        attendance = actions.check_in(joined, meeting=meeting, code=code.code)

    assert attendance.occurrence_start == FIRST_MEETING_UTC
    assert attendance.method == "check_in"


def test_check_in_is_closed_between_meetings(meeting, joined, facilitator):
    code = actions.open_check_in(facilitator, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC)

    with pytest.raises(ValidationError, match="not open"):
        actions.check_in(joined, meeting=meeting, code=code.code)


def test_the_facilitator_marks_exactly_who_was_there(meeting, joined, facilitator, program):
    other = make_person(program)
    actions.join_group(other, group=meeting.group)

    with time_machine.travel(FIRST_MEETING_UTC + timedelta(minutes=10), tick=False):
        actions.take_attendance(
            facilitator, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, present=[joined, other]
        )
        count = actions.take_attendance(
            facilitator, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, present=[other]
        )

    assert count == 1
    assert Attendance.objects.get().member == other


def test_attendance_cannot_be_taken_before_the_meeting(meeting, joined, facilitator):
    with pytest.raises(ValidationError):
        actions.take_attendance(
            facilitator, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, present=[joined]
        )


def test_occurrences_follow_the_group_zone_across_the_clock_change(meeting):
    spring = datetime(2026, 3, 1, tzinfo=meeting.next_occurrence(FIRST_MEETING_UTC).start.tzinfo)

    before, after = meeting.occurrences(spring, spring + timedelta(days=14))[:2]

    assert before.start.hour == after.start.hour == 19
    assert after.start_utc - before.start_utc == timedelta(days=7) - timedelta(hours=1)


def test_the_periodic_task_sends_due_reminders(meeting, joined, time_machine):
    actions.set_rsvp(joined, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True)
    time_machine.move_to(FIRST_MEETING_UTC - timedelta(hours=1), tick=False)

    send_meeting_reminders.call_local()

    assert Notification.objects.filter(recipient=joined, kind=kinds.MEETING_REMINDER).count() == 1
