"""The pairing API: the same rules as the pages, answers as the OpenAPI schema promises."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.pairing.models import Pairing, State
from alongside.testing import assert_matches_schema, make_person, make_supporter_profile

PROFILE = "/api/v1/pairing/programs/{slug}/supporter-profile/"
REQUEST = "/api/v1/pairing/programs/{slug}/match-request/"
PROGRAM_PAIRINGS = "/api/v1/pairing/programs/{slug}/pairings/"
MATCHES = "/api/v1/pairing/programs/{slug}/members/{member_id}/matches/"
OWN = "/api/v1/pairing/pairings/"
ONE = "/api/v1/pairing/pairings/{pairing_id}/"
STEP = "/api/v1/pairing/pairings/{pairing_id}/{step}/"
SESSIONS = "/api/v1/pairing/pairings/{pairing_id}/sessions/"


def test_a_supporter_puts_and_gets_their_profile(program, supporter, api_as, schema):
    client = api_as(supporter)
    assert client.get(PROFILE.format(slug=program.slug)).status_code == 404

    response = client.put(
        PROFILE.format(slug=program.slug),
        {
            "areas": ["alcohol"],
            "experiences": ["alcohol"],
            "years_in_recovery": "2.5",
            "availability": [18, 19],
            "modalities": ["phone"],
            "identities": ["parent"],
            "capacity": 2,
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert_matches_schema(schema, PROFILE.replace("{slug}", "{slug}"), "put", 200, response.json())
    body = client.get(PROFILE.format(slug=program.slug)).json()
    assert body["status"] == "pending" and body["areas"] == ["alcohol"]
    assert_matches_schema(
        schema, "/api/v1/pairing/programs/{slug}/supporter-profile/", "get", 200, body
    )


def test_a_member_cannot_have_a_supporter_profile(program, member, api_as):
    assert (
        api_as(member).put(PROFILE.format(slug=program.slug), {}, format="json").status_code == 404
    )


def test_a_member_asks_for_a_supporter(program, member, api_as, schema):
    response = api_as(member).put(
        REQUEST.format(slug=program.slug),
        {"languages": ["en"], "identity_preferences": {"veteran": "required"}},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["wants_supporter"] is True
    assert_matches_schema(
        schema, "/api/v1/pairing/programs/{slug}/match-request/", "put", 200, response.json()
    )


def test_a_request_with_a_wrong_identity_preference_is_400(program, member, api_as):
    response = api_as(member).put(
        REQUEST.format(slug=program.slug),
        {"languages": ["en"], "identity_preferences": {"veteran": "maybe"}},
        format="json",
    )

    assert response.status_code == 400


def test_the_coordinator_proposes_and_both_sides_accept(
    program, approved_supporter, waiting_member, coordinator, api_as, schema
):
    response = api_as(coordinator).post(
        PROGRAM_PAIRINGS.format(slug=program.slug),
        {"member": waiting_member.pk, "supporter": approved_supporter.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert_matches_schema(
        schema, "/api/v1/pairing/programs/{slug}/pairings/", "post", 201, response.json()
    )
    pairing_id = response.json()["id"]

    for person in (waiting_member, approved_supporter):
        response = api_as(person).post(
            STEP.format(pairing_id=pairing_id, step="accept"),
            {"boundaries_accepted": True},
            format="json",
        )
        assert response.status_code == 200, response.json()

    body = response.json()
    assert body["pairing"]["state"] == "active"
    assert "crisis_support" not in body
    assert_matches_schema(
        schema, "/api/v1/pairing/pairings/{pairing_id}/accept/", "post", 200, body
    )


def test_an_illegal_step_is_400_with_the_message(pairing_in, member, api_as):
    pairing = pairing_in("proposed")

    response = api_as(member).post(STEP.format(pairing_id=pairing.pk, step="resume"))

    assert response.status_code == 400
    assert "only a paused one is resumed" in response.json()["detail"][0]


def test_a_proposal_the_filters_forbid_is_400(program, approved_supporter, coordinator, api_as):
    foreigner = make_person(program, "member")

    response = api_as(coordinator).post(
        PROGRAM_PAIRINGS.format(slug=program.slug),
        {"member": foreigner.pk, "supporter": approved_supporter.pk},
        format="json",
    )

    assert response.status_code == 400
    assert "not waiting for a supporter" in response.json()["detail"][0]


def test_a_rematch_with_crisis_words_answers_with_crisis_support(
    pairing_in, member, api_as, schema
):
    pairing = pairing_in("active")

    response = api_as(member).post(
        STEP.format(pairing_id=pairing.pk, step="rematch"),
        {"feedback": "I want to kill myself tonight, I can't do this anymore."},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["crisis_support"]["level"] == "urgent"
    assert_matches_schema(
        schema, "/api/v1/pairing/pairings/{pairing_id}/rematch/", "post", 200, body
    )


def test_the_supporter_sees_a_members_closing_as_their_request(
    pairing_in, member, supporter, api_as
):
    pairing = pairing_in("active")
    api_as(member).post(
        STEP.format(pairing_id=pairing.pk, step="close"), {"reason": "not_a_fit"}, format="json"
    )

    assert api_as(supporter).get(ONE.format(pairing_id=pairing.pk)).json()["close_reason"] == (
        "member_request"
    )
    assert (
        api_as(member).get(ONE.format(pairing_id=pairing.pk)).json()["close_reason"] == "not_a_fit"
    )


def test_own_and_program_pairing_lists(pairing_in, member, coordinator, program, api_as, schema):
    pairing_in("paused")

    own = api_as(member).get(OWN).json()
    listed = api_as(coordinator).get(
        PROGRAM_PAIRINGS.format(slug=program.slug), {"state": "paused"}
    )

    assert [p["state"] for p in own["results"]] == ["paused"]
    assert_matches_schema(schema, "/api/v1/pairing/pairings/", "get", 200, own)
    assert listed.json()["count"] == 1
    assert_matches_schema(
        schema, "/api/v1/pairing/programs/{slug}/pairings/", "get", 200, listed.json()
    )


@pytest.mark.parametrize("person", ["member", "supporter", "outsider"])
def test_the_program_list_is_for_coordinators_only(person, request, program, api_as):
    user = request.getfixturevalue(person)

    assert api_as(user).get(PROGRAM_PAIRINGS.format(slug=program.slug)).status_code == 404


def test_a_pairing_is_404_for_people_outside_it(pairing_in, outsider, program, api_as):
    pairing = pairing_in("active")
    other = make_person(program, "member")

    for person in (other, outsider):
        assert api_as(person).get(ONE.format(pairing_id=pairing.pk)).status_code == 404
        assert (
            api_as(person).post(STEP.format(pairing_id=pairing.pk, step="pause")).status_code == 404
        )
    assert Pairing.objects.get().state == State.ACTIVE


def test_the_supporter_logs_and_lists_sessions(pairing_in, supporter, member, api_as, schema):
    pairing = pairing_in("active")
    path = SESSIONS.format(pairing_id=pairing.pk)

    created = api_as(supporter).post(
        path,
        {
            "date": timezone.localdate().isoformat(),
            "duration_minutes": 30,
            "modality": "video",
            "topics": ["goals"],
            "notes": "Fine.",
        },
        format="json",
    )
    listed = api_as(supporter).get(path)

    assert created.status_code == 201, created.json()
    assert_matches_schema(
        schema, "/api/v1/pairing/pairings/{pairing_id}/sessions/", "post", 201, created.json()
    )
    assert listed.json()["results"][0]["notes"] == "Fine."
    assert_matches_schema(
        schema, "/api/v1/pairing/pairings/{pairing_id}/sessions/", "get", 200, listed.json()
    )
    assert api_as(member).get(path).status_code == 404


def test_matches_for_a_waiting_member_with_reasons(
    program, approved_supporter, waiting_member, coordinator, api_as, schema
):
    other = make_person(program, "supporter")
    make_supporter_profile(other, program, coordinator, languages=["es"])

    response = api_as(coordinator).get(
        MATCHES.format(slug=program.slug, member_id=waiting_member.pk)
    )

    assert response.status_code == 200
    body = response.json()
    assert [m["supporter"]["id"] for m in body] == [approved_supporter.pk]
    assert abs(sum(r["contribution"] for r in body[0]["reasons"]) - body[0]["score"]) < 1e-9
    assert_matches_schema(
        schema, "/api/v1/pairing/programs/{slug}/members/{member_id}/matches/", "get", 200, body
    )


def test_coordinators_get_each_pairings_contact_figures(
    pairing_in, program, supporter, coordinator, api_as, schema
):
    pairing = pairing_in("active")
    Pairing.objects.filter(pk=pairing.pk).update(started_at=timezone.now() - timedelta(weeks=3))
    for days_ago in range(6):
        pairing.session_logs.create(
            date=timezone.localdate() - timedelta(days=days_ago * 3),
            duration_minutes=30,
            modality="phone",
        )

    body = api_as(coordinator).get(PROGRAM_PAIRINGS.format(slug=program.slug)).json()

    assert_matches_schema(schema, "/api/v1/pairing/programs/{slug}/pairings/", "get", 200, body)
    (row,) = body["results"]
    assert (row["days"], row["sessions"], row["sessions_per_week"]) == (21, 6, 2.0)
