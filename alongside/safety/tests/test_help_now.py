"""'I need help now': the lines at once for anyone, and an urgent alert with the member's consent."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alongside.safety import actions
from alongside.safety.models import Escalation, EscalationEvent, EventKind, Flag, Origin, State
from alongside.safety.tests.escalation_helpers import advance_to, put_on_call
from alongside.testing import assert_matches_schema, assessment, make_person, make_program

HELP_URL = reverse("safety:help_now")
SENT_URL = reverse("safety:help_sent")
API_URL = reverse("api-help-now")
CONSENT_LABEL = "Alert the on-call team of Riverside Recovery now; someone will contact you."


# The page, for everyone -----------------------------------------------------------------------


def test_anyone_sees_the_lines_of_the_default_country_without_signing_in(client, db):
    response = client.get(HELP_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="tel:988"' in page
    assert 'href="sms:741741?&amp;body=HOME"' in page
    assert 'href="tel:911"' in page
    assert "Sign in</a> to ask its on-call team" in page
    assert 'name="consent"' not in page


def test_anyone_can_pick_another_countrys_lines(client, db):
    page = client.get(HELP_URL, {"country": "gb"}).content.decode()

    assert "Samaritans" in page
    assert 'href="tel:116123"' in page
    assert 'href="tel:999"' in page


def test_an_unknown_country_in_the_address_is_ignored(client, db):
    response = client.get(HELP_URL, {"country": "<script>"})

    assert response.status_code == 200
    assert 'href="tel:988"' in response.content.decode()


def test_an_anonymous_post_is_sent_to_sign_in_and_alerts_nobody(client, db):
    response = client.post(HELP_URL, {"consent": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Escalation.objects.exists()


def test_the_help_link_is_in_the_header_of_every_page(client, member, client_of):
    anonymous_page = client.get(reverse("core:landing")).content.decode()
    member_page = client_of(member).get(reverse("core:home")).content.decode()

    for page in (anonymous_page, member_page):
        assert f'class="help-now-link" href="{HELP_URL}"' in page


def test_a_member_sees_their_programs_line_first_and_the_form(member, program, client_of):
    program.crisis_line_name = "Riverside night line"
    program.crisis_line_phone = "555 0100"
    program.save()

    page = client_of(member).get(HELP_URL).content.decode()

    assert page.index("Riverside night line") < page.index("988 Suicide")
    assert "Recommended by Riverside Recovery" in page
    assert CONSENT_LABEL in page
    assert 'name="message"' in page
    assert 'type="radio"' not in page


def test_wrong_method_is_refused(member, client_of):
    assert client_of(member).put(HELP_URL).status_code == 405


# Asking for help ----------------------------------------------------------------------------


def test_asking_for_help_opens_one_urgent_escalation_and_alerts_the_person_on_call(
    member, program, on_call_clinician, client_of
):
    put_on_call(program, on_call_clinician)

    response = client_of(member).post(
        HELP_URL, {"program": program.slug, "consent": "on", "message": "I can't keep safe."}
    )

    assert response.status_code == 302
    assert response["Location"] == SENT_URL
    escalation = Escalation.objects.get()
    assert (escalation.member, escalation.program) == (member, program)
    assert escalation.origin == Origin.HELP_NOW
    assert escalation.state == State.OPEN
    assert escalation.member_message == "I can't keep safe."
    assert [m.recipient for m in escalation.outbox.all()] == [on_call_clinician]


def test_the_message_is_stored_encrypted(member, program, client_of):
    from django.db import connection

    client_of(member).post(HELP_URL, {"consent": "on", "program": program.slug, "message": "pills"})

    with connection.cursor() as cursor:
        cursor.execute("SELECT member_message FROM safety_escalation")
        (stored,) = cursor.fetchone()
    assert "pills" not in stored


def test_without_the_consent_tick_nothing_is_sent_and_the_error_is_beside_it(
    member, program, client_of
):
    response = client_of(member).post(
        HELP_URL, {"program": program.slug, "message": "please call me"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tick this box so we can alert the team" in page
    assert page.index("Tick this box") < page.index(CONSENT_LABEL)
    assert "please call me" in page
    assert not Escalation.objects.exists()


def test_a_message_of_any_length_is_kept_whole(member, program, client_of):
    long_message = "I need someone. " * 500

    response = client_of(member).post(
        HELP_URL, {"program": program.slug, "consent": "on", "message": long_message}
    )

    assert response.status_code == 302
    assert Escalation.objects.get().member_message == long_message.strip()


def test_the_program_is_optional_with_one_program(member, program, client_of):
    response = client_of(member).post(HELP_URL, {"consent": "on"})

    assert response.status_code == 302
    assert Escalation.objects.get().program == program


def test_asking_twice_while_the_first_waits_adds_a_note_instead_of_a_second_escalation(
    member, program, client_of
):
    client = client_of(member)
    client.post(HELP_URL, {"consent": "on", "message": "first"})
    client.post(HELP_URL, {"consent": "on", "message": "still here, please"})

    escalation = Escalation.objects.get()
    assert escalation.member_message == "first"
    note = escalation.events.get(kind=EventKind.NOTE)
    assert (note.actor, note.note) == (member, "still here, please")


def test_asking_again_without_a_message_still_leaves_a_trace(member, program):
    actions.ask_for_help(member, program=program, message="")
    requested = actions.ask_for_help(member, program=program, message="")

    assert requested.opened is False
    assert requested.escalation.events.filter(kind=EventKind.NOTE).count() == 1


def test_asking_again_after_half_an_hour_opens_a_new_escalation(member, program):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        actions.ask_for_help(member, program=program)
        traveller.shift(timedelta(minutes=31))
        requested = actions.ask_for_help(member, program=program)

    assert requested.opened is True
    assert Escalation.objects.count() == 2


def test_asking_again_after_someone_took_it_on_opens_a_new_escalation(
    member, program, on_call_clinician
):
    first = actions.ask_for_help(member, program=program).escalation
    advance_to(first, "acknowledged", on_call_clinician)

    requested = actions.ask_for_help(member, program=program, message="nobody called")

    assert requested.opened is True
    assert Escalation.objects.filter(state=State.OPEN).get() == requested.escalation


def test_a_member_of_two_programs_chooses_whose_team_to_alert(member, program, client_of):
    second = make_program("Hillside Peers", slug="hillside")
    from alongside.programs.models import Membership, MembershipRole

    membership = Membership.objects.create(user=member, program=second)
    MembershipRole.objects.create(membership=membership, role="member")
    client = client_of(member)

    page = client.get(HELP_URL).content.decode()
    response = client.post(HELP_URL, {"program": "hillside", "consent": "on"})

    assert page.count('type="radio"') == 2
    assert response.status_code == 302
    assert Escalation.objects.get().program == second


def test_a_forged_program_goes_to_the_members_own_program_not_the_one_named(
    outsider, program, other_program, client_of
):
    response = client_of(outsider).post(HELP_URL, {"program": program.slug, "consent": "on"})

    assert response.status_code == 302
    assert Escalation.objects.get().program == other_program


def test_with_several_programs_one_not_theirs_cannot_be_chosen(
    member, program, other_program, client_of
):
    from alongside.programs.models import Membership, MembershipRole

    membership = Membership.objects.create(user=member, program=make_program("Second"))
    MembershipRole.objects.create(membership=membership, role="member")

    response = client_of(member).post(HELP_URL, {"program": other_program.slug, "consent": "on"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Escalation.objects.exists()


def test_someone_who_is_no_member_gets_the_lines_and_no_form(supporter, client_of):
    client = client_of(supporter)

    page = client.get(HELP_URL).content.decode()
    response = client.post(HELP_URL, {"consent": "on"})

    assert "there is no on-call team to alert" in page
    assert 'name="consent"' not in page
    assert response.status_code == 200
    assert 'href="tel:988"' in response.content.decode()
    assert not Escalation.objects.exists()


def test_the_action_refuses_a_program_the_person_is_not_a_member_of(supporter, program):
    from django.http import Http404

    with pytest.raises(Http404):
        actions.ask_for_help(supporter, program=program, message="")


# Screening of the message ---------------------------------------------------------------------


def test_a_screened_message_gives_its_categories_and_one_flag_to_the_one_escalation(
    member, program, screening
):
    screening["I took all my pills"] = assessment("urgent", "overdose")

    requested = actions.ask_for_help(member, program=program, message="I took all my pills")

    escalation = requested.escalation
    assert escalation.categories == ["overdose"]
    flag = Flag.objects.get()
    assert escalation.flag == flag
    assert (flag.writing_path, flag.level, flag.author) == ("safety.help_now", "urgent", member)
    assert Escalation.objects.count() == 1


def test_a_message_added_to_a_waiting_escalation_adds_its_categories(member, program, screening):
    screening["he hurt me again"] = assessment("urgent", "abuse")
    actions.ask_for_help(member, program=program, message="")

    requested = actions.ask_for_help(member, program=program, message="he hurt me again")

    assert requested.escalation.categories == ["abuse"]


def test_help_is_sent_even_when_screening_fails(member, program, monkeypatch):
    def broken(text, language):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(actions, "screen", broken)

    requested = actions.ask_for_help(member, program=program, message="help")

    assert requested.opened is True
    assert requested.escalation.member_message == "help"
    assert actions.SCREENING_FAILED in Flag.objects.get().reasons


# The confirmation page ------------------------------------------------------------------------


def test_the_confirmation_says_what_happens_next_with_the_lines_and_the_plan(
    member, program, client_of
):
    client = client_of(member)
    client.post(HELP_URL, {"consent": "on"})

    page = client.get(SENT_URL).content.decode()

    assert "We have alerted the on-call team" in page
    assert "waiting for someone on call to pick it up" in page
    assert "What happens next" in page
    assert 'href="tel:988"' in page
    assert reverse("safety:plan") in page


def test_the_confirmation_shows_when_someone_picked_it_up(
    member, program, on_call_clinician, client_of
):
    escalation = actions.ask_for_help(member, program=program).escalation
    advance_to(escalation, "acknowledged", on_call_clinician)

    page = client_of(member).get(SENT_URL).content.decode()

    assert "someone on call has picked it up" in page


def test_the_confirmation_without_a_request_goes_back_to_the_help_page(member, client_of):
    response = client_of(member).get(SENT_URL)

    assert response.status_code == 302
    assert response["Location"] == HELP_URL


def test_the_confirmation_shows_only_ones_own_requests(member, program, client_of):
    other = make_person(program, "member")
    actions.ask_for_help(other, program=program)

    assert client_of(member).get(SENT_URL).status_code == 302


def test_the_confirmation_needs_sign_in_and_get(client, member, client_of, db):
    assert client.get(SENT_URL).status_code == 302
    assert client_of(member).post(SENT_URL).status_code == 405


# The API ------------------------------------------------------------------------------------------


def test_the_api_opens_an_escalation_and_answers_with_the_lines(member, program, api_as, schema):
    response = api_as(member).post(API_URL, {"consent": True, "message": "now"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert_matches_schema(schema, API_URL, "post", 201, body)
    assert body["opened"] is True
    assert body["escalation"]["state"] == "open"
    assert body["escalation"]["program"] == program.slug
    assert body["resources"]["lines"][0]["phone_uri"] == "988"
    assert body["resources"]["lines"][0]["from_program"] is True
    assert Escalation.objects.get().member_message == "now"


def test_the_api_adds_a_second_request_to_the_first(member, program, api_as, schema):
    client = api_as(member)
    client.post(API_URL, {"consent": True}, format="json")

    response = client.post(API_URL, {"consent": True, "program": program.slug}, format="json")

    assert response.status_code == 200
    assert_matches_schema(schema, API_URL, "post", 200, response.json())
    assert response.json()["opened"] is False
    assert Escalation.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"consent": False}, {"consent": "maybe"}, {"consent": True, "program": "not a slug!"}],
)
def test_the_api_refuses_bad_input_and_alerts_nobody(member, program, api_as, body):
    response = api_as(member).post(API_URL, body, format="json")

    assert response.status_code == 400
    assert not Escalation.objects.exists()


def test_the_api_asks_which_program_when_there_are_several(member, program, api_as):
    from alongside.programs.models import Membership, MembershipRole

    membership = Membership.objects.create(user=member, program=make_program("Second"))
    MembershipRole.objects.create(membership=membership, role="member")

    response = api_as(member).post(API_URL, {"consent": True}, format="json")

    assert response.status_code == 400
    assert "program" in response.json()


def test_the_api_answers_404_for_a_program_not_ones_own(outsider, program, api_as):
    response = api_as(outsider).post(
        API_URL, {"consent": True, "program": program.slug}, format="json"
    )

    assert response.status_code == 404
    assert not Escalation.objects.exists()


def test_the_api_answers_404_to_someone_in_no_program_as_a_member(supporter, api_as):
    assert api_as(supporter).post(API_URL, {"consent": True}, format="json").status_code == 404


def test_the_api_needs_sign_in_and_post(member, client, api_as, db):
    assert client.post(API_URL, {"consent": True}).status_code == 401
    assert api_as(member).get(API_URL).status_code == 405


def test_every_request_leaves_its_event_on_the_timeline(member, program):
    escalation = actions.ask_for_help(member, program=program, message="x").escalation

    assert list(EscalationEvent.objects.values_list("kind", flat=True)) == [EventKind.FLAGGED]
    assert escalation.events.get().actor == member
