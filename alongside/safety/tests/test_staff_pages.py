"""The staff pages: escalations, the review screen, the on-call roster, concerns and settings."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Profile
from alongside.core.models import AccessLogEntry
from alongside.safety import actions
from alongside.safety.models import (
    CATEGORY_LABELS,
    Escalation,
    Flag,
    OnCallShift,
    SafetySettings,
    State,
    category_labels,
)
from alongside.safety.screening import Category
from alongside.safety.tests.escalation_helpers import (
    advance_to,
    escalation_from_anonymous_post,
    open_for,
    put_on_call,
)
from alongside.testing import make_person


def escalation_url(escalation, action=""):
    name = f"safety:escalation_{action}" if action else "safety:escalation"
    return reverse(name, args=[escalation.program.slug, escalation.pk])


def list_url(program):
    return reverse("safety:escalations", args=[program.slug])


# The list -------------------------------------------------------------------------------------


def test_the_list_puts_overdue_first_and_names_who_is_alerted(
    member, coordinator, on_call_clinician, program, client_of
):
    Profile.objects.filter(user=member).update(display_name="Quiet Fox 12")
    put_on_call(program, on_call_clinician)
    done = advance_to(open_for(member, program), "closed", on_call_clinician)
    with time_machine.travel(timezone.now() - timedelta(minutes=30)):
        overdue = open_for(member, program)
    fresh = open_for(member, program)

    response = client_of(coordinator).get(list_url(program))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(escalation_url(overdue)) < page.index(escalation_url(fresh))
    assert page.index(escalation_url(fresh)) < page.index(escalation_url(done))
    assert "Overdue" in page
    assert "Quiet Fox 12" in page
    assert on_call_clinician.display_name in page
    assert AccessLogEntry.objects.filter(actor=coordinator, subject=member).count() == 3


def test_the_list_takes_the_same_number_of_queries_for_more_escalations(
    member, coordinator, on_call_clinician, program, client_of
):
    put_on_call(program, on_call_clinician)
    client = client_of(coordinator)
    open_for(member, program)
    client.get(list_url(program))
    with CaptureQueriesContext(connection) as few:
        client.get(list_url(program))
    for _ in range(5):
        advance_to(open_for(make_person(program, "member"), program), "acknowledged", coordinator)
    with CaptureQueriesContext(connection) as many:
        client.get(list_url(program))

    assert len(many) == len(few)
    # Sign-in, session and MFA checks, the program and role checks, one page of escalations with
    # their alerts, one INSERT for the access log, and the unread count of the header.
    assert len(many) == 16


@pytest.mark.parametrize("role", ["member", "supporter", "facilitator", "moderator"])
def test_other_roles_get_404(role, program, client_of):
    assert client_of(make_person(program, role)).get(list_url(program)).status_code == 404


def test_an_outsider_gets_404(outsider, program, client_of):
    assert client_of(outsider).get(list_url(program)).status_code == 404


def test_a_coordinator_of_another_program_gets_404(program, other_program, client_of):
    elsewhere = make_person(other_program, "coordinator")

    assert client_of(elsewhere).get(list_url(program)).status_code == 404


def test_post_to_the_list_is_not_allowed(coordinator, program, client_of):
    assert client_of(coordinator).post(list_url(program)).status_code == 405


# The review screen ----------------------------------------------------------------------------


def test_the_review_screen_shows_the_message_and_timeline_and_is_an_audited_read(
    member, on_call_clinician, coordinator, program, client_of
):
    escalation = open_for(member, program, message="I can't do this anymore")

    response = client_of(on_call_clinician).get(escalation_url(escalation))

    assert response.status_code == 200
    page = response.content.decode()
    assert "I can&#x27;t do this anymore" in page
    assert "I have it: acknowledge" in page
    assert "Flagged" in page
    entry = AccessLogEntry.objects.get(actor=on_call_clinician)
    assert (entry.subject, entry.object_type, entry.purpose) == (
        member,
        "safety.Escalation",
        "crisis_escalation",
    )


def test_the_review_screen_names_the_signs_in_words_not_codes(
    member, on_call_clinician, program, client_of
):
    escalation = actions.open_escalation(
        member, program=program, origin="help_now", categories=["suicide", "harm_to_others"]
    )

    page = client_of(on_call_clinician).get(escalation_url(escalation)).content.decode()

    assert "Suicide, Harm to others" in page
    assert "harm_to_others" not in page


def test_the_review_screen_quotes_the_words_screening_flagged_each_once(
    member, on_call_clinician, program, client_of
):
    text = (
        "I wrote my note to my family. I wrote my note to my family. "
        "I never wanted to die before, but tonight is the night I end it."
    )
    screened = actions.screen_writing(member, program=program, path="safety.help_now", text=text)
    assert screened.escalation is not None

    page = client_of(on_call_clinician).get(escalation_url(screened.escalation)).content.decode()

    assert page.count("<q>wrote my note to my</q>") == 1
    assert "<q>tonight is the night I end it</q>" in page
    # read as negated ("never wanted to die"): not why it was flagged
    assert "<q>wanted to die</q>" not in page and "Flagged words" in page
    assert "and the wording as a whole" in page


def test_the_review_screen_does_not_quote_what_was_written_anonymously(
    member, on_call_clinician, program, client_of
):
    # The escalation names the person; the words would tell which anonymous post is theirs.
    escalation = escalation_from_anonymous_post(member, program)

    page = client_of(on_call_clinician).get(escalation_url(escalation)).content.decode()

    assert "<q>" not in page and "wrote my note" not in page and "wording as a whole" not in page
    assert "written under an anonymous name" in page


def test_the_review_screen_of_a_request_for_help_has_no_flagged_words(
    member, on_call_clinician, program, client_of
):
    escalation = open_for(member, program, message="Please call me")

    page = client_of(on_call_clinician).get(escalation_url(escalation)).content.decode()

    assert "Flagged words" not in page


def test_acknowledging_through_the_page(member, on_call_clinician, coordinator, program, client_of):
    escalation = open_for(member, program)

    response = client_of(on_call_clinician).post(escalation_url(escalation, "acknowledge"))

    assert response.status_code == 302
    assert response["Location"] == escalation_url(escalation)
    assert Escalation.objects.get().state == State.ACKNOWLEDGED


def test_the_second_to_acknowledge_sees_who_was_first(
    member, on_call_clinician, coordinator, program, client_of
):
    escalation = open_for(member, program)
    actions.acknowledge_escalation(on_call_clinician, escalation=escalation)

    response = client_of(coordinator).post(escalation_url(escalation, "acknowledge"), follow=True)

    assert f"{on_call_clinician.display_name} already acknowledged" in response.content.decode()


def test_contact_outcome_and_close_through_the_page(
    member, on_call_clinician, coordinator, program, client_of
):
    escalation = advance_to(open_for(member, program), "acknowledged", on_call_clinician)
    client = client_of(on_call_clinician)

    client.post(escalation_url(escalation, "contact"), {"note": "Phoned, talked 20 min."})
    client.post(escalation_url(escalation, "outcome"), {"outcome": "referred", "note": ""})
    response = client.post(escalation_url(escalation, "close"), {"note": ""})

    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.state, escalation.outcome) == (State.CLOSED, "referred")
    page = client.get(escalation_url(escalation)).content.decode()
    assert "Phoned, talked 20 min." in page


def test_an_empty_note_shows_an_error_next_to_it(member, on_call_clinician, program, client_of):
    escalation = open_for(member, program)

    response = client_of(on_call_clinician).post(escalation_url(escalation, "note"), {"note": ""})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_closing_too_early_is_explained(member, on_call_clinician, program, client_of):
    escalation = advance_to(open_for(member, program), "acknowledged", on_call_clinician)

    response = client_of(on_call_clinician).post(
        escalation_url(escalation, "close"), {"note": ""}, follow=True
    )

    assert "Record the outcome before closing" in response.content.decode()
    assert Escalation.objects.get().state == State.ACKNOWLEDGED


def test_acknowledge_by_get_is_not_allowed(member, on_call_clinician, program, client_of):
    escalation = open_for(member, program)

    assert (
        client_of(on_call_clinician).get(escalation_url(escalation, "acknowledge")).status_code
        == 405
    )


@pytest.mark.parametrize("role", ["member", "supporter", "moderator"])
def test_the_review_screen_is_404_for_other_roles(role, member, program, client_of):
    escalation = open_for(member, program)
    someone = make_person(program, role)

    assert client_of(someone).get(escalation_url(escalation)).status_code == 404
    assert client_of(someone).post(escalation_url(escalation, "acknowledge")).status_code == 404


def test_an_escalation_of_another_program_is_404(member, program, other_program, client_of):
    escalation = open_for(member, program)
    elsewhere = make_person(other_program, "coordinator")
    url = reverse("safety:escalation", args=[other_program.slug, escalation.pk])

    assert client_of(elsewhere).get(url).status_code == 404


# The roster -----------------------------------------------------------------------------------


def roster_url(program):
    return reverse("safety:on_call", args=[program.slug])


def shift_data(person, **overrides):
    data = {
        "person": person.pk,
        "start_date": "2025-03-08",
        "start_time": "20:00",
        "end_date": "2025-03-09",
        "end_time": "08:00",
        "position": "1",
    }
    return {**data, **overrides}


@time_machine.travel(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
def test_a_coordinator_adds_a_shift_in_their_own_time_zone(
    coordinator, on_call_clinician, program, client_of
):
    Profile.objects.filter(user=coordinator).update(time_zone="America/New_York")

    response = client_of(coordinator).post(roster_url(program), shift_data(on_call_clinician))

    assert response.status_code == 302
    shift = OnCallShift.objects.get()
    assert shift.starts_at == datetime(2025, 3, 9, 1, 0, tzinfo=UTC)
    assert shift.ends_at == datetime(2025, 3, 9, 12, 0, tzinfo=UTC)


@time_machine.travel(datetime(2025, 3, 1, 12, 0, tzinfo=UTC))
def test_the_roster_shows_shifts_in_the_viewers_time_zone(
    coordinator, on_call_clinician, program, client_of
):
    Profile.objects.filter(user=on_call_clinician).update(time_zone="Europe/London")
    OnCallShift.objects.create(
        program=program,
        person=on_call_clinician,
        starts_at=datetime(2025, 3, 9, 1, 0, tzinfo=UTC),
        ends_at=datetime(2025, 3, 9, 12, 0, tzinfo=UTC),
    )

    page = client_of(on_call_clinician).get(roster_url(program)).content.decode()

    assert "Europe/London" in page
    assert "1 a.m." in page or "01:00" in page
    assert "Add a shift" not in page


def test_a_time_clocks_skip_is_explained(coordinator, on_call_clinician, program, client_of):
    Profile.objects.filter(user=coordinator).update(time_zone="America/New_York")

    response = client_of(coordinator).post(
        roster_url(program),
        shift_data(on_call_clinician, start_date="2025-03-09", start_time="02:30"),
    )

    assert response.status_code == 400
    assert "Clocks skip this hour" in response.content.decode()
    assert not OnCallShift.objects.exists()


def test_a_shift_for_a_supporter_is_refused_next_to_the_field(
    coordinator, supporter, program, client_of
):
    response = client_of(coordinator).post(roster_url(program), shift_data(supporter))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_a_clinician_sees_the_roster_but_cannot_change_it(
    on_call_clinician, coordinator, program, client_of
):
    client = client_of(on_call_clinician)

    assert client.get(roster_url(program)).status_code == 200
    assert client.post(roster_url(program), shift_data(on_call_clinician)).status_code == 404


def test_a_coordinator_removes_a_shift(coordinator, on_call_clinician, program, client_of):
    shift = put_on_call(program, on_call_clinician)

    response = client_of(coordinator).post(
        reverse("safety:shift_remove", args=[program.slug, shift.pk])
    )

    assert response.status_code == 302
    assert not OnCallShift.objects.exists()


def test_the_roster_page_lists_the_chain_in_order(
    coordinator, on_call_clinician, program, client_of
):
    second = make_person(program, "clinician")
    Profile.objects.filter(user=second).update(display_name="Second In Line")
    put_on_call(program, second, position=2)
    put_on_call(program, on_call_clinician, position=1)

    page = client_of(coordinator).get(roster_url(program)).content.decode()

    assert page.index(on_call_clinician.display_name) < page.index("Second In Line")
    assert "Then the coordinator" in page


# Concerns and settings ------------------------------------------------------------------------


def concerns_url(program):
    return reverse("safety:concerns", args=[program.slug])


def make_flag(member, program, level="concern"):
    return Flag.objects.create(
        program=program,
        author=member,
        writing_path="safety.help_now",
        level=level,
        categories=["self_harm"],
        reasons="[]",
    )


def test_a_moderator_reviews_a_concern(member, moderator, program, client_of):
    flag = make_flag(member, program)
    client = client_of(moderator)

    page = client.get(concerns_url(program)).content.decode()
    response = client.post(
        reverse("safety:concern_review", args=[program.slug, flag.pk]),
        {"note": "Sent a kind word."},
    )

    assert "Asking for help now" in page
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.reviewed_by, flag.review_note) == (moderator, "Sent a kind word.")
    assert AccessLogEntry.objects.filter(actor=moderator, subject=member).count() == 2
    assert "Nothing waiting" in client.get(concerns_url(program)).content.decode()


def test_the_concern_queue_names_the_signs_in_words_not_codes(
    member, moderator, program, client_of
):
    make_flag(member, program)

    page = client_of(moderator).get(concerns_url(program)).content.decode()

    assert "Signs of: Self-harm" in page
    assert "self_harm" not in page


def test_every_screening_category_has_a_name_and_an_unknown_code_still_shows():
    assert set(CATEGORY_LABELS) == set(Category)
    assert category_labels(["overdose", "retired_code"]) == ["Overdose", "retired_code"]


def test_the_concern_queue_takes_the_same_number_of_queries_for_more_flags(
    member, moderator, program, client_of
):
    client = client_of(moderator)
    make_flag(member, program)
    client.get(concerns_url(program))
    with CaptureQueriesContext(connection) as few:
        client.get(concerns_url(program))
    for _ in range(5):
        make_flag(make_person(program, "member"), program, level="urgent")
    with CaptureQueriesContext(connection) as many:
        client.get(concerns_url(program))

    assert len(many) == len(few)


@pytest.mark.parametrize("role", ["member", "supporter", "facilitator"])
def test_the_concern_queue_is_404_for_peers(role, program, client_of):
    assert client_of(make_person(program, role)).get(concerns_url(program)).status_code == 404


def settings_url(program):
    return reverse("safety:settings", args=[program.slug])


def test_a_coordinator_changes_the_safety_settings(coordinator, program, client_of):
    response = client_of(coordinator).post(
        settings_url(program),
        {
            "hold_flagged_for_review": "on",
            "acknowledge_within_minutes": "5",
            "webhook_url": "https://pager.example.test/hook",
            "webhook_secret": "topsecret",
        },
    )

    assert response.status_code == 302
    saved = SafetySettings.objects.get(program=program)
    assert (saved.hold_flagged_for_review, saved.acknowledge_within_minutes) == (True, 5)
    assert saved.webhook_secret == "topsecret"


def test_a_blank_secret_keeps_the_current_one(coordinator, program, client_of):
    SafetySettings.objects.create(program=program, webhook_secret="keep me")

    client_of(coordinator).post(
        settings_url(program), {"acknowledge_within_minutes": "10", "webhook_secret": ""}
    )

    assert SafetySettings.objects.get().webhook_secret == "keep me"


def test_minutes_out_of_range_are_refused(coordinator, program, client_of):
    response = client_of(coordinator).post(
        settings_url(program), {"acknowledge_within_minutes": "0"}
    )

    assert response.status_code == 400


def test_in_production_the_webhook_must_be_https(coordinator, program, settings):
    settings.PRODUCTION = True

    with pytest.raises(ValidationError, match="https"):
        actions.update_safety_settings(
            coordinator, program=program, webhook_url="http://pager.example.test/hook"
        )


def test_a_clinician_cannot_change_the_settings(on_call_clinician, program, client_of):
    assert client_of(on_call_clinician).get(settings_url(program)).status_code == 404
