"""The pages of pairing: success, wrong method, wrong role and outsider for each, and query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AccessLogEntry
from alongside.notifications.models import Notification
from alongside.pairing import actions
from alongside.pairing.models import BoundariesAgreement, Pairing, SessionLog, State
from alongside.testing import make_pairing, make_person, make_request, make_supporter_profile


def url(name, *args):
    return reverse(f"pairing:{name}", args=args)


# --- Who reaches which page ---------------------------------------------------------------------

PROGRAM_PAGES = [
    ("member", "member"),
    ("request", "member"),
    ("supporter", "supporter"),
    ("supporter_profile", "supporter"),
    ("coordinator", "coordinator"),
    ("batch", "coordinator"),
]


@pytest.mark.parametrize(("page", "role"), PROGRAM_PAGES)
def test_each_program_page_opens_for_its_role_only(
    page, role, program, member, supporter, coordinator, outsider, client_of
):
    people = {"member": member, "supporter": supporter, "coordinator": coordinator}

    for person_role, person in people.items():
        response = client_of(person).get(url(page, program.slug))
        assert response.status_code == (200 if person_role == role else 404), (person_role, page)
    assert client_of(outsider).get(url(page, program.slug)).status_code == 404


@pytest.mark.parametrize("page", ["member", "supporter", "coordinator"])
def test_list_pages_refuse_post(page, program, member, supporter, coordinator, client_of):
    person = {"member": member, "supporter": supporter, "coordinator": coordinator}[page]

    assert client_of(person).post(url(page, program.slug)).status_code == 405


@pytest.mark.parametrize("step", ["accept", "decline", "pause", "resume", "block"])
def test_pairing_steps_refuse_get(step, pairing_in, member, client_of):
    pairing = pairing_in("active")

    assert client_of(member).get(url(step, pairing.pk)).status_code == 405


@pytest.mark.parametrize("step", ["accept", "decline", "pause", "close", "rematch", "block"])
def test_pairing_steps_are_404_for_people_outside_it(
    step, pairing_in, program, outsider, client_of
):
    pairing = pairing_in("active")
    other_member = make_person(program, "member")

    for person in (other_member, outsider):
        assert client_of(person).post(url(step, pairing.pk)).status_code == 404
    assert Pairing.objects.get(pk=pairing.pk).state == State.ACTIVE


def test_the_supporter_cannot_rematch_or_block_and_the_member_cannot_log_sessions(
    pairing_in, member, supporter, client_of
):
    pairing = pairing_in("active")

    assert client_of(supporter).post(url("rematch", pairing.pk)).status_code == 404
    assert client_of(supporter).post(url("block", pairing.pk)).status_code == 404
    assert client_of(member).get(url("log_session", pairing.pk)).status_code == 404


# --- The member's page --------------------------------------------------------------------------


def test_the_member_accepts_a_proposal_with_the_boundaries_on_their_page(
    pairing_in, member, client_of, program
):
    pairing = pairing_in("proposed")
    page = client_of(member).get(url("member", program.slug)).content.decode()
    assert "Our boundaries agreement" in page
    assert pairing.supporter.display_name in page

    response = client_of(member).post(url("accept", pairing.pk), {"boundaries": "on"})

    assert response.status_code == 302
    assert response["Location"] == url("member", program.slug)
    assert BoundariesAgreement.objects.get().person == member


def test_accepting_without_ticking_the_agreement_says_why(pairing_in, member, client_of, program):
    pairing = pairing_in("proposed")

    response = client_of(member).post(url("accept", pairing.pk), follow=True)

    assert "Read and accept the boundaries agreement" in response.content.decode()
    assert not BoundariesAgreement.objects.exists()


def test_an_illegal_step_shows_its_refusal(pairing_in, member, client_of):
    pairing = pairing_in("proposed")

    response = client_of(member).post(url("pause", pairing.pk), follow=True)

    assert "only an active one is paused" in response.content.decode()


def test_the_member_asks_for_a_new_supporter(pairing_in, member, supporter, client_of, program):
    pairing = pairing_in("active")
    assert client_of(member).get(url("rematch", pairing.pk)).status_code == 200

    response = client_of(member).post(url("rematch", pairing.pk), {"feedback": ""})

    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.state == State.CLOSED
    page = client_of(supporter).get(url("supporter", program.slug)).content.decode()
    assert "Closed at the member&#x27;s request" in page


def test_crisis_words_in_feedback_bring_the_crisis_panel(pairing_in, member, client_of):
    pairing = pairing_in("active")

    response = client_of(member).post(
        url("rematch", pairing.pk),
        {"feedback": "I want to kill myself tonight, I can't do this anymore."},
        follow=True,
    )

    assert "988" in response.content.decode()


def test_the_member_saves_what_they_want(program, member, client_of):
    response = client_of(member).post(
        url("request", program.slug),
        {
            "languages": ["en", "es"],
            "availability": ["0-evening", "5-morning"],
            "modalities": ["phone"],
            "identity_veteran": "nice",
        },
    )

    assert response.status_code == 302
    match_request = member.memberships.get().member_match_request
    assert match_request.languages == ["en", "es"]
    assert match_request.identity_preferences == {"veteran": "nice"}
    assert 17 in match_request.availability and 5 * 24 + 8 in match_request.availability


def test_a_request_without_a_language_says_so(program, member, client_of):
    response = client_of(member).post(url("request", program.slug), {"modalities": ["phone"]})

    assert response.status_code == 200
    assert "Choose at least one language" in response.content.decode()


def test_the_member_page_needs_the_same_queries_for_more_past_pairings(
    program, member, coordinator, client_of
):
    client = client_of(member)
    client.get(url("member", program.slug))  # the first request after signing in does more

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("member", program.slug)).status_code == 200
        return len(queries)

    def pair_with_someone_new(state):
        supporter = make_person(program, "supporter")
        return make_pairing(member, supporter, coordinator, program, state)

    pair_with_someone_new("closed")
    pair_with_someone_new("active")
    one = count_queries()
    actions.close_pairing(coordinator, pairing=Pairing.objects.get(state="active"), reason="other")
    pair_with_someone_new("closed")
    pair_with_someone_new("active")

    assert count_queries() == one


# --- The supporter's page -----------------------------------------------------------------------


def test_the_supporter_logs_a_session_and_sees_it(pairing_in, supporter, client_of, program):
    pairing = pairing_in("active")
    client = client_of(supporter)
    assert client.get(url("log_session", pairing.pk)).status_code == 200

    response = client.post(
        url("log_session", pairing.pk),
        {
            "date": timezone.localdate().isoformat(),
            "duration_minutes": "40",
            "modality": "phone",
            "topics": ["goals"],
            "notes": "Planning the week ahead.",
        },
    )

    assert response.status_code == 302
    assert SessionLog.objects.get().duration_minutes == 40
    assert "Planning the week ahead." in client.get(url("supporter", program.slug)).content.decode()


def test_the_supporter_saves_a_profile_that_waits_for_approval(program, supporter, client_of):
    response = client_of(supporter).post(
        url("supporter_profile", program.slug),
        {"years_in_recovery": "3.5", "capacity": "3", "modalities": ["video"]},
    )

    assert response.status_code == 302
    profile = supporter.memberships.get().supporter_match_profile
    assert (profile.capacity, profile.status) == (3, "pending")


def test_the_supporter_page_needs_the_same_queries_for_more_members(
    program, approved_supporter, coordinator, client_of
):
    actions.save_supporter_profile(
        approved_supporter,
        program=program,
        areas=[],
        experiences=[],
        years_in_recovery=2,
        availability=[],
        modalities=[],
        identities=[],
        capacity=5,
    )
    client = client_of(approved_supporter)
    client.get(url("supporter", program.slug))  # the first request after signing in does more

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("supporter", program.slug)).status_code == 200
        return len(queries)

    make_pairing(make_person(program, "member"), approved_supporter, coordinator, program)
    one = count_queries()
    for _ in range(3):
        make_pairing(make_person(program, "member"), approved_supporter, coordinator, program)

    assert count_queries() == one


# --- The coordinator's pages --------------------------------------------------------------------


def test_the_coordinator_reviews_a_batch_with_reasons_before_anyone_is_told(
    program, approved_supporter, waiting_member, coordinator, client_of
):
    client = client_of(coordinator)
    Notification.objects.all().delete()

    page = client.get(url("batch", program.slug)).content.decode()

    assert "You both speak English" in page
    assert "Alcohol use" in page
    assert not Notification.objects.exists()
    assert not Pairing.objects.exists()

    response = client.post(
        url("batch", program.slug),
        {f"pair-{waiting_member.pk}": f"{waiting_member.pk}:{approved_supporter.pk}"},
    )

    assert response.status_code == 302
    pairing = Pairing.objects.get()
    assert (pairing.member, pairing.supporter, pairing.state) == (
        waiting_member,
        approved_supporter,
        State.PROPOSED,
    )
    assert Notification.objects.filter(kind="pairing.proposed").count() == 2


def test_a_rejected_proposal_is_not_made(
    program, approved_supporter, waiting_member, coordinator, client_of
):
    response = client_of(coordinator).post(url("batch", program.slug), {})

    assert response.status_code == 302
    assert not Pairing.objects.exists()


def test_a_batch_pair_that_no_longer_fits_is_refused_with_its_reason(
    program, approved_supporter, waiting_member, coordinator, client_of
):
    make_request(waiting_member, program, languages=["es"])

    response = client_of(coordinator).post(
        url("batch", program.slug),
        {f"pair-{waiting_member.pk}": f"{waiting_member.pk}:{approved_supporter.pk}"},
        follow=True,
    )

    assert "They share no language" in response.content.decode()
    assert not Pairing.objects.exists()


def test_instant_match_shows_the_best_three_with_reasons_and_proposes_one(
    program, approved_supporter, waiting_member, coordinator, client_of
):
    others = [make_person(program, "supporter") for _ in range(3)]
    for other in others:
        make_supporter_profile(other, program, coordinator, areas=[], experiences=[])
    client = client_of(coordinator)

    page = client.get(url("instant", program.slug, waiting_member.pk)).content.decode()

    assert page.count('name="supporter"') == 3
    assert page.index(approved_supporter.display_name) < min(
        page.find(other.display_name) if other.display_name in page else len(page)
        for other in others
    )
    assert "You both are in recovery from alcohol use" in page
    response = client.post(
        url("instant", program.slug, waiting_member.pk), {"supporter": approved_supporter.pk}
    )
    assert response.status_code == 302
    assert Pairing.objects.get().supporter == approved_supporter


def test_instant_match_is_404_for_someone_not_waiting(program, coordinator, member, client_of):
    assert client_of(coordinator).get(url("instant", program.slug, member.pk)).status_code == 404


def test_the_coordinator_approves_a_supporter(program, supporter, coordinator, client_of):
    profile = actions.save_supporter_profile(
        supporter,
        program=program,
        areas=[],
        experiences=[],
        years_in_recovery=1,
        availability=[],
        modalities=[],
        identities=[],
        capacity=1,
    )

    response = client_of(coordinator).post(
        url("supporter_status", program.slug, profile.pk), {"status": "approved"}
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.status, profile.status_changed_by) == ("approved", coordinator)


def test_the_coordinator_page_shows_figures_and_logs_feedback_reads(
    pairing_in, program, member, coordinator, supporter, client_of
):
    pairing = pairing_in("active")
    actions.log_session(
        supporter,
        pairing=pairing,
        date=timezone.localdate(),
        duration_minutes=30,
        modality="phone",
        topics=[],
    )
    actions.close_pairing(supporter, pairing=pairing, reason="completed", feedback="Good work.")

    page = client_of(coordinator).get(url("coordinator", program.slug)).content.decode()

    assert "Good work." in page
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.purpose) == (coordinator, member, "pairing_review")


def test_the_coordinator_page_needs_the_same_queries_for_more_pairings(
    program, coordinator, client_of
):
    client = client_of(coordinator)
    client.get(url("coordinator", program.slug))  # the first request after signing in does more

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("coordinator", program.slug)).status_code == 200
        return len(queries)

    def add_pairings_in_every_state():
        supporter = make_person(program, "supporter")
        make_supporter_profile(supporter, program, coordinator, capacity=5)
        for state in ("proposed", "active", "paused", "closed"):
            make_pairing(make_person(program, "member"), supporter, coordinator, program, state)
        make_request(make_person(program, "member"), program)

    add_pairings_in_every_state()
    one = count_queries()
    add_pairings_in_every_state()

    assert count_queries() == one


def _six_sessions_over_three_weeks(pairing_in, supporter):
    pairing = pairing_in("active")
    Pairing.objects.filter(pk=pairing.pk).update(started_at=timezone.now() - timedelta(weeks=3))
    pairing.refresh_from_db()
    for days_ago in (20, 17, 13, 10, 6, 3):
        actions.log_session(
            supporter,
            pairing=pairing,
            date=timezone.localdate() - timedelta(days=days_ago),
            duration_minutes=30,
            modality="phone",
            topics=[],
        )
    return pairing


def test_the_coordinator_sees_how_long_a_pairing_has_run_and_how_often_they_meet(
    pairing_in, program, coordinator, supporter, client_of
):
    _six_sessions_over_three_weeks(pairing_in, supporter)

    page = client_of(coordinator).get(url("coordinator", program.slug)).content.decode()

    # 21 days; 6 sessions in 3 weeks are 2 a week (the total in brackets).
    assert "<td>21</td>" in page
    assert "<td>2.0 (6)</td>" in page


def test_contact_figures_count_to_the_close_and_a_first_week_as_a_whole_week(
    pairing_in, supporter, member
):
    pairing = _six_sessions_over_three_weeks(pairing_in, supporter)
    now = timezone.now()
    assert pairing.contact_figures(6, now + timedelta(weeks=3)) == (42, 1.0)

    actions.close_pairing(member, pairing=pairing, reason="completed")
    pairing.refresh_from_db()
    assert pairing.contact_figures(6, now + timedelta(weeks=30)) == (21, 2.0)

    pairing.started_at, pairing.closed_at = now - timedelta(days=2), None
    assert pairing.contact_figures(3, now) == (2, 3.0)
    assert Pairing(started_at=None).contact_figures(0, now) == (None, None)
