"""manage.py import_meetings: Meeting Guide feeds in, by slug, one record at a time."""

import json
import threading
from datetime import time, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from alongside.groups import feeds, meetingguide
from alongside.groups.models import Group, Meeting
from alongside.testing import make_program

FEEDS = Path(__file__).parent / "feeds"


def import_meetings(source, program, *options) -> str:
    output = StringIO()
    call_command("import_meetings", str(source), "--program", program.slug, *options, stdout=output)
    return output.getvalue()


def without_volatile_fields(feed):
    return [
        {name: value for name, value in meeting.items() if name not in {"url", "updated"}}
        for meeting in feed
    ]


@pytest.mark.django_db
def test_a_realistic_feed_creates_meetings_and_their_groups(program):
    output = import_meetings(FEEDS / "district_feed.json", program, "--publish")

    assert "6 meetings read: 6 created, 0 updated, 0 unchanged, 0 rejected." in output
    risers = Group.objects.get(program=program, slug="lakeview-early-risers")
    assert sorted(risers.meetings.values_list("slug", flat=True)) == [
        "early-risers-mon",
        "early-risers-thu",
    ]
    assert (risers.time_zone, risers.is_open, risers.is_published) == (
        "America/Chicago",
        True,
        True,
    )
    assert (risers.languages, risers.accessibility) == (["en"], ["wheelchair"])
    monday = Meeting.objects.get(program=program, slug="early-risers-mon")
    assert (monday.rule, monday.start_time, monday.duration) == (
        "FREQ=WEEKLY;BYDAY=MO",
        time(6, 30),
        timedelta(hours=1),
    )
    assert monday.starts_on.weekday() == 0
    assert (monday.latitude, monday.longitude) == (Decimal("41.939790"), Decimal("-87.667830"))
    assert monday.room_notes == "Basement, use the Addison Street door."
    # Codes the group states (open, English, wheelchair) live on the group, not the meeting.
    assert monday.types == ["D"]
    late = Meeting.objects.get(program=program, slug="saturday-night-live")
    assert late.duration == timedelta(minutes=90)  # past midnight
    assert late.types == ["SP", "Y", "LOCAL-7"]
    assert late.group.format == "hybrid"
    online = Meeting.objects.get(program=program, slug="lunch-bunch-online")
    assert online.group.name == "Lunch Bunch Online"  # no group named: a group of its own
    assert online.rule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    assert Group.objects.get(slug="grupo-esperanza").is_open is False


@pytest.mark.django_db
def test_reimporting_the_same_feed_changes_nothing_and_duplicates_nothing(program):
    import_meetings(FEEDS / "district_feed.json", program)

    output = import_meetings(FEEDS / "district_feed.json", program)

    assert "6 meetings read: 0 created, 0 updated, 6 unchanged, 0 rejected." in output
    assert Meeting.objects.filter(program=program).count() == 6
    assert Group.objects.filter(program=program).count() == 5


@pytest.mark.django_db
def test_import_export_import_round_trips_unchanged(program, tmp_path):
    import_meetings(FEEDS / "district_feed.json", program, "--publish")
    exported = feeds.program_feed(program)
    assert meetingguide.validate_feed(exported) == []
    exported_file = tmp_path / "exported.json"
    exported_file.write_text(json.dumps(exported))

    again = import_meetings(exported_file, program)
    elsewhere = make_program(slug="elsewhere")
    import_meetings(exported_file, elsewhere, "--publish")

    assert "6 meetings read: 0 created, 0 updated, 6 unchanged, 0 rejected." in again
    assert without_volatile_fields(feeds.program_feed(elsewhere)) == without_volatile_fields(
        exported
    )


