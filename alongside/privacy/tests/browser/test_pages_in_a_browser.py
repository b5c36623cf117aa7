"""The privacy pages pass an axe-core scan on a phone-sized screen, with real content on them."""

import pytest

from alongside.browser import check_accessibility, login_as
from alongside.privacy import actions
from alongside.testing import TEST_PASSWORD

pytestmark = pytest.mark.browser

REASON = "Member texted that they are not safe tonight and stopped answering."


def test_the_privacy_page_is_accessible(page, live_server, member, program, member_records_opened):
    actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["checkins"]
    )
    login_as(page, live_server, member)

    page.goto(f"{live_server.url}/privacy/")
    page.get_by_label("Your peer supporter can see your goals.").check()
    page.get_by_role("button", name=f"Save sharing for {program.name}").click()

    assert page.get_by_label("Your peer supporter can see your goals.").is_checked()
    check_accessibility(page, "privacy-home")


def test_the_emergency_pages_are_accessible(
    page, live_server, on_call_clinician, coordinator, member, program
):
    login_as(page, live_server, on_call_clinician)
    page.goto(f"{live_server.url}/privacy/programs/{program.slug}/emergency-access/")
    page.get_by_label("Member", exact=False).and_(page.locator("select")).select_option(
        label=member.display_name
    )
    page.get_by_label("Reason").fill(REASON)
    page.get_by_label("Your password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Open emergency access").click()

    assert page.get_by_role("button", name="End access now").count() == 1
    check_accessibility(page, "privacy-emergency-access")

    page.context.clear_cookies()
    login_as(page, live_server, coordinator)
    page.goto(f"{live_server.url}/privacy/programs/{program.slug}/emergency-access/review/")
    assert page.get_by_role("button", name="Save review").count() == 1
    check_accessibility(page, "privacy-emergency-review")
