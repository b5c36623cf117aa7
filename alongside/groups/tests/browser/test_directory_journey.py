"""A member finds tonight's meeting near their ZIP code on a phone, joins and says they'll come;
a visitor finds it from the browser's location. The pages pass axe-core."""

import re
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from alongside.browser import check_accessibility, login_as
from alongside.groups import actions, windows
from alongside.groups.models import RSVP
from alongside.groups.tests.conftest import meeting_fields, start_group

pytestmark = pytest.mark.browser

NEW_YORK = ZoneInfo("America/New_York")
TIMES_SQUARE = {"latitude": Decimal("40.758000"), "longitude": Decimal("-73.985500")}


@pytest.fixture
def tonight():
    """Server time at which tonight has at least an hour left in New York (real time, or half an
    hour on when the night is nearly over)."""
    now = timezone.now()
    start, end = windows.when_span("tonight", now, NEW_YORK, horizon=timedelta(days=1))
    if end - start < timedelta(hours=1):
        with time_machine.travel(end + timedelta(minutes=30), tick=True):
            yield
    else:
        yield


def a_meeting_tonight(coordinator, program, facilitator, name: str):
    """A one-off meeting in the middle of what is left of tonight in New York."""
    now = timezone.now()
    start, end = windows.when_span("tonight", now, NEW_YORK, horizon=timedelta(days=1))
    local = (start + (end - start) / 2).astimezone(NEW_YORK).replace(second=0, microsecond=0)
    group = start_group(coordinator, program, facilitator, slug=f"{name.lower()}-group")
    return actions.save_meeting(
        facilitator,
        group=group,
        fields=meeting_fields(
            name=name,
            slug=name.lower(),
            rule="",
            starts_on=local.date(),
            start_time=local.time(),
            **TIMES_SQUARE,
        ),
    )


def test_a_member_finds_tonights_meeting_by_zip_code_and_rsvps(
    page,
    live_server,
    tonight,
    program,
    coordinator,
    facilitator,
    member,
):
    meeting = a_meeting_tonight(coordinator, program, facilitator, "Lanterns")
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/meetings/")
    page.get_by_label("ZIP code").fill("00000")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Enter a 5-digit US ZIP code we know, like 10027.")).to_be_visible()
    check_accessibility(page, "directory-error")

    page.get_by_label("ZIP code").fill("10036")
    page.get_by_label("When").select_option("tonight")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"1 meeting near New York, NY"))
    ).to_be_visible()
    check_accessibility(page, "directory-tonight")

    page.get_by_role("link", name="Lanterns").click()
    page.get_by_role("button", name="Join the group to say you'll come").click()
    page.get_by_role("button", name="I'll be there").first.click()
    expect(page.get_by_text("You are going").first).to_be_visible()
    assert RSVP.objects.filter(meeting=meeting, member=member).count() == 1
    check_accessibility(page, "directory-meeting-rsvp")


def test_a_visitor_searches_near_the_browsers_location(
    browser,
    live_server,
    tonight,
    program,
    coordinator,
    facilitator,
):
    a_meeting_tonight(coordinator, program, facilitator, "Beacon")
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="en-US",
        timezone_id="America/New_York",
        geolocation={"latitude": 40.7484, "longitude": -73.9857},  # the Empire State Building
        permissions=["geolocation"],
    )
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/meetings/?when=tonight")
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url(re.compile(r"lat=40\.75"))
        assert "lng=-73.99" in page.url  # rounded to about a kilometre before it is sent
        expect(page.get_by_role("link", name="Beacon")).to_be_visible()
        expect(page.get_by_text("Searching near your location. It is not stored.")).to_be_visible()
    finally:
        context.close()
