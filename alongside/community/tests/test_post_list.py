"""The thread page keeps each post's shared part in memory: it must never show a stale or
someone else's version of a post."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from alongside.accounts.models import Profile
from alongside.community import actions, moderation, post_list
from alongside.community.models import Post, Space, SpaceKind
from alongside.community.tests.conftest import thread_url
from alongside.testing import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    post_list.forget_all()
    yield
    post_list.forget_all()


def _page_of(user, thread) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(thread_url(thread))
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_seen_before_is_the_same_without_asking_for_the_bodies(member, thread, program):
    actions.reply(member, thread=thread, body="**Warm** milk helps me.", anonymous=True)
    client = Client()
    client.force_login(make_person(program, "member"))
    client.get(thread_url(thread))  # records where the reader got to

    post_list.forget_all()
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(thread_url(thread)).content.decode()
    with CaptureQueriesContext(connection) as again:
        second_page = client.get(thread_url(thread)).content.decode()

    assert "<strong>Warm</strong> milk helps me." in second_page
    strip = _without_tokens
    assert strip(first_page) == strip(second_page)
    assert len(again) == len(first) - 1
    assert not any('"body"' in query["sql"] and "MD5" not in query["sql"] for query in again)


def test_an_edit_shows_at_once(member, thread):
    post = actions.reply(member, thread=thread, body="Before the edit.", anonymous=False).item
    assert "Before the edit." in _page_of(member, thread)

    actions.edit_post(member, post=post, body="After the edit.")

    page = _page_of(member, thread)
    assert "After the edit." in page and "Before the edit." not in page


def test_words_changed_without_an_edit_mark_show_at_once(member, thread):
    """Erasure and key rotation write the body without touching edited_at."""
    post = actions.reply(member, thread=thread, body="Words to be erased.", anonymous=False).item
    assert "Words to be erased." in _page_of(member, thread)

    post.body = "[removed]"
    post.save(update_fields=["body"])

    page = _page_of(member, thread)
    assert "[removed]" in page and "Words to be erased." not in page


def test_hiding_and_restoring_show_at_once(member, moderator, thread, program):
    post = actions.reply(member, thread=thread, body="A hard night.", anonymous=False).item
    other = make_person(program, "member")
    assert "A hard night." in _page_of(other, thread)
    assert "post--hidden" not in _page_of(moderator, thread)

    moderation.hide_post(moderator, post=Post.objects.get(pk=post.pk))
    assert 'class="post post--hidden"' in _page_of(moderator, thread)
    assert "A hard night." not in _page_of(other, thread)

    moderation.restore_post(moderator, post=Post.objects.get(pk=post.pk))
    assert "post--hidden" not in _page_of(moderator, thread)


def test_a_members_page_never_carries_a_moderators_links(member, moderator, thread, program):
    post = actions.reply(member, thread=thread, body="First words.", anonymous=True).item
    actions.edit_post(member, post=post, body="Second words.")
    history = f"{thread_url(thread)}posts/{post.pk}/history/"

    assert history in _page_of(moderator, thread)
    other = make_person(program, "member")
    page = _page_of(other, thread)
    assert history not in page
    assert "Who wrote this?" not in page
    # and the other way round: a member first, then the moderator still gets the link
    post_list.forget_all()
    assert history not in _page_of(other, thread)
    assert history in _page_of(moderator, thread)


def test_after_a_move_the_history_link_follows_the_thread(member, moderator, thread, program):
    post = actions.reply(member, thread=thread, body="First words.", anonymous=False).item
    actions.edit_post(member, post=post, body="Second words.")
    assert f"{thread_url(thread)}posts/{post.pk}/history/" in _page_of(moderator, thread)
    elsewhere = Space.objects.create(
        program=program, slug="celebrations", name="Celebrations", kind=SpaceKind.GENERAL
    )

    moderation.move_thread(moderator, thread=thread, to=elsewhere)
    thread.refresh_from_db()

    assert f"/celebrations/{thread.pk}/posts/{post.pk}/history/" in _page_of(moderator, thread)


def test_each_reader_gets_their_language_and_time_zone(member, thread, program):
    actions.reply(member, thread=thread, body="Buenas noches.", anonymous=True)
    english = make_person(program, "member")
    spanish = make_person(program, "member")
    Profile.objects.filter(user=english).update(time_zone="America/New_York")
    Profile.objects.filter(user=spanish).update(preferred_language="es", time_zone="Europe/Madrid")

    english_page = _page_of(english, thread)
    spanish_page = _page_of(spanish, thread)

    assert "Anonymous " in english_page and "Anónimo " not in english_page
    assert "Anónimo " in spanish_page
    assert "-05:00" in english_page or "-04:00" in english_page
    assert "+01:00" in spanish_page or "+02:00" in spanish_page


def test_own_posts_get_edit_links_only_for_their_writer(member, thread, program):
    post = actions.reply(member, thread=thread, body="Mine.", anonymous=True).item
    edit = f"{thread_url(thread)}posts/{post.pk}/edit/"

    assert edit in _page_of(member, thread)
    assert edit not in _page_of(make_person(program, "member"), thread)


def test_the_kept_parts_are_bounded():
    kept = post_list.BoundedCache(2, chars=100)
    kept.put("a", "1")
    kept.put("b", "2")
    assert kept.get("a") == "1"  # now the most recent
    kept.put("c", "3")
    assert kept.get("b") is None
    assert kept.get("a") == "1" and kept.get("c") == "3"


def test_the_kept_parts_are_bounded_in_characters_too():
    kept = post_list.BoundedCache(10, chars=100)
    kept.put("a", "x" * 40)
    kept.put("b", "y" * 40)
    kept.put("a", "z" * 10)  # replaced: counts 10, not 50
    kept.put("c", "w" * 45)
    assert kept.get("a") == "z" * 10 and kept.get("b") == "y" * 40 and kept.get("c") == "w" * 45
    kept.put("d", "v" * 30)  # 125 held: the least recently used go until it fits
    assert kept.get("a") is None and kept.get("b") is None
    assert kept.get("c") == "w" * 45 and kept.get("d") == "v" * 30
    kept.put("huge", "u" * 101)  # larger than the whole bound: never kept
    assert kept.get("huge") is None and kept.get("d") == "v" * 30


def _without_tokens(page: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", page)
