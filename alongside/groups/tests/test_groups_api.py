"""The groups API, each answer checked against the OpenAPI schema."""

from datetime import timedelta

import pytest

from alongside.groups.forms import occurrence_key
from alongside.groups.models import RSVP, Attendance
from alongside.groups.tests.conftest import FIRST_MEETING_UTC
from alongside.testing import assert_matches_schema

GROUPS = "/api/v1/groups/"
GROUP = "/api/v1/groups/{program}/{group}/"
JOIN = GROUP + "join/"
MEETING = GROUP + "meetings/{meeting}/"
OCCURRENCES = MEETING + "occurrences/"
RSVP_URL = MEETING + "rsvps/{occurrence}/"
ATTENDANCE = MEETING + "attendance/{occurrence}/"
KEY = occurrence_key(FIRST_MEETING_UTC)


def url(template, meeting=None, group=None, **parts):
    group = group or meeting.group
    names = {"program": group.program.slug, "group": group.slug}
    if meeting is not None:
        names["meeting"] = meeting.slug
    return template.format(**names, **parts)


def test_a_member_lists_groups_and_opens_one(group, meeting, member, api_as, schema):
    api = api_as(member)

    listed = api.get(GROUPS)
    opened = api.get(url(GROUP, group=group))

    assert_matches_schema(schema, GROUPS, "get", 200, listed.json())
    assert [g["slug"] for g in listed.json()["results"]] == [group.slug]
    assert_matches_schema(schema, GROUP, "get", 200, opened.json())
    body = opened.json()
    assert body["membership"] is None
    assert body["meetings"][0]["rule"] == "FREQ=WEEKLY;BYDAY=TU"


def test_an_outsider_cannot_list_or_join_another_programs_groups(group, outsider, api_as):
    api = api_as(outsider)

    assert api.get(GROUPS).json()["results"] == []
    assert api.post(url(JOIN, group=group)).status_code == 404


def test_joining_answers_with_the_place_taken(group, member, api_as, schema):
    response = api_as(member).post(url(JOIN, group=group))

    assert response.status_code == 200
    assert_matches_schema(schema, JOIN, "post", 200, response.json())
    assert response.json() == {"membership": "approved"}


def test_occurrences_come_in_utc_with_rsvps_marked(meeting, joined, api_as, schema):
    api = api_as(joined)
    api.put(url(RSVP_URL, meeting, occurrence=KEY))

    response = api.get(url(OCCURRENCES, meeting), {"to": "2026-01-20T00:00:00Z"})

    assert_matches_schema(schema, OCCURRENCES, "get", 200, response.json())
    rows = response.json()
    assert [row["occurrence"] for row in rows] == [KEY, "20260114T000000Z"]
    assert [row["attending"] for row in rows] == [True, False]


def test_a_window_longer_than_a_year_is_refused(meeting, joined, api_as):
    response = api_as(joined).get(
        url(OCCURRENCES, meeting), {"from": "2026-01-01T00:00:00Z", "to": "2028-01-01T00:00:00Z"}
    )

    assert response.status_code == 400
    assert "to" in response.json()


def test_rsvp_and_withdraw(meeting, joined, api_as, schema):
    api = api_as(joined)

    going = api.put(url(RSVP_URL, meeting, occurrence=KEY))
    assert_matches_schema(schema, RSVP_URL, "put", 200, going.json())
    assert RSVP.objects.count() == 1
    not_going = api.delete(url(RSVP_URL, meeting, occurrence=KEY))

    assert_matches_schema(schema, RSVP_URL, "delete", 200, not_going.json())
    assert not RSVP.objects.exists()


@pytest.mark.parametrize("person", ["supporter", "outsider"])
def test_people_outside_the_group_cannot_rsvp(person, meeting, api_as, request):
    response = api_as(request.getfixturevalue(person)).put(url(RSVP_URL, meeting, occurrence=KEY))

    assert response.status_code == 404


def test_an_unknown_occurrence_is_not_found(meeting, joined, api_as):
    response = api_as(joined).put(url(RSVP_URL, meeting, occurrence="20260107T010000Z"))

    assert response.status_code == 404


def test_the_facilitator_takes_attendance(
    meeting, joined, facilitator, api_as, schema, time_machine
):
    time_machine.move_to(FIRST_MEETING_UTC + timedelta(minutes=20), tick=False)
    api = api_as(facilitator)

    response = api.put(
        url(ATTENDANCE, meeting, occurrence=KEY), {"present": [joined.pk]}, format="json"
    )
    sheet = api.get(url(ATTENDANCE, meeting, occurrence=KEY))

    assert_matches_schema(schema, ATTENDANCE, "put", 200, response.json())
    assert_matches_schema(schema, ATTENDANCE, "get", 200, sheet.json())
    assert [p["id"] for p in sheet.json()["present"]] == [joined.pk]
    assert Attendance.objects.get().recorded_by == facilitator


def test_attendance_of_non_members_is_refused(
    meeting, joined, facilitator, supporter, api_as, time_machine
):
    time_machine.move_to(FIRST_MEETING_UTC + timedelta(minutes=20), tick=False)

    response = api_as(facilitator).put(
        url(ATTENDANCE, meeting, occurrence=KEY), {"present": [supporter.pk]}, format="json"
    )

    assert response.status_code == 400
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("person", ["joined", "outsider"])
def test_attendance_is_for_those_who_run_the_group(person, meeting, api_as, request):
    response = api_as(request.getfixturevalue(person)).get(url(ATTENDANCE, meeting, occurrence=KEY))

    assert response.status_code == 404


def test_the_group_list_query_count_is_fixed(group, member, api_as, django_assert_num_queries):
    api = api_as(member)
    api.get(GROUPS)

    with django_assert_num_queries(5):
        api.get(GROUPS)
