"""A meeting directory the size of a real metro area's, for the demo and the directory benchmark.

`seed_directory()` adds the "Metro Recovery Directory" program: about 700 published groups and
3,400 meetings at real ZIP code centroids within 50 miles of Manhattan (New York City, Long
Island, Westchester, northern New Jersey, south-western Connecticut), with the mix a real
meeting list has: weekly meetings on one to three days, some every other week or monthly on the
second Tuesday, hybrid and online-only ones, Spanish-language groups, closed groups, Meeting
Guide type codes, fees now and then. It is generated from a fixed seed, so a second run finds
every group and meeting by its slug and creates nothing; schedules start four weeks before the
first run (cheap to expand); rows are bulk-created, so the groups and meetings take half a second
on SQLite and indexing them for the directory about three more.

The generator (`metro_places`, `generate_groups`, `feed_records`) needs no database, so the
benchmark uses it to spread 100,000 meetings over the large US metro areas and to write Meeting
Guide feeds.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import zipcodes
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alongside.groups import directory, meetingguide
from alongside.groups.feeds import NEED_BY_ACCESSIBILITY, weekly_days
from alongside.groups.models import Accessibility, Format, Group, Meeting

PROGRAM_SLUG = "metro-directory"
PROGRAM = {
    "name": "Metro Recovery Directory",
    "description": (
        "The public meeting list of recovery and mutual-help groups across New York City, Long "
        "Island, Westchester and northern New Jersey: find a meeting near you tonight, or online."
    ),
    "contact_email": "meetings@metro.demo.alongside.test",
    "country": "US",
    "crisis_line_name": "988 Suicide & Crisis Lifeline",
    "crisis_line_phone": "988",
    "default_time_zone": "America/New_York",
}
SEED = 4
GROUPS = 700
MANHATTAN = (40.7831, -73.9712)
METRO_RADIUS_MILES = 50
METRO_STATES = ("NY", "NJ", "CT")
# Every schedule of a generated directory starts in the same week (a Monday).
FIRST_WEEK = date(2026, 1, 5)
BATCH = 1_000
EARTH_RADIUS_MILES = 3958.8
JITTER_DEGREES = 0.008  # about half a mile: meetings around a ZIP code, not on its centroid

# The large US metro areas: (name, latitude, longitude, population in millions), which sets how
# many of the benchmark's meetings each gets.
US_METROS: list[tuple[str, float, float, float]] = [
    ("New York", 40.7831, -73.9712, 19.5),
    ("Los Angeles", 34.0522, -118.2437, 12.8),
    ("Chicago", 41.8781, -87.6298, 9.4),
    ("Dallas", 32.7767, -96.7970, 7.9),
    ("Houston", 29.7604, -95.3698, 7.3),
    ("Washington", 38.9072, -77.0369, 6.3),
    ("Philadelphia", 39.9526, -75.1652, 6.2),
    ("Atlanta", 33.7490, -84.3880, 6.2),
    ("Miami", 25.7617, -80.1918, 6.1),
    ("Phoenix", 33.4484, -112.0740, 5.0),
    ("Boston", 42.3601, -71.0589, 4.9),
    ("San Francisco", 37.7749, -122.4194, 4.6),
    ("Detroit", 42.3314, -83.0458, 4.3),
    ("Seattle", 47.6062, -122.3321, 4.0),
    ("Minneapolis", 44.9778, -93.2650, 3.7),
    ("San Diego", 32.7157, -117.1611, 3.3),
    ("Tampa", 27.9506, -82.4572, 3.3),
    ("Denver", 39.7392, -104.9903, 3.0),
    ("Baltimore", 39.2904, -76.6122, 2.8),
    ("St. Louis", 38.6270, -90.1994, 2.8),
    ("Orlando", 28.5383, -81.3792, 2.7),
    ("Charlotte", 35.2271, -80.8431, 2.7),
    ("San Antonio", 29.4241, -98.4936, 2.6),
    ("Portland", 45.5152, -122.6784, 2.5),
    ("Sacramento", 38.5816, -121.4944, 2.4),
    ("Pittsburgh", 40.4406, -79.9959, 2.4),
    ("Austin", 30.2672, -97.7431, 2.4),
    ("Las Vegas", 36.1699, -115.1398, 2.3),
    ("Cincinnati", 39.1031, -84.5120, 2.3),
    ("Kansas City", 39.0997, -94.5786, 2.2),
    ("Columbus", 39.9612, -82.9988, 2.1),
    ("Indianapolis", 39.7684, -86.1581, 2.1),
    ("Cleveland", 41.4993, -81.6944, 2.1),
    ("Nashville", 36.1627, -86.7816, 2.0),
    ("Salt Lake City", 40.7608, -111.8910, 1.3),
    ("Albuquerque", 35.0844, -106.6504, 0.9),
    ("Honolulu", 21.3069, -157.8583, 1.0),
    ("Anchorage", 61.2181, -149.9003, 0.4),
]
US_METRO_RADIUS_MILES = 40

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# (period, word in names, start times on weekdays, start times at weekends)
PERIODS = [
    ("morning", "Morning", [time(6, 45), time(7, 0), time(7, 30), time(8, 0)], [time(9, 0)]),
    ("noon", "Noon", [time(12, 0), time(12, 15), time(12, 30), time(13, 0)], [time(11, 0)]),
    (
        "evening",
        "Night",
        [time(18, 0), time(18, 30), time(19, 0), time(19, 30), time(20, 0), time(20, 30)],
        [time(17, 0), time(19, 0)],
    ),
]
PERIOD_WEIGHTS = [25, 20, 55]
THEMES = {
    "morning": [
        "Early Risers",
        "Sunrise Group",
        "Coffee and Recovery",
        "First Things First",
        "Morning Meditation",
        "Daybreak",
    ],
    "noon": ["Lunch Bunch", "Noon Serenity", "Midday Reprieve", "Brown Bag Group", "High Noon"],
    "evening": [
        "Hope",
        "Serenity",
        "Courage to Change",
        "New Beginnings",
        "Keep It Simple",
        "Into Action",
        "Came to Believe",
        "Easy Does It",
        "Back to Basics",
        "Promises",
        "Happy Destiny",
        "Road to Recovery",
        "Freedom Group",
        "Grateful Hearts",
        "One Step at a Time",
        "Candlelight",
        "Last Stop",
    ],
}
# (group name, type code the whole group's meetings carry, languages)
SPECIAL_GROUPS = [
    ("Women in Recovery", "W", ["en"]),
    ("Women's Circle", "W", ["en"]),
    ("Men's Stag", "M", ["en"]),
    ("Young People in Recovery", "Y", ["en"]),
    ("Rainbow Recovery", "LGBTQ", ["en"]),
    ("Seniors in Sobriety", "SEN", ["en"]),
    ("Grupo Esperanza", "", ["es"]),
    ("Grupo Nueva Vida", "", ["es"]),
    ("Grupo Renacer", "", ["es"]),
    ("Sendero de Luz", "", ["es"]),
    ("Bilingual Bridges", "", ["en", "es"]),
]
# (words added to the meeting's name, its type codes)
VARIANTS = [
    ("", ["D"]),
    ("", ["D"]),
    ("", ["D", "BE"]),
    ("Step Study", ["ST"]),
    ("Big Book", ["B", "LIT"]),
    ("Speaker Meeting", ["SP"]),
    ("Beginners", ["BE", "D"]),
    ("Meditation", ["11", "MED"]),
    ("Tradition Study", ["TR"]),
    ("Literature", ["LIT", "D"]),
    ("Women's Meeting", ["W", "D"]),
    ("Men's Meeting", ["M", "D"]),
    ("Living Sober", ["LS", "LIT"]),
    ("Grapevine", ["GR", "D"]),
]
# Area of concern slugs (core.taxonomy) and how often a group is about them.
AREAS = [
    ("alcohol", 55),
    ("opioids", 12),
    ("stimulants", 5),
    ("cannabis", 4),
    ("benzodiazepines", 2),
    ("tobacco-nicotine", 2),
    ("gambling", 4),
    ("gaming-internet", 1),
    ("depression", 5),
    ("anxiety", 4),
    ("grief", 2),
    ("ptsd", 2),
    ("eating-disorders", 2),
]
VENUES = [
    "St. Mary's Church hall",
    "First Presbyterian Church",
    "Community Center",
    "Public Library, meeting room",
    "Recovery Clubhouse",
    "YMCA",
    "Lutheran Church basement",
    "Senior Center",
    "Temple Beth Shalom, social hall",
    "Methodist Church, fellowship hall",
    "Hospital, conference room B",
    "Friends Meeting House",
]
STREETS = [
    "Main St",
    "Church St",
    "Broadway",
    "Park Ave",
    "Elm St",
    "Washington Ave",
    "Maple Ave",
    "Central Ave",
    "Union St",
    "Franklin Ave",
    "Jefferson St",
    "Highland Ave",
]
ROOM_NOTES = [
    "Side entrance, downstairs.",
    "Enter from the parking lot; second floor.",
    "Ring the bell at the blue door.",
    "Room 3, past the office.",
    "",
    "",
]
FEES = ["$5 suggested donation", "$10 a session", "$15, sliding scale", "$20 a month"]
MEETINGS_PER_GROUP = [1, 2, 3, 4, 5, 6, 7, 8, 9]
MEETINGS_PER_GROUP_WEIGHTS = [8, 9, 13, 15, 15, 15, 11, 7, 7]


@dataclass(frozen=True)
class Place:
    """A real ZIP code's centroid, with its city, state and time zone."""

    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float
    time_zone: str


