"""The pairing lifecycle: proposed, accepted by both, active, paused, closed; and the refusals."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.http import Http404
from django.utils import timezone

from alongside.notifications.models import Notification
from alongside.pairing import access, actions, profiles
from alongside.pairing.models import (
    Block,
    BoundariesAgreement,
    CloseReason,
    MemberMatchRequest,
    Pairing,
    SessionLog,
    State,
)
from alongside.safety.models import Flag
from alongside.testing import make_pairing, make_person, make_request, make_supporter_profile


def test_the_second_acceptance_starts_the_pairing_with_both_agreements(
    pairing_in, member, supporter
):
    pairing = pairing_in("proposed")

    actions.accept_pairing(member, pairing=pairing, boundaries_accepted=True)
    assert pairing.state == State.PROPOSED
    actions.accept_pairing(supporter, pairing=pairing, boundaries_accepted=True)

    pairing.refresh_from_db()
    assert pairing.state == State.ACTIVE
    assert pairing.started_at is not None
    assert set(BoundariesAgreement.objects.values_list("side", "person")) == {
        ("member", member.pk),
        ("supporter", supporter.pk),
    }
    assert Notification.objects.filter(recipient=member, title__contains="has started").exists()


def test_a_proposal_tells_both_sides(pairing_in, member, supporter):
    pairing_in("proposed")

    assert set(
        Notification.objects.filter(kind="pairing.proposed").values_list("recipient", flat=True)
    ) == {
        member.pk,
        supporter.pk,
    }


def test_accepting_without_the_boundaries_agreement_is_refused(pairing_in, member):
    pairing = pairing_in("proposed")

    with pytest.raises(ValidationError, match="accept the boundaries agreement"):
        actions.accept_pairing(member, pairing=pairing, boundaries_accepted=False)
    assert not BoundariesAgreement.objects.exists()


def test_accepting_twice_is_refused(pairing_in, member):
    pairing = pairing_in("proposed")
    actions.accept_pairing(member, pairing=pairing, boundaries_accepted=True)

    with pytest.raises(ValidationError, match="already accepted"):
        actions.accept_pairing(member, pairing=pairing, boundaries_accepted=True)


@pytest.mark.parametrize(
    ("state", "step", "message"),
    [
        ("active", "accept", "This pairing is active: only a proposal is accepted."),
        ("closed", "accept", "This pairing is closed: only a proposal is accepted."),
        ("active", "decline", "only a proposal is declined"),
        ("proposed", "pause", "This pairing is proposed: only an active one is paused."),
        ("paused", "pause", "only an active one is paused"),
        ("active", "resume", "This pairing is active: only a paused one is resumed."),
        ("proposed", "close", "decline it instead of closing it"),
        ("closed", "close", "already closed"),
        ("proposed", "rematch", "while your pairing is active or paused"),
        ("closed", "rematch", "while your pairing is active or paused"),
    ],
)
def test_illegal_transitions_are_refused_with_a_message(pairing_in, member, state, step, message):
    pairing = pairing_in(state)
    steps = {
        "accept": lambda: actions.accept_pairing(member, pairing=pairing, boundaries_accepted=True),
        "decline": lambda: actions.decline_pairing(member, pairing=pairing),
        "pause": lambda: actions.pause_pairing(member, pairing=pairing),
        "resume": lambda: actions.resume_pairing(member, pairing=pairing),
        "close": lambda: actions.close_pairing(member, pairing=pairing, reason="completed"),
        "rematch": lambda: actions.request_rematch(member, pairing=pairing),
    }
    before = Pairing.objects.get(pk=pairing.pk).state

    with pytest.raises(ValidationError, match=message):
        steps[step]()
    assert Pairing.objects.get(pk=pairing.pk).state == before


def test_pause_and_resume_by_either_side_or_the_coordinator(
    pairing_in, member, supporter, coordinator
):
    pairing = pairing_in("active")

    actions.pause_pairing(supporter, pairing=pairing)
    assert pairing.state == State.PAUSED
    actions.resume_pairing(coordinator, pairing=pairing)
    assert Pairing.objects.get(pk=pairing.pk).state == State.ACTIVE
    actions.pause_pairing(member, pairing=pairing)
    assert Pairing.objects.get(pk=pairing.pk).state == State.PAUSED


def test_someone_outside_the_pairing_cannot_change_it(pairing_in, program):
    pairing = pairing_in("active")
    other_member = make_person(program, "member")

    with pytest.raises(Http404):
        actions.pause_pairing(other_member, pairing=pairing)
    with pytest.raises(Http404):
        actions.request_rematch(other_member, pairing=pairing)


def test_declining_puts_the_member_back_among_those_waiting(pairing_in, supporter, program, member):
    pairing = pairing_in("proposed")

    actions.decline_pairing(supporter, pairing=pairing)

    assert (pairing.state, pairing.close_reason) == (State.CLOSED, CloseReason.DECLINED)
    assert list(access.waiting_requests_of(program).values_list("membership__user", flat=True)) == [
        member.pk
    ]


def test_closing_as_complete_stops_the_member_waiting(pairing_in, supporter, program):
    pairing = pairing_in("active")

    actions.close_pairing(supporter, pairing=pairing, reason="completed", feedback="Went well.")

    pairing.refresh_from_db()
    assert pairing.state == State.CLOSED
    assert pairing.supporter_feedback == "Went well."
    assert not access.waiting_requests_of(program).exists()


def test_the_closing_reason_must_be_one_a_person_may_give(pairing_in, supporter):
    pairing = pairing_in("active")

    for reason in ("member_request", "declined", "bored"):
        with pytest.raises(ValidationError, match="Choose why the pairing ends"):
            actions.close_pairing(supporter, pairing=pairing, reason=reason)


def test_a_rematch_tells_the_supporter_only_that_it_was_the_members_wish(
    pairing_in, member, supporter, coordinator, program
):
    pairing = pairing_in("active")

    actions.request_rematch(member, pairing=pairing, feedback="We never clicked, sadly.")

    pairing.refresh_from_db()
    assert pairing.state == State.CLOSED
    assert pairing.close_reason == CloseReason.MEMBER_REQUEST
    assert pairing.ended_badly is True
    told = Notification.objects.filter(recipient=supporter).latest("pk")
    assert told.title == "Your pairing was closed at the member's request"
    assert "clicked" not in told.title + told.body
    assert profiles.close_reason_for_supporter(pairing) == "Closed at the member's request"
    assert Notification.objects.filter(
        recipient=coordinator, kind="pairing.rematch_requested"
    ).exists()
    assert access.waiting_requests_of(program).get().membership.user == member


def test_the_supporter_sees_the_members_closing_as_at_their_request_whatever_the_reason(
    pairing_in, member
):
    pairing = pairing_in("active")

    actions.close_pairing(member, pairing=pairing, reason="not_a_fit", feedback="Too pushy.")

    assert profiles.close_reason_for_supporter(pairing) == "Closed at the member's request"


def test_only_the_member_asks_for_a_rematch(pairing_in, supporter):
    pairing = pairing_in("active")

    with pytest.raises(Http404):
        actions.request_rematch(supporter, pairing=pairing)


def test_feedback_that_sounds_like_a_crisis_is_screened(pairing_in, member):
    pairing = pairing_in("active")

    closed = actions.request_rematch(
        member, pairing=pairing, feedback="I want to kill myself tonight, I can't do this anymore."
    )

    assert closed.screened is not None and closed.screened.show_crisis_panel
    flag = Flag.objects.get()
    assert (flag.author, flag.writing_path) == (member, "pairing.feedback")


def test_feedback_is_encrypted_at_rest(pairing_in, member):
    pairing = pairing_in("active")
    actions.request_rematch(member, pairing=pairing, feedback="Private words about my week.")

    with connection.cursor() as cursor:
        cursor.execute("SELECT member_feedback FROM pairing_pairing WHERE id = %s", [pairing.pk])
        (stored,) = cursor.fetchone()
    assert "Private words" not in stored


# --- Capacity ----------------------------------------------------------------------------------


def test_accepting_never_goes_over_the_supporters_capacity(
    program, approved_supporter, coordinator
):
    actions.save_supporter_profile(
        approved_supporter,
        program=program,
        areas=[],
        experiences=[],
        years_in_recovery=1,
        availability=[],
        modalities=[],
        identities=[],
        capacity=1,
    )
    first, second = make_person(program, "member"), make_person(program, "member")
    # Proposed while there was room for both: proposals hold no place until accepted.
    one = make_pairing(first, approved_supporter, coordinator, program, "proposed")
    actions.accept_pairing(approved_supporter, pairing=one, boundaries_accepted=True)
    make_request(second, program)
    two = Pairing.objects.create(
        program=program, member=second, supporter=approved_supporter, created_by=coordinator
    )
    actions.accept_pairing(approved_supporter, pairing=two, boundaries_accepted=True)
    actions.accept_pairing(first, pairing=one, boundaries_accepted=True)

    with pytest.raises(ValidationError, match=r"supports as many members as they can \(1\)"):
        actions.accept_pairing(second, pairing=two, boundaries_accepted=True)
    assert Pairing.objects.get(pk=two.pk).state == State.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_never_go_over_capacity(program, coordinator):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    supporter = make_person(program, "supporter")
    make_supporter_profile(supporter, program, coordinator, capacity=1)
    members = [make_person(program, "member") for _ in range(2)]
    pairings = []
    for member in members:
        make_request(member, program)
        pairings.append(
            Pairing.objects.create(
                program=program, member=member, supporter=supporter, created_by=coordinator
            )
        )
        actions.accept_pairing(supporter, pairing=pairings[-1], boundaries_accepted=True)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(member, pairing):
        try:
            start.wait()
            actions.accept_pairing(member, pairing=pairing, boundaries_accepted=True)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(m, p)) for m, p in zip(members, pairings, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "refused"]
    assert Pairing.objects.filter(supporter=supporter, state=State.ACTIVE).count() == 1


# --- The supporter relation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "is_supporter"),
    [("proposed", False), ("active", True), ("paused", True), ("closed", False)],
)
def test_a_supporter_is_the_supporter_of_a_member_while_active_or_paused(
    pairing_in, member, supporter, program, other_program, state, is_supporter
):
    pairing_in(state)

    assert access.is_supporter_of(supporter, member, program) is is_supporter
    assert list(access.supporters_of(member, program)) == ([supporter] if is_supporter else [])
    assert access.is_supporter_of(supporter, member, other_program) is False


def test_a_supporter_who_lost_the_role_is_nobodys_supporter(pairing_in, member, supporter, program):
    pairing_in("active")
    supporter.memberships.get(program=program).roles.filter(role="supporter").delete()

    assert access.is_supporter_of(supporter, member, program) is False
    assert not access.supporters_of(member, program).exists()


# --- Blocks and hard filters from the database --------------------------------------------------


def test_a_blocked_supporter_is_never_proposed_again(
    pairing_in, member, supporter, coordinator, program
):
    pairing = pairing_in("active")

    actions.block_supporter(member, pairing=pairing)

    pairing.refresh_from_db()
    assert pairing.close_reason == CloseReason.MEMBER_REQUEST
    assert Block.objects.filter(member=member, supporter=supporter).exists()
    assert not Notification.objects.filter(recipient=supporter, title__icontains="block").exists()
    with pytest.raises(ValidationError, match="The member has blocked this supporter"):
        actions.propose_pairing(coordinator, program=program, member=member, supporter=supporter)
    assert profiles.cohort_proposals(program) == []


def test_a_pairing_that_ended_badly_is_not_repeated(
    pairing_in, member, supporter, coordinator, program
):
    pairing = pairing_in("active")
    actions.close_pairing(coordinator, pairing=pairing, reason="safety", ended_badly=True)
    MemberMatchRequest.objects.update(wants_supporter=True)

    with pytest.raises(ValidationError, match="ended badly"):
        actions.propose_pairing(coordinator, program=program, member=member, supporter=supporter)


def test_no_common_language_is_refused(approved_supporter, member, coordinator, program):
    make_request(member, program, languages=["es"])

    with pytest.raises(ValidationError, match="They share no language"):
        actions.propose_pairing(
            coordinator, program=program, member=member, supporter=approved_supporter
        )


def test_a_required_identity_the_supporter_did_not_opt_into_is_refused(
    approved_supporter, member, coordinator, program
):
    make_request(member, program, identity_preferences={"veteran": "required"})

    with pytest.raises(ValidationError, match="preference the member marked as required"):
        actions.propose_pairing(
            coordinator, program=program, member=member, supporter=approved_supporter
        )


def test_a_supporter_not_yet_approved_is_not_matched(supporter, member, coordinator, program):
    make_supporter_profile(supporter, program, coordinator)
    actions.set_supporter_status(
        coordinator, profile=supporter.memberships.get().supporter_match_profile, status="pending"
    )
    make_request(member, program)

    with pytest.raises(ValidationError, match="not an approved peer supporter"):
        actions.propose_pairing(coordinator, program=program, member=member, supporter=supporter)


def test_a_member_of_another_program_is_never_a_candidate(
    approved_supporter, waiting_member, outsider, other_program, coordinator, program
):
    make_request(outsider, other_program)

    proposals = profiles.cohort_proposals(program)

    assert [p.member for p in proposals] == [waiting_member]
    with pytest.raises(ValidationError, match="not waiting for a supporter"):
        actions.propose_pairing(
            coordinator, program=program, member=outsider, supporter=approved_supporter
        )


def test_a_supporter_of_another_program_is_never_a_candidate(
    waiting_member, program, other_program
):
    foreign_coordinator = make_person(other_program, "coordinator")
    foreign_supporter = make_person(other_program, "supporter")
    make_supporter_profile(foreign_supporter, other_program, foreign_coordinator)

    assert profiles.cohort_proposals(program) == []
    request = access.waiting_requests_of(program).get()
    assert profiles.instant_matches(program, request) == []


def test_only_a_coordinator_proposes(approved_supporter, waiting_member, program):
    with pytest.raises(Http404):
        actions.propose_pairing(
            approved_supporter, program=program, member=waiting_member, supporter=approved_supporter
        )


# --- Session logs ------------------------------------------------------------------------------


def test_the_supporter_logs_a_session_with_encrypted_notes(pairing_in, supporter):
    pairing = pairing_in("active")

    log = actions.log_session(
        supporter,
        pairing=pairing,
        date=timezone.localdate(),
        duration_minutes=45,
        modality="phone",
        topics=["cravings"],
        notes="Talked about a hard weekend.",
    )

    assert SessionLog.objects.get().notes == "Talked about a hard weekend."
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM pairing_sessionlog WHERE id = %s", [log.pk])
        assert "weekend" not in cursor.fetchone()[0]


def test_a_session_in_the_future_or_before_the_start_is_refused(pairing_in, supporter):
    pairing = pairing_in("active")
    today = timezone.localdate()

    for day, message in [
        (today + datetime.timedelta(days=1), "cannot be in the future"),
        (today - datetime.timedelta(days=3), "choose that day or later"),
    ]:
        with pytest.raises(ValidationError, match=message):
            actions.log_session(
                supporter,
                pairing=pairing,
                date=day,
                duration_minutes=30,
                modality="chat",
                topics=[],
            )


def test_sessions_are_logged_only_by_the_supporter_of_a_live_pairing(pairing_in, member, supporter):
    pairing = pairing_in("proposed")

    def log_as(person):
        actions.log_session(
            person,
            pairing=pairing,
            date=timezone.localdate(),
            duration_minutes=30,
            modality="chat",
            topics=[],
        )

    with pytest.raises(Http404):
        log_as(member)
    with pytest.raises(ValidationError, match="sessions are logged while it is active"):
        log_as(supporter)
