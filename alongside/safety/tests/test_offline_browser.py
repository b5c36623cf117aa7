"""On a phone with no network: a page that cannot load shows the crisis lines, kept by the
service worker from an earlier visit, instead of the browser's error."""

import pytest
from playwright.sync_api import expect

from alongside.browser import (  # noqa: F401
    ARTIFACTS_DIR,
    PHONE_VIEWPORT,
    browser,
    check_accessibility,
    login_as,
)

pytestmark = pytest.mark.browser


def test_with_no_network_a_page_shows_the_crisis_lines(browser, live_server, member):  # noqa: F811
    context = browser.new_context(viewport=PHONE_VIEWPORT, locale="en-US")
    try:
        page = context.new_page()
        login_as(page, live_server, member)
        # The worker installs from any page and keeps the lines before it takes charge.
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.reload()
        page.wait_for_function("navigator.serviceWorker.controller !== null")

        context.set_offline(True)
        page.goto(live_server.url + "/community/")

        expect(page.get_by_role("heading", name="This page cannot load right now")).to_be_visible()
        expect(page.get_by_role("link", name="Call 988").first).to_be_visible()
        expect(page.get_by_role("link", name="Call 911")).to_be_visible()
        # Styled from the cache too: the call buttons are big enough to tap.
        box = page.get_by_role("link", name="Call 988").first.bounding_box()
        assert box is not None and box["height"] >= 44
        page.screenshot(path=ARTIFACTS_DIR / "safety-offline.png", full_page=True)
        check_accessibility(page, "safety-offline")

        context.set_offline(False)
        page.goto(live_server.url + "/safety/help/")
        expect(page.get_by_role("heading", name="This page cannot load right now")).to_have_count(0)
    finally:
        context.close()