@dataclass(frozen=True)
class MeetingSpec:
    slug: str
    name: str
    rule: str
    starts_on: date
    start_time: time
    duration: timedelta
    location_name: str
    address: str
    city: str
    state: str
    postal_code: str
    latitude: float | None
    longitude: float | None
    room_notes: str
    conference_url: str
    conference_phone: str
    types: tuple[str, ...]


@dataclass(frozen=True)
class GroupSpec:
    """A group and its meetings. `types` leave out what the group states (open or closed, format,
    language, accessibility), as the Meeting Guide import stores them."""

    slug: str
    name: str
    description: str
    areas: tuple[str, ...]
    format: str
    languages: tuple[str, ...]
    is_open: bool
    accessibility: tuple[str, ...]
    is_free: bool
    fee: str
    time_zone: str
    meetings: tuple[MeetingSpec, ...]


def miles_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in miles between two (latitude, longitude) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


def places_near(
    centre: tuple[float, float],
    radius_miles: float,
    *,
    states: Sequence[str] = (),
    default_zone: str = "America/New_York",
    all_zips: Sequence[dict] | None = None,
) -> list[Place]:
    """The active, standard ZIP codes whose centroid is within `radius_miles` of `centre`."""
    rows = all_zips if all_zips is not None else zipcodes.list_all()
    # A box first: a degree of latitude is 69 miles; the haversine only for what is inside.
    lat_span = radius_miles / 69.0
    lng_span = radius_miles / (69.0 * max(0.1, math.cos(math.radians(centre[0]))))
    places = []
    for row in rows:
        if row["zip_code_type"] != "STANDARD" or not row["active"]:
            continue
        if states and row["state"] not in states:
            continue
        point = (float(row["lat"]), float(row["long"]))
        if abs(point[0] - centre[0]) > lat_span or abs(point[1] - centre[1]) > lng_span:
            continue
        if miles_between(centre, point) <= radius_miles:
            zone = row["timezone"] or default_zone
            places.append(Place(row["zip_code"], row["city"], row["state"], *point, zone))
    places.sort(key=lambda place: place.zip_code)  # zipcodes' order is not a promise
    return places


