"""The community pages: who sees what, what is refused, and how it renders."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from alongside.community import actions
from alongside.community.models import Post, PostRevision, Space, SpaceKind, Thread
from alongside.community.tests.conftest import thread_url
from alongside.core.markdown import ALLOWED_TAGS, ALLOWED_URL_SCHEMES
from alongside.groups import actions as group_actions
from alongside.groups.tests.conftest import start_group
from alongside.testing import make_person


def _space_url(space) -> str:
    return f"/community/{space.program.slug}/{space.slug}/"


# --- Access -----------------------------------------------------------------------------------


def test_every_role_of_the_program_reads_the_community(
    client_of,
    space,
    thread,
    member,
    supporter,
    facilitator,
    coordinator,
    on_call_clinician,
    moderator,
):
    for person in (member, supporter, facilitator, coordinator, on_call_clinician, moderator):
        client = client_of(person)
        assert client.get("/community/riverside/").status_code == 200
        assert client.get(_space_url(space)).status_code == 200
        assert client.get(thread_url(thread)).status_code == 200


def test_outsiders_and_site_admins_get_404(client_of, space, thread, outsider, admin_user):
    for person in (outsider, admin_user):
        client = client_of(person)
        assert client.get("/community/riverside/").status_code == 404
        assert client.get(_space_url(space)).status_code == 404
        assert client.get(thread_url(thread)).status_code == 404
        response = client.post(thread_url(thread) + "reply/", {"body": "Hello"})
        assert response.status_code == 404
    assert Post.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(client, space):
    response = client.get("/community/riverside/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_thread_of_another_space_is_not_found_through_this_one(
    client_of, member, thread, program
):
    Space.objects.create(program=program, slug="other", name="Other")
    url = f"/community/riverside/other/{thread.pk}/"
    assert client_of(member).get(url).status_code == 404


@pytest.fixture
def group_space(program, coordinator, facilitator):
    group = start_group(coordinator, program, facilitator)
    return Space.objects.create(program=program, slug="circle", name="Circle only", group=group)


def test_a_group_only_space_is_seen_by_its_group_and_program_staff(
    client_of,
    group_space,
    member,
    supporter,
    facilitator,
    coordinator,
    moderator,
    on_call_clinician,
):
    url = _space_url(group_space)
    assert client_of(member).get(url).status_code == 404
    assert "Circle only" not in client_of(member).get("/community/riverside/").content.decode()
    assert client_of(supporter).get(url).status_code == 404
    assert client_of(on_call_clinician).get(url).status_code == 404
    for person in (facilitator, coordinator, moderator):
        assert client_of(person).get(url).status_code == 200

    group_actions.join_group(member, group=group_space.group)

    assert client_of(member).get(url).status_code == 200
    assert "Circle only" in client_of(member).get("/community/riverside/").content.decode()


def test_nobody_outside_the_group_can_start_a_thread_in_its_space(client_of, group_space, member):
    response = client_of(member).post(
        _space_url(group_space) + "new/", {"title": "Hi", "body": "Hello"}
    )
    assert response.status_code == 404
    assert not Thread.objects.exists()


def test_a_hidden_thread_is_seen_by_moderators_only(
    client_of, space, thread, member, moderator, coordinator
):
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)

    assert client_of(member).get(thread_url(thread)).status_code == 404
    assert client_of(coordinator).get(thread_url(thread)).status_code == 404
    assert "Sleeping after rehab" not in client_of(member).get(_space_url(space)).content.decode()
    assert "0 threads" in client_of(member).get("/community/riverside/").content.decode()
    response = client_of(moderator).get(thread_url(thread))
    assert response.status_code == 200
    assert "only moderators see it" in response.content.decode()
    assert "1 thread" in client_of(moderator).get("/community/riverside/").content.decode()


def test_a_hidden_post_is_seen_by_moderators_only(client_of, thread, member, supporter, moderator):
    hidden = actions.reply(supporter, thread=thread, body="Something unkind", anonymous=False).item
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)

    assert "Something unkind" not in client_of(member).get(thread_url(thread)).content.decode()
    assert "Something unkind" in client_of(moderator).get(thread_url(thread)).content.decode()
    quoted = client_of(member).post(
        thread_url(thread) + "reply/", {"body": "Quoting", "quote": hidden.pk}
    )
    assert quoted.status_code == 404


# --- Writing ----------------------------------------------------------------------------------


def test_a_member_starts_a_thread_anonymously(client_of, member, space):
    response = client_of(member).post(
        _space_url(space) + "new/",
        {"title": "First week", "body": "**Hard** days", "anonymous": "on"},
    )

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert thread.author.is_anonymous and thread.post_count == 1
    page = client_of(member).get(thread_url(thread)).content.decode()
    assert "<strong>Hard</strong> days" in page


def test_replies_are_numbered_one_after_another(client_of, member, supporter, thread):
    client_of(supporter).post(thread_url(thread) + "reply/", {"body": "Me too"})
    client_of(member).post(thread_url(thread) + "reply/", {"body": "Thanks", "anonymous": "on"})

    thread.refresh_from_db()
    assert list(thread.posts.values_list("number", flat=True)) == [1, 2, 3]
    assert thread.post_count == 3


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": "Hi", "body": "   "}, "body", "This field is required."),
        ({"title": "Hi", "body": "x" * 100_000}, "body", "at most 20000 characters"),
        ({"title": "x" * 151, "body": "Hello"}, "title", "at most 150 characters"),
        ({"title": "", "body": "Hello"}, "title", "This field is required."),
    ],
)
def test_bad_threads_are_refused_next_to_the_field(
    client_of, member, space, fields, field, message
):
    response = client_of(member).post(_space_url(space) + "new/", fields)

    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Thread.objects.exists() and not Post.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "This field is required."), ("x" * 100_000, "at most 20000 characters")],
)
def test_bad_replies_are_refused_next_to_the_field(client_of, member, thread, body, message):
    response = client_of(member).post(thread_url(thread) + "reply/", {"body": body})

    assert response.status_code == 400
    assert message in str(response.context["form"].errors["body"])
    assert Post.objects.count() == 1


def test_a_locked_thread_takes_no_replies(client_of, member, thread):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    response = client_of(member).post(thread_url(thread) + "reply/", {"body": "Hello?"})

    assert response.status_code == 400
    assert "This thread is locked" in str(response.context["form"].errors["body"])
    assert Post.objects.count() == 1
    assert "it takes no more replies" in client_of(member).get(thread_url(thread)).content.decode()


def test_a_reply_quotes_a_post_with_its_authors_name(client_of, member, supporter, thread):
    first = thread.posts.get(number=1)
    page = client_of(supporter).get(thread_url(thread) + f"?quote={first.pk}").content.decode()
    assert "Quoting post #1" in page

    client_of(supporter).post(
        thread_url(thread) + "reply/", {"body": "Same here", "quote": first.pk}
    )

    reply = thread.posts.get(number=2)
    assert reply.body.startswith(f"> **{member.display_name}** wrote:\n>\n> How do you sleep?")
    assert reply.body.endswith("Same here")
    page = client_of(member).get(thread_url(thread)).content.decode()
    assert "<blockquote>" in page


def test_a_quote_of_another_thread_is_not_found(client_of, member, space, thread):
    other = actions.start_thread(
        member, space=space, title="Other", body="Elsewhere", anonymous=False
    ).item
    elsewhere = other.posts.get()

    response = client_of(member).post(
        thread_url(thread) + "reply/", {"body": "Hi", "quote": elsewhere.pk}
    )

    assert response.status_code == 404


def test_editing_your_post_keeps_a_revision(client_of, member, thread):
    post = thread.posts.get()
    url = thread_url(thread) + f"posts/{post.pk}/edit/"
    assert client_of(member).get(url).status_code == 200

    response = client_of(member).post(url, {"body": "How do you all sleep?"})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.body == "How do you all sleep?" and post.edited_at is not None
    assert list(PostRevision.objects.values_list("body", flat=True)) == ["How do you sleep?"]


def test_nobody_else_edits_your_post_not_even_a_moderator(client_of, thread, supporter, moderator):
    post = thread.posts.get()
    url = thread_url(thread) + f"posts/{post.pk}/edit/"
    for person in (supporter, moderator):
        assert client_of(person).get(url).status_code == 404
        assert client_of(person).post(url, {"body": "Changed"}).status_code == 404
    post.refresh_from_db()
    assert post.body == "How do you sleep?" and not PostRevision.objects.exists()


def test_the_edit_link_shows_on_your_own_posts_only(client_of, member, supporter, thread):
    post = thread.posts.get()
    edit = f"posts/{post.pk}/edit/"
    assert edit in client_of(member).get(thread_url(thread)).content.decode()
    assert edit not in client_of(supporter).get(thread_url(thread)).content.decode()


def test_an_empty_edit_is_refused_and_nothing_changes(client_of, member, thread):
    post = thread.posts.get()
    response = client_of(member).post(thread_url(thread) + f"posts/{post.pk}/edit/", {"body": " "})
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.body == "How do you sleep?" and not PostRevision.objects.exists()


def test_crisis_words_are_screened_with_the_real_person(client_of, member, thread, screening):
    from alongside.safety.models import Flag
    from alongside.testing import assessment

    screening["I want to give up on everything"] = assessment("concern", "suicide")

    client_of(member).post(
        thread_url(thread) + "reply/",
        {"body": "I want to give up on everything", "anonymous": "on"},
    )

    flag = Flag.objects.get()
    assert flag.author == member
    assert flag.writing_path == "community.post"


def test_posting_is_rate_limited(client_of, member, thread, settings):
    client = client_of(member)
    for _ in range(30):
        client.post(thread_url(thread) + "reply/", {"body": "again"})
    assert client.post(thread_url(thread) + "reply/", {"body": "again"}).status_code == 429


def test_preferences_keep_one_anonymous_name(client_of, member, program):
    from alongside.community import identity

    client = client_of(member)
    assert client.get("/community/preferences/riverside/").status_code == 200
    client.post("/community/preferences/riverside/", {"persistent_pseudonym": "on"})
    assert identity.keeps_one_anonymous_name(member, program)
    client.post("/community/preferences/riverside/", {})
    assert not identity.keeps_one_anonymous_name(member, program)


def test_the_home_page_links_to_the_community(client_of, member):
    assert "/community/riverside/" in client_of(member).get("/home/").content.decode()


def test_wrong_methods_are_refused(client_of, member, space, thread):
    client = client_of(member)
    assert client.post("/community/riverside/").status_code == 405
    assert client.get(_space_url(space) + "new/").status_code == 405
    assert client.get(thread_url(thread) + "reply/").status_code == 405


# --- Rendering --------------------------------------------------------------------------------

PAYLOADS = [
    line
    for line in (Path(__file__).resolve().parents[2] / "core" / "tests" / "xss_payloads.txt")
    .read_text()
    .splitlines()
    if line
]


class _Inspector(HTMLParser):
    """Collects what is inside post bodies and anything executable found there."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth:
            if tag == "div":
                self.depth += 1
            if tag not in ALLOWED_TAGS:
                self.problems.append(f"tag <{tag}>")
            for name, value in attrs:
                if name.startswith("on") or name in {"style", "src", "srcset", "target"}:
                    self.problems.append(f"attribute {name}")
                if name == "href" and value and ":" in value:
                    scheme = value.split(":", 1)[0].strip().lower()
                    if scheme not in ALLOWED_URL_SCHEMES:
                        self.problems.append(f"href scheme {scheme}")
        elif tag == "div" and attributes.get("class") == "post__body":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1


