"""The main navigation: a "Menu" disclosure on a phone that works without JavaScript, one row of
links on a wide screen, both reachable by keyboard."""

import pytest
from playwright.sync_api import expect

from alongside.browser import PHONE_VIEWPORT, check_accessibility, login_as

pytestmark = pytest.mark.browser


def test_on_a_phone_the_links_fold_into_a_menu(page, live_server, member):
    login_as(page, live_server, member)
    navigation = page.get_by_role("navigation", name="Main")
    menu = navigation.get_by_text("Menu", exact=True)

    expect(menu).to_be_visible()
    expect(navigation.get_by_role("link", name="Goals")).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(navigation.get_by_role("link", name="Goals")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Home"
    page.screenshot(path="test-artifacts/navigation-menu-phone.png")
    check_accessibility(page, "navigation-menu-phone")

    page.keyboard.press("Escape")
    expect(navigation.get_by_role("link", name="Goals")).to_be_hidden()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_the_menu_opens_without_javascript(browser, live_server, member):
    context = browser.new_context(viewport=PHONE_VIEWPORT, java_script_enabled=False)
    page = context.new_page()
    try:
        login_as(page, live_server, member)
        page.get_by_text("Menu", exact=True).click()

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Goals").click()

        page.wait_for_url(f"{live_server.url}/goals**")
    finally:
        context.close()


def test_on_a_wide_screen_the_links_are_one_row_without_a_menu(desktop_page, live_server, member):
    login_as(desktop_page, live_server, member)
    navigation = desktop_page.get_by_role("navigation", name="Main")

    expect(navigation.get_by_text("Menu", exact=True)).to_be_hidden()
    tops = {
        round(navigation.get_by_role("link", name=name).bounding_box()["y"])
        for name in ["Home", "Goals", "Privacy"]
    }
    assert len(tops) == 1
    expect(navigation.get_by_role("button", name="Sign out")).to_be_visible()
