"""Only a moderator can find out who wrote an anonymous post, by saying why; the reveal is in the
access log and the coordinators are told."""

import pytest

from alongside.community import actions
from alongside.community.models import AuthorReveal
from alongside.core.models import AccessLogEntry
from alongside.notifications.models import Notification
from alongside.testing import make_person

REASON = "They wrote about taking pills tonight and nobody can reach them."


@pytest.fixture
def anonymous_post(space, member):
    thread = actions.start_thread(
        member, space=space, title="Tonight", body="I can't go on like this.", anonymous=True
    ).item
    return thread.posts.get()


def reveal_url(post) -> str:
    return f"/community/reveals/{post.thread.space.program.slug}/{post.pk}/"


def test_a_moderator_reveals_the_writer_for_a_stated_reason(
    client_of, moderator, coordinator, member, anonymous_post
):
    client = client_of(moderator)
    assert client.get(reveal_url(anonymous_post)).status_code == 200

    response = client.post(reveal_url(anonymous_post), {"reason": REASON})

    assert response.status_code == 200
    assert member.email in response.content.decode()
    reveal = AuthorReveal.objects.get()
    assert (reveal.moderator, reveal.post, reveal.reason) == (moderator, anonymous_post, REASON)
    entry = AccessLogEntry.objects.get(actor=moderator, subject=member)
    assert entry.purpose == "reveal an anonymous community writer"
    notice = Notification.objects.get(recipient=coordinator)
    assert member.display_name not in notice.title
    log = client_of(coordinator).get(
        f"/community/reveals/{anonymous_post.thread.space.program.slug}/"
    )
    assert REASON in log.content.decode()
    assert member.email not in log.content.decode()


def test_without_a_reason_nothing_is_revealed(client_of, moderator, member, anonymous_post):
    response = client_of(moderator).post(reveal_url(anonymous_post), {"reason": "  because "})

    assert response.status_code == 400
    assert "Say why you need to know" in response.content.decode()
    assert member.email not in response.content.decode()
    assert not AuthorReveal.objects.exists()
    assert not AccessLogEntry.objects.filter(subject=member).exists()


@pytest.mark.parametrize("role", ["member", "supporter", "facilitator", "coordinator", "clinician"])
def test_only_moderators_may_reveal(client_of, program, role, anonymous_post):
    client = client_of(make_person(program, role))
    assert client.get(reveal_url(anonymous_post)).status_code == 404
    assert client.post(reveal_url(anonymous_post), {"reason": REASON}).status_code == 404
    assert not AuthorReveal.objects.exists()


def test_a_post_under_the_writers_own_name_has_nothing_to_reveal(client_of, moderator, thread):
    post = thread.posts.get()
    assert client_of(moderator).get(reveal_url(post)).status_code == 404


def test_the_thread_offers_moderators_alone_the_way_to_reveal(
    client_of, moderator, member, anonymous_post
):
    thread_page = anonymous_post.get_absolute_url()
    assert "Who wrote this?" in client_of(moderator).get(thread_page).content.decode()
    assert "Who wrote this?" not in client_of(member).get(thread_page).content.decode()


def test_the_reveal_log_is_for_coordinators(client_of, member, moderator, program):
    url = f"/community/reveals/{program.slug}/"
    assert client_of(member).get(url).status_code == 404
    assert client_of(moderator).get(url).status_code == 404
