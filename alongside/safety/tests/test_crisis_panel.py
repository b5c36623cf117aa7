"""The crisis panel: shown once, on the page after flagged writing, with the member's lines and
plan; and the same resources in API answers, whatever happens to the alerts."""

import pytest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse

from alongside.notifications import actions as notification_actions
from alongside.safety import actions
from alongside.safety.context_processors import crisis_panel
from alongside.safety.models import Escalation, OutboxMessage
from alongside.safety.support import (
    SESSION_KEY,
    crisis_support_payload,
    offer_crisis_support,
)
from alongside.safety.tests.escalation_helpers import put_on_call
from alongside.testing import assessment

PANEL_PROCESSOR = "alongside.safety.context_processors.crisis_panel"
HOME_URL = "/"
PANEL_HEADING = "You don't have to go through this alone"


# A writing path as every app's view will do it: save, screen, offer the panel, redirect.
def write_diary(request):
    screened = actions.screen_writing(
        request.user,
        program=request.user.memberships.get().program,
        path="safety.help_now",
        text=request.POST["text"],
    )
    if screened.show_crisis_panel:
        offer_crisis_support(
            request, program=request.user.memberships.get().program, assessment=screened.assessment
        )
    return redirect("core:home")


def diary_api(request):
    program = request.user.memberships.get().program
    screened = actions.screen_writing(
        request.user, program=program, path="safety.help_now", text=request.POST["text"]
    )
    import json

    payload = crisis_support_payload(request.user, program, assessment=screened.assessment)
    return HttpResponse(json.dumps(payload), content_type="application/json")


urlpatterns = [
    path("test-diary/", write_diary),
    path("test-diary-api/", diary_api),
    path("", include("alongside.urls")),
]


def panel_shown(response) -> bool:
    return PANEL_HEADING in response.content.decode()


@pytest.mark.urls(__name__)
def test_flagged_writing_shows_the_panel_once_on_the_next_page(
    member, program, screening, client_of
):
    screening["I don't want to be here anymore"] = assessment("concern", "suicide")
    client = client_of(member)

    response = client.post("/test-diary/", {"text": "I don't want to be here anymore"}, follow=True)
    again = client.get(reverse("core:home"))

    assert panel_shown(response)
    page = response.content.decode()
    assert 'role="region"' in page and 'aria-live="polite"' in page
    assert 'aria-labelledby="crisis-panel-heading"' in page
    assert 'href="tel:988"' in page
    assert "What you wrote is saved" in page
    assert reverse("safety:plan") in page
    assert not panel_shown(again)


@pytest.mark.urls(__name__)
def test_writing_that_is_not_flagged_shows_no_panel(member, program, screening, client_of):
    response = client_of(member).post("/test-diary/", {"text": "Good day today"}, follow=True)

    assert not panel_shown(response)
    assert SESSION_KEY not in response.wsgi_request.session


@pytest.mark.urls(__name__)
def test_urgent_writing_says_the_team_was_asked_to_check_in(
    member, program, on_call_clinician, screening, client_of
):
    put_on_call(program, on_call_clinician)
    screening["goodbye everyone, tonight is the night"] = assessment("urgent", "suicide")

    response = client_of(member).post(
        "/test-diary/", {"text": "goodbye everyone, tonight is the night"}, follow=True
    )

    assert panel_shown(response)
    assert "asked the on-call team of Riverside Recovery to check in" in response.content.decode()
    assert Escalation.objects.count() == 1


@pytest.mark.urls(__name__)
def test_the_panel_shows_even_when_every_alert_fails(
    member,
    program,
    on_call_clinician,
    screening,
    client_of,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    put_on_call(program, on_call_clinician)
    screening["I have the pills in my hand"] = assessment("urgent", "overdose")

    def broken_notify(*args, **kwargs):
        raise ConnectionError("mail server down")

    for module in (actions, notification_actions):
        monkeypatch.setattr(module, "notify", broken_notify)
        monkeypatch.setattr(module, "notify_each", broken_notify)
    client = client_of(member)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/test-diary/", {"text": "I have the pills in my hand"})
    page = client.get(response["Location"])

    assert panel_shown(page)
    alert = OutboxMessage.objects.get()
    assert alert.delivered_at is None
    assert "mail server down" in alert.last_error


@pytest.mark.urls(__name__)
def test_the_api_payload_carries_the_lines_even_when_every_alert_fails(
    member,
    program,
    on_call_clinician,
    screening,
    client_of,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    put_on_call(program, on_call_clinician)
    screening["I have the pills in my hand"] = assessment("urgent", "overdose")

    def broken_notify(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(actions, "notify", broken_notify)
    monkeypatch.setattr(actions, "notify_each", broken_notify)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(member).post(
            "/test-diary-api/", {"text": "I have the pills in my hand"}
        )

    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "urgent"
    assert body["resources"]["lines"][0]["phone_uri"] == "988"
    assert body["resources"]["emergency_number"] == "911"
    assert OutboxMessage.objects.get().delivered_at is None


def test_the_payload_is_plain_json_for_a_concern(member, program):
    import json

    payload = crisis_support_payload(member, program, assessment=assessment("concern"))

    assert json.loads(json.dumps(payload)) == payload
    assert payload["level"] == "concern"
    assert payload["resources"]["country"] == "US"


def test_the_panel_shows_the_first_sections_of_the_members_plan(member, program, client_of):
    actions.save_safety_plan(
        member,
        sections={
            "warning_signs": "Not sleeping",
            "distractions": "The library",
            "reasons_to_live": "My sister",
        },
    )
    client = client_of(member)
    session = client.session
    session[SESSION_KEY] = {"program": program.pk, "level": "concern"}
    session.save()

    page = client.get(reverse("core:home")).content.decode()

    assert "From your safety plan" in page
    assert "Not sleeping" in page and "The library" in page
    assert "My sister" not in page
    assert "Open your whole safety plan" in page


def test_without_a_plan_the_panel_offers_to_make_one(member, program, client_of):
    client = client_of(member)
    session = client.session
    session[SESSION_KEY] = {"program": program.pk, "level": "concern"}
    session.save()

    page = client.get(reverse("core:home")).content.decode()

    assert "Make your safety plan" in page


def test_a_fragment_rendered_in_between_does_not_use_up_the_panel(member, program, client_of):
    client = client_of(member)
    session = client.session
    session[SESSION_KEY] = {"program": program.pk, "level": "concern"}
    session.save()

    badge = client.get(reverse("notifications:unread"))
    page = client.get(reverse("core:home"))

    assert badge.status_code == 200
    assert not panel_shown(badge)
    assert panel_shown(page)


def test_a_program_the_member_has_left_gives_the_national_lines(member, other_program, client_of):
    client = client_of(member)
    session = client.session
    session[SESSION_KEY] = {"program": other_program.pk, "level": "concern"}
    session.save()

    page = client.get(reverse("core:home")).content.decode()

    assert PANEL_HEADING in page
    assert "Hillcrest" not in page
    assert 'href="tel:988"' in page


def test_nothing_is_offered_for_writing_screening_found_fine(rf, member, program):
    request = rf.get("/")
    request.session = {}
    request.user = member

    offer_crisis_support(request, program=program, assessment=assessment("none"))

    assert request.session == {}


def test_the_context_processor_takes_nothing_from_an_anonymous_visitor(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.session = {SESSION_KEY: {"program": 1, "level": "urgent"}}
    request.user = AnonymousUser()

    assert crisis_panel(request)["crisis_panel"]() is None
    assert SESSION_KEY in request.session
