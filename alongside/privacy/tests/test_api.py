"""/api/v1/privacy/: one's own consents and who opened one's records, as the schema says."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alongside.core.audit import record_access
from alongside.privacy import access, actions
from alongside.privacy.models import SharingConsent
from alongside.testing import assert_matches_schema, make_person

CONSENTS_URL = reverse("api-privacy-consents")
LOG_URL = reverse("api-privacy-access-log")


def change(program, audience, scope, granted):
    return {"program": program.slug, "audience": audience, "scope": scope, "granted": granted}


def test_get_lists_every_choice_of_my_programs(member, program, api_as, schema):
    actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["checkins"]
    )

    response = api_as(member).get(CONSENTS_URL)

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(schema, CONSENTS_URL, "get", 200, body)
    assert len(body["consents"]) == 8
    granted = [c for c in body["consents"] if c["granted"]]
    assert [(c["program"], c["audience"], c["scope"]) for c in granted] == [
        (program.slug, "supporter", "checkins")
    ]
    assert granted[0]["granted_at"] is not None


def test_put_grants_and_revokes_and_takes_effect_at_once(member, program, api_as, schema):
    actions.grant_sharing_consent(member, program=program, audience="staff", scopes=["goals"])

    response = api_as(member).put(
        CONSENTS_URL,
        {
            "consents": [
                change(program, "supporter", "questionnaires", True),
                change(program, "staff", "goals", False),
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert_matches_schema(schema, CONSENTS_URL, "put", 200, response.json())
    assert access.has_sharing_consent(
        member, program=program, audience="supporter", scope="questionnaires"
    )
    assert not access.has_sharing_consent(member, program=program, audience="staff", scope="goals")
    assert SharingConsent.objects.filter(member=member).count() == 2


def test_put_cannot_touch_another_members_consent(member, program, api_as):
    other = make_person(program, "member")
    actions.grant_sharing_consent(other, program=program, audience="staff", scopes=["checkins"])

    response = api_as(member).put(
        CONSENTS_URL,
        {"member": other.pk, "consents": [change(program, "staff", "checkins", False)]},
        format="json",
    )

    assert response.status_code == 200
    assert access.has_sharing_consent(other, program=program, audience="staff", scope="checkins")


def test_put_for_a_program_i_am_not_in_changes_nothing(member, program, other_program, api_as):
    response = api_as(member).put(
        CONSENTS_URL,
        {
            "consents": [
                change(program, "staff", "checkins", True),
                change(other_program, "staff", "checkins", True),
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    assert "consents" in response.json()
    assert not SharingConsent.objects.exists()


@pytest.mark.parametrize(
    "consents",
    [
        [],
        [{"program": "riverside", "audience": "family", "scope": "checkins", "granted": True}],
        [{"program": "riverside", "audience": "staff", "scope": "diary", "granted": True}],
        [
            {"program": "riverside", "audience": "staff", "scope": "goals", "granted": True},
            {"program": "riverside", "audience": "staff", "scope": "goals", "granted": False},
        ],
    ],
)
def test_put_refuses_bad_input_and_saves_nothing(member, program, api_as, consents):
    response = api_as(member).put(CONSENTS_URL, {"consents": consents}, format="json")

    assert response.status_code == 400
    assert not SharingConsent.objects.exists()


def test_the_access_log_lists_only_my_records(
    member, supporter, on_call_clinician, outsider, program, member_records_opened, api_as, schema
):
    record_access(
        supporter, actor_role="supporter", subject=outsider, obj=outsider.profile, purpose="support"
    )

    response = api_as(member).get(LOG_URL)

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(schema, LOG_URL, "get", 200, body)
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert (newest["who"], newest["role"], newest["emergency_access"]) == (
        on_call_clinician.display_name,
        "Clinician",
        True,
    )
    assert newest["purpose"] == "Emergency access"
    assert (oldest["who"], oldest["role"], oldest["what"], oldest["program"]) == (
        supporter.display_name,
        "Peer supporter",
        "profile",
        program.slug,
    )


def test_the_api_needs_authentication(db):
    assert APIClient().get(CONSENTS_URL).status_code == 401
    assert APIClient().get(LOG_URL).status_code == 401


def test_wrong_methods_are_refused(member, api_as):
    client = api_as(member)
    assert client.post(CONSENTS_URL, {}, format="json").status_code == 405
    assert client.delete(CONSENTS_URL).status_code == 405
    assert client.post(LOG_URL, {}, format="json").status_code == 405


def test_the_schema_documents_the_privacy_endpoints(schema):
    assert set(schema["paths"][CONSENTS_URL]) == {"get", "put"}
    assert set(schema["paths"][LOG_URL]) == {"get"}


def test_the_access_log_query_count_does_not_grow(
    member, program, api_as, django_assert_num_queries
):
    client = api_as(member)

    def open_by_new_viewer():
        viewer = make_person(program, "supporter")
        record_access(
            viewer,
            actor_role="supporter",
            subject=member,
            obj=member.profile,
            purpose="support",
            program=program,
        )

    open_by_new_viewer()
    # count, then one page with actors' profiles and programs joined
    with django_assert_num_queries(2):
        client.get(LOG_URL)
    for _ in range(4):
        open_by_new_viewer()
    with django_assert_num_queries(2):
        assert client.get(LOG_URL).json()["count"] == 5
