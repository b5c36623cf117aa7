"""A check-in filled in on a phone in a few taps, its draft surviving a lost session, and the
trends page, each passing an axe-core scan."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from alongside.browser import browser, check_accessibility, login_as, page  # noqa: F401
from alongside.checkins.models import CheckIn

pytestmark = pytest.mark.browser


def test_a_member_checks_in_on_a_phone_in_a_few_taps(page, live_server, member, program):  # noqa: F811
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/checkins/")

    expect(page.get_by_role("heading", name="Today's check-in")).to_be_visible()
    mood = page.get_by_role("radio", name="7 Good")
    box = page.locator("label.choice", has=mood).bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    check_accessibility(page, "checkins-today")

    page.get_by_text("7 Good").click()
    page.get_by_role("group", name="Cravings").get_by_text("2", exact=True).click()
    page.get_by_label("Hours of sleep").fill("25")
    page.get_by_role("group", name="Medication taken").get_by_text("Yes").click()
    page.get_by_role("button", name="Save my check-in").click()

    expect(page.get_by_text("“Hours of sleep” can be at most 24 hours.")).to_be_visible()
    assert not CheckIn.objects.exists()
    check_accessibility(page, "checkins-today-error")

    page.get_by_label("Hours of sleep").fill("7.5")
    page.get_by_role("button", name="Save my check-in").click()

    expect(page.get_by_text("Your check-in for today is saved.")).to_be_visible()
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
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert not CheckIn.objects.exists()

    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/checkins/{program.slug}/")

    expect(page.get_by_text("We filled in what you typed earlier")).to_be_visible()
    assert page.get_by_role("radio", name="4 Low").is_checked()
    assert page.get_by_label("Anything you want to add?").input_value() == "Tired but okay"
    page.get_by_role("button", name="Save my check-in").click()
    expect(page.get_by_text("Your check-in for today is saved.")).to_be_visible()
    assert CheckIn.objects.get().note == "Tired but okay"

    page.reload()
    expect(page.get_by_text("We filled in what you typed earlier")).to_be_hidden()
    draft = page.evaluate(
        "Object.keys(window.localStorage).filter(k => k.startsWith('alongside.checkin'))"
    )
    assert draft == []


def test_the_trends_page_is_accessible(page, live_server, member, program):  # noqa: F811
    CheckIn.objects.create(member=member, program=program, day=date.today(), mood=6)
    login_as(page, live_server, member)

    page.goto(f"{live_server.url}/checkins/{program.slug}/trends/?days=7")
    page.get_by_text("Mood as a table").click()

    expect(page.get_by_role("img", name="Mood", exact=True)).to_be_visible()
    check_accessibility(page, "checkins-trends")


def draft_keys(tab):
    """The check-in drafts this browser tab's site keeps in localStorage."""
    return tab.evaluate(
        "Object.keys(window.localStorage).filter(k => k.startsWith('alongside.checkin.')).sort()"
    )


def test_signing_out_removes_the_check_in_draft(page, live_server, member, program):  # noqa: F811
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/checkins/{program.slug}/")
    page.get_by_label("Anything you want to add?").fill("Not for the next person to read")
    page.evaluate("window.localStorage.setItem('alongside.theme', 'dark')")
    assert draft_keys(page) == [f"alongside.checkin.{member.pk}.{program.slug}"]

    page.get_by_text("Menu", exact=True).click()
    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url(f"{live_server.url}/")
    assert draft_keys(page) == []
    assert page.evaluate("window.localStorage.getItem('alongside.theme')") == "dark"


def test_signing_out_on_the_confirmation_page_removes_drafts_too(page, live_server, member):  # noqa: F811
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/accounts/logout/")
    page.evaluate(
        "window.localStorage.setItem('alongside.checkin.1.x', "
        "JSON.stringify({savedAt: Date.now(), fields: {note: 'mine'}}))"
    )

    page.get_by_role("main").get_by_role("button", name="Sign out").click()

    page.wait_for_url(f"{live_server.url}/")
    assert draft_keys(page) == []


def test_drafts_older_than_two_days_are_dropped_on_any_page(page, live_server, member):  # noqa: F811
    login_as(page, live_server, member)
    page.evaluate(
        """() => {
          const day = 24 * 60 * 60 * 1000;
          const keep = (key, age) => window.localStorage.setItem(
            key, JSON.stringify({savedAt: Date.now() - age, fields: {note: key}}));
          keep('alongside.checkin.1.fresh', day);
          keep('alongside.checkin.1.stale', 3 * day);
          window.localStorage.setItem('alongside.checkin.1.broken', '{not json');
        }"""
    )

    page.reload()

    assert draft_keys(page) == ["alongside.checkin.1.fresh"]
