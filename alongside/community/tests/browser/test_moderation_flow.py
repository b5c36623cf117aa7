"""On a phone: a member says "me too" (htmx, no reload) and reports an unkind reply; a moderator
finds it in the queue, in its thread, and hides it; the member no longer sees it. The pages pass
axe-core."""

import pytest
from playwright.sync_api import expect

from alongside.browser import ARTIFACTS_DIR, check_accessibility, login_as
from alongside.community import actions
from alongside.community.models import Post, Reaction, Report
from alongside.community.tests.conftest import thread_url
from alongside.testing import make_person

pytestmark = pytest.mark.browser

UNKIND = "If you still can't sleep you are not trying hard enough."


def test_a_report_reaches_the_moderator_who_hides_the_post(
    page, browser, live_server, program, thread, moderator
):
    rude = make_person(program, "member")
    unkind = actions.reply(rude, thread=thread, body=UNKIND, anonymous=True).item
    reader = make_person(program, "member")

    login_as(page, live_server, reader)
    page.goto(live_server.url + thread_url(thread))
    opening = page.locator("#post-1")
    opening.get_by_role("button", name="Me too").click()
    page.locator("#post-1 .reaction--mine").wait_for()
    assert Reaction.objects.filter(user=reader, kind="me_too").exists()
    page.screenshot(path=ARTIFACTS_DIR / "community-thread-reactions.png", full_page=True)
    check_accessibility(page, "community-thread-reactions")

    page.locator("#post-2").get_by_role("link", name="Report").click()
    page.get_by_label("Unkind, harassing or hateful").check()
    page.get_by_label("Anything the moderators should know (optional)").fill(
        "Hurtful to newcomers."
    )
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("The moderators will look at the post soon.").wait_for()
    assert Report.objects.filter(post=unkind, reporter=reader).exists()

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    try:
        staff = context.new_page()
        login_as(staff, live_server, moderator)
        staff.goto(live_server.url + f"/community/moderation/{program.slug}/")
        item = staff.locator(f"#reported-{unkind.pk}")
        expect(item.get_by_text("Hurtful to newcomers.")).to_be_visible()
        expect(item.get_by_text(UNKIND)).to_be_visible()
        staff.screenshot(path=ARTIFACTS_DIR / "community-moderation-queue.png", full_page=True)
        check_accessibility(staff, "community-moderation-queue")
        item.get_by_role("button", name="Hide").click()
        staff.get_by_text("The post is hidden.").wait_for()
    finally:
        context.close()

    assert Post.objects.get(pk=unkind.pk).is_hidden
    page.goto(live_server.url + thread_url(thread))
    assert UNKIND not in page.content()
