"""Break glass: a clinician opens a member's records for at most an hour, with a reason and their
password, and every use is logged, alerted to the coordinators and reviewed."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from alongside.core.models import AccessLogEntry
from alongside.notifications.models import Notification, NotificationPreference
from alongside.privacy import access, actions
from alongside.privacy.models import EmergencyAccess
from alongside.testing import TEST_PASSWORD, make_person, make_program

REASON = "Member texted that they are not safe tonight and stopped answering."


def start(clinician, member, program, **overrides):
    arguments = {"program": program, "member": member, "reason": REASON, "password": TEST_PASSWORD}
    arguments.update(overrides)
    return actions.start_emergency_access(clinician, **arguments)


def test_a_clinician_gets_sixty_minutes_of_access(on_call_clinician, member, program):
    grant = start(on_call_clinician, member, program)

    assert grant.reason == REASON
    assert grant.expires_at - grant.started_at == timedelta(minutes=60)
    assert access.active_emergency_access(on_call_clinician, member, program=program) == grant


def test_access_expires_after_sixty_minutes(on_call_clinician, member, program):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        grant = start(on_call_clinician, member, program)

        traveller.shift(timedelta(minutes=59, seconds=59))
        assert access.active_emergency_access(on_call_clinician, member, program=program) == grant

        traveller.shift(timedelta(seconds=1))
        assert access.active_emergency_access(on_call_clinician, member, program=program) is None
        assert not EmergencyAccess.objects.get().is_active


def test_a_wrong_password_is_refused_and_nothing_is_saved(
    on_call_clinician, coordinator, member, program
):
    with pytest.raises(ValidationError) as refused:
        start(on_call_clinician, member, program, password="not my password at all")

    assert "password" in refused.value.message_dict
    assert not EmergencyAccess.objects.exists()
    assert not AccessLogEntry.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("reason", ["", "urgent", "   need it now please   "])
def test_a_reason_under_twenty_characters_is_refused(on_call_clinician, member, program, reason):
    with pytest.raises(ValidationError) as refused:
        start(on_call_clinician, member, program, reason=reason)

    assert "reason" in refused.value.message_dict
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("persona", ["member", "supporter", "coordinator", "moderator", "outsider"])
def test_only_a_clinician_of_the_program_may_break_glass(persona, member, program, request):
    actor = request.getfixturevalue(persona)
    target = make_person(program, "member")

    with pytest.raises(Http404):
        start(actor, target, program)
    assert not EmergencyAccess.objects.exists()


def test_a_member_of_another_program_is_refused(on_call_clinician, outsider, program):
    with pytest.raises(Http404):
        start(on_call_clinician, outsider, program)
    assert not EmergencyAccess.objects.exists()


def test_a_clinician_of_another_program_gets_nothing_here(member, program, other_program):
    foreign_clinician = make_person(other_program, "clinician")
    with pytest.raises(Http404):
        start(foreign_clinician, member, program)
    with pytest.raises(Http404):
        start(foreign_clinician, member, other_program)


def test_every_coordinator_is_notified_at_once(
    on_call_clinician, coordinator, member, program, mailoutbox, django_capture_on_commit_callbacks
):
    second_coordinator = make_person(program, "coordinator")
    foreign_coordinator = make_person(make_program("Elsewhere"), "coordinator")

    NotificationPreference.objects.create(
        user=coordinator, kind="privacy.emergency_access", email=NotificationPreference.Email.NEVER
    )

    with django_capture_on_commit_callbacks(execute=True):
        grant = start(on_call_clinician, member, program)

    notified = Notification.objects.filter(kind="privacy.emergency_access")
    assert {n.recipient for n in notified} == {coordinator, second_coordinator}
    assert foreign_coordinator not in {n.recipient for n in notified}
    notification = notified[0]
    assert notification.program == program
    assert notification.url == f"/privacy/programs/{program.slug}/emergency-access/review/"
    # Emailed whatever the coordinator's settings, without the member's name or the reason.
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [coordinator.email, second_coordinator.email]
    )
    assert grant.reason not in mailoutbox[0].body
    assert member.display_name not in mailoutbox[0].body


def test_each_use_writes_an_emergency_audit_row(on_call_clinician, member, program, rf):
    grant = start(
        on_call_clinician, member, program, request=rf.get("/", REMOTE_ADDR="198.51.100.7")
    )

    entry = AccessLogEntry.objects.get()
    assert entry.emergency_access is True
    assert (entry.actor, entry.subject, entry.program) == (on_call_clinician, member, program)
    assert (entry.object_type, entry.object_id) == ("privacy.EmergencyAccess", str(grant.pk))
    assert (entry.actor_role, entry.purpose, entry.ip_address) == (
        "clinician",
        "emergency",
        "198.51.100.7",
    )


def test_one_grant_at_a_time_per_member(on_call_clinician, member, program):
    start(on_call_clinician, member, program)

    with pytest.raises(ValidationError) as refused:
        start(on_call_clinician, member, program)

    assert "member" in refused.value.message_dict
    assert EmergencyAccess.objects.count() == 1


def test_access_can_be_started_again_after_it_ends(on_call_clinician, member, program):
    grant = start(on_call_clinician, member, program)
    actions.end_emergency_access(on_call_clinician, grant=grant)

    assert access.active_emergency_access(on_call_clinician, member, program=program) is None
    assert start(on_call_clinician, member, program) != grant


def test_ending_early_closes_access(on_call_clinician, member, program):
    grant = start(on_call_clinician, member, program)

    actions.end_emergency_access(on_call_clinician, grant=grant)

    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert access.active_emergency_access(on_call_clinician, member, program=program) is None


def test_only_the_clinician_may_end_their_grant(on_call_clinician, coordinator, member, program):
    grant = start(on_call_clinician, member, program)
    with pytest.raises(Http404):
        actions.end_emergency_access(coordinator, grant=grant)
    assert EmergencyAccess.objects.get().ended_at is None


def test_access_stops_when_the_clinician_loses_the_role(on_call_clinician, member, program):
    start(on_call_clinician, member, program)
    on_call_clinician.memberships.update(is_active=False)

    assert access.active_emergency_access(on_call_clinician, member, program=program) is None


def test_access_is_to_that_member_in_that_program_only(on_call_clinician, member, program):
    start(on_call_clinician, member, program)
    other_member = make_person(program, "member")

    assert access.active_emergency_access(on_call_clinician, other_member, program=program) is None


def test_a_coordinator_reviews_a_grant(on_call_clinician, coordinator, member, program):
    grant = start(on_call_clinician, member, program)

    actions.review_emergency_access(
        coordinator, grant=grant, note="  Called the member; justified.  "
    )

    grant.refresh_from_db()
    assert grant.reviewed_by == coordinator
    assert grant.reviewed_at is not None
    assert grant.review_note == "Called the member; justified."


def test_a_review_needs_a_note_and_happens_once(on_call_clinician, coordinator, member, program):
    grant = start(on_call_clinician, member, program)
    with pytest.raises(ValidationError):
        actions.review_emergency_access(coordinator, grant=grant, note="   ")
    assert EmergencyAccess.objects.get().reviewed_at is None

    actions.review_emergency_access(coordinator, grant=grant, note="Fine.")
    with pytest.raises(ValidationError):
        actions.review_emergency_access(coordinator, grant=grant, note="Changed my mind.")
    assert EmergencyAccess.objects.get().review_note == "Fine."


@pytest.mark.parametrize("persona", ["on_call_clinician", "member", "supporter", "outsider"])
def test_only_coordinators_review(persona, on_call_clinician, member, program, request):
    grant = start(on_call_clinician, member, program)
    with pytest.raises(Http404):
        actions.review_emergency_access(
            request.getfixturevalue(persona), grant=grant, note="Looks fine"
        )
    assert EmergencyAccess.objects.get().reviewed_at is None


def test_nobody_reviews_their_own_grant(member, program):
    clinician_and_coordinator = make_person(program, "clinician", "coordinator")
    grant = start(clinician_and_coordinator, member, program)

    with pytest.raises(ValidationError):
        actions.review_emergency_access(clinician_and_coordinator, grant=grant, note="All fine")