@functools.cache
def metro_places() -> tuple[Place, ...]:
    """The demo's places: ZIP codes within 50 miles of Manhattan."""
    return tuple(places_near(MANHATTAN, METRO_RADIUS_MILES, states=METRO_STATES))


def us_metro_places(
    radius_miles: float = US_METRO_RADIUS_MILES,
) -> list[tuple[str, float, list[Place]]]:
    """(metro name, population in millions, its places) for each large US metro area."""
    rows = zipcodes.list_all()
    return [
        (name, population, places_near((lat, lng), radius_miles, all_zips=rows))
        for name, lat, lng, population in US_METROS
    ]


def generate_groups(
    places: Sequence[Place],
    count: int,
    rng: random.Random,
    *,
    prefix: str = "",
    first_week: date = FIRST_WEEK,
) -> Iterator[GroupSpec]:
    """`count` groups with their meetings around `places`; slugs start with `prefix`."""
    used: set[str] = set()
    for number in range(count):
        yield _group(rng.choice(places), number, rng, used, prefix, first_week)


def generate_meetings(
    metros: Sequence[tuple[str, float, Sequence[Place]]],
    meetings: int,
    rng: random.Random,
    *,
    first_week: date = FIRST_WEEK,
) -> Iterator[GroupSpec]:
    """Groups spread over `metros` (name, weight, places) by weight until they hold `meetings`
    meetings in all (the last group may be cut short)."""
    weights = [weight for _name, weight, places in metros if places]
    usable = [(name, places) for name, _weight, places in metros if places]
    used: set[str] = set()
    made = 0
    number = 0
    while made < meetings:
        _name, places = rng.choices(usable, weights)[0]
        group = _group(rng.choice(places), number, rng, used, "", first_week)
        number += 1
        left = meetings - made
        if len(group.meetings) > left:
            group = _cut(group, left)
        made += len(group.meetings)
        yield group


