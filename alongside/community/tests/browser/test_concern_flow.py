"""On a phone: screening finds a community reply worrying; a moderator finds it in the concern
queue, follows it to the reply in its thread and answers with a kind word. The queue passes
axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alongside.browser import ARTIFACTS_DIR, check_accessibility, login_as
from alongside.community import actions
from alongside.community.models import Post
from alongside.testing import assessment, make_person

pytestmark = pytest.mark.browser

WORRYING = "Nothing matters any more. I don't see the point of trying."


def test_a_moderator_goes_from_the_concern_queue_to_the_reply_and_answers(
    page, live_server, program, thread, moderator, screening
):
    screening[WORRYING] = assessment("concern", "suicide")
    writer = make_person(program, "member")
    worrying = actions.reply(writer, thread=thread, body=WORRYING, anonymous=False).item

    login_as(page, live_server, moderator)
    page.goto(live_server.url + reverse("safety:concerns", args=[program.slug]))
    concern = page.locator(".concern").filter(has_text=writer.display_name)
    expect(concern.get_by_text("A community post")).to_be_visible()
    page.screenshot(path=ARTIFACTS_DIR / "safety-concern-queue-link.png", full_page=True)
    check_accessibility(page, "safety-concern-queue-link")

    concern.get_by_role("link", name="Read it where it was written").click()
    page.wait_for_url(f"**{worrying.thread.get_absolute_url()}*")
    expect(page.locator(f"#post-{worrying.number}").get_by_text(WORRYING)).to_be_visible()
    page.get_by_label("Your reply").fill("I hear you. I am glad you wrote here.")
    page.get_by_role("button", name="Post the reply").click()
    page.get_by_text("I am glad you wrote here.").wait_for()

    answer = Post.objects.filter(thread=thread).order_by("number").last()
    assert answer is not None and "glad you wrote" in answer.body
