"""The demo directory: some 3,000 meetings around New York, the mix of a real list; twice is once."""

import json
import random
from datetime import UTC, datetime

import pytest
import time_machine

from alongside.core.models import AreaOfConcern
from alongside.groups import demo_directory, directory, feeds, meetingguide
from alongside.groups.models import DirectoryEntry, Format, Group, Meeting
from alongside.groups.tests.conftest import NOW
from alongside.programs.models import Program

MIDTOWN = (40.7549, -73.9840)
FULL_SIZE = 700  # demo_directory.GROUPS, which the other tests' demos shrink


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The full directory, seeded once for this module on the groups tests' Monday (seconds of
    work), and removed with its program's history afterwards."""
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        counts = demo_directory.seed_directory(groups=FULL_SIZE)
    yield counts
    with django_db_blocker.unblock():
        Program.objects.filter(slug=demo_directory.PROGRAM_SLUG).delete()
        Program.history.filter(slug=demo_directory.PROGRAM_SLUG).delete()


def test_the_directory_has_hundreds_of_groups_and_thousands_of_meetings_once(seeded, db):
    program = Program.objects.get(slug=demo_directory.PROGRAM_SLUG)
    counts = (Group.objects.count(), Meeting.objects.count(), Program.objects.count())

    again = demo_directory.seed_directory(groups=FULL_SIZE)

    assert seeded["directory_groups"] == FULL_SIZE
    assert 3_000 <= seeded["directory_meetings"] <= 4_000
    assert Group.objects.filter(program=program, is_published=True).count() == FULL_SIZE
    assert Meeting.objects.filter(program=program).count() == seeded["directory_meetings"]
    assert DirectoryEntry.objects.filter(program=program).count() > seeded["directory_meetings"]
    assert again == {"directory_groups": 0, "directory_meetings": 0}
    assert (Group.objects.count(), Meeting.objects.count(), Program.objects.count()) == counts


def test_the_mix_is_that_of_a_real_meeting_list_at_real_places_near_new_york(seeded, db):
    meetings = Meeting.objects.filter(program__slug=demo_directory.PROGRAM_SLUG)
    groups = Group.objects.filter(program__slug=demo_directory.PROGRAM_SLUG)

    assert meetings.filter(rule__contains="INTERVAL=2").count() > 100
    assert meetings.filter(rule__startswith="FREQ=MONTHLY;BYDAY=2").count() > 100
    assert meetings.filter(rule__regex=r"BYDAY=\w\w,\w\w").count() > 200
    online = meetings.filter(group__format=Format.ONLINE)
    assert online.exists()
    assert not online.filter(latitude__isnull=False).exists()
    assert not online.filter(conference_url="").exists()
    hybrid = meetings.filter(group__format=Format.HYBRID)
    assert not hybrid.filter(latitude__isnull=True).exists()
    assert not hybrid.filter(conference_url="").exists()
    assert sum("es" in languages for languages in groups.values_list("languages", flat=True)) > 20
    assert groups.filter(is_free=False).exclude(fee="").exists()
    assert groups.filter(is_open=False).exists()
    needs = groups.values_list("accessibility", flat=True)
    assert sum("wheelchair" in accessibility for accessibility in needs) > 200
    assert AreaOfConcern.objects.filter(groups__in=groups).distinct().count() >= 10
    codes = {code for types in meetings.values_list("types", flat=True) for code in types}
    assert {"D", "SP", "ST", "B", "W", "M", "LGBTQ"} <= codes
    assert codes <= set(meetingguide.TYPE_CODES)
    located = list(meetings.filter(latitude__isnull=False).select_related("group", "program"))
    for meeting in located:
        assert meeting.latitude is not None and meeting.longitude is not None
        point = (float(meeting.latitude), float(meeting.longitude))
        assert demo_directory.miles_between(demo_directory.MANHATTAN, point) < 51
        assert meeting.state in demo_directory.METRO_STATES
    assert len({meeting.postal_code for meeting in located}) > 300
    for meeting in random.Random(1).sample(located, 100):
        meeting.full_clean()
        meeting.group.full_clean()
        assert meeting.next_occurrence(datetime(2026, 1, 5, tzinfo=UTC)) is not None


def test_a_search_around_midtown_finds_meetings_tonight(seeded, db):
    alcohol = AreaOfConcern.objects.get(slug="alcohol")
    query = directory.DirectoryQuery(
        latitude=MIDTOWN[0],
        longitude=MIDTOWN[1],
        radius_miles=25,
        areas=(alcohol.pk,),
        when="tonight",
        zone="America/New_York",
    )

    # The groups tests' clock stands on Monday 5 January 2026: this is Tuesday, 3 p.m. in New York.
    page = directory.search(query, user=_anonymous(), now=datetime(2026, 1, 6, 20, tzinfo=UTC))

    assert page.total > 10
    assert all((result.distance_miles or 0) <= 25 for result in page.results)
    assert all(result.distance_miles is not None for result in page.results)


def test_the_public_feed_of_the_directory_is_valid_meeting_guide(seeded, db):
    program = Program.objects.get(slug=demo_directory.PROGRAM_SLUG)

    feed = json.loads(json.dumps(feeds.program_feed(program)))

    assert len(feed) > 1_500
    assert meetingguide.validate_feed(feed) == []


def test_generated_feeds_import_cleanly(db):
    places = demo_directory.metro_places()
    groups = demo_directory.generate_groups(places, 40, random.Random(7), prefix="feed")
    records = demo_directory.feed_records(groups, 100)
    data = json.dumps(meetingguide.export_feed(records)).encode()
    program = Program.objects.create(name="Feed", slug="feed")

    report = feeds.import_feed(program, data, publish=True)
    again = feeds.import_feed(program, data, publish=True)

    assert len(report.created) == len(records) and not report.rejected
    assert len(again.unchanged) == len(records)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
