"""The meeting directory: its index follows every change, and a search finds the right meetings
at the right time and place, for the right people. NOW is Monday 5 January 2026, 10:00 in New
York; the fixture meeting is on Tuesdays at 19:00 there."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from alongside.core.models import AreaOfConcern
from alongside.groups import actions, directory, feeds
from alongside.groups.directory import DirectoryQuery, search
from alongside.groups.models import DirectoryEntry, GroupMembership, MembershipStatus
from alongside.groups.tests.conftest import NOW, meeting_fields, start_group
from alongside.testing import assert_matches_schema, make_person

TIMES_SQUARE = (40.758, -73.9855)
NEWARK = (40.7357, -74.1724)  # 10 miles west of Times Square
PHILADELPHIA = (39.9526, -75.1652)  # 83 miles south-west
ZIP_TIMES_SQUARE = "10036"
NEW_YORK = "America/New_York"


def at(place) -> dict:
    return {"latitude": Decimal(str(place[0])), "longitude": Decimal(str(place[1]))}


def names(page) -> list[str]:
    return [result.meeting.name for result in page.results]


def find(user=None, now=None, **fields):
    from django.contrib.auth.models import AnonymousUser

    fields.setdefault("zone", NEW_YORK)
    return search(DirectoryQuery(**fields), user=user or AnonymousUser(), now=now)


@pytest.fixture
def tuesday(group, facilitator):
    return actions.save_meeting(
        facilitator, group=group, fields=meeting_fields(name="Tuesday circle", **at(TIMES_SQUARE))
    )


def add_meeting(group, facilitator, name, *, place=TIMES_SQUARE, **changes):
    # From a Thursday in the past, so that every weekday's first meeting is already scheduled.
    changes.setdefault("starts_on", date(2026, 1, 1))
    fields = meeting_fields(name=name, slug=name.lower().replace(" ", "-"), **changes)
    if place is not None:
        fields |= at(place)
    return actions.save_meeting(facilitator, group=group, fields=fields)


# --- the index ---------------------------------------------------------------------------------


def test_a_weekly_meeting_is_indexed_for_the_next_five_weeks(tuesday):
    starts = list(
        DirectoryEntry.objects.filter(meeting=tuesday)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )
    assert starts == [datetime(2026, 1, 7, 0, tzinfo=UTC) + timedelta(weeks=n) for n in range(5)]


def test_cancelling_and_moving_a_meeting_changes_the_index(tuesday, facilitator):
    actions.add_exception(facilitator, meeting=tuesday, day=date(2026, 1, 6))
    moved_to = datetime(2026, 1, 15, 0, tzinfo=UTC)  # Wednesday 19:00 instead of Tuesday
    actions.add_exception(facilitator, meeting=tuesday, day=date(2026, 1, 13), moved_to=moved_to)
    entries = DirectoryEntry.objects.filter(meeting=tuesday).order_by("starts_at")
    assert [entry.starts_at for entry in entries][:2] == [
        moved_to,
        datetime(2026, 1, 21, 0, tzinfo=UTC),
    ]
    assert entries[0].scheduled_at == datetime(2026, 1, 14, 0, tzinfo=UTC)


def test_undoing_a_cancellation_puts_the_meeting_back(tuesday, facilitator):
    exception = actions.add_exception(facilitator, meeting=tuesday, day=date(2026, 1, 6))
    actions.remove_exception(facilitator, exception=exception)
    assert DirectoryEntry.objects.filter(meeting=tuesday).count() == 5


def test_changing_the_group_changes_what_the_index_says(tuesday, group, facilitator):
    actions.update_group(facilitator, group=group, fields={"is_free": False, "fee": "$5"})
    assert not DirectoryEntry.objects.filter(meeting=tuesday, is_free=True).exists()


def test_an_imported_feed_is_searchable_at_once(program, coordinator):
    record = {
        "name": "Imported noon meeting",
        "slug": "imported-noon",
        "day": 1,
        "time": "12:00",
        "timezone": NEW_YORK,
        "latitude": TIMES_SQUARE[0],
        "longitude": TIMES_SQUARE[1],
        "types": ["O"],
    }
    import json

    feeds.import_feed(program, json.dumps([record]).encode(), publish=True)
    assert names(find(latitude=TIMES_SQUARE[0], longitude=TIMES_SQUARE[1])) == [
        "Imported noon meeting"
    ]


def test_rebuilding_drops_the_past_and_reaches_ahead(tuesday):
    later = NOW + timedelta(days=10)
    directory.rebuild_all(now=later)
    starts = DirectoryEntry.objects.filter(meeting=tuesday).values_list("starts_at", flat=True)
    assert min(starts) > later - timedelta(hours=1)
    assert max(starts) <= later + directory.HORIZON


def test_moving_on_lists_each_meeting_at_its_following_time(tuesday):
    first, second = datetime(2026, 1, 7, 0, tzinfo=UTC), datetime(2026, 1, 14, 0, tzinfo=UTC)
    assert find().results[0].starts_at == first
    assert directory.move_on(now=first + timedelta(minutes=5)) == 1
    assert find(now=first + timedelta(minutes=5)).results[0].starts_at == second
    # The one under way is kept until it ends, then removed.
    assert DirectoryEntry.objects.filter(starts_at=first).exists()
    assert directory.move_on(now=first + timedelta(hours=2)) == 0
    assert not DirectoryEntry.objects.filter(starts_at=first).exists()


# --- the search --------------------------------------------------------------------------------


def test_meetings_come_in_order_of_their_next_meeting(group, facilitator):
    add_meeting(
        group, facilitator, "Thursday noon", rule="FREQ=WEEKLY;BYDAY=TH", start_time=time(12)
    )
    add_meeting(
        group, facilitator, "Monday evening", rule="FREQ=WEEKLY;BYDAY=MO", start_time=time(18)
    )
    add_meeting(group, facilitator, "Tuesday circle")
    assert names(find()) == ["Monday evening", "Tuesday circle", "Thursday noon"]


def test_each_meeting_is_listed_once_at_its_next_time(tuesday):
    page = find()
    assert page.total == 1
    assert page.results[0].starts_at == datetime(2026, 1, 7, 0, tzinfo=UTC)


def test_distance_filters_at_known_coordinates(group, facilitator):
    add_meeting(group, facilitator, "Midtown", place=TIMES_SQUARE)
    add_meeting(group, facilitator, "Newark", place=NEWARK)
    add_meeting(group, facilitator, "Philadelphia", place=PHILADELPHIA)
    add_meeting(group, facilitator, "Somewhere online", place=None)
    near = {"latitude": TIMES_SQUARE[0], "longitude": TIMES_SQUARE[1], "sort": "distance"}
    assert names(find(radius_miles=5, **near)) == ["Midtown"]
    assert names(find(radius_miles=25, **near)) == ["Midtown", "Newark"]
    distances = [r.distance_miles for r in find(radius_miles=100, **near).results]
    assert distances[0] == pytest.approx(0, abs=0.01)
    assert distances[1] == pytest.approx(10.0, abs=0.5)
    assert distances[2] == pytest.approx(83.4, abs=1.0)


def test_tonight_finds_this_evenings_meetings_only(group, facilitator):
    add_meeting(
        group, facilitator, "Monday evening", rule="FREQ=WEEKLY;BYDAY=MO", start_time=time(18)
    )
    add_meeting(
        group, facilitator, "Monday morning", rule="FREQ=WEEKLY;BYDAY=MO", start_time=time(8)
    )
    add_meeting(group, facilitator, "Tuesday circle")
    assert names(find(when="tonight")) == ["Monday evening"]


def test_tonight_is_read_in_the_searchers_zone(group, facilitator):
    # 18:00 in New York is 23:00 in London: tonight for both, but not in Tokyo (08:00 Tuesday).
    add_meeting(
        group, facilitator, "Monday evening", rule="FREQ=WEEKLY;BYDAY=MO", start_time=time(18)
    )
    assert names(find(when="tonight", zone="Europe/London")) == ["Monday evening"]
    assert names(find(when="tonight", zone="Asia/Tokyo")) == []


def test_weekend_mornings(group, facilitator):
    add_meeting(
        group, facilitator, "Saturday early", rule="FREQ=WEEKLY;BYDAY=SA", start_time=time(8)
    )
    add_meeting(
        group, facilitator, "Saturday late", rule="FREQ=WEEKLY;BYDAY=SA", start_time=time(20)
    )
    assert names(find(when="weekend", times=("morning",))) == ["Saturday early"]


def test_a_monthly_meeting_on_the_second_tuesday(group, facilitator):
    add_meeting(group, facilitator, "Second Tuesday", rule="FREQ=MONTHLY;BYDAY=2TU")
    page = find(days=(1,))
    assert names(page) == []  # the next Tuesday (6 January) is the first one
    assert find().results[0].starts_at == datetime(2026, 1, 14, 0, tzinfo=UTC)


def test_filters_on_what_the_group_offers(program, coordinator, facilitator):
    grief = AreaOfConcern.objects.get(slug="grief")
    alcohol = AreaOfConcern.objects.get(slug="alcohol")
    spanish = start_group(
        coordinator,
        program,
        facilitator,
        slug="grupo",
        name="Grupo",
        languages=["es"],
        format="hybrid",
        accessibility=["asl"],
        is_free=False,
        fee="$5",
    )
    spanish.areas_of_concern.set([grief])
    english = start_group(coordinator, program, facilitator, slug="circle", name="Circle")
    english.areas_of_concern.set([alcohol])
    add_meeting(spanish, facilitator, "Grupo de los martes", types=["D"])
    add_meeting(english, facilitator, "English circle", types=["B"])
    directory.rebuild_all()
    assert names(find(areas=(grief.pk,))) == ["Grupo de los martes"]
    assert names(find(areas=(grief.pk, alcohol.pk))) == [
        "English circle",
        "Grupo de los martes",
    ] or (len(find(areas=(grief.pk, alcohol.pk)).results) == 2)
    assert names(find(language="es")) == ["Grupo de los martes"]
    assert names(find(accessibility=("asl",))) == ["Grupo de los martes"]
    assert names(find(free_only=True)) == ["English circle"]
    assert names(find(types=("B",))) == ["English circle"]
    assert names(find(types=("S",))) == ["Grupo de los martes"]  # S: Spanish, from the group
    assert len(find(format="in_person").results) == 2  # hybrid meetings can be attended in person
    assert names(find(format="online")) == ["Grupo de los martes"]
    assert names(find(format="hybrid")) == ["Grupo de los martes"]


def test_an_unpublished_group_is_found_only_by_its_own_people(
    program, coordinator, facilitator, member, outsider
):
    private = start_group(coordinator, program, facilitator, is_published=False, is_open=True)
    add_meeting(private, facilitator, "Private circle")
    assert names(find()) == []
    assert names(find(user=outsider)) == []
    other_member = make_person(program, "member")
    assert names(find(user=other_member)) == []
    GroupMembership.objects.create(group=private, user=member, status=MembershipStatus.APPROVED)
    assert names(find(user=member)) == ["Private circle"]
    assert names(find(user=facilitator)) == ["Private circle"]
    assert names(find(user=coordinator)) == ["Private circle"]


def test_unpublishing_a_group_takes_it_out_of_the_public_directory(tuesday, group, facilitator):
    actions.update_group(facilitator, group=group, fields={"is_published": False})
    assert names(find()) == []


def test_a_search_is_two_queries_however_many_meetings(
    group, facilitator, django_assert_num_queries
):
    for number in range(30):
        add_meeting(group, facilitator, f"Meeting {number}")
    with django_assert_num_queries(2):
        page = find(latitude=TIMES_SQUARE[0], longitude=TIMES_SQUARE[1])
    with django_assert_num_queries(3):  # and the RSVP keys of the occurrences shown
        find(latitude=TIMES_SQUARE[0], longitude=TIMES_SQUARE[1], when="week")
    assert page.total == 30
    assert len(page.results) == directory.PAGE_SIZE
    assert page.page_count == 2
    assert len(find(page=2).results) == 5


# --- the page and the API ----------------------------------------------------------------------


def test_anyone_finds_tonights_meeting_by_zip_code(client, group, facilitator):
    add_meeting(
        group, facilitator, "Monday evening", rule="FREQ=WEEKLY;BYDAY=MO", start_time=time(18)
    )
    response = client.get("/meetings/", {"zip": ZIP_TIMES_SQUARE, "when": "tonight"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Monday evening" in body
    assert "1 meeting" in body
    assert "New York, NY" in body


def test_the_page_shows_times_in_the_zip_codes_zone_when_signed_out(
    client, program, coordinator, facilitator
):
    online = start_group(coordinator, program, facilitator, slug="online", format="online")
    add_meeting(
        online,
        facilitator,
        "Monday online",
        place=None,
        rule="FREQ=WEEKLY;BYDAY=MO",
        start_time=time(18),
        conference_url="https://meet.example.org/monday",
    )
    body = client.get("/meetings/", {"zip": "90012", "format": "online"}).content.decode()
    assert "America/Los_Angeles" in body  # a Los Angeles ZIP code
    assert "15:00" in body  # 18:00 in New York


def test_a_signed_in_member_starts_from_their_own_zip_code(client_of, member, tuesday):
    member.profile.zip_code = ZIP_TIMES_SQUARE
    member.profile.save()
    body = client_of(member).get("/meetings/").content.decode()
    assert f'value="{ZIP_TIMES_SQUARE}"' in body
    assert "Tuesday circle" in body


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"zip": "00000"}, "zip", "Enter a 5-digit US ZIP code we know"),
        ({"zip": "abc"}, "zip", "Enter a 5-digit US ZIP code we know"),
        ({"when": "someday"}, "when", "Select a valid choice"),
        ({"sort": "distance"}, "sort", "Give a ZIP code or your location"),
        ({"lat": "40.7"}, None, "Your location came through incomplete"),
        ({"lat": "91", "lng": "0"}, "lat", "less than or equal to 90"),
        ({"radius": "7"}, "radius", "Select a valid choice"),
        ({"type": "NOPE"}, "type", "Select a valid choice"),
    ],
)
def test_bad_searches_say_what_is_wrong_and_never_fail(client, tuesday, params, field, message):
    response = client.get("/meetings/", params)
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field or "__all__")
    assert errors and any(message in error for error in errors)
    assert response.context["page"] is None


def test_the_page_takes_a_fixed_number_of_queries(
    client, group, facilitator, django_assert_max_num_queries
):
    for number in range(10):
        add_meeting(group, facilitator, f"Meeting {number}")
    with django_assert_max_num_queries(8):
        response = client.get("/meetings/", {"zip": ZIP_TIMES_SQUARE, "area": []})
    assert len(response.context["results"]) == 10


def test_the_page_works_without_javascript_links_to_each_meeting(client, tuesday):
    body = client.get("/meetings/", {"zip": ZIP_TIMES_SQUARE}).content.decode()
    assert f'href="{tuesday.get_absolute_url()}#occurrence-20260107T000000Z"' in body
    assert '<form method="get"' in body


def test_the_api_searches_like_the_page(tuesday, schema):
    response = APIClient().get(
        "/api/v1/meetings/search/", {"zip": ZIP_TIMES_SQUARE, "when": "week", "sort": "distance"}
    )
    assert response.status_code == 200
    data = response.json()
    assert_matches_schema(schema, "/api/v1/meetings/search/", "get", 200, data)
    assert data["count"] == 1
    assert data["time_zone"] == NEW_YORK
    assert data["results"][0]["occurrence"] == "20260107T000000Z"
    assert data["results"][0]["meeting"]["name"] == "Tuesday circle"


def test_the_api_names_the_bad_parameter(tuesday):
    response = APIClient().get("/api/v1/meetings/search/", {"zip": "00000"})
    assert response.status_code == 400
    assert "zip" in response.json()


def test_the_api_shows_a_member_their_unpublished_group(
    program, coordinator, facilitator, member, api_as
):
    private = start_group(coordinator, program, facilitator, is_published=False)
    add_meeting(private, facilitator, "Private circle")
    GroupMembership.objects.create(group=private, user=member, status=MembershipStatus.APPROVED)
    assert APIClient().get("/api/v1/meetings/search/").json()["count"] == 0
    assert api_as(member).get("/api/v1/meetings/search/").json()["count"] == 1


def test_the_results_page_uses_the_sites_pagination_bar(client, group, facilitator):
    for number in range(30):
        add_meeting(group, facilitator, f"Meeting {number}")
    body = client.get("/meetings/", {"zip": ZIP_TIMES_SQUARE, "when": "week"}).content.decode()
    assert "Page 1 of 2" in body
    assert 'href="?zip=10036&amp;when=week&amp;page=2" rel="next"' in body
