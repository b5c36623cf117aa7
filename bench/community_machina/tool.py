"""bench/community.py's hands inside machina's virtualenv (bench/.venv-machina/, Django 4.2).

    tool.py load DATA_FILE        the forum, topics and posts of bench/community.py's data
    tool.py session EMAIL PAGE..  a signed-in session, the URLs to load and their SQL queries

Each prints one line of JSON last. Run with DJANGO_SETTINGS_MODULE=settings and this folder on
PYTHONPATH (bench/community.py does).
"""

import json
import sys
from datetime import timedelta

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from machina.apps.forum.models import Forum  # noqa: E402
from machina.apps.forum_conversation.models import Post, Topic  # noqa: E402
from machina.apps.forum_member.models import ForumProfile  # noqa: E402
from machina.models.fields import render_func  # noqa: E402

FORUM_NAME = "General"
READER = "reader"


def _long_topic(replies: int):
    return (
        Topic.objects.filter(forum__name=FORUM_NAME, posts_count=replies + 1)
        .select_related("forum")
        .order_by("pk")
        .first()
    )


def load(path: str) -> dict:
    call_command("migrate", verbosity=0)
    with open(path) as file:
        data = json.load(file)
    replies = len(data["threads"][0]["posts"]) - 1
    if _long_topic(replies) is not None:
        return {"built": False}
    User = get_user_model()
    # bulk_create sends no signals: the rendered Markdown (machina renders on save, not on
    # each view), the dates and the counters are set here as machina's save() would.
    created_field = Post._meta.get_field("created")
    updated_field = Post._meta.get_field("updated")
    created_field.auto_now_add = updated_field.auto_now = False
    now = timezone.now()
    origin = now - timedelta(days=320)
    with transaction.atomic():
        members = User.objects.bulk_create(
            [
                User(username=f"member{n}", email=f"member{n}@example.test", first_name=name)
                for n, name in enumerate(data["members"])
            ]
        )
        reader = User(username=READER, email="reader@example.test")
        reader.set_unusable_password()
        reader.save()
        forum = Forum.objects.create(name=FORUM_NAME, type=Forum.FORUM_POST)
        posts_by_member = [0] * len(members)
        for spec in data["threads"]:
            first = spec["posts"][0]
            topic = Topic.objects.create(
                forum=forum,
                poster=None if first["anonymous"] else members[first["member"]],
                subject=spec["title"],
                type=Topic.TOPIC_POST,
                status=Topic.TOPIC_UNLOCKED,
                approved=True,
            )
            rows = []
            for n, post in enumerate(spec["posts"]):
                at = origin + timedelta(minutes=post["minutes"])
                anonymous = post["anonymous"]
                if not anonymous:
                    posts_by_member[post["member"]] += 1
                rows.append(
                    Post(
                        topic=topic,
                        poster=None if anonymous else members[post["member"]],
                        username=post["name"] if anonymous else None,
                        anonymous_key=f"anonymous-{post['member']}" if anonymous else None,
                        subject=spec["title"] if n == 0 else f"Re: {spec['title']}",
                        content=post["body"],
                        _content_rendered=render_func(post["body"]),
                        approved=True,
                        created=at,
                        updated=at,
                    )
                )
            Post.objects.bulk_create(rows, batch_size=1_000)
            Topic.objects.filter(pk=topic.pk).update(
                created=origin + timedelta(minutes=first["minutes"])
            )
            topic.refresh_from_db()
            topic.update_trackers()
        ForumProfile.objects.bulk_create(
            [
                ForumProfile(user=member, posts_count=count)
                for member, count in zip(members, posts_by_member, strict=True)
            ]
            + [ForumProfile(user=reader, posts_count=0)]
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"built": True}


def session(email: str, pages: list[str]) -> dict:
    from django.conf import settings

    reader = get_user_model().objects.get(email=email)
    topic = Topic.objects.filter(forum__name=FORUM_NAME).order_by("-posts_count").first()
    forum = topic.forum
    topic_url = reverse(
        "forum_conversation:topic",
        kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk, "slug": topic.slug, "pk": topic.pk},
    )
    thread_urls = [f"{topic_url}?page={page}" for page in pages]
    index_urls = [reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk})]
    client = Client()
    client.force_login(reader)
    queries = {}
    for url in thread_urls + index_urls:
        for attempt in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"machina GET {url}: HTTP {response.status_code}")
            if attempt:
                queries[url] = len(captured)
    loaded = Client()
    loaded.force_login(reader)
    name = settings.SESSION_COOKIE_NAME
    return {
        "cookie_name": name,
        "cookie": loaded.cookies[name].value,
        "thread_urls": thread_urls,
        "index_urls": index_urls,
        "queries": queries,
        "post_marker": 'class="my-3 card post"',
    }


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "load":
        result = load(rest[0])
    elif command == "session":
        result = session(rest[0], rest[1:])
    else:
        raise SystemExit(__doc__)
    print(json.dumps(result))
