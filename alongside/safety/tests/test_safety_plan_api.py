"""/api/v1/me/safety-plan/ and /api/v1/crisis-resources/, as the schema says."""

import pytest
from django.urls import reverse

from alongside.safety import actions
from alongside.safety.models import SAFETY_PLAN_SECTIONS, SafetyPlan
from alongside.testing import assert_matches_schema

PLAN_URL = reverse("api-me-safety-plan")
RESOURCES_URL = reverse("api-crisis-resources")


def full_plan(**changes):
    return {**{name: f"My {name}" for name in SAFETY_PLAN_SECTIONS}, **changes}


def test_get_before_starting_gives_every_section_empty(member, api_as, schema):
    response = api_as(member).get(PLAN_URL)

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(schema, PLAN_URL, "get", 200, body)
    assert all(body[name] == "" for name in SAFETY_PLAN_SECTIONS)
    assert body["updated_at"] is None
    assert not SafetyPlan.objects.exists()


def test_put_saves_the_plan_and_get_reads_it_back(member, api_as, schema):
    client = api_as(member)

    response = client.put(PLAN_URL, full_plan(reasons_to_live="  My kids "), format="json")

    assert response.status_code == 200
    assert_matches_schema(schema, PLAN_URL, "put", 200, response.json())
    body = client.get(PLAN_URL).json()
    assert body["reasons_to_live"] == "My kids"
    assert body["updated_at"] is not None
    assert SafetyPlan.objects.get(member=member).warning_signs == "My warning_signs"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"warning_signs": "only one section"},
        full_plan(distractions="x" * 4001),
        full_plan(people_to_ask=None),
        full_plan(professionals=["a list"]),
    ],
)
def test_put_refuses_bad_input_and_saves_nothing(member, api_as, body):
    actions.save_safety_plan(member, sections={"warning_signs": "as it was"})

    response = api_as(member).put(PLAN_URL, body, format="json")

    assert response.status_code == 400
    assert SafetyPlan.objects.get().warning_signs == "as it was"


def test_put_cannot_write_someone_elses_plan(member, supporter, api_as):
    response = api_as(supporter).put(PLAN_URL, {**full_plan(), "member": member.pk}, format="json")

    assert response.status_code == 200
    assert SafetyPlan.objects.get().member == supporter


def test_the_plan_api_needs_sign_in_and_refuses_post(client, member, api_as, db):
    assert client.get(PLAN_URL).status_code == 401
    assert api_as(member).post(PLAN_URL, full_plan(), format="json").status_code == 405


def test_crisis_resources_are_the_members_own_program_line_first(member, program, api_as, schema):
    program.crisis_line_name = "Riverside night line"
    program.crisis_line_phone = "555 0100"
    program.save()

    response = api_as(member).get(RESOURCES_URL)

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(schema, RESOURCES_URL, "get", 200, body)
    assert [line["name"] for line in body["lines"]][:2] == [
        "Riverside night line",
        "988 Suicide & Crisis Lifeline",
    ]
    assert body["lines"][0]["from_program"] is True
    assert body["emergency_number"] == "911"


def test_crisis_resources_of_another_country(member, api_as, schema):
    body = api_as(member).get(RESOURCES_URL, {"country": "mx"}).json()

    assert_matches_schema(schema, RESOURCES_URL, "get", 200, body)
    assert body["country"] == "MX"
    assert [line["phone"] for line in body["lines"]] == ["800 911 2000"]
    assert body["lines"][0]["from_program"] is False


def test_a_country_without_lines_points_to_findahelpline(member, api_as, schema):
    body = api_as(member).get(RESOURCES_URL, {"country": "JP"}).json()

    assert_matches_schema(schema, RESOURCES_URL, "get", 200, body)
    assert body["country"] is None
    assert body["lines"] == []
    assert body["emergency_number"] == ""
    assert body["fallback_url"] == "https://findahelpline.com"


@pytest.mark.parametrize("country", ["", "USA", "1", "<b>"])
def test_a_malformed_country_is_refused(member, api_as, country):
    response = api_as(member).get(RESOURCES_URL, {"country": country})

    assert response.status_code == 400
    assert "country" in response.json()


def test_someone_in_no_program_gets_the_default_countrys_lines(supporter, admin_user, api_as):
    body = api_as(admin_user).get(RESOURCES_URL).json()

    assert body["country"] == "US"
    assert body["lines"][0]["from_program"] is False


def test_crisis_resources_need_sign_in_and_refuse_post(client, member, api_as, db):
    assert client.get(RESOURCES_URL).status_code == 401
    assert api_as(member).post(RESOURCES_URL).status_code == 405
