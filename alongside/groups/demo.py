"""Demo data for groups: 32 support groups across both demo programs, each with weekly,
fortnightly or monthly meetings at real New York and Chicago neighbourhoods or online, members,
a closed group with waiting requests, announcements and RSVPs.

`seed_groups(data)` is idempotent: groups and meetings are looked up by their slugs and only the
missing ones are created; members join only groups they are not in.
"""

from datetime import date, time, timedelta
from decimal import Decimal
from itertools import cycle

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from alongside.core.models import AreaOfConcern
from alongside.groups import actions, demo_directory
from alongside.groups.models import Format, Group, GroupMembership, Meeting
from alongside.programs.models import Role

# Monday 5 January 2026: every schedule starts the same week, so the weekday codes line up.
FIRST_WEEK = date(2026, 1, 5)
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# (name, areas of concern, format, is open)
RIVERSIDE_GROUPS = [
    ("Morning Light", ("alcohol",), Format.IN_PERSON, True),
    ("One Day at a Time", ("alcohol", "opioids"), Format.IN_PERSON, True),
    ("Harbor Circle", ("opioids",), Format.HYBRID, True),
    ("Quiet Minds", ("anxiety",), Format.ONLINE, True),
    ("Blue Monday Talk", ("depression",), Format.IN_PERSON, True),
    ("Steady Ground", ("ptsd",), Format.IN_PERSON, False),
    ("Veterans Fireside", ("ptsd", "alcohol"), Format.HYBRID, False),
    ("Pain, Together", ("chronic-pain",), Format.ONLINE, True),
    ("Heart and Hope", ("cardiac",), Format.IN_PERSON, True),
    ("Grief Walkers", ("grief",), Format.IN_PERSON, True),
    ("Parents in Recovery", ("alcohol", "opioids"), Format.HYBRID, True),
    ("Círculo de Esperanza", ("alcohol", "depression"), Format.IN_PERSON, True),
    ("Smoke-Free Together", ("tobacco-nicotine",), Format.ONLINE, True),
    ("All In, All Out", ("gambling",), Format.IN_PERSON, True),
    ("Log Off Circle", ("gaming-internet",), Format.ONLINE, True),
    ("Balance Point", ("bipolar",), Format.IN_PERSON, False),
    ("Nourish", ("eating-disorders",), Format.HYBRID, False),
    ("Green Path", ("cannabis",), Format.IN_PERSON, True),
    ("Benzo Taper Support", ("benzodiazepines",), Format.ONLINE, True),
    ("Night Owls", ("anxiety", "depression"), Format.ONLINE, True),
    ("Bronx Sunrise", ("alcohol",), Format.IN_PERSON, True),
    ("Brooklyn Bridges", ("opioids", "alcohol"), Format.IN_PERSON, True),
    ("Queens Crossroads", ("depression",), Format.HYBRID, True),
    ("Jersey Shoreline", ("alcohol",), Format.IN_PERSON, True),
]
HILLCREST_GROUPS = [
    ("After the Heart Attack", ("cardiac",), Format.IN_PERSON, True),
    ("Bypass Buddies", ("cardiac",), Format.HYBRID, True),
    ("Stroke Survivors Circle", ("stroke",), Format.IN_PERSON, True),
    ("Walking Club", ("cardiac", "stroke"), Format.IN_PERSON, True),
    ("Caregivers Corner", ("cardiac", "stroke"), Format.ONLINE, True),
    ("Diabetes and the Heart", ("diabetes", "cardiac"), Format.HYBRID, True),
    ("Worry Less", ("anxiety", "cardiac"), Format.ONLINE, False),
    ("Lakeside Recovery", ("cardiac",), Format.IN_PERSON, True),
]
# (place, street address, city, state, ZIP, latitude, longitude)
RIVERSIDE_PLACES = [
    ("St. Mark's Church hall", "131 E 10th St", "New York", "NY", "10003", 40.7299, -73.9869),
    (
        "Riverside Community Center",
        "490 Riverside Dr",
        "New York",
        "NY",
        "10027",
        40.8118,
        -73.9625,
    ),
    ("Harlem YMCA", "180 W 135th St", "New York", "NY", "10030", 40.8149, -73.9437),
    ("Fort Greene library room", "360 Myrtle Ave", "Brooklyn", "NY", "11205", 40.6931, -73.9714),
    ("Park Slope Commons", "208 5th Ave", "Brooklyn", "NY", "11215", 40.6771, -73.9819),
    ("Astoria Neighborhood House", "30-11 Steinway St", "Queens", "NY", "11103", 40.7614, -73.9174),
    ("Jamaica Center room 2", "89-31 161st St", "Queens", "NY", "11432", 40.7048, -73.7997),
    ("Fordham Parish hall", "2496 Arthur Ave", "Bronx", "NY", "10458", 40.8574, -73.8876),
    ("Hoboken Recovery Hall", "124 Bloomfield St", "Hoboken", "NJ", "07030", 40.7379, -74.0312),
    ("Jersey City Commons", "25 Journal Square", "Jersey City", "NJ", "07306", 40.7327, -74.0634),
]
HILLCREST_PLACES = [
    (
        "Hillcrest Hospital, rehab gym",
        "1653 W Congress Pkwy",
        "Chicago",
        "IL",
        "60612",
        41.8749,
        -87.6694,
    ),
    ("Lincoln Park Library", "1150 W Fullerton Ave", "Chicago", "IL", "60614", 41.9253, -87.6570),
    (
        "Hyde Park Neighborhood Club",
        "5480 S Kenwood Ave",
        "Chicago",
        "IL",
        "60615",
        41.7960,
        -87.5944,
    ),
    ("Logan Square Commons", "2659 N Milwaukee Ave", "Chicago", "IL", "60647", 41.9298, -87.7076),
]
# (rule template, start times): every pattern the schedules support
PATTERNS = [
    ("FREQ=WEEKLY;BYDAY={day}", [time(19, 0), time(18, 30)]),
    ("FREQ=WEEKLY;BYDAY={day}", [time(7, 30), time(12, 0)]),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}", [time(18, 0)]),
    ("FREQ=MONTHLY;BYDAY=2{day}", [time(19, 30)]),
    ("FREQ=WEEKLY;BYDAY={day}", [time(20, 0)]),
]
TYPES: dict[str, list[str]] = {
    Format.IN_PERSON: ["O", "D"],
    Format.HYBRID: ["O", "D", "ONL"],
    Format.ONLINE: ["C", "ONL"],
}
ACCESSIBILITY = [["wheelchair"], ["wheelchair", "hearing_loop"], [], ["asl"], ["fragrance_free"]]


