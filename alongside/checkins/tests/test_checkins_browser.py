"""A check-in filled in on a phone in a few taps, its draft surviving a lost session, and the
trends page, each passing an axe-core scan."""

from datetime import date

import pytest

from alongside.browser import browser, check_accessibility, login_as, page  # noqa: F401
from alongside.checkins.models import CheckIn

pytestmark = pytest.mark.browser


def test_a_member_checks_in_on_a_phone_in_a_few_taps(page, live_server, member, program):  # noqa: F811
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/checkins/")

    assert page.get_by_role("heading", name="Today's check-in").is_visible()
    mood = page.get_by_role("radio", name="7 Good")
    box = page.locator("label.choice", has=mood).bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    check_accessibility(page, "checkins-today")

    page.get_by_text("7 Good").click()
    page.get_by_role("group", name="Cravings").get_by_text("2", exact=True).click()
    page.get_by_label("Hours of sleep").fill("25")
    page.get_by_role("group", name="Medication taken").get_by_text("Yes").click()
    page.get_by_role("button", name="Save my check-in").click()

    assert page.get_by_text("“Hours of sleep” can be at most 24 hours.").is_visible()
    assert not CheckIn.objects.exists()
    check_accessibility(page, "checkins-today-error")

    page.get_by_label("Hours of sleep").fill("7.5")
    page.get_by_role("button", name="Save my check-in").click()

    assert page.get_by_text("Your check-in for today is saved.").is_visible()
    saved = CheckIn.objects.get()
    assert (saved.mood, saved.values) == (
        7,
        {"cravings": 2, "sleep_hours": 7.5, "medication_taken": "yes"},
    )
    assert page.get_by_role("radio", name="7 Good").is_checked()
    page.screenshot(path="test-artifacts/checkins-today-saved-phone.png", full_page=True)


def test_a_draft_survives_a_lost_session_and_is_sent_once(page, live_server, member, program):  # noqa: F811
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/checkins/{program.slug}/")
    page.get_by_text("4 Low").click()
    page.get_by_label("Anything you want to add?").fill("Tired but okay")
    # The session ends (expiry, or signing out on another tab) before the form is sent.
    page.context.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Save my check-in").click()
    assert "/accounts/login/" in page.url
    assert not CheckIn.objects.exists()

    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/checkins/{program.slug}/")

    assert page.get_by_text("We filled in what you typed earlier").is_visible()
    assert page.get_by_role("radio", name="4 Low").is_checked()
    assert page.get_by_label("Anything you want to add?").input_value() == "Tired but okay"
    page.get_by_role("button", name="Save my check-in").click()
    assert page.get_by_text("Your check-in for today is saved.").is_visible()
    assert CheckIn.objects.get().note == "Tired but okay"

    page.reload()
    assert page.get_by_text("We filled in what you typed earlier").is_hidden()
    draft = page.evaluate(
        "Object.keys(window.localStorage).filter(k => k.startsWith('alongside.checkin'))"
    )
    assert draft == []


def test_the_trends_page_is_accessible(page, live_server, member, program):  # noqa: F811
    CheckIn.objects.create(member=member, program=program, day=date.today(), mood=6)
    login_as(page, live_server, member)

    page.goto(f"{live_server.url}/checkins/{program.slug}/trends/?days=7")
    page.get_by_text("Mood as a table").click()

    assert page.get_by_role("img", name="Mood", exact=True).is_visible()
    check_accessibility(page, "checkins-trends")
