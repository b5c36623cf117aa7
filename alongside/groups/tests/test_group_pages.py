"""Groups and meetings through their pages: success, wrong method, wrong role, outsider."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.groups import actions
from alongside.groups.forms import occurrence_key
from alongside.groups.models import RSVP, Attendance, Group, Meeting, MembershipStatus
from alongside.groups.tests.conftest import FIRST_MEETING_UTC, start_group

KEY = occurrence_key(FIRST_MEETING_UTC)


def group_url(name, group, *more):
    return reverse(f"groups:{name}", args=[group.program.slug, group.slug, *more])


def meeting_url(name, meeting, *more):
    return reverse(
        f"groups:{name}", args=[meeting.program.slug, meeting.group.slug, meeting.slug, *more]
    )


def group_form(facilitator=None, **changes):
    data = {
        "name": "Morning Light",
        "slug": "morning-light",
        "description": "Coffee and company.",
        "format": "hybrid",
        "languages": ["en", "es"],
        "is_open": "on",
        "accessibility": ["wheelchair", "asl"],
        "is_free": "on",
        "time_zone": "America/Chicago",
        "is_published": "on",
    }
    if facilitator:
        data["facilitators"] = [facilitator.pk]
    return data | changes


def test_a_coordinator_starts_a_group_and_lands_on_its_page(
    coordinator, facilitator, program, client_of
):
    response = client_of(coordinator).post(
        reverse("groups:create", args=[program.slug]), group_form(facilitator), follow=True
    )

    group = Group.objects.get()
    assert (group.program, group.time_zone, group.format) == (program, "America/Chicago", "hybrid")
    assert list(group.facilitators.all()) == [facilitator]
    assert group.accessibility == ["wheelchair", "asl"]
    assert "Morning Light" in response.content.decode()


def test_a_group_form_with_a_missing_fee_says_so_and_saves_nothing(coordinator, program, client_of):
    response = client_of(coordinator).post(
        reverse("groups:create", args=[program.slug]), group_form(is_free="")
    )

    assert response.status_code == 200
    assert "Say what the fee is, or mark the group free." in response.content.decode()
    assert not Group.objects.exists()


@pytest.mark.parametrize("person", ["member", "facilitator", "outsider"])
def test_only_coordinators_open_the_new_group_page(person, program, client_of, request):
    response = client_of(request.getfixturevalue(person)).get(
        reverse("groups:create", args=[program.slug])
    )

    assert response.status_code == 404


def test_a_published_group_is_public(group, meeting, client):
    response = client.get(group_url("detail", group))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tuesday Evening Circle" in page and "Sign in to join" in page


def test_the_group_page_names_languages_and_accessibility_in_words(group, client):
    page = client.get(group_url("detail", group)).content.decode()

    assert "English" in page and "Wheelchair accessible" in page
    assert "<dd>en</dd>" not in page and "<li>wheelchair</li>" not in page


def test_an_unpublished_group_is_hidden_from_the_public_and_other_programs(
    coordinator, program, facilitator, client, client_of, outsider, member
):
    group = start_group(coordinator, program, facilitator, is_published=False)

    assert client.get(group_url("detail", group)).status_code == 302
    assert client_of(outsider).get(group_url("detail", group)).status_code == 404
    assert client_of(member).get(group_url("detail", group)).status_code == 404
    assert client_of(facilitator).get(group_url("detail", group)).status_code == 200


def test_the_group_page_rejects_post(group, client_of, member):
    assert client_of(member).post(group_url("detail", group)).status_code == 405


def test_upcoming_meetings_are_shown_in_the_viewers_time_zone(meeting, member, client_of):
    member.profile.time_zone = "Europe/London"
    member.profile.save()

    page = client_of(member).get(group_url("detail", meeting.group)).content.decode()

    # 19:00 on Tuesday in New York is midnight on Wednesday in London.
    assert "Wednesday 7 January, 00:00" in page
    assert "The group meets on America/New_York time." in page


def test_the_group_page_query_count_does_not_grow_with_meetings(
    group, meeting, facilitator, member, client_of
):
    client = client_of(member)
    client.get(group_url("detail", group))
    with CaptureQueriesContext(connection) as one_meeting:
        client.get(group_url("detail", group))
    for number in range(3):
        extra = actions.save_meeting(
            facilitator,
            group=group,
            fields={
                "name": f"Extra {number}",
                "slug": f"extra-{number}",
                "starts_on": meeting.starts_on,
                "start_time": meeting.start_time,
                "rule": "FREQ=WEEKLY",
            },
        )
        actions.add_exception(facilitator, meeting=extra, day=meeting.starts_on)

    with CaptureQueriesContext(connection) as four_meetings:
        response = client.get(group_url("detail", group))

    assert response.content.decode().count("Extra 0") >= 1
    assert len(four_meetings) == len(one_meeting) == 14


def test_the_group_list_query_count_is_fixed(
    coordinator, program, member, client_of, django_assert_num_queries
):
    for number in range(4):
        start_group(coordinator, program, slug=f"group-{number}", name=f"Group {number}")
    client = client_of(member)
    client.get(reverse("groups:list"))

    with django_assert_num_queries(10):
        response = client.get(reverse("groups:list"))

    assert response.content.decode().count("group-card__name") == 4


def test_a_member_joins_from_the_group_page(group, member, client_of):
    response = client_of(member).post(group_url("join", group), follow=True)

    assert "You joined the group." in response.content.decode()
    assert group.memberships.get(user=member).status == MembershipStatus.APPROVED


def test_joining_needs_post_and_a_program_place(group, member, outsider, client_of):
    assert client_of(member).get(group_url("join", group)).status_code == 405
    assert client_of(outsider).post(group_url("join", group)).status_code == 404


def test_a_facilitator_approves_a_request_from_the_members_page(
    coordinator, program, facilitator, member, client_of
):
    group = start_group(coordinator, program, facilitator, is_open=False)
    membership = actions.join_group(member, group=group)
    client = client_of(facilitator)

    assert member.display_name in client.get(group_url("members", group)).content.decode()
    client.post(group_url("decide", group, membership.pk), {"decision": "approve"})

    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED


@pytest.mark.parametrize("person", ["member", "supporter", "outsider"])
def test_only_those_who_run_the_group_see_members_or_edit(person, group, client_of, request):
    client = client_of(request.getfixturevalue(person))

    assert client.get(group_url("members", group)).status_code == 404
    assert client.get(group_url("edit", group)).status_code == 404
    assert client.post(group_url("announce", group), {"body": "Hi"}).status_code == 404


def test_a_facilitator_edits_the_group_but_not_who_facilitates(group, facilitator, client_of):
    client = client_of(facilitator)
    form = client.get(group_url("edit", group)).context["form"]
    assert "facilitators" not in form.fields

    client.post(group_url("edit", group), group_form(name="Renamed", slug=group.slug))

    group.refresh_from_db()
    assert group.name == "Renamed"
    assert list(group.facilitators.all()) == [facilitator]


def test_members_read_announcements_the_public_does_not(
    group, joined, facilitator, client, client_of
):
    client_of(facilitator).post(group_url("announce", group), {"body": "No meeting on the 4th."})

    assert (
        "No meeting on the 4th."
        in client_of(joined).get(group_url("detail", group)).content.decode()
    )
    client.logout()
    assert "No meeting on the 4th." not in client.get(group_url("detail", group)).content.decode()


def test_a_facilitator_adds_a_meeting(group, facilitator, client_of):
    response = client_of(facilitator).post(
        group_url("meeting_create", group),
        {
            "name": "Second Tuesday",
            "slug": "second-tuesday",
            "starts_on": "2026-01-13",
            "start_time": "18:30",
            "rule": "FREQ=MONTHLY;BYDAY=2TU",
            "duration_minutes": "90",
            "country": "US",
            "types": "o, d",
        },
        follow=True,
    )

    meeting = Meeting.objects.get()
    assert meeting.duration == timedelta(minutes=90)
    assert meeting.types == ["O", "D"]
    assert "Second Tuesday" in response.content.decode()


def test_a_bad_rule_is_shown_next_to_the_field(group, facilitator, client_of):
    response = client_of(facilitator).post(
        group_url("meeting_create", group),
        {
            "name": "Hourly",
            "slug": "hourly",
            "starts_on": "2026-01-13",
            "start_time": "18:30",
            "rule": "FREQ=HOURLY",
            "duration_minutes": "60",
        },
    )

    assert response.status_code == 200
    assert "This is not a repeat rule we can read." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_facilitator_cancels_a_date_from_the_meeting_page(meeting, facilitator, client_of):
    client = client_of(facilitator)

    client.post(meeting_url("exception_add", meeting), {"day": "2026-01-06", "change": "cancel"})

    page = client.get(meeting_url("meeting", meeting)).content.decode()
    assert "Tuesday 6 January" not in page.split("schedule-heading")[0]
    assert meeting.exceptions.get().is_cancelled


@pytest.mark.parametrize("person", ["member", "outsider"])
def test_schedule_changes_are_for_those_who_run_the_group(person, meeting, client_of, request):
    client = client_of(request.getfixturevalue(person))

    response = client.post(
        meeting_url("exception_add", meeting), {"day": "2026-01-06", "change": "cancel"}
    )

    assert response.status_code == 404
    assert client.get(meeting_url("meeting_edit", meeting)).status_code == 404


def test_a_member_rsvps_from_the_meeting_page(meeting, joined, client_of):
    client = client_of(joined)

    response = client.post(meeting_url("rsvp", meeting, KEY), follow=True)

    assert "You are going" in response.content.decode()
    assert RSVP.objects.get().occurrence_start == FIRST_MEETING_UTC


def test_rsvp_needs_post_and_a_group_place(meeting, member, outsider, client_of, joined):
    assert client_of(joined).get(meeting_url("rsvp", meeting, KEY)).status_code == 405
    assert client_of(outsider).post(meeting_url("rsvp", meeting, KEY)).status_code == 404
    assert client_of(joined).post(meeting_url("rsvp", meeting, "yesterday")).status_code == 404


def test_rsvp_refuses_people_outside_the_group(meeting, supporter, client_of):
    assert client_of(supporter).post(meeting_url("rsvp", meeting, KEY)).status_code == 404


def test_the_attendance_sheet_shows_the_code_and_saves_who_came(
    meeting, joined, facilitator, client_of, time_machine
):
    time_machine.move_to(FIRST_MEETING_UTC + timedelta(minutes=15), tick=False)
    client = client_of(facilitator)

    page = client.get(meeting_url("attendance", meeting, KEY) + "?code=show").content.decode()
    client.post(meeting_url("attendance", meeting, KEY), {"present": [joined.pk]})

    assert meeting.check_in_codes.get().code in page
    assert Attendance.objects.get().member == joined


@pytest.mark.parametrize("person", ["joined", "supporter", "outsider"])
def test_the_attendance_sheet_is_for_those_who_run_the_group(person, meeting, client_of, request):
    response = client_of(request.getfixturevalue(person)).get(
        meeting_url("attendance", meeting, KEY)
    )

    assert response.status_code == 404


def test_a_member_checks_in_on_the_check_in_page(
    meeting, joined, facilitator, client_of, time_machine
):
    code = actions.open_check_in(facilitator, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC)
    time_machine.move_to(FIRST_MEETING_UTC + timedelta(minutes=5), tick=False)

    response = client_of(joined).post(
        meeting_url("check_in", meeting), {"code": code.code}, follow=True
    )

    assert "You are checked in. Welcome." in response.content.decode()
    assert Attendance.objects.get(member=joined).method == "check_in"


def test_check_in_is_for_members_of_the_group(meeting, supporter, outsider, client_of):
    assert client_of(supporter).get(meeting_url("check_in", meeting)).status_code == 404
    assert client_of(outsider).get(meeting_url("check_in", meeting)).status_code == 404
