"""The space page's thread cards, built in Python: every tag, the plural, escaping, Spanish."""

import pytest
from django.test import Client

from alongside.accounts.models import Profile
from alongside.community import actions, moderation
from alongside.testing import make_person

pytestmark = pytest.mark.django_db


def _listing(user, space) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(space.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_cards_carry_replies_activity_and_the_readers_tags(member, moderator, space, program):
    thread = actions.start_thread(
        member, space=space, title="Nights <b>are</b> long", body="B", anonymous=True
    ).item
    actions.reply(member, thread=thread, body="One", anonymous=False)
    moderation.change_thread(moderator, thread=thread, kind="lock_thread")

    listing = _listing(member, space)

    assert "Nights &lt;b&gt;are&lt;/b&gt; long" in listing and "<b>are</b>" not in listing
    assert "1 reply<" in listing and "active 0\xa0minutes ago" in listing
    assert '<span class="tag">Following</span>' in listing  # writers follow their threads
    assert '<span class="tag">Locked</span>' in listing
    assert "Anonymous " in listing  # the writer's anonymous name, never their own
    assert member.profile.display_name not in listing


def test_a_moderator_sees_hidden_threads_tagged(member, moderator, space):
    thread = actions.start_thread(member, space=space, title="T", body="B", anonymous=False).item
    moderation.change_thread(moderator, thread=thread, kind="hide_thread")

    assert '<span class="tag tag--warning">Hidden</span>' in _listing(moderator, space)
    assert "thread-card" not in _listing(make_person(space.program, "member"), space)


def test_cards_in_spanish_use_the_catalogue(member, space, program):
    thread = actions.start_thread(member, space=space, title="T", body="B", anonymous=False).item
    for number in range(2):
        actions.reply(member, thread=thread, body=f"R{number}", anonymous=False)
    reader = make_person(program, "member")
    Profile.objects.filter(user=reader).update(preferred_language="es")

    listing = _listing(reader, space)

    assert "2 respuestas" in listing
    assert "Todavía sin leer" in listing