def seed_groups(data) -> dict[str, int]:
    """Add what is missing of the groups demo to `data` (a core.demo.DemoData); returns counts."""
    created = {"groups": 0, "meetings": 0, "memberships": 0}
    with transaction.atomic():
        for slug, specs, places, zone in (
            ("riverside", RIVERSIDE_GROUPS, RIVERSIDE_PLACES, "America/New_York"),
            ("hillcrest", HILLCREST_GROUPS, HILLCREST_PLACES, "America/Chicago"),
        ):
            _seed_program(data, slug, specs, places, zone, created)
        created.update(demo_directory.seed_directory())
    return created


def _seed_program(data, slug, specs, places, zone, created) -> None:
    program = data.programs[slug]
    people = data.people[slug]
    coordinator = people[Role.COORDINATOR][0]
    facilitators = cycle(people.get(Role.FACILITATOR, []) or [None])
    members = people.get(Role.MEMBER, [])
    areas = {area.slug: area for area in AreaOfConcern.objects.all()}
    for number, (name, area_slugs, group_format, is_open) in enumerate(specs):
        group_slug = slugify(name)
        group = Group.objects.filter(program=program, slug=group_slug).first()
        facilitator = next(facilitators)
        if group is None:
            group = actions.create_group(
                coordinator,
                program=program,
                fields={
                    "name": name,
                    "slug": group_slug,
                    "description": f"{name} is a peer-led group of {program.name}. "
                    "Come as you are; listening is enough.",
                    "format": group_format,
                    "languages": ["es"] if name.startswith("Círculo") else ["en"],
                    "is_open": is_open,
                    "accessibility": ACCESSIBILITY[number % len(ACCESSIBILITY)],
                    "capacity": None if is_open else 12,
                    "time_zone": zone,
                    "is_published": number % 8 != 7,
                },
                areas_of_concern=[areas[a] for a in area_slugs if a in areas],
                facilitators=[facilitator] if facilitator else [],
            )
            created["groups"] += 1
        _seed_meetings(coordinator, group, number, places, created)
        if group.is_published:
            _seed_members(group, members[number % 3 :: 3][:6], created)


def _seed_meetings(coordinator, group: Group, number: int, places, created) -> None:
    rule_template, times = PATTERNS[number % len(PATTERNS)]
    day = number % 7
    for index, start_time in enumerate(times):
        meeting_slug = f"{group.slug}-{index + 1}"
        if Meeting.objects.filter(program=group.program, slug=meeting_slug).exists():
            continue
        place, address, city, state, postal_code, latitude, longitude = places[
            (number + index) % len(places)
        ]
        located = group.format != Format.ONLINE
        online = group.format != Format.IN_PERSON
        actions.save_meeting(
            coordinator,
            group=group,
            fields={
                "name": group.name if len(times) == 1 else f"{group.name} ({index + 1})",
                "slug": meeting_slug,
                "rule": rule_template.format(day=WEEKDAYS[(day + index) % 7]),
                "starts_on": FIRST_WEEK + timedelta(days=(day + index) % 7),
                "start_time": start_time,
                "duration": timedelta(minutes=90 if index == 0 else 60),
                "location_name": place if located else "",
                "address": address if located else "",
                "city": city if located else "",
                "state": state if located else "",
                "postal_code": postal_code if located else "",
                "latitude": Decimal(str(latitude)) if located else None,
                "longitude": Decimal(str(longitude)) if located else None,
                "room_notes": "Side door, ring the bell; second floor." if located else "",
                "conference_url": f"https://meet.alongside.test/{meeting_slug}" if online else "",
                "conference_phone": "+1 646 555 0100" if online else "",
                "types": TYPES[group.format],
            },
        )
        created["meetings"] += 1


def _seed_members(group: Group, members, created) -> None:
    for member in members:
        if GroupMembership.objects.filter(group=group, user=member).exists():
            continue
        actions.join_group(member, group=group)
        created["memberships"] += 1
    if group.announcements.exists() or not group.facilitators.exists():
        return
    actions.post_announcement(
        group.facilitators.first(),
        group=group,
        body="Welcome! New faces are always welcome; arrive ten minutes early for coffee.",
    )
    meeting = group.meetings.first()
    upcoming = meeting.next_occurrence(timezone.now()) if meeting else None
    if meeting is None or upcoming is None:
        return
    for membership in group.memberships.approved()[:3]:
        actions.set_rsvp(
            membership.user,
            meeting=meeting,
            scheduled_utc=upcoming.scheduled_utc,
            attending=True,
        )
