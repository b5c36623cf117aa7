"""The check-in API answers as its OpenAPI schema promises, through the same access and actions."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.checkins.models import CheckIn, QuestionnaireResponse
from alongside.privacy.actions import grant_sharing_consent, revoke_sharing_consent
from alongside.privacy.models import Audience, Scope
from alongside.safety.models import Escalation
from alongside.testing import assert_matches_schema

pytestmark = pytest.mark.django_db

CHECKINS = "/api/v1/me/checkins/"


def items_path(program):
    return f"/api/v1/programs/{program.slug}/checkin-items/"


def test_recording_todays_check_in_then_replacing_it(member, program, api_as, schema):
    api = api_as(member)

    created = api.post(
        CHECKINS,
        {"program": program.slug, "mood": 7, "values": {"sleep_hours": 7.5, "routine_done": "yes"}},
        format="json",
    )
    replaced = api.post(CHECKINS, {"program": program.slug, "mood": 4}, format="json")

    assert created.status_code == 201, created.json()
    assert_matches_schema(schema, CHECKINS, "post", 201, created.json())
    assert created.json()["check_in"]["values"] == {"sleep_hours": 7.5, "routine_done": "yes"}
    assert replaced.status_code == 200
    assert_matches_schema(schema, CHECKINS, "post", 200, replaced.json())
    assert CheckIn.objects.get().mood == 4


def test_the_idempotency_key_header_makes_a_retry_return_the_same_check_in(member, program, api_as):
    api = api_as(member)
    key = str(uuid.uuid4())
    body = {"program": program.slug, "mood": 6}

    first = api.post(CHECKINS, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    retry = api.post(CHECKINS, body, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == 201
    assert retry.status_code == 200 and retry.json()["replayed"] is True
    assert retry.json()["check_in"]["id"] == first.json()["check_in"]["id"]
    assert CheckIn.objects.count() == 1


def test_bad_input_answers_400_naming_each_field_and_saves_nothing(member, program, api_as, schema):
    response = api_as(member).post(
        CHECKINS,
        {"program": program.slug, "mood": 11, "values": {"sleep_hours": -2, "jogging": 1}},
        format="json",
    )

    assert response.status_code == 400
    errors = response.json()
    assert errors["mood"] == ["Mood goes from 1 (awful) to 10 (excellent)."]
    assert errors["values.sleep_hours"] == ["“Hours of sleep” cannot be below 0."]
    assert errors["values"] == ["This program does not track “jogging”."]
    assert not CheckIn.objects.exists()


def test_a_program_where_the_caller_is_no_member_is_not_found(outsider, program, api_as):
    response = api_as(outsider).post(CHECKINS, {"program": program.slug, "mood": 5}, format="json")

    assert response.status_code == 404


def test_a_worrying_note_brings_crisis_support_in_the_answer(member, program, api_as, schema):
    response = api_as(member).post(
        CHECKINS,
        {"program": program.slug, "mood": 1, "note": "I want to kill myself"},
        format="json",
    )

    assert response.status_code == 201
    assert_matches_schema(schema, CHECKINS, "post", 201, response.json())
    assert response.json()["crisis_support"]["level"] == "urgent"


def test_listing_own_check_ins_in_a_fixed_number_of_queries(member, program, api_as, schema):
    api = api_as(member)
    api.post(CHECKINS, {"program": program.slug, "mood": 5}, format="json")
    today = CheckIn.objects.get().day
    for days_back in range(1, 20):
        CheckIn.objects.create(
            member=member, program=program, day=today - timedelta(days=days_back), mood=5
        )

    with CaptureQueriesContext(connection) as queries:
        response = api.get(CHECKINS, {"program": program.slug})

    assert response.status_code == 200
    assert_matches_schema(schema, CHECKINS, "get", 200, response.json())
    assert response.json()["count"] == 20
    assert len(queries) <= 3


def test_the_items_a_program_tracks(member, program, api_as, schema):
    response = api_as(member).get(items_path(program))

    assert response.status_code == 200
    assert_matches_schema(
        schema, "/api/v1/programs/{slug}/checkin-items/", "get", 200, response.json()
    )
    assert [item["key"] for item in response.json()["items"]][:3] == [
        "cravings",
        "pain",
        "sleep_hours",
    ]


def test_questionnaires_are_listed_as_due_and_submitted(member, program, api_as, schema):
    path = f"/api/v1/programs/{program.slug}/questionnaires/"
    api = api_as(member)

    listed = api.get(path)
    assert_matches_schema(
        schema, "/api/v1/programs/{slug}/questionnaires/", "get", 200, listed.json()
    )
    assert {q["code"]: q["due"] for q in listed.json()} == {
        "gad7": True,
        "phq9": True,
        "who5": True,
    }

    sent = api.post(path, {"questionnaire": "who5", "answers": [3, 3, 3, 3, 3]}, format="json")
    assert sent.status_code == 201
    assert_matches_schema(
        schema, "/api/v1/programs/{slug}/questionnaires/", "post", 201, sent.json()
    )
    assert (sent.json()["score"], sent.json()["band"]) == (60, "good_wellbeing")


def test_partial_questionnaire_answers_are_refused(member, program, api_as):
    path = f"/api/v1/programs/{program.slug}/questionnaires/"

    response = api_as(member).post(
        path, {"questionnaire": "gad7", "answers": [1, 1, 1]}, format="json"
    )

    assert response.status_code == 400
    assert "Nothing was saved: 4 questions are not answered yet." in response.json()["answers"]
    assert not QuestionnaireResponse.objects.exists()


def test_phq9_item_9_via_the_api_escalates_and_brings_crisis_support(
    member, program, api_as, schema
):
    path = f"/api/v1/programs/{program.slug}/questionnaires/"

    sent = api_as(member).post(
        path, {"questionnaire": "phq9", "answers": [0, 0, 0, 0, 0, 0, 0, 0, 3]}, format="json"
    )

    assert sent.json()["crisis_support"]["level"] == "urgent"
    assert_matches_schema(
        schema, "/api/v1/programs/{slug}/questionnaires/", "post", 201, sent.json()
    )
    assert Escalation.objects.filter(member=member, origin="questionnaire").exists()


def test_own_trends_data(member, program, api_as, schema):
    api = api_as(member)
    api.post(CHECKINS, {"program": program.slug, "mood": 8}, format="json")

    response = api.get(f"/api/v1/programs/{program.slug}/trends/", {"days": 7})

    assert response.status_code == 200
    assert_matches_schema(schema, "/api/v1/programs/{slug}/trends/", "get", 200, response.json())
    mood = next(s for s in response.json()["series"] if s["key"] == "mood")
    assert [p["value"] for p in mood["points"]] == [8.0]
    assert api.get(f"/api/v1/programs/{program.slug}/trends/", {"days": 8}).status_code == 400


def test_member_trends_for_staff_follow_the_consent_at_once(
    member, program, coordinator, api_as, schema
):
    path = f"/api/v1/programs/{program.slug}/members/{member.pk}/trends/"
    api = api_as(coordinator)
    assert api.get(path).status_code == 404

    grant_sharing_consent(
        member, program=program, audience=Audience.STAFF, scopes=[Scope.QUESTIONNAIRES]
    )
    shown = api.get(path)
    assert shown.status_code == 200
    assert_matches_schema(
        schema, "/api/v1/programs/{slug}/members/{member_id}/trends/", "get", 200, shown.json()
    )
    assert {s["key"] for s in shown.json()["series"]} == {"phq9", "gad7", "who5"}

    revoke_sharing_consent(
        member, program=program, audience=Audience.STAFF, scopes=[Scope.QUESTIONNAIRES]
    )
    assert api.get(path).status_code == 404
