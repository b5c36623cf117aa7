"""A member replies anonymously on a phone; another member reading the thread sees the reply
under an anonymous name and nothing of who wrote it. The pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from alongside.browser import check_accessibility, login_as
from alongside.community.models import Post
from alongside.community.tests.conftest import thread_url
from alongside.testing import make_person

pytestmark = pytest.mark.browser

MARKER = "Zephyrine"


def test_an_anonymous_reply_shows_no_trace_of_its_writer(
    page,
    browser,
    live_server,
    program,
    thread,
):
    writer = make_person(program, "member", email=f"{MARKER.lower()}@example.org")
    writer.profile.display_name = f"{MARKER} Quill"
    writer.profile.save()

    login_as(page, live_server, writer)
    page.goto(live_server.url + thread_url(thread))
    page.get_by_label("Your reply").fill("The first weeks were the hardest for me too.")
    page.get_by_label("Post anonymously").check()
    page.get_by_role("button", name="Post the reply").click()
    expect(page.get_by_text("The first weeks were the hardest for me too.")).to_be_visible()
    check_accessibility(page, "community-anonymous-reply")
    reply = Post.objects.get(thread=thread, number=2)
    assert reply.author.is_anonymous

    reader = make_person(program, "member")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    try:
        other = context.new_page()
        login_as(other, live_server, reader)
        other.goto(live_server.url + thread_url(thread))
        expect(other.get_by_text(reply.author.shown_name)).to_be_visible()
        html = other.content()
        assert MARKER not in html
        assert MARKER.lower() not in html
        assert "The first weeks were the hardest for me too." in html
    finally:
        context.close()
