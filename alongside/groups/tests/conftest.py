"""Group stories: a published open group in New York run by `facilitator`, meeting on Tuesdays."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from alongside.groups import actions

# A Monday: the first Tuesday meeting (19:00 in New York) is tomorrow, 00:00 UTC on Wednesday.
NOW = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
FIRST_MEETING_UTC = datetime(2026, 1, 7, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _monday_afternoon():
    with time_machine.travel(NOW, tick=False):
        yield


def group_fields(**changes) -> dict:
    return {
        "name": "Tuesday Evening Circle",
        "slug": "tuesday-circle",
        "description": "A gentle peer circle.",
        "format": "in_person",
        "languages": ["en"],
        "is_open": True,
        "accessibility": ["wheelchair"],
        "accessibility_notes": "",
        "capacity": None,
        "is_free": True,
        "fee": "",
        "time_zone": "America/New_York",
        "is_published": True,
    } | changes


def meeting_fields(**changes) -> dict:
    return {
        "name": "Tuesday circle",
        "slug": "tuesday-circle-meeting",
        "rule": "FREQ=WEEKLY;BYDAY=TU",
        "starts_on": date(2026, 1, 6),
        "start_time": time(19, 0),
        "address": "1 Main Street",
        "city": "Springfield",
        "state": "NY",
        "postal_code": "10001",
        "types": ["O", "D"],
    } | changes


def start_group(coordinator, program, facilitator=None, **changes):
    return actions.create_group(
        coordinator,
        program=program,
        fields=group_fields(**changes),
        facilitators=[facilitator] if facilitator else [],
    )


@pytest.fixture
def group(coordinator, program, facilitator):
    return start_group(coordinator, program, facilitator)


@pytest.fixture
def meeting(group, facilitator):
    return actions.save_meeting(facilitator, group=group, fields=meeting_fields())


@pytest.fixture
def joined(group, member):
    actions.join_group(member, group=group)
    return member