@pytest.mark.django_db
def test_a_changed_record_updates_its_meeting_in_place(program, tmp_path):
    import_meetings(FEEDS / "district_feed.json", program)
    feed = json.loads((FEEDS / "district_feed.json").read_text())
    feed[0]["time"] = "07:00"
    feed[0]["end_time"] = "08:00"
    feed[0]["day"] = [1, 3]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(feed))
    before = Meeting.objects.get(program=program, slug="early-risers-mon")

    output = import_meetings(changed, program)

    assert "0 created, 1 updated, 5 unchanged, 0 rejected." in output
    after = Meeting.objects.get(program=program, slug="early-risers-mon")
    assert after.pk == before.pk
    assert (after.start_time, after.rule) == (time(7, 0), "FREQ=WEEKLY;BYDAY=MO,WE")


@pytest.mark.django_db
def test_every_field_feed_imports_what_can_be_scheduled_and_names_the_rest(program):
    output = import_meetings(FEEDS / "every_field.json", program)

    assert "4 meetings read: 3 created, 0 updated, 0 unchanged, 1 rejected." in output
    assert "Rejected #4 by-appointment: day:" in output
    serenity = Meeting.objects.get(program=program, slug="sunday-serenity-14")
    assert serenity.group.name == "The Serenity Group"
    assert serenity.group.time_zone == "America/Chicago"
    assert serenity.group.format == "hybrid"
    assert serenity.group.accessibility == ["wheelchair", "asl"]
    assert serenity.duration == timedelta(minutes=90)
    assert serenity.conference_url == "https://zoom.us/j/123456789"
    assert Meeting.objects.get(program=program, slug="77").rule == "FREQ=WEEKLY;BYDAY=MO,WE,FR"


@pytest.mark.django_db
def test_odd_records_are_rejected_one_by_one_naming_record_and_field(program):
    output = import_meetings(FEEDS / "odd_cases.json", program)

    for rejection in [
        "late-night: time:",
        "evening: time:",
        "monday-names: day:",
        "day-seven: day:",
        "half-a-position: longitude:",
        "good-tuesday: slug:",
        "No Slug: slug:",
        "nowhere-zone: timezone:",
        "time-without-day: day:",
    ]:
        assert rejection in output
    assert "good-tuesday" in Meeting.objects.filter(program=program).values_list("slug", flat=True)
    assert not Meeting.objects.filter(program=program, slug="late-night").exists()


@pytest.mark.django_db
def test_a_record_failing_late_leaves_no_group_behind(program, tmp_path):
    feed = [
        {"name": "x" * 200, "slug": "too-long", "day": 1, "time": "19:00", "group": "Lonely"},
        {"name": "Fine", "slug": "fine", "day": 1, "time": "19:00", "group": "Fine Group"},
    ]
    source = tmp_path / "feed.json"
    source.write_text(json.dumps(feed))

    output = import_meetings(source, program)

    assert "Rejected #1 too-long: name:" in output
    assert not Group.objects.filter(program=program, slug="lonely").exists()
    assert list(Meeting.objects.filter(program=program).values_list("slug", flat=True)) == ["fine"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [("not_json.csv", "not valid JSON"), ("not_a_list.json", "must be a JSON list")],
)
def test_an_unreadable_feed_imports_nothing(program, name, message):
    with pytest.raises(CommandError, match=message):
        import_meetings(FEEDS / name, program)
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_feed_over_fifty_megabytes_is_refused_unread(program, tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as sparse:
        sparse.truncate(meetingguide.MAX_FEED_BYTES + 1024 * 1024)

    with pytest.raises(CommandError, match="limit is 50 MB"):
        import_meetings(huge, program)
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_or_program_is_a_clear_error(program):
    with pytest.raises(CommandError, match="Could not read"):
        import_meetings(FEEDS / "missing.json", program)
    with pytest.raises(CommandError, match="No program"):
        call_command("import_meetings", str(FEEDS / "district_feed.json"), "--program", "nope")


@pytest.fixture
def feed_server():
    body = (FEEDS / "district_feed.json").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/meetings.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_a_feed_is_fetched_from_a_url(program, feed_server):
    output = import_meetings(f"{feed_server}/meetings.json", program)

    assert "6 created" in output
    with pytest.raises(CommandError, match="Could not fetch"):
        import_meetings(f"{feed_server}/gone.json", program)
