"""Boundaries for supporters: the guide, and a pause before sending what reads like clinical
advice."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from alongside.safety.clinical_advice import (
    DIAGNOSIS,
    DOSING,
    STOPPING_MEDICATION,
    looks_like_clinical_advice,
)
from alongside.safety.forms import ConfirmClinicalAdviceMixin
from alongside.testing import make_person

GUIDE_URL = reverse("safety:boundaries")

# The guide ----------------------------------------------------------------------------------


@pytest.mark.parametrize("roles", [("supporter",), ("facilitator",), ("supporter", "coordinator")])
def test_supporters_and_facilitators_read_the_guide_with_the_lines(program, client_of, roles):
    person = make_person(program, *roles)

    response = client_of(person).get(GUIDE_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Peer support is not" in page
    assert "When to involve a professional" in page
    assert 'href="tel:988"' in page


@pytest.mark.parametrize("roles", [("member",), ("coordinator",), ("clinician",), ("moderator",)])
def test_everyone_else_gets_404(program, client_of, roles):
    assert client_of(make_person(program, *roles)).get(GUIDE_URL).status_code == 404


def test_a_supporter_who_left_the_program_gets_404(supporter, client_of):
    supporter.memberships.update(is_active=False)

    assert client_of(supporter).get(GUIDE_URL).status_code == 404


def test_the_guide_needs_sign_in_and_get(client, supporter, client_of):
    assert client.get(GUIDE_URL).status_code == 302
    assert client_of(supporter).post(GUIDE_URL).status_code == 405


def test_the_guide_shows_the_lines_of_the_supporters_country(client_of, db):
    from alongside.testing import make_program

    supporter = make_person(make_program("Leeds Peers", country="GB"), "supporter")

    page = client_of(supporter).get(GUIDE_URL).content.decode()

    assert "Samaritans" in page and 'href="tel:999"' in page


# What reads like clinical advice ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "reasons"),
    [
        ("take 2 of your xanax", "en", [DOSING]),
        ("Just take two of those pills and go to sleep", "en", [DOSING]),
        ("double your dose", "en", [DOSING]),
        ("You should up your meds a bit", "en", [DOSING]),
        ("Try 50mg instead, it worked for me", "en", [DOSING]),
        ("I'd say 0.5 mg is plenty", "en", [DOSING]),
        ("you could cut your suboxone in half", "en", [DOSING]),
        ("take more of your lithium", "en", [DOSING]),
        ("stop taking your meds", "en", [STOPPING_MEDICATION]),
        ("Honestly you should come off the lexapro", "en", [STOPPING_MEDICATION]),
        ("just quit the pills, they numb you", "en", [STOPPING_MEDICATION]),
        ("You don\u2019t need your meds anymore", "en", [STOPPING_MEDICATION]),
        ("you have bipolar", "en", [DIAGNOSIS]),
        ("You've probably got PTSD", "en", [DIAGNOSIS]),
        ("you\u2019re bipolar, like my brother", "en", [DIAGNOSIS]),
        ("Sounds like PTSD to me", "en", [DIAGNOSIS]),
        ("That's textbook bipolar.", "en", [DIAGNOSIS]),
        ("it sounds like you have an eating disorder", "en", [DIAGNOSIS]),
        (
            "Sounds like ADHD. Stop taking the ritalin and double your dose of wellbutrin",
            "en",
            [DOSING, STOPPING_MEDICATION, DIAGNOSIS],
        ),
        ("Tómate 2 de tus xanax", "es", [DOSING]),
        ("dobla tu dosis", "es", [DOSING]),
        ("toma 20 mg más", "es", [DOSING]),
        ("deja de tomar tus pastillas", "es", [STOPPING_MEDICATION]),
        ("no necesitas tus medicamentos", "es", [STOPPING_MEDICATION]),
        ("tienes trastorno bipolar", "es", [DIAGNOSIS]),
        ("Eres bipolar", "es", [DIAGNOSIS]),
        ("suena a TEPT", "es", [DIAGNOSIS]),
        ("parece que tienes depresión", "es", [DIAGNOSIS]),
        ("deja de tomar tus pastillas", "fr", [STOPPING_MEDICATION]),
    ],
)
def test_clinical_advice_is_recognised(text, language, reasons):
    assert looks_like_clinical_advice(text, language) == reasons


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("my doctor changed my dose", "en"),
        ("I have bipolar, and it took years to find the right meds", "en"),
        ("my therapist says I have PTSD", "en"),
        ("It sounds like you had a really hard day", "en"),
        ("Sounds like a plan!", "en"),
        ("I stopped taking my meds last year and it was hard", "en"),
        ("I stop taking the pills when I feel better, which is a mistake", "en"),
        ("Did you take your meds today?", "en"),
        ("Have you talked to your doctor about your dose?", "en"),
        ("Ask your doctor before you change your dose", "en"),
        ("you have depression too? me too", "en"),
        ("you have a lot on your plate", "en"),
        ("You have every right to be angry", "en"),
        ("take two steps back and breathe", "en"),
        ("I was depressed for years", "en"),
        ("mi médico me cambió la dosis", "es"),
        ("yo tengo depresión desde hace años", "es"),
        ("tomé dos pastillas de ibuprofeno ayer", "es"),
        ("¿tomaste tus pastillas hoy?", "es"),
        ("tienes mucha razón", "es"),
        ("pregunta a tu médico antes de cambiar la dosis", "es"),
        ("", "en"),
    ],
)
def test_talk_about_ones_own_care_is_not_clinical_advice(text, language):
    assert looks_like_clinical_advice(text, language) == []


# The pause before sending --------------------------------------------------------------------------


class SupporterMessageForm(ConfirmClinicalAdviceMixin, forms.Form):
    """A stand-in for the messaging forms to come: one text field, as they will have."""

    message = forms.CharField(max_length=2000)
    clinical_advice_language = "en"


def test_advice_stops_the_form_once_with_a_gentle_prompt():
    form = SupporterMessageForm({"message": "just double your dose tonight"})

    assert not form.is_valid()
    assert form.asks_to_confirm_clinical_advice
    assert "You can still send it as it is." in form.non_field_errors()[0]
    assert form.clinical_advice_explanations() == ["It mentions how much of a medicine to take."]


def test_send_anyway_resubmits_with_confirmed_and_goes_through():
    form = SupporterMessageForm({"message": "just double your dose tonight", "confirmed": "1"})

    assert form.is_valid()
    assert form.cleaned_data["message"] == "just double your dose tonight"


@pytest.mark.parametrize("confirmed", ["", "0", "true", "yes"])
def test_only_confirmed_1_counts_as_confirmed(confirmed):
    form = SupporterMessageForm({"message": "stop taking your meds", "confirmed": confirmed})

    assert not form.is_valid()


def test_an_ordinary_message_goes_straight_through():
    form = SupporterMessageForm({"message": "Proud of you for reaching out today."})

    assert form.is_valid()
    assert not form.asks_to_confirm_clinical_advice


def test_other_errors_are_not_mistaken_for_the_prompt():
    form = SupporterMessageForm({"message": "double your dose " + "x" * 2000})

    assert not form.is_valid()
    assert "message" in form.errors
    assert not form.asks_to_confirm_clinical_advice


def test_the_prompt_offers_send_anyway_and_the_guide(rf, supporter):
    form = SupporterMessageForm({"message": "sounds like PTSD to me"})
    form.is_valid()

    html = render_to_string("safety/_clinical_advice_prompt.html", {"form": form})

    assert '<button type="submit" name="confirmed" value="1"' in html
    assert "Send anyway" in html
    assert "It reads like a diagnosis." in html
    assert GUIDE_URL in html
    assert 'role="status"' in html
