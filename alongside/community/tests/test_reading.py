"""Reactions, following, unread markers and @mentions, as members use them; and what they tell
whom (never who stands behind an anonymous name)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.community import (
    access,
    actions,
    mentions,
    moderation,
    post_list,
    reactions,
    reading,
    telling,
)
from alongside.community.models import Reaction, ThreadReader
from alongside.community.tests.conftest import MARKER, thread_url
from alongside.notifications.models import Notification
from alongside.programs.models import Membership
from alongside.testing import make_person


@pytest.fixture
def reader(program):
    return make_person(program, "member", email="reader@example.test")


def react_url(post) -> str:
    return thread_url(post.thread) + f"posts/{post.pk}/react/"


# --- Reactions ------------------------------------------------------------------------------


def test_me_too_on_an_anonymous_post_tells_its_writer_and_shows_only_a_count(
    client_of, reader, canary, space, django_capture_on_commit_callbacks
):
    thread = actions.start_thread(
        canary, space=space, title="Cravings at night", body="Every night at ten.", anonymous=True
    ).item
    post = thread.posts.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(reader).post(
            react_url(post), {"kind": "me_too"}, headers={"HX-Request": "true"}
        )

    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert "Me too · 1" in response.content.decode()
    assert Notification.objects.filter(recipient=canary, kind="community.reaction").count() == 1
    # The writer sees the count, not who.
    page = client_of(canary).get(thread_url(thread)).content.decode()
    assert "Me too · 1" in page and reader.display_name not in page
    # A second reaction while the first news is unread does not notify again.
    other = make_person(space.program, "member")
    reactions.react(other, post=post, kind="support")
    assert Notification.objects.filter(recipient=canary, kind="community.reaction").count() == 1


def test_a_reaction_is_given_once_and_pressing_it_again_takes_it_back(client_of, reader, thread):
    post = thread.posts.get()
    client = client_of(reader)
    client.post(react_url(post), {"kind": "support"})
    reactions.react(reader, post=post, kind="support")  # again: harmless
    assert Reaction.objects.count() == 1

    # Pressing a reaction you gave takes it back.
    client.post(react_url(post), {"kind": "support"})

    assert not Reaction.objects.exists()


@pytest.mark.parametrize("kind", ["", "love", "me_too'><script>"])
def test_an_unknown_reaction_is_refused_with_a_message(client_of, reader, thread, kind):
    post = thread.posts.get()
    response = client_of(reader).post(
        react_url(post), {"kind": kind}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 400
    assert "Choose a reaction." in response.content.decode()
    assert not Reaction.objects.exists()


def test_your_own_post_takes_no_reaction_from_you(client_of, member, thread):
    post = thread.posts.get()
    response = client_of(member).post(react_url(post), {"kind": "me_too"}, follow=True)

    assert "You can&#x27;t react to your own post." in response.content.decode()
    assert not Reaction.objects.exists()


def test_the_api_gives_and_takes_back_reactions(api_as, reader, thread, program):
    post = thread.posts.get()
    url = f"/api/v1/community/{program.slug}/posts/{post.pk}/reactions/me_too/"

    answer = api_as(reader).put(url)

    assert answer.status_code == 200
    assert {"kind": "me_too", "count": 1, "mine": True} in answer.json()
    posts = api_as(reader).get(f"/api/v1/community/{program.slug}/threads/{thread.pk}/posts/")
    assert posts.json()["results"][0]["reactions"][0] == {
        "kind": "me_too",
        "count": 1,
        "mine": True,
    }
    assert api_as(reader).delete(url).json()[0]["count"] == 0
    bad = api_as(reader).put(f"/api/v1/community/{program.slug}/posts/{post.pk}/reactions/hug/")
    assert bad.status_code == 400 and "kind" in bad.json()


def test_the_thread_page_takes_the_same_queries_with_reactions_on_every_post(
    client_of, reader, member, thread, django_assert_max_num_queries
):
    client = client_of(reader)
    client.get(thread_url(thread))

    post_list.forget_all()  # both counts with the posts not yet kept (their bodies asked for)
    with CaptureQueriesContext(connection) as before:
        client.get(thread_url(thread))
    for number in range(8):
        post = actions.reply(member, thread=thread, body=f"Reply {number}", anonymous=False).item
        reactions.react(reader, post=post, kind="me_too")
    post_list.forget_all()
    with django_assert_max_num_queries(len(before) + 1):  # +1: the read mark moves on
        page = client.get(thread_url(thread))
    assert page.content.decode().count("Me too · 1") == 8


# --- Following and unread markers ------------------------------------------------------------


def test_writers_follow_their_threads_and_are_told_of_replies(
    member, reader, thread, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(reader, thread=thread, body="Warm milk helps me.", anonymous=True)

    told = Notification.objects.filter(kind="community.reply")
    assert [n.recipient for n in told] == [member]
    assert told.get().title == "A new reply in a thread you follow"
    # The replier follows now too, and is not told of their own reply.
    assert ThreadReader.objects.get(thread=thread, user=reader).is_following


def test_someone_who_stopped_following_is_not_told(
    client_of, member, reader, thread, django_capture_on_commit_callbacks
):
    response = client_of(member).post(thread_url(thread) + "follow/", {})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(reader, thread=thread, body="Me too", anonymous=False)

    assert not Notification.objects.filter(kind="community.reply").exists()


def test_a_follower_who_left_the_group_is_not_told(
    reader, member, coordinator, program, django_capture_on_commit_callbacks
):
    from alongside.community.models import Space
    from alongside.groups import actions as group_actions
    from alongside.groups.tests.conftest import start_group

    group = start_group(coordinator, program)
    group_actions.join_group(member, group=group)
    group_actions.join_group(reader, group=group)
    space = Space.objects.create(program=program, slug="circle", name="Circle", group=group)
    thread = actions.start_thread(member, space=space, title="T", body="B", anonymous=False).item
    group_actions.leave_group(member, group=group)

    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(reader, thread=thread, body="Hello", anonymous=False)

    assert not Notification.objects.filter(recipient=member, kind="community.reply").exists()


def test_the_space_page_counts_new_posts_and_the_thread_marks_where_they_start(
    client_of, member, reader, thread, space
):
    client = client_of(reader)
    assert "Not read yet" in client.get(space.get_absolute_url()).content.decode()
    client.get(thread_url(thread))
    actions.reply(member, thread=thread, body="Second", anonymous=False)
    actions.reply(member, thread=thread, body="Third", anonymous=False)

    listing = client.get(space.get_absolute_url()).content.decode()
    assert "2 new" in listing
    assert f"{thread_url(thread)}?page=1#post-2" in listing
    page = client.get(thread_url(thread)).content.decode()
    assert page.index("New since your last visit") < page.index("Second")
    # Read now: nothing new any more.
    assert "new</span>" not in client.get(space.get_absolute_url()).content.decode()


def test_the_api_follows_and_reports_unread(api_as, member, reader, thread, space, program):
    base = f"/api/v1/community/{program.slug}/"
    assert api_as(reader).put(f"{base}threads/{thread.pk}/follow/").json() == {"is_following": True}
    actions.reply(member, thread=thread, body="News", anonymous=False)
    threads = api_as(reader).get(f"{base}spaces/{space.slug}/threads/").json()["results"]
    assert (threads[0]["unread_count"], threads[0]["is_following"]) == (2, True)
    api_as(reader).get(f"{base}threads/{thread.pk}/posts/")
    threads = api_as(reader).get(f"{base}spaces/{space.slug}/threads/").json()["results"]
    assert threads[0]["unread_count"] == 0


# --- Mentions -------------------------------------------------------------------------------


def test_mention_names_are_read_longest_first():
    assert mentions.candidate_names("Thanks @Sam Lee, and a@b.c") == [
        ["Sam Lee, and a", "Sam Lee, and", "Sam Lee", "Sam"]
    ]
    assert mentions.candidate_names("no mention here") == []


def test_mentioning_an_anonymous_name_tells_the_person_behind_it_only(
    canary, reader, space, program, django_capture_on_commit_callbacks
):
    thread = actions.start_thread(
        canary, space=space, title="A question", body="Anyone?", anonymous=True
    ).item
    name = thread.author.display_name
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(reader, thread=thread, body=f"@{name} yes, me!", anonymous=False)

    told = Notification.objects.get(kind="community.mention")
    assert told.recipient == canary
    assert MARKER not in told.title.lower()
    # The canary follows their thread, but a mention and a reply make one notification.
    assert not Notification.objects.filter(recipient=canary, kind="community.reply").exists()


def test_a_mention_of_someone_who_cannot_see_the_space_tells_nobody(
    reader, member, coordinator, program, django_capture_on_commit_callbacks
):
    from alongside.community.models import Space
    from alongside.groups import actions as group_actions
    from alongside.groups.tests.conftest import start_group

    group = start_group(coordinator, program)
    group_actions.join_group(reader, group=group)
    space = Space.objects.create(program=program, slug="circle", name="Circle", group=group)
    # The member's own name is known from another space.
    general = Space.objects.create(program=program, slug="general", name="General")
    actions.start_thread(member, space=general, title="Hi", body="Hi", anonymous=False)
    thread = actions.start_thread(reader, space=space, title="T", body="B", anonymous=False).item

    with django_capture_on_commit_callbacks(execute=True):
        actions.reply(reader, thread=thread, body=f"@{member.display_name} look", anonymous=False)

    assert not Notification.objects.filter(recipient=member, kind="community.mention").exists()


def test_a_post_waiting_for_approval_tells_no_one_until_approved(
    program, space, member, moderator, django_capture_on_commit_callbacks
):
    thread = actions.start_thread(member, space=space, title="T", body="B", anonymous=False).item
    settings = moderation.settings_of(program)
    settings.approve_first_posts = True
    settings.save()
    newcomer = make_person(program, "member")
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.reply(newcomer, thread=thread, body="Hello", anonymous=False).item
    assert post.is_pending
    assert not Notification.objects.filter(kind="community.reply").exists()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve_post(moderator, post=post)

    assert Notification.objects.filter(recipient=member, kind="community.reply").exists()


def test_viewers_are_found_for_many_people_at_once(program, member, outsider):
    former = make_person(program, "member")
    Membership.objects.filter(user=former).update(is_active=False)
    moderator = make_person(program, "moderator")

    viewers = access.viewers_in([member, outsider, former, moderator], program.slug)

    assert set(viewers) == {member.pk, moderator.pk}
    assert viewers[moderator.pk].is_moderator and not viewers[member.pk].is_moderator
    assert viewers[member.pk] == access.viewer_in(member, program.slug)


def test_telling_followers_asks_for_memberships_once_however_many_follow(member, thread, program):
    def tell_of_a_reply() -> tuple[int, int]:
        post = actions.reply(member, thread=thread, body="Another night.", anonymous=False).item
        with CaptureQueriesContext(connection) as queries:
            told = telling.tell_about_post(post_id=post.pk)
        asked = sum('FROM "programs_membership"' in q["sql"] for q in queries.captured_queries)
        return told, asked

    for _ in range(2):
        reading.set_following(make_person(program, "member"), thread, following=True)
    assert tell_of_a_reply() == (2, 1)
    for _ in range(6):
        reading.set_following(make_person(program, "member"), thread, following=True)
    assert tell_of_a_reply() == (8, 1)


def test_telling_followers_asks_one_query_each_at_most(
    member, thread, program, django_capture_on_commit_callbacks
):
    # Each follower's right to see the reply is asked of the access rules (one query); the
    # rest (memberships, notifications, email choices, unread counts) is asked once for all.
    def queries_to_tell_of_a_reply() -> int:
        post = actions.reply(member, thread=thread, body="Another night.", anonymous=False).item
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            telling.tell_about_post(post_id=post.pk)
        return len(queries)

    for _ in range(2):
        reading.set_following(make_person(program, "member"), thread, following=True)
    two = queries_to_tell_of_a_reply()
    for _ in range(10):
        reading.set_following(make_person(program, "member"), thread, following=True)
    twelve = queries_to_tell_of_a_reply()

    assert twelve - two <= 10
    assert Notification.objects.filter(kind="community.reply").count() == 2 + 12