def _cut(group: GroupSpec, keep: int) -> GroupSpec:
    return replace(group, meetings=group.meetings[:keep])


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in weighted], [w for _v, w in weighted])[0]


def _group(
    place: Place, number: int, rng: random.Random, used: set[str], prefix: str, first_week: date
) -> GroupSpec:
    period_index = rng.choices(range(len(PERIODS)), PERIOD_WEIGHTS)[0]
    period, period_word, weekday_times, weekend_times = PERIODS[period_index]
    first_day = rng.randrange(7)
    group_code = ""
    languages: list[str] = ["en"]
    roll = rng.random()
    if roll < 0.14:
        name, group_code, languages = rng.choice(SPECIAL_GROUPS)
        name = f"{place.city.title()} {name}"
    else:
        theme = rng.choice(THEMES[period])
        if roll < 0.45:
            when = (
                DAY_NAMES[first_day]
                if period_word in theme
                else f"{DAY_NAMES[first_day]} {period_word}"
            )
            name = f"{when} {theme}"
        elif roll < 0.80:
            name = f"{place.city.title()} {theme}"
        else:
            name = theme if theme.endswith("Group") else f"{theme} Group"
    areas = [_pick(rng, AREAS)]
    if rng.random() < 0.2:
        areas.append(_pick(rng, AREAS))
    areas = list(dict.fromkeys(areas))
    roll = rng.random()
    group_format = (
        Format.IN_PERSON if roll < 0.72 else Format.HYBRID if roll < 0.87 else Format.ONLINE
    )
    accessibility = []
    if group_format != Format.ONLINE and rng.random() < 0.55:
        accessibility.append(Accessibility.WHEELCHAIR)
    for choice in (
        Accessibility.ASL,
        Accessibility.HEARING_LOOP,
        Accessibility.FRAGRANCE_FREE,
        Accessibility.CHILDCARE,
    ):
        if rng.random() < 0.03:
            accessibility.append(choice)
    is_free = rng.random() < 0.92
    base = slugify(f"{prefix} {name}")[:110] or f"group-{number}"
    slug = base
    suffix = 2
    while slug in used:
        slug = f"{base}-{suffix}"
        suffix += 1
    used.add(slug)
    located = group_format != Format.ONLINE
    venue = f"{place.city.title()} {rng.choice(VENUES)}"
    street = f"{rng.randint(1, 2400)} {rng.choice(STREETS)}"
    latitude = round(place.latitude + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6)
    longitude = round(place.longitude + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6)
    room_notes = rng.choice(ROOM_NOTES)
    meeting_count = rng.choices(MEETINGS_PER_GROUP, MEETINGS_PER_GROUP_WEIGHTS)[0]
    meetings = []
    for index in range(meeting_count):
        day = first_day if index == 0 else rng.randrange(7)
        if index == 0 or rng.random() < 0.7:
            times = weekday_times if day < 5 else weekend_times
        else:
            other = PERIODS[rng.randrange(len(PERIODS))]
            times = other[2] if day < 5 else other[3]
        rule, first_date = _schedule(day, rng, first_week)
        variant, codes = VARIANTS[0] if index == 0 else rng.choice(VARIANTS)
        types = list(dict.fromkeys([*codes, *([group_code] if group_code else [])]))
        meeting_slug = f"{slug}-{index + 1}"
        online = group_format != Format.IN_PERSON
        meetings.append(
            MeetingSpec(
                slug=meeting_slug,
                name=f"{name} {variant}".strip()[:120],
                rule=rule,
                starts_on=first_date,
                start_time=rng.choice(times),
                duration=timedelta(minutes=90 if rng.random() < 0.25 else 60),
                location_name=venue if located else "",
                address=street if located else "",
                city=place.city.title() if located else "",
                state=place.state if located else "",
                postal_code=place.zip_code if located else "",
                latitude=latitude if located else None,
                longitude=longitude if located else None,
                room_notes=room_notes if located else "",
                conference_url=f"https://meet.example.org/{meeting_slug}" if online else "",
                conference_phone="+1 646 555 0199" if online and rng.random() < 0.5 else "",
                types=tuple(types),
            )
        )
    return GroupSpec(
        slug=slug,
        name=name[:120],
        description=f"{name} is a peer-led mutual-help group. Newcomers are always welcome.",
        areas=tuple(areas),
        format=group_format,
        languages=tuple(languages),
        is_open=rng.random() < 0.8,
        accessibility=tuple(accessibility),
        is_free=is_free,
        fee="" if is_free else rng.choice(FEES),
        time_zone=place.time_zone,
        meetings=tuple(meetings),
    )


