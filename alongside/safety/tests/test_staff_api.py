"""/api/v1/programs/<slug>/escalations/, on-call-shifts/ and concerns/, as the schema says."""

from datetime import timedelta

import pytest
from django.urls import reverse

from alongside.core.models import AccessLogEntry
from alongside.safety import actions
from alongside.safety.models import Escalation, Flag, OnCallShift, State
from alongside.safety.tests.escalation_helpers import (
    advance_to,
    escalation_from_anonymous_post,
    open_for,
    put_on_call,
)
from alongside.testing import assert_matches_schema, make_person


def url(name, program, **kwargs):
    return reverse(name, kwargs={"slug": program.slug, **kwargs})


def schema_path(name, **placeholders):
    """The schema's path for a URL name, with {slug}-style placeholders."""
    path = reverse(name, kwargs={key: 0 if key.endswith("id") else "x" for key in placeholders})
    for key in placeholders:
        path = path.replace("/0/" if key.endswith("id") else "/x/", "/{" + key + "}/", 1)
    return path


def test_the_list_is_open_first_and_matches_the_schema(
    member, coordinator, on_call_clinician, program, api_as, schema
):
    advance_to(open_for(member, program), "closed", on_call_clinician)
    waiting = open_for(member, program)

    response = api_as(coordinator).get(url("api-safety-escalations", program))

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(schema, schema_path("api-safety-escalations", slug=1), "get", 200, body)
    assert body["results"][0]["id"] == waiting.pk
    assert body["results"][0]["member"]["display_name"] == member.display_name
    assert AccessLogEntry.objects.filter(actor=coordinator).count() == 2


def test_the_detail_has_the_timeline_and_is_logged(
    member, coordinator, on_call_clinician, program, api_as, schema
):
    escalation = open_for(member, program, message="please")
    name = "api-safety-escalation"

    response = api_as(on_call_clinician).get(url(name, program, escalation_id=escalation.pk))

    body = response.json()
    assert_matches_schema(schema, schema_path(name, slug=1, escalation_id=1), "get", 200, body)
    assert body["member_message"] == "please"
    assert [event["kind"] for event in body["events"]] == ["flagged"]
    assert (body["flagged_words"], body["flagged_as_a_whole"]) == ([], False)
    assert AccessLogEntry.objects.get().subject == member


def test_the_detail_of_one_opened_by_screening_quotes_the_flagged_words(
    member, on_call_clinician, program, api_as, schema
):
    text = "I wrote a goodbye letter to my kids and I have the pills ready."
    screened = actions.screen_writing(member, program=program, path="checkins.note", text=text)
    assert screened.escalation is not None
    name = "api-safety-escalation"

    body = (
        api_as(on_call_clinician)
        .get(url(name, program, escalation_id=screened.escalation.pk))
        .json()
    )

    assert_matches_schema(schema, schema_path(name, slug=1, escalation_id=1), "get", 200, body)
    assert body["flagged_words"] == ["wrote a goodbye letter", "I have the pills ready"]
    assert body["origin"] == "screening"


def test_the_whole_path_through_the_api(member, on_call_clinician, program, api_as, schema):
    escalation = open_for(member, program)
    client = api_as(on_call_clinician)
    steps = [
        ("api-safety-escalation-acknowledge", {}),
        ("api-safety-escalation-contact", {"note": "Phoned."}),
        ("api-safety-escalation-outcome", {"outcome": "safe", "note": ""}),
        ("api-safety-escalation-note", {"note": "Will call tomorrow."}),
        ("api-safety-escalation-close", {}),
    ]
    for name, data in steps:
        response = client.post(url(name, program, escalation_id=escalation.pk), data, format="json")
        assert response.status_code == 200, (name, response.json())
        assert_matches_schema(
            schema, schema_path(name, slug=1, escalation_id=1), "post", 200, response.json()
        )

    assert response.json()["state"] == State.CLOSED
    assert [event["kind"] for event in response.json()["events"]] == [
        "flagged",
        "acknowledged",
        "contacted",
        "outcome",
        "note",
        "closed",
    ]


def test_the_second_acknowledgement_is_a_400_naming_who_has_it(
    member, on_call_clinician, coordinator, program, api_as
):
    escalation = advance_to(open_for(member, program), "acknowledged", on_call_clinician)

    response = api_as(coordinator).post(
        url("api-safety-escalation-acknowledge", program, escalation_id=escalation.pk)
    )

    assert response.status_code == 400
    assert on_call_clinician.display_name in response.json()["detail"][0]


