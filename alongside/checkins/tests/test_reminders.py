"""Reminders at the member's local time across DST, once a day; missed streaks told once."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from alongside.checkins import actions, kinds
from alongside.checkins.models import CheckIn, CheckInSettings, MissedStreakNotice
from alongside.notifications.models import Notification
from alongside.pairing.models import Pairing
from alongside.privacy.actions import grant_sharing_consent, revoke_sharing_consent
from alongside.privacy.models import Audience, Scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminded(member, program):
    member.profile.time_zone = "America/New_York"
    member.profile.save()
    actions.set_check_in_preferences(member, program=program, remind_at=time(20, 0))
    return member


def reminders_of(person):
    return Notification.objects.filter(recipient=person, kind=kinds.REMINDER)


def run_reminders_at(moment):
    with time_machine.travel(moment, tick=False):
        return actions.send_check_in_reminders()


def test_the_reminder_comes_at_the_local_time_on_both_sides_of_the_spring_change(reminded):
    # 20:00 in New York is 01:00 UTC in winter and 00:00 UTC in summer (clocks change 9 March).
    assert run_reminders_at(datetime(2025, 3, 8, 0, 59, tzinfo=UTC)) == 0
    assert run_reminders_at(datetime(2025, 3, 8, 1, 0, tzinfo=UTC)) == 1
    assert run_reminders_at(datetime(2025, 3, 10, 0, 0, tzinfo=UTC)) == 1
    assert run_reminders_at(datetime(2025, 3, 9, 1, 0, tzinfo=UTC)) == 0  # 21:00 EDT: too late

    assert reminders_of(reminded).count() == 2


def test_the_reminder_comes_at_the_local_time_after_the_autumn_change(reminded):
    assert run_reminders_at(datetime(2025, 11, 3, 0, 0, tzinfo=UTC)) == 0  # 19:00 EST
    assert run_reminders_at(datetime(2025, 11, 3, 1, 0, tzinfo=UTC)) == 1  # 20:00 EST


def test_the_reminder_is_sent_once_a_day_however_often_the_task_runs(reminded):
    start = datetime(2025, 6, 10, 0, 0, tzinfo=UTC)

    sent = [run_reminders_at(start + timedelta(minutes=m)) for m in range(5)]

    assert sent == [1, 0, 0, 0, 0]


def test_no_reminder_after_checking_in_today(reminded, program):
    with time_machine.travel(datetime(2025, 6, 9, 22, 0, tzinfo=UTC), tick=False):
        actions.record_check_in(reminded, program=program, mood=6)

    assert run_reminders_at(datetime(2025, 6, 10, 0, 0, tzinfo=UTC)) == 0
    assert not reminders_of(reminded).exists()


def test_a_reminder_in_the_skipped_hour_comes_when_the_clock_has_passed_it(reminded, program):
    actions.set_check_in_preferences(reminded, program=program, remind_at=time(2, 30))

    assert run_reminders_at(datetime(2025, 3, 9, 7, 0, tzinfo=UTC)) == 0  # 03:00 EDT
    assert run_reminders_at(datetime(2025, 3, 9, 7, 30, tzinfo=UTC)) == 1  # 03:30 EDT


# --- Missed streaks -----------------------------------------------------------------------------


@pytest.fixture
def sharing_member(member, program):
    member.profile.time_zone = "America/New_York"
    member.profile.save()
    grant_sharing_consent(member, program=program, audience=Audience.STAFF, scopes=[Scope.CHECKINS])
    return member


def last_checked_in(member, program, day):
    CheckIn.objects.create(member=member, program=program, day=day, mood=5)


def streak_notes_to(person):
    return Notification.objects.filter(recipient=person, kind=kinds.MISSED_STREAK)


def run_streaks_at(moment):
    with time_machine.travel(moment, tick=False):
        return actions.notify_missed_streaks()


def test_three_missed_days_tell_the_coordinator_once_per_streak(
    sharing_member, program, coordinator
):
    last_checked_in(sharing_member, program, date(2025, 6, 10))

    assert run_streaks_at(datetime(2025, 6, 13, 15, 0, tzinfo=UTC)) == 0  # 2 days missed
    assert run_streaks_at(datetime(2025, 6, 14, 15, 0, tzinfo=UTC)) == 1  # 11, 12, 13 missed
    assert run_streaks_at(datetime(2025, 6, 15, 15, 0, tzinfo=UTC)) == 0
    assert run_streaks_at(datetime(2025, 6, 20, 15, 0, tzinfo=UTC)) == 0

    notes = streak_notes_to(coordinator)
    assert notes.count() == 1
    assert notes.get().title == "A member has not checked in for 3 days"
    assert "/checkins/riverside/members/" in notes.get().url


def test_a_new_streak_after_checking_in_again_is_told_again(sharing_member, program, coordinator):
    last_checked_in(sharing_member, program, date(2025, 6, 1))
    run_streaks_at(datetime(2025, 6, 5, 15, 0, tzinfo=UTC))
    last_checked_in(sharing_member, program, date(2025, 6, 10))

    assert run_streaks_at(datetime(2025, 6, 14, 15, 0, tzinfo=UTC)) == 1
    assert streak_notes_to(coordinator).count() == 2
    assert MissedStreakNotice.objects.count() == 2


def test_the_streak_is_counted_in_the_members_time_zone(sharing_member, program, coordinator):
    last_checked_in(sharing_member, program, date(2025, 6, 10))

    # 01:00 UTC on the 14th is still the 13th in New York: only two days missed there.
    assert run_streaks_at(datetime(2025, 6, 14, 1, 0, tzinfo=UTC)) == 0
    assert run_streaks_at(datetime(2025, 6, 14, 4, 5, tzinfo=UTC)) == 1


def test_the_program_sets_how_many_days_make_a_streak(sharing_member, program, coordinator):
    CheckInSettings.objects.create(program=program, missed_streak_days=5)
    last_checked_in(sharing_member, program, date(2025, 6, 10))

    assert run_streaks_at(datetime(2025, 6, 14, 15, 0, tzinfo=UTC)) == 0
    assert run_streaks_at(datetime(2025, 6, 16, 15, 0, tzinfo=UTC)) == 1


def test_nobody_is_told_without_the_members_consent(member, program, coordinator):
    last_checked_in(member, program, date(2025, 6, 10))

    assert run_streaks_at(datetime(2025, 6, 14, 15, 0, tzinfo=UTC)) == 0
    assert not streak_notes_to(coordinator).exists()


def test_the_peer_supporter_is_told_when_the_member_shares_check_ins_with_them(
    member, program, supporter
):
    Pairing.objects.create(program=program, member=member, supporter=supporter, state="active")
    grant_sharing_consent(
        member, program=program, audience=Audience.SUPPORTER, scopes=[Scope.CHECKINS]
    )
    last_checked_in(member, program, date(2025, 6, 10))

    assert run_streaks_at(datetime(2025, 6, 14, 15, 0, tzinfo=UTC)) == 1
    assert streak_notes_to(supporter).count() == 1

    revoke_sharing_consent(
        member, program=program, audience=Audience.SUPPORTER, scopes=[Scope.CHECKINS]
    )
    last_checked_in(member, program, date(2025, 6, 15))
    assert run_streaks_at(datetime(2025, 6, 20, 15, 0, tzinfo=UTC)) == 0
