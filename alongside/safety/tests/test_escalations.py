"""Opening an escalation: the escalation, its first event and its alerts are written together."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from alongside.notifications.models import Notification
from alongside.safety import actions
from alongside.safety.models import (
    Channel,
    Escalation,
    EscalationEvent,
    EventKind,
    OutboxMessage,
    SafetySettings,
    State,
)
from alongside.safety.tests.escalation_helpers import open_for, put_on_call
from alongside.testing import make_person


def test_opening_writes_the_escalation_its_first_event_and_the_alert_together(
    member, on_call_clinician, coordinator, program
):
    put_on_call(program, on_call_clinician)

    escalation = open_for(member, program, message="I can't stay safe tonight")

    assert escalation.state == State.OPEN
    assert escalation.tier == 0
    assert escalation.member_message == "I can't stay safe tonight"
    assert list(escalation.events.values_list("kind", "actor")) == [(EventKind.FLAGGED, member.pk)]
    alert = OutboxMessage.objects.get()
    assert (alert.recipient, alert.channel, alert.tier) == (
        on_call_clinician,
        Channel.NOTIFICATION,
        0,
    )
    assert alert.delivered_at is None


def test_acknowledge_by_follows_the_programs_limit(member, coordinator, program):
    SafetySettings.objects.create(program=program, acknowledge_within_minutes=3)
    before = timezone.now()

    escalation = open_for(member, program)

    assert escalation.acknowledge_by - before >= timedelta(minutes=3)
    assert escalation.acknowledge_by - before < timedelta(minutes=3, seconds=5)


def test_a_program_gets_its_safety_settings_on_first_escalation(member, coordinator, program):
    open_for(member, program)

    assert SafetySettings.objects.get(program=program).acknowledge_within_minutes == 10


def test_rolling_back_the_callers_transaction_leaves_no_escalation_and_no_alert(
    member, coordinator, program
):
    with pytest.raises(RuntimeError), transaction.atomic():
        open_for(member, program)
        raise RuntimeError("the caller's write failed after opening the escalation")

    assert not Escalation.objects.exists()
    assert not EscalationEvent.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_with_nobody_on_call_every_coordinator_is_alerted_at_once(member, coordinator, program):
    second_coordinator = make_person(program, "coordinator")

    open_for(member, program)

    assert set(OutboxMessage.objects.values_list("recipient", flat=True)) == {
        coordinator.pk,
        second_coordinator.pk,
    }


def test_a_program_without_coordinators_falls_back_to_the_site_admins(member, admin_user, program):
    open_for(member, program)

    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [admin_user.pk]


def test_a_program_with_a_webhook_also_gets_one_webhook_alert(member, coordinator, program):
    SafetySettings.objects.create(program=program, webhook_url="https://pager.example.test/hook")

    open_for(member, program)

    assert sorted(OutboxMessage.objects.values_list("channel", flat=True)) == [
        Channel.NOTIFICATION,
        Channel.WEBHOOK,
    ]


def test_after_commit_the_first_person_on_call_is_notified_without_health_details(
    member, on_call_clinician, coordinator, program, django_capture_on_commit_callbacks
):
    put_on_call(program, on_call_clinician)

    with django_capture_on_commit_callbacks(execute=True):
        escalation = open_for(member, program, message="I have the pills in front of me")

    notification = Notification.objects.get(kind="safety.escalation")
    assert notification.recipient == on_call_clinician
    assert notification.title == "A member may need urgent help"
    assert "pills" not in notification.title + notification.body
    assert member.display_name not in notification.title + notification.body
    assert notification.url == escalation.get_absolute_url()
    assert OutboxMessage.objects.get().delivered_at is not None
    assert escalation.events.filter(kind=EventKind.NOTIFIED, recipient=on_call_clinician).exists()


def test_an_unknown_origin_is_refused(member, program):
    with pytest.raises(ValueError, match="origin"):
        actions.open_escalation(member, program=program, origin="rumour")