def test_an_unknown_outcome_is_a_400(member, on_call_clinician, program, api_as):
    escalation = advance_to(open_for(member, program), "acknowledged", on_call_clinician)

    response = api_as(on_call_clinician).post(
        url("api-safety-escalation-outcome", program, escalation_id=escalation.pk),
        {"outcome": "meh"},
        format="json",
    )

    assert response.status_code == 400
    assert Escalation.objects.get().state == State.ACKNOWLEDGED


@pytest.mark.parametrize("role", ["member", "supporter", "moderator"])
def test_escalations_are_404_for_other_roles(role, member, program, api_as):
    escalation = open_for(member, program)
    client = api_as(make_person(program, role))

    assert client.get(url("api-safety-escalations", program)).status_code == 404
    assert (
        client.post(
            url("api-safety-escalation-acknowledge", program, escalation_id=escalation.pk)
        ).status_code
        == 404
    )


def test_an_outsider_gets_404(outsider, member, program, api_as):
    open_for(member, program)

    assert api_as(outsider).get(url("api-safety-escalations", program)).status_code == 404


def test_shifts_are_listed_added_and_removed(
    coordinator, on_call_clinician, program, api_as, schema
):
    client = api_as(coordinator)
    created = client.post(
        url("api-safety-shifts", program),
        {
            "person": on_call_clinician.pk,
            "starts_at": "2030-03-08T20:00:00-05:00",
            "ends_at": "2030-03-09T08:00:00-04:00",
            "position": 1,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    listed = client.get(url("api-safety-shifts", program))

    shifts_path = schema_path("api-safety-shifts", slug=1)
    assert_matches_schema(schema, shifts_path, "post", 201, created.json())
    assert_matches_schema(schema, shifts_path, "get", 200, listed.json())
    assert [shift["person_name"] for shift in listed.json()["results"]] == [
        on_call_clinician.display_name
    ]
    shift = OnCallShift.objects.get()
    assert shift.ends_at - shift.starts_at == timedelta(hours=11)

    deleted = client.delete(url("api-safety-shift", program, shift_id=shift.pk))
    assert deleted.status_code == 204
    assert not OnCallShift.objects.exists()


def test_a_shift_for_a_member_is_a_400(coordinator, member, program, api_as):
    response = api_as(coordinator).post(
        url("api-safety-shifts", program),
        {"person": member.pk, "starts_at": "2030-01-01T08:00Z", "ends_at": "2030-01-01T20:00Z"},
        format="json",
    )

    assert response.status_code == 400
    assert "person" in response.json()


def test_a_clinician_reads_the_roster_but_cannot_change_it(on_call_clinician, program, api_as):
    shift = put_on_call(program, on_call_clinician)
    client = api_as(on_call_clinician)

    assert client.get(url("api-safety-shifts", program)).status_code == 200
    assert client.delete(url("api-safety-shift", program, shift_id=shift.pk)).status_code == 404
    assert (
        client.post(
            url("api-safety-shifts", program),
            {
                "person": on_call_clinician.pk,
                "starts_at": "2030-01-01T08:00Z",
                "ends_at": "2030-01-01T20:00Z",
            },
            format="json",
        ).status_code
        == 404
    )


def test_concerns_are_listed_and_reviewed(member, moderator, program, api_as, schema):
    flag = Flag.objects.create(
        program=program,
        author=member,
        writing_path="safety.help_now",
        level="concern",
        categories=["self_harm"],
    )
    client = api_as(moderator)

    listed = client.get(url("api-safety-concerns", program))
    reviewed = client.post(
        url("api-safety-concern-review", program, flag_id=flag.pk), {"note": "ok"}, format="json"
    )
    again = client.post(url("api-safety-concern-review", program, flag_id=flag.pk))

    assert_matches_schema(
        schema, schema_path("api-safety-concerns", slug=1), "get", 200, listed.json()
    )
    assert_matches_schema(
        schema,
        schema_path("api-safety-concern-review", slug=1, flag_id=1),
        "post",
        200,
        reviewed.json(),
    )
    assert listed.json()["results"][0]["id"] == flag.pk
    assert reviewed.json()["reviewed_at"] is not None
    assert again.status_code == 400


def test_concerns_are_404_for_supporters(supporter, program, api_as):
    assert api_as(supporter).get(url("api-safety-concerns", program)).status_code == 404


def test_the_detail_does_not_quote_what_was_written_anonymously(
    member, on_call_clinician, program, api_as
):
    escalation = escalation_from_anonymous_post(member, program)

    body = (
        api_as(on_call_clinician)
        .get(url("api-safety-escalation", program, escalation_id=escalation.pk))
        .json()
    )

    assert (body["flagged_words"], body["flagged_as_a_whole"]) == ([], False)
    assert "wrote my note" not in str(body)
