"""The public feeds: a program's Meeting Guide JSON and a group's iCalendar."""

import json
from datetime import date, time
from typing import Any

import pytest
from django.urls import reverse
from icalendar import Calendar

from alongside.groups import actions, meetingguide
from alongside.groups.tests.conftest import meeting_fields, start_group


def feed_of(client, program):
    response = client.get(reverse("feeds:meetings", args=[program.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def calendar_url(group):
    return reverse("feeds:group_calendar", args=[group.program.slug, group.slug])


@pytest.mark.django_db
def test_program_feed_is_valid_meeting_guide_and_lists_published_weekly_meetings(client, meeting):
    feed = feed_of(client, meeting.program)

    assert meetingguide.validate_feed(feed) == []
    [listed] = feed
    assert listed["slug"] == "tuesday-circle-meeting"
    assert listed["day"] == 2
    assert (listed["time"], listed["end_time"]) == ("19:00", "20:00")
    assert listed["timezone"] == "America/New_York"
    assert listed["group"] == "Tuesday Evening Circle"
    assert listed["address"] == "1 Main Street"
    assert listed["url"].endswith(meeting.get_absolute_url())
    # The meeting's own codes, then those the group states: open, English, wheelchair access.
    assert listed["types"] == ["O", "D", "EN", "X"]


@pytest.mark.django_db
def test_unpublished_groups_never_appear_in_the_feed(client, coordinator, program, facilitator):
    hidden = start_group(coordinator, program, facilitator, slug="hidden", is_published=False)
    actions.save_meeting(facilitator, group=hidden, fields=meeting_fields(slug="hidden-meeting"))
    shown = start_group(coordinator, program, facilitator, slug="shown")
    actions.save_meeting(facilitator, group=shown, fields=meeting_fields(slug="shown-meeting"))

    slugs = [listed["slug"] for listed in feed_of(client, program)]

    assert slugs == ["shown-meeting"]
    assert b"hidden" not in client.get(reverse("feeds:meetings", args=[program.slug])).content


@pytest.mark.django_db
def test_schedules_the_spec_cannot_express_are_left_out(client, group, facilitator):
    for slug, rule in [
        ("monthly", "FREQ=MONTHLY;BYDAY=2TU"),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("once", ""),
        ("twice-weekly", "FREQ=WEEKLY;BYDAY=TH,MO"),
    ]:
        actions.save_meeting(facilitator, group=group, fields=meeting_fields(slug=slug, rule=rule))

    feed = feed_of(client, group.program)

    assert [(listed["slug"], listed["day"]) for listed in feed] == [("twice-weekly", [1, 4])]


@pytest.mark.django_db
def test_an_inactive_or_unknown_program_has_no_feed(client, meeting):
    assert client.get(reverse("feeds:meetings", args=["no-such-program"])).status_code == 404
    meeting.program.is_active = False
    meeting.program.save()
    assert client.get(reverse("feeds:meetings", args=[meeting.program.slug])).status_code == 404


@pytest.mark.django_db
def test_feed_query_count_does_not_grow_with_meetings(
    client, coordinator, program, facilitator, django_assert_num_queries
):
    for number in range(3):
        group = start_group(coordinator, program, facilitator, slug=f"group-{number}")
        for day in ("MO", "WE"):
            actions.save_meeting(
                facilitator,
                group=group,
                fields=meeting_fields(
                    slug=f"meeting-{number}-{day}", rule=f"FREQ=WEEKLY;BYDAY={day}"
                ),
            )
    url = reverse("feeds:meetings", args=[program.slug])

    # The program, then the meetings with their groups.
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(json.loads(response.content)) == 6


@pytest.mark.django_db
def test_group_calendar_parses_back_with_its_rule_and_cancellation(client, meeting, facilitator):
    actions.add_exception(facilitator, meeting=meeting, day=date(2026, 1, 13))

    response = client.get(calendar_url(meeting.group))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    event_fields: Any = event
    assert str(event_fields["summary"]) == "Tuesday circle"
    assert event_fields["rrule"]["FREQ"] == ["WEEKLY"]
    start: Any = event.decoded("dtstart")
    assert (start.date(), start.time(), str(start.tzinfo)) == (
        date(2026, 1, 6),
        time(19, 0),
        "America/New_York",
    )
    [cancelled] = event_fields["exdate"].dts
    assert cancelled.dt.date() == date(2026, 1, 13)
    assert [str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")] == ["America/New_York"]


@pytest.mark.django_db
def test_unpublished_group_calendar_is_hidden_from_the_public_but_not_its_facilitator(
    client, coordinator, program, facilitator
):
    hidden = start_group(coordinator, program, facilitator, is_published=False)
    actions.save_meeting(facilitator, group=hidden, fields=meeting_fields())

    assert client.get(calendar_url(hidden)).status_code == 404
    client.force_login(facilitator)
    response = client.get(calendar_url(hidden))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
