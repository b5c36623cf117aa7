import json
import time as clock
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from alongside.groups.meetingguide import (
    RECORD_FIELDS,
    TYPE_CODES,
    FeedError,
    MeetingRecord,
    directory_facets,
    export_feed,
    parse_feed,
    type_codes_for,
    validate_feed,
)

FEEDS = Path(__file__).parent / "feeds"


def feed(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


def encoded(meetings: object) -> bytes:
    return json.dumps(meetings).encode()


def by_slug(records: list[MeetingRecord]) -> dict[str, MeetingRecord]:
    return {record.slug: record for record in records}


def rejected_fields(result) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for rejection in result.rejections:
        found.setdefault(rejection.slug_or_name, set()).add(rejection.field)
    return found


def test_every_field_of_the_spec_is_read():
    result = parse_feed(feed("every_field.json"))

    assert result.rejections == []
    sunday = by_slug(result.records)["sunday-serenity-14"]
    raw = json.loads(feed("every_field.json"))[0]
    for name in RECORD_FIELDS:
        if name in {"day", "time", "end_time", "types", "unknown_types", "regions"}:
            continue
        if name in {"feedback_emails", "latitude", "longitude", "approximate", "updated"}:
            continue
        if name == "conference_phone":
            continue
        assert getattr(sunday, name) == raw[name], name
    assert sunday.day == (0,)
    assert sunday.time == time(18, 0)
    assert sunday.end_time == time(19, 30)
    assert sunday.types == ("O", "D", "X", "XB", "ASL", "S", "LGBTQ")
    assert sunday.unknown_types == ()
    assert sunday.regions == ("Chicago", "Northwest Side", "Portage Park")
    assert sunday.feedback_emails == ("meetingupdates@district123.org",)
    assert (sunday.latitude, sunday.longitude) == (41.94618, -87.75248)
    assert sunday.approximate is False
    assert sunday.updated == datetime(2024, 5, 31, 14, 32, 23, tzinfo=UTC)
    assert sunday.conference_phone == "+16465588656,,123456789#"


def test_day_as_a_list_is_sorted_and_deduplicated():
    noon = by_slug(parse_feed(feed("every_field.json")).records)["77"]

    assert noon.day == (1, 3, 5)


def test_numbers_where_the_spec_has_text_are_read_as_text():
    records = by_slug(parse_feed(feed("every_field.json")).records)

    assert "77" in records
    assert records["room-closed"].postal_code == "60201"
    assert records["room-closed"].time == time(9, 30)
    assert (records["room-closed"].latitude, records["room-closed"].longitude) == (42.04, -87.68)


def test_unknown_type_codes_are_kept_apart_with_a_warning():
    result = parse_feed(feed("every_field.json"))
    noon = by_slug(result.records)["77"]

    assert noon.types == ("C", "BE", "11")
    assert noon.unknown_types == ("ZZ-FOO",)
    [warning] = [w for w in result.warnings if w.field == "types"]
    assert warning.slug_or_name == "77"
    assert "ZZ-FOO" in warning.text()


def test_missing_coordinates_are_a_warning_not_a_rejection():
    result = parse_feed(feed("every_field.json"))

    assert by_slug(result.records)["77"].latitude is None
    assert any(w.slug_or_name == "77" and w.field == "latitude" for w in result.warnings)


def test_meeting_without_day_and_time_is_listed_by_appointment():
    result = parse_feed(feed("every_field.json"))
    appointment = by_slug(result.records)["by-appointment"]

    assert appointment.day == ()
    assert appointment.time is None
    assert any(w.slug_or_name == "by-appointment" and w.field == "day" for w in result.warnings)


def test_the_spec_example_entity_url_is_read_as_entity_website_url():
    noon = by_slug(parse_feed(feed("every_field.json")).records)["77"]

    assert noon.entity_website_url == "https://district123.org"


def test_each_bad_meeting_is_rejected_naming_its_field_and_the_others_import():
    result = parse_feed(feed("odd_cases.json"))

    assert sorted(by_slug(result.records)) == ["good-tuesday", "last-good"]
    assert result.total == 19
    assert rejected_fields(result) == {
        "late-night": {"time"},
        "evening": {"time", "end_time"},
        "monday-names": {"day"},
        "day-seven": {"day"},
        "name-is-a-list": {"name"},
        "types-as-text": {"types"},
        "half-a-position": {"longitude"},
        "off-the-map": {"latitude"},
        "scripted-link": {"conference_url"},
        "No Slug": {"slug"},
        "good-tuesday": {"slug"},
        "nowhere-zone": {"timezone"},
        "maybe-approximate": {"approximate"},
        "bad-updated": {"updated"},
        "orphan-entity": {"entity"},
        "time-without-day": {"day"},
        "#18": {""},
    }


def test_rejection_messages_name_the_bad_value_and_translate():
    result = parse_feed(feed("odd_cases.json"))
    late = next(r for r in result.rejections if r.slug_or_name == "late-night")

    assert late.index == 1
    assert late.text() == 'The time must be a 24-hour time like 19:30; got "25:00".'
    spanish = late.text(
        lambda message: message.replace("The {field} must be", "El campo {field} debe ser")
    )
    assert spanish.startswith("El campo time debe ser")


def test_a_repeated_slug_is_rejected_so_an_import_never_duplicates():
    result = parse_feed(feed("odd_cases.json"))
    [duplicate] = [r for r in result.rejections if r.index == 11]

    assert duplicate.field == "slug"
    assert "#1" in duplicate.text()
    assert by_slug(result.records)["good-tuesday"].time == time(19, 0)


def test_a_feed_that_is_not_json_is_refused_whole():
    with pytest.raises(FeedError, match="not valid JSON"):
        parse_feed(feed("not_json.csv"))


def test_a_feed_that_is_not_a_list_is_refused_whole():
    with pytest.raises(FeedError, match="must be a JSON list of meetings; this one is an object"):
        parse_feed(feed("not_a_list.json"))


def test_a_feed_that_is_not_utf8_is_refused_whole():
    with pytest.raises(FeedError, match="not UTF-8"):
        parse_feed(b'[{"name": "Caf\xe9", "slug": "cafe"}]')


def test_an_oversized_feed_is_refused_before_it_is_parsed():
    oversized = b"[" + b" " * (50 * 1024 * 1024) + b"]"

    with pytest.raises(FeedError, match="limit is 50 MB"):
        parse_feed(oversized)


def test_the_size_limit_is_checked_before_parsing_even_for_garbage():
    with pytest.raises(FeedError, match="the limit is 0 MB"):
        parse_feed(b"not json at all", max_bytes=10)


def test_a_feed_just_under_the_limit_is_parsed():
    meetings = encoded([{"name": "A", "slug": "a"}])

    assert len(parse_feed(meetings, max_bytes=len(meetings)).records) == 1


def test_export_is_valid_against_the_spec():
    records = parse_feed(feed("every_field.json")).records

    exported = export_feed(records)

    assert validate_feed(exported) == []
    noon = next(m for m in exported if m["slug"] == "77")
    assert noon["day"] == [1, 3, 5]
    assert noon["types"] == ["C", "BE", "11", "ZZ-FOO"]
    assert noon["approximate"] == "yes"
    assert "latitude" not in noon
    sunday = next(m for m in exported if m["slug"] == "sunday-serenity-14")
    assert sunday["day"] == 0
    assert sunday["updated"] == "2024-05-31 14:32:23"


def test_parse_export_parse_gives_equal_records():
    first = parse_feed(feed("every_field.json"))

    again = parse_feed(encoded(export_feed(first.records)))

    assert again.records == first.records
    assert again.rejections == []


def test_validate_feed_reports_what_breaks_the_spec():
    problems = validate_feed(
        [
            {"name": "A", "slug": "a", "day": "1", "time": "7pm"},
            {"name": "B", "slug": "a", "latitude": "41.9", "types": "O", "approximate": "no way"},
            {"slug": "c", "entity_email": "x@example.org", "url": "ftp://example.org"},
            "meeting",
        ]
    )

    assert problems == [
        "meeting 0: day must be an integer 0-6 or a list of them",
        "meeting 0: time must be HH:MM",
        "meeting 1: latitude must be a number",
        "meeting 1: types must be a list of strings",
        'meeting 1: approximate must be "yes" or "no"',
        "meeting 1: duplicate slug 'a'",
        "meeting 2: name is required and must be a non-empty string",
        "meeting 2: url must be an http(s) URL",
        "meeting 2: entity is required with other entity fields",
        "meeting 3: not an object",
    ]
    assert validate_feed({"name": "A"}) == ["The feed must be a JSON list."]


def test_type_codes_map_to_directory_filters():
    records = by_slug(parse_feed(feed("every_field.json")).records)

    sunday = directory_facets(records["sunday-serenity-14"])
    assert sunday.attendance == "hybrid"
    assert sunday.languages == ("ase", "es")
    assert sunday.is_open is True
    assert sunday.accessibility == ("wheelchair", "wheelchair_bathroom", "sign_language")
    assert directory_facets(records["77"]).is_open is False
    assert directory_facets(records["by-appointment"]).is_open is None


@pytest.mark.parametrize(
    ("meeting", "attendance"),
    [
        ({"address": "1 Main St"}, "in_person"),
        ({"address": "1 Main St", "conference_url": "https://zoom.us/j/1"}, "hybrid"),
        (
            {
                "formatted_address": "Chicago, IL, USA",
                "approximate": "yes",
                "conference_phone": "1",
            },
            "online",
        ),
        (
            {"address": "1 Main St", "types": ["TC"], "conference_url": "https://zoom.us/j/1"},
            "online",
        ),
        ({"address": "1 Main St", "types": ["TC"]}, "inactive"),
        ({"types": ["ONL"]}, "online"),
        ({"address": "1 Main St", "types": ["HY"]}, "hybrid"),
        ({"address": "1 Main St", "attendance_option": "online"}, "online"),
    ],
)
def test_attendance_is_read_from_codes_and_fields(meeting, attendance):
    [record] = parse_feed(encoded([{"name": "M", "slug": "m", **meeting}])).records

    assert directory_facets(record).attendance == attendance


def test_directory_filters_map_back_to_type_codes():
    codes = type_codes_for(
        attendance="hybrid",
        languages=["es", "en", "tlh"],
        is_open=False,
        accessibility=["wheelchair", "sign_language", "guide_dog"],
    )

    assert codes == ("C", "HY", "S", "EN", "X", "ASL")
    assert all(code in TYPE_CODES for code in codes)


def test_ten_thousand_meeting_feed_parses(capsys):
    meetings = [
        {
            "name": f"Meeting {n}",
            "slug": f"meeting-{n}",
            "day": [n % 7, (n + 3) % 7],
            "time": f"{n % 24:02d}:{n % 60:02d}",
            "end_time": f"{(n + 1) % 24:02d}:00",
            "types": ["O", "D", "X", "S", "ZZ"],
            "address": f"{n} Main St",
            "city": "Chicago",
            "state": "IL",
            "postal_code": "60601",
            "latitude": 41.8 + n / 100_000,
            "longitude": -87.6 - n / 100_000,
            "notes": "Use the side door. " * 5,
            "updated": "2024-05-31 14:32:23",
        }
        for n in range(10_000)
    ]
    data = encoded(meetings)

    started = clock.perf_counter()
    result = parse_feed(data)
    elapsed = clock.perf_counter() - started

    assert len(result.records) == 10_000
    with capsys.disabled():
        print(f"\nparse_feed: 10,000 meetings, {len(data) / 1e6:.1f} MB in {elapsed * 1000:.0f} ms")
