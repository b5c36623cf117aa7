"""A member's personal calendar: the meetings they RSVP'd to, behind a secret, revocable."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from alongside.groups import actions
from alongside.groups.models import CalendarFeed
from alongside.groups.tests.conftest import FIRST_MEETING_UTC, NOW, meeting_fields, start_group
from alongside.testing import assert_matches_schema

API = "/api/v1/groups/calendar/"


def feed_url(token: str) -> str:
    return reverse("feeds:personal_calendar", args=[token])


def vevents(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.fixture
def going(meeting, joined, facilitator):
    """The member RSVP'd to the first Tuesday; the Tuesday after is cancelled."""
    actions.set_rsvp(joined, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True)
    actions.add_exception(facilitator, meeting=meeting, day=date(2026, 1, 13))
    return joined


def test_the_feed_holds_the_series_of_a_meeting_with_an_rsvp(client, going, meeting):
    token = actions.create_calendar_feed(going)

    [event] = vevents(client.get(feed_url(token)))

    assert str(event["uid"]) == f"meeting-{meeting.pk}@alongside"
    assert str(event["summary"]) == "Tuesday circle"
    assert event["rrule"]["FREQ"] == ["WEEKLY"]
    assert event["rrule"]["BYDAY"] == ["TU"]
    assert event["dtstart"].params["TZID"] == "America/New_York"
    [exdate] = event["exdate"].dts
    assert exdate.dt.date() == date(2026, 1, 13)
    assert str(event["url"]).endswith(meeting.get_absolute_url())


def test_a_moved_meeting_is_a_recurrence_id_override(client, going, meeting, facilitator):
    actions.add_exception(
        facilitator, meeting=meeting, day=date(2026, 1, 20), moved_to=NOW + timedelta(days=16)
    )
    token = actions.create_calendar_feed(going)

    main, moved = vevents(client.get(feed_url(token)))

    assert "recurrence-id" in moved
    assert str(moved["uid"]) == str(main["uid"])


def test_the_feed_is_private_and_notes_when_it_was_read(client, going):
    token = actions.create_calendar_feed(going)

    response = client.get(feed_url(token))

    assert response["Cache-Control"] == "private, no-store"
    feed = CalendarFeed.objects.get(member=going)
    assert feed.last_read_at == NOW
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=NOW - timedelta(minutes=10))
    client.get(feed_url(token))
    # Read again within the hour: not written again.
    assert CalendarFeed.objects.get(pk=feed.pk).last_read_at == NOW - timedelta(minutes=10)


def test_resetting_the_address_retires_the_old_one(client, going):
    old = actions.create_calendar_feed(going)
    new = actions.create_calendar_feed(going)

    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.filter(member=going).count() == 1


def test_removing_the_address_makes_it_404(client, going):
    token = actions.create_calendar_feed(going)
    actions.delete_calendar_feed(going)

    assert client.get(feed_url(token)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_token_is_404(client):
    assert client.get(feed_url("not-a-token")).status_code == 404


def test_only_the_hash_of_the_secret_is_stored(going):
    token = actions.create_calendar_feed(going)

    assert token not in CalendarFeed.objects.get(member=going).token_hash


def test_a_meeting_without_an_rsvp_is_not_in_the_feed(client, going, group, facilitator):
    actions.save_meeting(
        facilitator, group=group, fields=meeting_fields(slug="other", name="Other")
    )
    token = actions.create_calendar_feed(going)

    assert [str(e["summary"]) for e in vevents(client.get(feed_url(token)))] == ["Tuesday circle"]


def test_an_old_rsvp_falls_off_the_feed(client, going, time_machine):
    token = actions.create_calendar_feed(going)
    time_machine.move_to(FIRST_MEETING_UTC + timedelta(days=31))

    assert vevents(client.get(feed_url(token))) == []


def test_a_closed_unpublished_group_the_member_left_is_not_in_the_feed(
    client, coordinator, program, facilitator, member
):
    closed = start_group(coordinator, program, facilitator, slug="closed", is_open=False)
    meeting = actions.save_meeting(
        facilitator, group=closed, fields=meeting_fields(slug="closed-meeting")
    )
    membership = actions.join_group(member, group=closed)
    actions.decide_membership(facilitator, membership=membership, approve=True)
    actions.set_rsvp(member, meeting=meeting, scheduled_utc=FIRST_MEETING_UTC, attending=True)
    token = actions.create_calendar_feed(member)
    actions.update_group(coordinator, group=closed, fields={"is_published": False})
    assert len(vevents(client.get(feed_url(token)))) == 1

    actions.leave_group(member, group=closed)

    assert vevents(client.get(feed_url(token))) == []


def test_the_feed_query_count_does_not_grow_with_meetings(
    client, going, group, facilitator, django_assert_max_num_queries
):
    for number in range(5):
        extra = actions.save_meeting(
            facilitator, group=group, fields=meeting_fields(slug=f"extra-{number}")
        )
        actions.add_exception(facilitator, meeting=extra, day=date(2026, 1, 13))
        actions.set_rsvp(going, meeting=extra, scheduled_utc=FIRST_MEETING_UTC, attending=True)
    token = actions.create_calendar_feed(going)

    # The feed, the member's programs and roles, whether they run it, the meetings with their
    # exceptions, and noting the read.
    with django_assert_max_num_queries(7):
        assert len(vevents(client.get(feed_url(token)))) == 6


def test_the_settings_page_needs_sign_in(client):
    response = client.get(reverse("groups:calendar"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_member_makes_resets_and_removes_the_address_on_the_page(client_of, going):
    client = client_of(going)
    assert b"You have no calendar address yet" in client.get(reverse("groups:calendar")).content

    made = client.post(reverse("groups:calendar"), {"action": "create"})

    assert made.status_code == 200
    address = made.context["address"]
    assert address.startswith("http://testserver/p/calendar/")
    assert address.encode() in made.content
    assert b"Anyone with it can see which meetings you plan to attend" in made.content
    assert address.encode() not in client.get(reverse("groups:calendar")).content
    assert client.get(address).status_code == 200

    reset = client.post(reverse("groups:calendar"), {"action": "reset"})
    assert reset.context["address"] != address
    assert client.get(address).status_code == 404

    removed = client.post(reverse("groups:calendar"), {"action": "delete"})
    assert removed.status_code == 302
    assert client.get(reset.context["address"]).status_code == 404
    assert not CalendarFeed.objects.filter(member=going).exists()


def test_an_unknown_action_on_the_page_is_refused(client_of, member):
    response = client_of(member).post(reverse("groups:calendar"), {"action": "explode"})

    assert response.status_code == 400
    assert not CalendarFeed.objects.exists()


def test_the_group_list_links_to_the_calendar_page(client_of, member):
    assert (
        reverse("groups:calendar").encode() in client_of(member).get(reverse("groups:list")).content
    )


def test_the_api_makes_and_removes_the_address(api_as, client, going, schema):
    api = api_as(going)

    made = api.post(API)

    assert made.status_code == 201
    assert_matches_schema(schema, API, "post", 201, made.json())
    token_url = made.json()["url"]
    assert client.get(token_url).status_code == 200
    again = api.post(API).json()["url"]
    assert client.get(token_url).status_code == 404
    assert api.delete(API).status_code == 204
    assert client.get(again).status_code == 404
    assert api.get(API).status_code == 405


@pytest.mark.django_db
def test_the_api_needs_sign_in(client):
    from rest_framework.test import APIClient

    assert APIClient().post(API).status_code in (401, 403)
