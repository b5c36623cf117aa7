"""A member sets a goal, adds a step and reaches it on a phone; the pages pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

from alongside.browser import browser, check_accessibility, login_as, page  # noqa: F401
from alongside.goals.models import Goal, Milestone
from alongside.goals.tests.conftest import in_days

pytestmark = pytest.mark.browser


def test_a_member_sets_a_goal_and_celebrates_a_step_on_a_phone(
    page,  # noqa: F811
    live_server,
    member,
    program,
):
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/goals/")
    check_accessibility(page, "goals-list-empty")

    page.get_by_role("link", name="Set a goal").click()
    page.get_by_label("What do you want to do?").fill("Walk 20 minutes, three days a week")
    page.get_by_label("By when?").fill(in_days(-1).isoformat())
    page.get_by_role("button", name="Set this goal").click()
    expect(page.get_by_text("This date has passed. Choose today or a later date.")).to_be_visible()
    assert not Goal.objects.exists()
    check_accessibility(page, "goals-form-error")

    page.get_by_label("By when?").fill(in_days(30).isoformat())
    page.get_by_label("Why does it matter to you?").fill("To sleep better")
    page.get_by_role("button", name="Set this goal").click()
    expect(page.get_by_role("heading", name="Walk 20 minutes, three days a week")).to_be_visible()

    page.get_by_label("Next step").fill("Buy walking shoes")
    page.get_by_role("button", name="Add this step").click()
    page.get_by_role(
        "button", name=re.compile(r"Mark this step reached\s*: Buy walking shoes")
    ).click()

    celebration = page.get_by_role("status").filter(has_text="You reached a step. Well done!")
    expect(celebration).to_be_visible()
    assert Milestone.objects.get().reached_at is not None
    check_accessibility(page, "goals-celebration")


def test_the_celebration_stays_still_for_people_who_ask_for_less_motion(
    page,  # noqa: F811
    live_server,
    member,
    program,
):
    page.emulate_media(reduced_motion="reduce")
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/goals/new/")
    page.get_by_label("What do you want to do?").fill("Call my sister every Sunday")
    page.get_by_label("By when?").fill(in_days(30).isoformat())
    page.get_by_role("button", name="Set this goal").click()
    page.get_by_label("Next step").fill("First call")
    page.get_by_role("button", name="Add this step").click()
    page.get_by_role("button", name=re.compile(r"Mark this step reached\s*: First call")).click()

    spark = page.locator(".celebration__spark").first
    assert spark.evaluate("element => getComputedStyle(element).animationName") == "none"
    expect(page.get_by_text("You reached a step. Well done!")).to_be_visible()


def test_the_recovery_counter_page_is_accessible(page, live_server, member):  # noqa: F811
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/goals/recovery/")
    page.get_by_label("The day my recovery started").fill(in_days(-40).isoformat())
    page.get_by_role("button", name="Start my counter").click()

    expect(page.get_by_text("Your counter is started.")).to_be_visible()
    check_accessibility(page, "goals-recovery")