def _schedule(day: int, rng: random.Random, first_week: date) -> tuple[str, date]:
    """A recurrence rule on `day` (0 = Monday) and its first date: mostly weekly on one to three
    days, some every other week, monthly on the second weekday, or every weekday."""
    roll = rng.random()
    first = first_week + timedelta(days=day)
    if roll < 0.55:
        return f"FREQ=WEEKLY;BYDAY={DAYS[day]}", first
    if roll < 0.75:
        days = sorted({day, *rng.sample(range(7), rng.randint(1, 2))})
        return f"FREQ=WEEKLY;BYDAY={','.join(DAYS[d] for d in days)}", first_week + timedelta(
            days=days[0]
        )
    if roll < 0.87:
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={DAYS[day]}", first
    if roll < 0.94:
        second = first_week + timedelta(days=day)
        while second.day < 8 or second.day > 14:  # the second such weekday of its month
            second += timedelta(days=7)
        return f"FREQ=MONTHLY;BYDAY=2{DAYS[day]}", second
    return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", first_week


def feed_records(groups: Iterable[GroupSpec], limit: int) -> list[meetingguide.MeetingRecord]:
    """Meeting Guide records of the groups' weekly meetings (the spec knows no other), with the
    group's own codes added as an export adds them, at most `limit`."""
    records: list[meetingguide.MeetingRecord] = []
    names: set[str] = set()
    for group in groups:
        # An import finds a group by its name: two groups must not share one.
        name = group.name if group.name not in names else f"{group.name} {len(names)}"
        names.add(name)
        group_codes = meetingguide.type_codes_for(
            attendance=group.format,
            languages=group.languages,
            is_open=group.is_open,
            accessibility=[
                NEED_BY_ACCESSIBILITY[Accessibility(choice)]
                for choice in group.accessibility
                if choice in NEED_BY_ACCESSIBILITY
            ],
        )
        for meeting in group.meetings:
            days = weekly_days(meeting.rule, meeting.starts_on)
            if days is None:
                continue
            end = (
                datetime.combine(meeting.starts_on, meeting.start_time) + meeting.duration
            ).time()
            codes = tuple(dict.fromkeys([*meeting.types, *group_codes]))
            records.append(
                meetingguide.MeetingRecord(
                    name=meeting.name,
                    slug=meeting.slug,
                    day=days,
                    time=meeting.start_time,
                    end_time=end,
                    timezone=group.time_zone,
                    types=codes,
                    location=meeting.location_name,
                    location_notes=meeting.room_notes,
                    address=meeting.address,
                    city=meeting.city,
                    state=meeting.state,
                    postal_code=meeting.postal_code,
                    country="US",
                    latitude=meeting.latitude,
                    longitude=meeting.longitude,
                    conference_url=meeting.conference_url,
                    conference_phone=meeting.conference_phone,
                    group=name if len(group.meetings) > 1 else "",
                )
            )
            if len(records) >= limit:
                return records
    return records