def test_xss_payloads_in_posts_render_inert(client_of, member, space):
    body = "\n\n".join(PAYLOADS)
    thread = actions.start_thread(member, space=space, title="XSS", body=body, anonymous=False).item
    for payload in PAYLOADS[:40]:
        actions.reply(member, thread=thread, body=payload, anonymous=True)

    inspector = _Inspector()
    inspector.feed(client_of(member).get(thread_url(thread)).content.decode())

    assert inspector.problems == []


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if len(p) <= 150][:25])
def test_xss_payloads_in_titles_render_as_text(client_of, member, space, payload):
    thread = actions.start_thread(
        member, space=space, title=payload, body="x", anonymous=False
    ).item

    for url in (_space_url(space), thread_url(thread)):
        page = client_of(member).get(url).content.decode()
        if "<" in payload or '"' in payload:
            assert payload not in page


# --- Speed ------------------------------------------------------------------------------------


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _add_replies(thread, count: int, program) -> None:
    people = [make_person(program, "member") for _ in range(3)]
    for number in range(count):
        actions.reply(
            people[number % 3], thread=thread, body=f"Reply {number}", anonymous=number % 2 == 0
        )


def test_the_thread_page_takes_the_same_queries_for_5_or_50_posts(
    client_of, member, space, program
):
    small = actions.start_thread(member, space=space, title="Small", body="x", anonymous=False).item
    large = actions.start_thread(member, space=space, title="Large", body="x", anonymous=True).item
    _add_replies(small, 4, program)
    _add_replies(large, 60, program)
    client = client_of(member)
    # Read each page once first: the first visit also records how far the member has read.
    for url in (thread_url(small), thread_url(large), thread_url(large, page=2)):
        client.get(url)

    assert _queries_for(client, thread_url(small)) == _queries_for(client, thread_url(large))
    assert _queries_for(client, thread_url(large, page=2)) == _queries_for(
        client, thread_url(small)
    )
    assert len(client.get(thread_url(large)).context["posts"]) == 50
    assert [p.number for p in client.get(thread_url(large, page=2)).context["posts"]] == list(
        range(51, 62)
    )


