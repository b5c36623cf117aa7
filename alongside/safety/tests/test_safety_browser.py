"""The help page and the safety plan pages pass an axe-core scan on a phone-sized screen."""

from importlib import import_module

import pytest
from playwright.sync_api import expect

from alongside.browser import browser, check_accessibility, login_as, page  # noqa: F401
from alongside.safety import actions
from alongside.safety.models import Escalation
from alongside.safety.support import SESSION_KEY

pytestmark = pytest.mark.browser


def test_the_help_page_is_accessible_and_asks_for_help_in_a_few_taps(
    page,  # noqa: F811
    live_server,
    member,
    program,
):
    login_as(page, live_server, member)

    page.get_by_role("link", name="Help now").click()
    call = page.get_by_role("link", name="Call 988").first
    box = call.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300
    check_accessibility(page, "safety-help-now")

    page.get_by_role("button", name="Alert the team now").click()
    expect(page.get_by_text("Tick this box so we can alert the team")).to_be_visible()
    assert not Escalation.objects.exists()
    check_accessibility(page, "safety-help-now-consent-error")

    page.get_by_label("Alert the on-call team of Riverside Recovery now").check()
    page.get_by_label("Anything you want them to know").fill("Please call me")
    page.get_by_role("button", name="Alert the team now").click()

    expect(page.get_by_role("heading", name="We have alerted the on-call team")).to_be_visible()
    assert Escalation.objects.get().member_message == "Please call me"
    check_accessibility(page, "safety-help-sent")


def test_the_help_page_is_accessible_without_signing_in(page, live_server, db):  # noqa: F811
    page.goto(f"{live_server.url}/safety/help/")

    expect(page.get_by_role("link", name="Call 911")).to_be_visible()
    check_accessibility(page, "safety-help-now-anonymous")


def test_the_safety_plan_pages_are_accessible(page, live_server, member, program):  # noqa: F811
    login_as(page, live_server, member)

    page.goto(f"{live_server.url}/safety/plan/")
    check_accessibility(page, "safety-plan-empty")
    page.get_by_role("link", name="Start my plan").click()
    page.get_by_label("Warning signs").fill("Not sleeping, skipping meals")
    page.get_by_label("Things I can do on my own").fill("Walk by the river\nCall my sponsor")
    page.get_by_label("What matters most to me").fill("x" * 4000)
    page.get_by_role("button", name="Save my plan").click()

    expect(page.get_by_text("Your safety plan is saved.")).to_be_visible()
    expect(page.get_by_text("Walk by the river")).to_be_visible()
    check_accessibility(page, "safety-plan")

    page.goto(f"{live_server.url}/safety/plan/edit/")
    check_accessibility(page, "safety-plan-edit")

    page.goto(f"{live_server.url}/safety/plan/print/")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    check_accessibility(page, "safety-plan-print")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(page.get_by_text("Walk by the river")).to_be_visible()


def test_the_crisis_panel_is_accessible(page, live_server, member, program, settings):  # noqa: F811
    actions.save_safety_plan(member, sections={"warning_signs": "Not sleeping"})
    login_as(page, live_server, member)
    # What a writing page does after flagged writing, done straight on the browser's session.
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    session[SESSION_KEY] = {"program": program.pk, "level": "urgent"}
    session.save()

    page.goto(f"{live_server.url}/")

    panel = page.get_by_role("region", name="You don't have to go through this alone")
    expect(panel).to_be_visible()
    expect(panel.get_by_text("Not sleeping")).to_be_visible()
    check_accessibility(page, "safety-crisis-panel")
