"""The community API: the same rules as the pages, answers as the OpenAPI schema promises."""

import pytest
from django.core.exceptions import ValidationError

from alongside.community import actions
from alongside.community.models import Post, PostRevision, Thread
from alongside.testing import assert_matches_schema

SPACES = "/api/v1/community/{program_slug}/spaces/"
THREADS = "/api/v1/community/{program_slug}/spaces/{space_slug}/threads/"
POSTS = "/api/v1/community/{program_slug}/threads/{thread_id}/posts/"
POST = "/api/v1/community/{program_slug}/posts/{post_id}/"


def test_spaces_list_with_thread_counts(api_as, member, space, thread, schema):
    response = api_as(member).get("/api/v1/community/riverside/spaces/")

    assert response.status_code == 200
    assert_matches_schema(schema, SPACES, "get", 200, response.json())
    assert response.json() == [
        {
            "slug": "general",
            "name": "General",
            "description": "",
            "kind": "general",
            "group_only": False,
            "thread_count": 1,
        }
    ]


def test_threads_list_and_start(api_as, member, space, thread, schema):
    url = "/api/v1/community/riverside/spaces/general/threads/"
    listed = api_as(member).get(url)
    assert_matches_schema(schema, THREADS, "get", 200, listed.json())
    assert listed.json()["results"][0]["author"] == {
        "display_name": member.display_name,
        "is_anonymous": False,
    }

    created = api_as(member).post(
        url, {"title": "New", "body": "Hello", "anonymous": True}, format="json"
    )

    assert created.status_code == 201
    assert_matches_schema(schema, THREADS, "post", 201, created.json())
    assert created.json()["author"]["is_anonymous"] is True
    assert set(created.json()["author"]) == {"display_name", "is_anonymous"}
    assert created.json()["crisis_support"] is None


def test_posts_list_reply_and_edit(api_as, member, supporter, thread, schema):
    url = f"/api/v1/community/riverside/threads/{thread.pk}/posts/"
    first = thread.posts.get()

    replied = api_as(supporter).post(
        url, {"body": "Me too", "anonymous": True, "quote": first.pk}, format="json"
    )
    assert replied.status_code == 201
    assert_matches_schema(schema, POSTS, "post", 201, replied.json())
    assert replied.json()["number"] == 2
    assert "How do you sleep?" in replied.json()["body"]

    listed = api_as(member).get(url)
    assert_matches_schema(schema, POSTS, "get", 200, listed.json())
    assert [post["number"] for post in listed.json()["results"]] == [1, 2]
    assert listed.json()["page_count"] == 1

    edited = api_as(member).patch(
        f"/api/v1/community/riverside/posts/{first.pk}/", {"body": "Changed"}, format="json"
    )
    assert edited.status_code == 200
    assert_matches_schema(schema, POST, "patch", 200, edited.json())
    assert PostRevision.objects.get().body == "How do you sleep?"


def test_nobody_edits_someone_elses_post(api_as, supporter, moderator, thread):
    first = thread.posts.get()
    for person in (supporter, moderator):
        response = api_as(person).patch(
            f"/api/v1/community/riverside/posts/{first.pk}/", {"body": "Mine now"}, format="json"
        )
        assert response.status_code == 404
    first.refresh_from_db()
    assert first.body == "How do you sleep?"


def test_outsiders_get_404_and_signed_out_401(api_as, outsider, thread, client):
    urls = [
        "/api/v1/community/riverside/spaces/",
        "/api/v1/community/riverside/spaces/general/threads/",
        f"/api/v1/community/riverside/threads/{thread.pk}/posts/",
    ]
    for url in urls:
        assert api_as(outsider).get(url).status_code == 404
        assert client.get(url).status_code == 401
    response = api_as(outsider).post(urls[2], {"body": "Hi"}, format="json")
    assert response.status_code == 404
    assert Post.objects.count() == 1


def test_hidden_posts_and_threads_stay_out_of_the_api(api_as, member, moderator, thread):
    Post.objects.filter(thread=thread).update(is_hidden=True)
    posts = f"/api/v1/community/riverside/threads/{thread.pk}/posts/"
    assert api_as(member).get(posts).json()["results"] == []
    assert len(api_as(moderator).get(posts).json()["results"]) == 1

    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)

    assert api_as(member).get(posts).status_code == 404
    threads = api_as(member).get("/api/v1/community/riverside/spaces/general/threads/").json()
    assert threads["results"] == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "Hi", "body": ""}, "body"),
        ({"title": "Hi", "body": "x" * 100_000}, "body"),
        ({"title": "x" * 151, "body": "Hello"}, "title"),
    ],
)
def test_bad_threads_are_refused(api_as, member, space, fields, field):
    response = api_as(member).post(
        "/api/v1/community/riverside/spaces/general/threads/", fields, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Thread.objects.exists()


def test_a_locked_thread_refuses_replies_with_a_message(api_as, member, thread):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    response = api_as(member).post(
        f"/api/v1/community/riverside/threads/{thread.pk}/posts/", {"body": "Hi"}, format="json"
    )

    assert response.status_code == 400
    assert "locked" in response.json()["body"][0]
    assert Post.objects.count() == 1


def test_actions_refuse_blank_words_themselves(member, space, thread):
    with pytest.raises(ValidationError) as refused:
        actions.start_thread(member, space=space, title=" ", body=" ", anonymous=False)
    assert refused.value.message_dict == {
        "title": ["Give your thread a title."],
        "body": ["Write something before posting."],
    }
    with pytest.raises(ValidationError):
        actions.reply(member, thread=thread, body="\n", anonymous=True)
    assert Thread.objects.count() == 1 and Post.objects.count() == 1