def test_the_space_and_space_list_pages_take_constant_queries(client_of, member, space, program):
    actions.start_thread(member, space=space, title="One", body="x", anonymous=False)
    client = client_of(member)
    client.get(_space_url(space))
    few_space = _queries_for(client, _space_url(space))
    few_spaces = _queries_for(client, "/community/riverside/")
    for number in range(10):
        extra = Space.objects.create(program=program, slug=f"s{number}", name=f"S{number}")
        actions.start_thread(member, space=space, title=f"T{number}", body="x", anonymous=True)
        actions.start_thread(member, space=extra, title=f"T{number}", body="x", anonymous=True)

    assert _queries_for(client, _space_url(space)) == few_space
    assert _queries_for(client, "/community/riverside/") == few_spaces


def test_a_page_past_the_end_is_not_found(client_of, member, thread):
    assert client_of(member).get(thread_url(thread, page=2)).status_code == 404
    assert client_of(member).get(thread_url(thread) + "?page=abc").status_code == 200


def test_flagged_writing_held_for_review_is_seen_by_its_writer_and_moderators_only(
    client_of, member, supporter, moderator, space, thread, program, screening
):
    from django.utils import timezone

    from alongside.safety.models import Flag, SafetySettings
    from alongside.testing import assessment

    SafetySettings.objects.update_or_create(
        program=program, defaults={"hold_flagged_for_review": True}
    )
    screening["Nothing matters any more"] = assessment("concern", "suicide")
    screening["Tired\n\nNothing matters any more"] = assessment("concern", "suicide")
    held_reply = actions.reply(
        member, thread=thread, body="Nothing matters any more", anonymous=True
    ).item
    held_thread = actions.start_thread(
        member, space=space, title="Tired", body="Nothing matters any more", anonymous=True
    ).item

    assert "Nothing matters" not in client_of(supporter).get(thread_url(thread)).content.decode()
    assert client_of(supporter).get(thread_url(held_thread)).status_code == 404
    assert "Tired" not in client_of(supporter).get(_space_url(space)).content.decode()
    for person in (member, moderator):
        assert "Nothing matters" in client_of(person).get(thread_url(thread)).content.decode()
        assert client_of(person).get(thread_url(held_thread)).status_code == 200

    Flag.objects.filter(writing_path="community.post", object_id=str(held_reply.pk)).update(
        reviewed_at=timezone.now()
    )

    assert "Nothing matters" in client_of(supporter).get(thread_url(thread)).content.decode()
    assert client_of(supporter).get(thread_url(held_thread)).status_code == 404


def test_a_long_thread_offers_pages_around_this_one_and_at_both_ends(client_of, member, thread):
    # As if 5,000 replies had been written: the links depend only on the count.
    Thread.objects.filter(pk=thread.pk).update(post_count=5_001)
    body = client_of(member).get(thread_url(thread, page=50)).content.decode()

    links = [f'href="?page={number}"' for number in (1, 48, 49, 51, 52, 101)]
    assert all(link in body for link in links)
    assert 'href="?page=2"' not in body and 'href="?page=100"' not in body
    assert '<span aria-current="page">50</span>' in body
    assert body.count('href="?page=') == 6


def test_no_space_can_take_the_search_pages_address(program):
    space = Space(program=program, slug="search", name="Search", kind=SpaceKind.GENERAL)
    with pytest.raises(ValidationError, match="reserved"):
        space.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        space.save()
    assert not Space.objects.filter(slug="search").exists()
