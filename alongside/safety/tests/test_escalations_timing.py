"""Re-escalation with time travel: the next person at the limit, then the coordinators, forever."""

from datetime import UTC, datetime, timedelta

import time_machine

from alongside.notifications.models import Notification
from alongside.programs.models import MembershipRole
from alongside.safety import actions, tasks
from alongside.safety.models import EventKind, OutboxMessage, SafetySettings
from alongside.safety.tests.escalation_helpers import advance_to, open_for, put_on_call
from alongside.testing import make_person

OPENED = datetime(2025, 1, 15, 9, 50, tzinfo=UTC)


def alerted_at(escalation, tier):
    return set(
        OutboxMessage.objects.filter(escalation=escalation, tier=tier).values_list(
            "recipient", flat=True
        )
    )


def test_nobody_acknowledges_so_it_climbs_the_chain_then_repeats_to_the_coordinators(
    member, coordinator, program
):
    first = make_person(program, "clinician")
    second = make_person(program, "clinician")
    other_coordinator = make_person(program, "coordinator")
    day_start = OPENED.replace(hour=0, minute=0)
    put_on_call(program, first, position=1, starts_at=day_start, hours=24)
    put_on_call(program, second, position=2, starts_at=day_start, hours=24)
    coordinators = {coordinator.pk, other_coordinator.pk}

    with time_machine.travel(OPENED, tick=False) as traveller:
        escalation = open_for(member, program)
        assert alerted_at(escalation, 0) == {first.pk}

        traveller.move_to(OPENED + timedelta(minutes=9, seconds=59))
        assert actions.re_escalate_overdue() == 0
        escalation.refresh_from_db()
        assert escalation.tier == 0

        traveller.move_to(OPENED + timedelta(minutes=10))
        assert actions.re_escalate_overdue() == 1
        escalation.refresh_from_db()
        assert escalation.tier == 1
        assert alerted_at(escalation, 1) == {second.pk}
        assert escalation.acknowledge_by == OPENED + timedelta(minutes=20)

        traveller.move_to(OPENED + timedelta(minutes=20))
        actions.re_escalate_overdue()
        assert alerted_at(escalation, 2) == coordinators

        traveller.move_to(OPENED + timedelta(minutes=30))
        actions.re_escalate_overdue()
        assert alerted_at(escalation, 3) == coordinators

        actions.acknowledge_escalation(other_coordinator, escalation=escalation)
        traveller.move_to(OPENED + timedelta(minutes=45))
        assert actions.re_escalate_overdue() == 0

    assert escalation.events.filter(kind=EventKind.RE_ESCALATED).count() == 3
    assert OutboxMessage.objects.filter(escalation=escalation).count() == 1 + 1 + 2 + 2


def test_two_sweeps_at_once_pass_it_on_only_one_step(member, coordinator, program):
    with time_machine.travel(OPENED, tick=False) as traveller:
        escalation = open_for(member, program)
        traveller.move_to(OPENED + timedelta(minutes=10))
        assert actions.re_escalate_overdue() == 1
        assert actions.re_escalate_overdue() == 0

    escalation.refresh_from_db()
    assert escalation.tier == 1


def test_someone_no_longer_a_clinician_is_skipped_even_with_a_shift(
    member, coordinator, on_call_clinician, program
):
    former = make_person(program, "clinician")
    put_on_call(program, former, position=1)
    put_on_call(program, on_call_clinician, position=2)
    MembershipRole.objects.filter(membership__user=former).update(role="supporter")

    escalation = open_for(member, program)

    assert alerted_at(escalation, 0) == {on_call_clinician.pk}


def test_a_shift_that_ended_no_longer_counts(member, coordinator, on_call_clinician, program):
    with time_machine.travel(OPENED, tick=False):
        put_on_call(program, on_call_clinician, starts_at=OPENED - timedelta(hours=8), hours=8)
        escalation = open_for(member, program)

    assert alerted_at(escalation, 0) == {coordinator.pk}


def test_a_shorter_limit_passes_it_on_sooner(member, coordinator, on_call_clinician, program):
    SafetySettings.objects.create(program=program, acknowledge_within_minutes=2)
    put_on_call(program, on_call_clinician, starts_at=OPENED - timedelta(hours=1))
    with time_machine.travel(OPENED, tick=False) as traveller:
        escalation = open_for(member, program)
        traveller.move_to(OPENED + timedelta(minutes=2))
        assert actions.re_escalate_overdue() == 1

    assert alerted_at(escalation, 1) == {coordinator.pk}


def test_alerts_still_queued_when_someone_acknowledges_are_not_sent(
    member, coordinator, on_call_clinician, program
):
    put_on_call(program, on_call_clinician, starts_at=OPENED - timedelta(hours=1))
    with time_machine.travel(OPENED, tick=False) as traveller:
        escalation = open_for(member, program)
        assert actions.deliver_outbox() == 1
        traveller.move_to(OPENED + timedelta(minutes=10))
        # Passed on to the coordinator, but the worker has not sent that alert yet.
        assert actions.re_escalate_overdue() == 1
        actions.acknowledge_escalation(on_call_clinician, escalation=escalation)

        traveller.move_to(OPENED + timedelta(minutes=11))
        assert tasks.sweep_escalations.call_local() == 0
        assert tasks.sweep_escalations.call_local() == 0

    assert not Notification.objects.filter(recipient=coordinator).exists()
    queued = OutboxMessage.objects.get(escalation=escalation, tier=1)
    assert queued.delivered_at is None
    assert queued.skipped_at == OPENED + timedelta(minutes=11)
    skipped = escalation.events.get(kind=EventKind.ALERT_SKIPPED, recipient=coordinator)
    assert "already acknowledged" in skipped.note
    assert escalation.events.filter(kind=EventKind.NOTIFIED).count() == 1


def test_a_closed_escalation_wakes_nobody_with_an_alert_left_behind(
    member, coordinator, on_call_clinician, program
):
    put_on_call(program, on_call_clinician, starts_at=OPENED - timedelta(hours=1))
    with time_machine.travel(OPENED, tick=False):
        escalation = open_for(member, program)
        advance_to(escalation, "closed", on_call_clinician)
        assert actions.deliver_outbox() == 0

    assert not Notification.objects.exists()
    assert escalation.events.get(
        kind=EventKind.ALERT_SKIPPED, recipient=on_call_clinician
    ).note == ("Alert not sent: the escalation was already closed.")
