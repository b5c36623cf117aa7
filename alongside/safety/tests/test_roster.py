"""The alert chain and shifts typed in local time, across daylight saving time changes."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from alongside.safety import actions, roster
from alongside.safety.models import OnCallShift
from alongside.testing import make_person

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


def test_the_chain_follows_position_then_start_and_counts_a_person_once():
    shifts = [
        roster.ShiftOnCall(person_id=3, position=2, starts_at=T0),
        roster.ShiftOnCall(person_id=1, position=1, starts_at=T0 + timedelta(hours=1)),
        roster.ShiftOnCall(person_id=2, position=1, starts_at=T0),
        roster.ShiftOnCall(person_id=3, position=1, starts_at=T0 + timedelta(hours=2)),
    ]

    assert roster.on_call_order(shifts) == [2, 1, 3]


def test_each_step_alerts_one_person_then_all_coordinators_forever():
    chain = {"on_call": [7, 8], "coordinators": [1, 2]}

    assert [roster.recipients_at(tier, **chain) for tier in range(5)] == [
        (7,),
        (8,),
        (1, 2),
        (1, 2),
        (1, 2),
    ]


def test_nobody_on_call_means_the_coordinators_first():
    assert roster.recipients_at(0, on_call=[], coordinators=[4, 5]) == (4, 5)


def test_no_coordinators_means_the_site_admins():
    assert roster.recipients_at(1, on_call=[7], coordinators=[], site_admins=[99]) == (99,)


def test_the_written_out_chain_ends_with_the_repeating_step():
    assert roster.chain_steps(on_call=[7], coordinators=[1, 2]) == [(7,), (1, 2)]


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected_utc"),
    [
        # New York: clocks go forward on 9 March 2025 at 02:00 (EST -5 -> EDT -4).
        ("America/New_York", date(2025, 3, 8), time(22, 0), datetime(2025, 3, 9, 3, 0)),
        ("America/New_York", date(2025, 3, 9), time(8, 0), datetime(2025, 3, 9, 12, 0)),
        # ... and back on 2 November 2025 at 02:00; 01:30 happens twice, the first is meant.
        ("America/New_York", date(2025, 11, 2), time(1, 30), datetime(2025, 11, 2, 5, 30)),
        ("America/New_York", date(2025, 11, 2), time(8, 0), datetime(2025, 11, 2, 13, 0)),
        # London: forward on 30 March 2025 at 01:00 (GMT -> BST), back on 26 October.
        ("Europe/London", date(2025, 3, 30), time(0, 30), datetime(2025, 3, 30, 0, 30)),
        ("Europe/London", date(2025, 3, 30), time(9, 0), datetime(2025, 3, 30, 8, 0)),
        ("Europe/London", date(2025, 10, 26), time(1, 30), datetime(2025, 10, 26, 0, 30)),
        ("Europe/London", date(2025, 10, 26), time(9, 0), datetime(2025, 10, 26, 9, 0)),
    ],
)
def test_local_times_become_the_right_utc_moment_around_dst(zone, day, at, expected_utc):
    assert roster.local_to_utc(day, at, zone) == expected_utc.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at"),
    [
        ("America/New_York", date(2025, 3, 9), time(2, 30)),
        ("Europe/London", date(2025, 3, 30), time(1, 15)),
    ],
)
def test_the_hour_clocks_skip_does_not_exist(zone, day, at):
    with pytest.raises(roster.NonexistentLocalTime):
        roster.local_to_utc(day, at, zone)


def test_an_overnight_shift_across_the_spring_change_is_one_hour_shorter():
    starts = roster.local_to_utc(date(2025, 3, 8), time(20, 0), "America/New_York")
    ends = roster.local_to_utc(date(2025, 3, 9), time(8, 0), "America/New_York")

    assert ends - starts == timedelta(hours=11)


def test_an_overnight_shift_across_the_autumn_change_in_london_is_one_hour_longer():
    starts = roster.local_to_utc(date(2025, 10, 25), time(20, 0), "Europe/London")
    ends = roster.local_to_utc(date(2025, 10, 26), time(8, 0), "Europe/London")

    assert ends - starts == timedelta(hours=13)


@pytest.mark.parametrize(
    ("length", "problem"),
    [
        (timedelta(hours=-1), "ends_before_start"),
        (timedelta(0), "ends_before_start"),
        (timedelta(days=31), None),
        (timedelta(days=31, minutes=1), "too_long"),
    ],
)
def test_shift_problems(length, problem):
    assert roster.shift_problem(T0, T0 + length) == problem


def test_a_coordinator_puts_a_clinician_on_call(coordinator, on_call_clinician, program):
    shift = actions.add_on_call_shift(
        coordinator,
        program=program,
        person=on_call_clinician,
        starts_at=T0,
        ends_at=T0 + timedelta(hours=8),
        position=2,
    )

    assert (shift.person, shift.position, shift.created_by) == (on_call_clinician, 2, coordinator)


@pytest.mark.parametrize("role", ["member", "supporter", "moderator"])
def test_only_clinicians_and_coordinators_can_be_on_call(role, coordinator, program):
    someone = make_person(program, role)

    with pytest.raises(ValidationError) as refused:
        actions.add_on_call_shift(
            coordinator,
            program=program,
            person=someone,
            starts_at=T0,
            ends_at=T0 + timedelta(hours=1),
        )

    assert "person" in refused.value.message_dict
    assert not OnCallShift.objects.exists()


def test_a_clinician_of_another_program_cannot_be_on_call(coordinator, program, other_program):
    elsewhere = make_person(other_program, "clinician")

    with pytest.raises(ValidationError):
        actions.add_on_call_shift(
            coordinator,
            program=program,
            person=elsewhere,
            starts_at=T0,
            ends_at=T0 + timedelta(hours=1),
        )


def test_a_shift_ending_before_it_starts_or_too_long_is_refused(
    coordinator, on_call_clinician, program
):
    for ends_at, message in [
        (T0 - timedelta(hours=1), "end after it starts"),
        (T0 + timedelta(days=32), "at most 31 days"),
    ]:
        with pytest.raises(ValidationError, match=message):
            actions.add_on_call_shift(
                coordinator,
                program=program,
                person=on_call_clinician,
                starts_at=T0,
                ends_at=ends_at,
            )


def test_a_clinician_cannot_change_the_roster(on_call_clinician, program):
    with pytest.raises(Http404):
        actions.add_on_call_shift(
            on_call_clinician,
            program=program,
            person=on_call_clinician,
            starts_at=T0,
            ends_at=T0 + timedelta(hours=1),
        )
