"""Questionnaires: scored on the server, partial answers refused, PHQ-9 item 9 escalated, and
what is due shown on the check-in page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from alongside.checkins import actions
from alongside.checkins.models import QuestionnaireResponse, QuestionnaireSchedule
from alongside.safety.models import Escalation, Origin, OutboxMessage
from alongside.safety.support import SESSION_KEY

pytestmark = pytest.mark.django_db


def test_answers_are_scored_and_banded_on_the_server(member, program):
    submitted = actions.submit_questionnaire(
        member, program=program, questionnaire="gad7", answers=[2, 2, 2, 2, 1, 1, 0]
    )

    saved = QuestionnaireResponse.objects.get()
    assert (saved.score, saved.band, saved.answers) == (10, "moderate", [2, 2, 2, 2, 1, 1, 0])
    assert submitted.escalation is None


def test_partial_answers_are_refused_with_a_message_and_nothing_saved(member, program):
    with pytest.raises(ValidationError) as refused:
        actions.submit_questionnaire(
            member, program=program, questionnaire="phq9", answers=[1, 1, 1, None, 1, 1, 1, 1]
        )

    errors = refused.value.message_dict
    assert errors["q4"] == ["Please answer this question."]
    assert errors["q9"] == ["Please answer this question."]
    assert errors["answers"] == ["Nothing was saved: 2 questions are not answered yet."]
    assert not QuestionnaireResponse.objects.exists()


def test_phq9_item_9_above_zero_opens_an_urgent_escalation_in_the_same_transaction(
    member, program, coordinator
):
    submitted = actions.submit_questionnaire(
        member, program=program, questionnaire="phq9", answers=[0, 0, 0, 0, 0, 0, 0, 0, 1]
    )

    escalation = Escalation.objects.get()
    assert submitted.escalation == escalation
    assert (escalation.member, escalation.origin, escalation.categories) == (
        member,
        Origin.QUESTIONNAIRE,
        ["suicide"],
    )
    assert OutboxMessage.objects.filter(escalation=escalation).exists()


def test_phq9_item_9_at_zero_opens_no_escalation(member, program):
    actions.submit_questionnaire(
        member, program=program, questionnaire="phq9", answers=[3, 3, 3, 3, 3, 3, 3, 3, 0]
    )

    assert not Escalation.objects.exists()


def test_a_questionnaire_the_program_does_not_ask_for_is_not_found(member, program):
    QuestionnaireSchedule.objects.create(program=program, questionnaire="phq9")

    with pytest.raises(Http404):
        actions.submit_questionnaire(member, program=program, questionnaire="who5", answers=[1] * 5)


def questionnaire_url(program, code):
    return reverse("checkins:questionnaire", args=[program.slug, code])


def test_the_page_refuses_partial_answers_next_to_each_question(member, program, client_of):
    response = client_of(member).post(questionnaire_url(program, "who5"), {"q1": "3", "q2": "3"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["q3"] == ["Please answer this question."]
    assert "Nothing was saved: 3 questions are not answered yet." in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_the_page_shows_the_crisis_panel_after_a_phq9_item_9_answer(member, program, client_of):
    client = client_of(member)
    answers = {f"q{n}": "0" for n in range(1, 9)} | {"q9": "2"}

    response = client.post(questionnaire_url(program, "phq9"), answers)

    assert response.status_code == 302
    assert client.session[SESSION_KEY]["level"] == "urgent"
    page = client.get(response["Location"])
    assert "You don't have to go through this alone" in page.content.decode()


def due_on_the_check_in_page(client, program) -> list[str]:
    page = client.get(reverse("checkins:today", args=[program.slug]))
    return [item.code for item in page.context["questionnaires"] if item.is_due]


def test_due_questionnaires_are_shown_on_the_check_in_page_until_answered(
    member, program, client_of
):
    QuestionnaireSchedule.objects.create(program=program, questionnaire="gad7", every_days=14)
    client = client_of(member)
    page = client.get(reverse("checkins:today", args=[program.slug])).content.decode()
    assert "A questionnaire is due" in page and "due now" in page

    actions.submit_questionnaire(member, program=program, questionnaire="gad7", answers=[0] * 7)
    assert due_on_the_check_in_page(client, program) == []

    QuestionnaireResponse.objects.update(day=timezone.localdate() - timedelta(days=15))
    assert due_on_the_check_in_page(client, program) == ["gad7"]