def seed_directory(*, groups: int | None = None, seed: int = SEED) -> dict[str, int]:
    """Add what is missing of the demo directory; returns how many groups and meetings it made."""
    from alongside.programs.models import Program

    program = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if program is None:
        program = Program.objects.create(slug=PROGRAM_SLUG, **PROGRAM)
    rng = random.Random(seed)
    count = GROUPS if groups is None else groups
    specs = list(generate_groups(metro_places(), count, rng, first_week=recent_monday()))
    created = save_groups(program, specs, publish=True)
    refresh_directory(created["meeting_ids"])
    return {
        "directory_groups": created["groups"],
        "directory_meetings": len(created["meeting_ids"]),
    }


@transaction.atomic
def save_groups(program, specs: Sequence[GroupSpec], *, publish: bool) -> dict:
    """Bulk-create the groups and meetings of `specs` missing from `program` (found by slug);
    returns {"groups": how many groups, "meeting_ids": the new meetings' ids}."""
    from alongside.core.models import AreaOfConcern

    areas = dict(AreaOfConcern.objects.values_list("slug", "pk"))
    groups = dict(Group.objects.filter(program=program).values_list("slug", "pk"))
    new_groups = [
        Group(
            program=program,
            name=spec.name,
            slug=spec.slug,
            description=spec.description,
            format=spec.format,
            languages=list(spec.languages),
            is_open=spec.is_open,
            accessibility=list(spec.accessibility),
            is_free=spec.is_free,
            fee=spec.fee,
            time_zone=spec.time_zone,
            is_published=publish,
        )
        for spec in specs
        if spec.slug not in groups
    ]
    Group.objects.bulk_create(new_groups, batch_size=BATCH)
    if new_groups and new_groups[0].pk is None:  # a database without RETURNING
        groups = dict(Group.objects.filter(program=program).values_list("slug", "pk"))
    else:
        groups.update({group.slug: group.pk for group in new_groups})
    new_slugs = {group.slug for group in new_groups}
    Through = Group.areas_of_concern.through
    Through.objects.bulk_create(
        [
            Through(group_id=groups[spec.slug], areaofconcern_id=areas[area])
            for spec in specs
            if spec.slug in new_slugs
            for area in spec.areas
            if area in areas
        ],
        batch_size=BATCH,
    )
    existing = set(Meeting.objects.filter(program=program).values_list("slug", flat=True))
    new_meetings = [
        Meeting(
            group_id=groups[spec.slug],
            program=program,
            slug=meeting.slug,
            name=meeting.name,
            rule=meeting.rule,
            starts_on=meeting.starts_on,
            start_time=meeting.start_time,
            duration=meeting.duration,
            location_name=meeting.location_name,
            address=meeting.address,
            city=meeting.city,
            state=meeting.state,
            postal_code=meeting.postal_code,
            latitude=_decimal(meeting.latitude),
            longitude=_decimal(meeting.longitude),
            room_notes=meeting.room_notes,
            conference_url=meeting.conference_url,
            conference_phone=meeting.conference_phone,
            types=list(meeting.types),
        )
        for spec in specs
        for meeting in spec.meetings
        if meeting.slug not in existing
    ]
    Meeting.objects.bulk_create(new_meetings, batch_size=BATCH)
    if new_meetings and new_meetings[0].pk is None:
        slugs = {meeting.slug for meeting in new_meetings}
        ids = [
            pk
            for pk, slug in Meeting.objects.filter(program=program).values_list("pk", "slug")
            if slug in slugs
        ]
    else:
        ids = [meeting.pk for meeting in new_meetings]
    return {"groups": len(new_groups), "meeting_ids": ids}


def refresh_directory(meeting_ids: Sequence[int]) -> int:
    """Index the new meetings in the directory."""
    return directory.refresh_meetings(meeting_ids) if meeting_ids else 0


def recent_monday(today: date | None = None) -> date:
    """The Monday four weeks before `today`: schedules that start shortly before the directory's
    window are quick to expand, and still have a past behind them."""
    today = today or timezone.localdate()
    return today - timedelta(days=today.weekday() + 28)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value:.6f}")
