"""Acknowledging (one winner among several) and the states that only move forward."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from alongside.safety import actions
from alongside.safety.models import Escalation, EscalationEvent, EventKind, State
from alongside.safety.tests.escalation_helpers import advance_to, open_for
from alongside.testing import make_person, make_program


def test_the_second_person_to_acknowledge_is_told_who_has_it(
    member, coordinator, on_call_clinician, program
):
    escalation = open_for(member, program)
    actions.acknowledge_escalation(on_call_clinician, escalation=escalation)

    stale_copy = Escalation.objects.get(pk=escalation.pk)
    stale_copy.state = State.OPEN
    with pytest.raises(ValidationError) as refused:
        actions.acknowledge_escalation(coordinator, escalation=stale_copy)

    assert f"{on_call_clinician.display_name} already acknowledged this escalation" in str(
        refused.value.messages[0]
    )
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == on_call_clinician
    assert escalation.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_acknowledging_twice_yourself_says_so(member, on_call_clinician, coordinator, program):
    escalation = open_for(member, program)
    actions.acknowledge_escalation(on_call_clinician, escalation=escalation)

    with pytest.raises(ValidationError, match="You have already acknowledged"):
        actions.acknowledge_escalation(on_call_clinician, escalation=escalation)


@pytest.mark.django_db(transaction=True)
def test_two_people_acknowledging_at_the_same_moment_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: SQLite serialises every write anyway")
    program = make_program(slug="race")
    member = make_person(program, "member")
    people = [make_person(program, "clinician"), make_person(program, "coordinator")]
    escalation = open_for(member, program)
    start = threading.Barrier(len(people))
    results: dict[int, str] = {}

    def press(person):
        try:
            copy = Escalation.objects.select_related("program").get(pk=escalation.pk)
            start.wait()
            actions.acknowledge_escalation(person, escalation=copy)
            results[person.pk] = "won"
        except ValidationError as error:
            results[person.pk] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert list(results.values()).count("won") == 1
    winner = next(pk for pk, result in results.items() if result == "won")
    loser_message = next(result for result in results.values() if result != "won")
    escalation.refresh_from_db()
    assert escalation.acknowledged_by_id == winner
    assert "already acknowledged" in loser_message
    assert EscalationEvent.objects.filter(kind=EventKind.ACKNOWLEDGED).count() == 1


def test_the_whole_path_writes_one_event_per_step(member, on_call_clinician, coordinator, program):
    escalation = open_for(member, program)

    advance_to(escalation, "closed", on_call_clinician)

    escalation.refresh_from_db()
    assert escalation.state == State.CLOSED
    assert escalation.outcome == "safe"
    assert escalation.closed_at is not None
    kinds = list(escalation.events.values_list("kind", flat=True))
    assert kinds == ["flagged", "acknowledged", "contacted", "outcome", "closed"]
    assert escalation.events.get(kind="contacted").note == "Called."


def test_contact_cannot_be_recorded_before_acknowledging(member, on_call_clinician, program):
    escalation = open_for(member, program)

    with pytest.raises(ValidationError, match="only after acknowledging"):
        actions.record_contact(on_call_clinician, escalation=escalation)

    escalation.refresh_from_db()
    assert escalation.state == State.OPEN


def test_an_outcome_needs_an_acknowledgement_first(member, on_call_clinician, program):
    escalation = open_for(member, program)

    with pytest.raises(ValidationError, match="after the escalation has been acknowledged"):
        actions.record_outcome(on_call_clinician, escalation=escalation, outcome="safe")


def test_an_outcome_can_follow_acknowledging_without_contact(member, on_call_clinician, program):
    escalation = open_for(member, program)
    actions.acknowledge_escalation(on_call_clinician, escalation=escalation)

    actions.record_outcome(
        on_call_clinician, escalation=escalation, outcome="unreachable", note="Three calls."
    )

    assert Escalation.objects.get().state == State.OUTCOME


def test_an_unknown_outcome_is_refused(member, on_call_clinician, program):
    escalation = advance_to(open_for(member, program), "contacted", on_call_clinician)

    with pytest.raises(ValidationError, match="Choose one of the outcomes"):
        actions.record_outcome(on_call_clinician, escalation=escalation, outcome="fine I guess")


def test_closing_needs_an_outcome(member, on_call_clinician, program):
    escalation = advance_to(open_for(member, program), "contacted", on_call_clinician)

    with pytest.raises(ValidationError, match="Record the outcome before closing"):
        actions.close_escalation(on_call_clinician, escalation=escalation)


def test_a_closed_escalation_never_moves_back(member, on_call_clinician, program):
    escalation = advance_to(open_for(member, program), "closed", on_call_clinician)

    for step in (
        lambda: actions.record_contact(on_call_clinician, escalation=escalation),
        lambda: actions.record_outcome(on_call_clinician, escalation=escalation, outcome="safe"),
        lambda: actions.close_escalation(on_call_clinician, escalation=escalation),
    ):
        with pytest.raises(ValidationError):
            step()
    assert Escalation.objects.get().state == State.CLOSED


def test_notes_are_kept_in_any_state_but_not_empty(member, on_call_clinician, program):
    escalation = advance_to(open_for(member, program), "closed", on_call_clinician)

    event = actions.add_escalation_note(
        on_call_clinician, escalation=escalation, note="Followed up next day."
    )

    assert event.note == "Followed up next day."
    with pytest.raises(ValidationError, match="Write the note"):
        actions.add_escalation_note(on_call_clinician, escalation=escalation, note="   ")


def test_notes_are_encrypted_at_rest(member, on_call_clinician, program):
    escalation = open_for(member, program)
    actions.add_escalation_note(on_call_clinician, escalation=escalation, note="Spoke to sister.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM safety_escalationevent WHERE kind = 'note'")
        stored = cursor.fetchone()[0]
    assert "sister" not in stored


@pytest.mark.parametrize("role", ["member", "supporter", "moderator", "facilitator"])
def test_only_clinicians_coordinators_and_admins_act_on_escalations(
    role, member, coordinator, program
):
    escalation = open_for(member, program)
    someone = make_person(program, role)

    with pytest.raises(Http404):
        actions.acknowledge_escalation(someone, escalation=escalation)
    with pytest.raises(Http404):
        actions.add_escalation_note(someone, escalation=escalation, note="hello")


def test_a_site_admin_may_acknowledge(member, admin_user, program):
    escalation = open_for(member, program)

    actions.acknowledge_escalation(admin_user, escalation=escalation)

    assert Escalation.objects.get().acknowledged_by == admin_user
