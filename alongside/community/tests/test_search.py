"""Community search: finds what a member may read, ranks it, and keeps no readable index."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from alongside.accounts.models import Profile
from alongside.community import access, actions, search
from alongside.community.models import Post, Space, Thread
from alongside.community.search_index import SearchEntry
from alongside.groups.tests.conftest import start_group
from alongside.testing import make_person, make_program

MARKER = "zqcanary5519"


def _url(program, query: str | None = None, **params) -> str:
    url = f"/community/{program.slug}/search/"
    if query is not None:
        params = {"q": query, **params}
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def _api(program, query: str, **params) -> str:
    return _url(program, query, **params).replace("/community/", "/api/v1/community/", 1)


def _found(person, program, query: str) -> list[int]:
    viewer = access.viewer_in(person, program.slug)
    return [hit.post.pk for hit in search.search(viewer, query).object_list]


def _start(person, space, title: str, body: str, anonymous: bool = False) -> Thread:
    return actions.start_thread(
        person, space=space, title=title, body=body, anonymous=anonymous
    ).item


def _opening(thread: Thread) -> Post:
    return thread.posts.get(number=1)


# --- Finding words ------------------------------------------------------------------------


def test_a_word_is_found_in_other_forms_case_and_accents(member, supporter, space, program):
    thread = _start(member, space, "Nights", "I keep *Sleeping* badly at the CAFÉ after meetings.")
    post = _opening(thread)

    for query in ("sleep", "SLEEPS", "slept sleeping", "cafe", "café", "meeting", "Meetings"):
        if query == "slept sleeping":
            continue  # "slept" is irregular: a light stemmer does not pretend to know it
        assert _found(supporter, program, query) == [post.pk], query
    assert _found(supporter, program, "nights") == [post.pk]
    assert _found(supporter, program, "sleeping lunch") == []  # every word must match


def test_markdown_is_searched_as_the_words_a_reader_sees(member, supporter, space, program):
    post = _opening(_start(member, space, "Links", "See [the guide](https://example.test/zebra)."))
    assert _found(supporter, program, "guide") == [post.pk]
    assert _found(supporter, program, "zebra") == []


def test_replies_are_found_and_link_to_their_page(client_of, member, supporter, thread, program):
    reply = actions.reply(member, thread=thread, body="Melatonin helped me.", anonymous=False).item
    response = client_of(supporter).get(_url(program, "melatonin"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reply.get_absolute_url().replace("&", "&amp;") in page
    assert "Melatonin helped me." in page
    assert "Sleeping after rehab" in page  # the thread's title
    assert "General" in page  # its space


# --- Ranking ------------------------------------------------------------------------------


def test_more_relevant_posts_come_first(member, supporter, space, program):
    once = _opening(_start(member, space, "Evenings", "Walking helps, some days."))
    often = _opening(_start(member, space, "Walking", "Walking daily. Walking far. Walking more."))
    assert _found(supporter, program, "walking") == [often.pk, once.pk]


def test_at_equal_relevance_the_newer_post_comes_first(member, supporter, thread, program):
    older = actions.reply(member, thread=thread, body="Gratitude journal", anonymous=False).item
    newer = actions.reply(member, thread=thread, body="Gratitude journal", anonymous=False).item
    Post.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    search.reindex(Post.objects.filter(pk=older.pk))
    assert _found(supporter, program, "gratitude journal") == [newer.pk, older.pk]

    # The other way round too, so the order is not just the order of writing.
    Post.objects.filter(pk=newer.pk).update(created_at=timezone.now() - timedelta(days=9))
    search.reindex(Post.objects.filter(pk=newer.pk))
    assert _found(supporter, program, "gratitude journal") == [older.pk, newer.pk]


def test_recency_outweighs_a_small_difference_in_relevance(member, supporter, space, program):
    old = _opening(_start(member, space, "Cravings", "Cravings, cravings at night."))
    new = _opening(_start(member, space, "Evenings", "Cravings at night."))
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=365))
    search.reindex(Post.objects.filter(pk=old.pk))
    assert _found(supporter, program, "cravings") == [new.pk, old.pk]


# --- Never what the searcher may not see --------------------------------------------------


def test_hidden_posts_and_threads_are_found_by_moderators_only(
    client_of, member, supporter, moderator, space, thread, program
):
    hidden_reply = actions.reply(member, thread=thread, body="Hidden porcupine", anonymous=False)
    Post.objects.filter(pk=hidden_reply.item.pk).update(is_hidden=True)
    hidden_thread = _start(member, space, "Porcupine thread", "Visible words")
    Thread.objects.filter(pk=hidden_thread.pk).update(is_hidden=True)

    assert _found(supporter, program, "porcupine") == []
    assert _found(member, program, "porcupine") == []  # hidden from their writer too
    assert set(_found(moderator, program, "porcupine")) == {
        hidden_reply.item.pk,
        _opening(hidden_thread).pk,
    }
    page = client_of(moderator).get(_url(program, "porcupine")).content.decode()
    assert page.count("tag--warning") == 2  # both marked hidden
    page = client_of(supporter).get(_url(program, "porcupine")).content.decode()
    assert "0 posts found" in page and "Hidden porcupine" not in page


def test_writing_held_for_review_is_found_by_its_writer_and_moderators_only(
    member, supporter, moderator, space, thread, program, screening
):
    from alongside.safety.models import SafetySettings
    from alongside.testing import assessment

    SafetySettings.objects.update_or_create(
        program=program, defaults={"hold_flagged_for_review": True}
    )
    screening["Nothing matters any more"] = assessment("concern", "suicide")
    screening["Tired\n\nThe walrus is all I think about"] = assessment("concern", "suicide")
    held_reply = actions.reply(
        member, thread=thread, body="Nothing matters any more", anonymous=True
    )
    held_thread = _start(member, space, "Tired", "The walrus is all I think about", anonymous=True)

    assert _found(supporter, program, "matters") == []
    assert _found(supporter, program, "walrus") == []
    for person in (member, moderator):
        assert _found(person, program, "matters") == [held_reply.item.pk]
        assert _found(person, program, "walrus") == [_opening(held_thread).pk]


def test_group_only_spaces_are_searched_by_their_group_only(
    member, supporter, coordinator, facilitator, program
):
    group = start_group(coordinator, program, facilitator)
    circle = Space.objects.create(program=program, slug="circle", name="Circle", group=group)
    post = _opening(_start(facilitator, circle, "Circle", "Pelican meditation"))

    assert _found(member, program, "pelican") == []
    assert _found(supporter, program, "pelican") == []
    assert _found(facilitator, program, "pelican") == [post.pk]
    assert _found(coordinator, program, "pelican") == [post.pk]


def test_other_programs_posts_are_never_found(member, supporter, space, program):
    other_program = make_program("Hillside", slug="hillside")
    other_member = make_person(other_program, "member")
    other_space = Space.objects.create(program=other_program, slug="general", name="General")
    _start(other_member, other_space, "Flamingo", "Flamingo flamingo")
    mine = _opening(_start(member, space, "Flamingo", "Flamingo"))

    assert _found(supporter, program, "flamingo") == [mine.pk]


def test_outsiders_get_404(client_of, api_as, outsider, admin_user, thread, program):
    for person in (outsider, admin_user):
        assert client_of(person).get(_url(program, "sleeping")).status_code == 404
        assert api_as(person).get(_api(program, "sleeping")).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, thread, program):
    response = client.get(_url(program, "sleeping"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- Anonymity ----------------------------------------------------------------------------


@pytest.fixture
def canary(program):
    person = make_person(program, "member", email=f"{MARKER}@example.test")
    Profile.objects.filter(user=person).update(display_name=f"Sam {MARKER}")
    person.refresh_from_db()
    return person


def test_search_never_shows_who_wrote_anonymously(
    canary, space, program, client_of, api_as, supporter, coordinator, moderator
):
    thread = _start(canary, space, "Ocelot days", "Ocelot thoughts", anonymous=True)
    actions.reply(canary, thread=thread, body="More ocelot", anonymous=True)

    for viewer in (supporter, coordinator, moderator):
        page = client_of(viewer).get(_url(program, "ocelot"))
        answer = api_as(viewer).get(_api(program, "ocelot"))
        assert page.status_code == answer.status_code == 200
        assert answer.json()["count"] == 2
        for content in (page.content.decode(), answer.content.decode()):
            assert MARKER not in content.lower()
            assert "Anonymous " in content
    # The writer is not told apart from anyone else either: no "yours" on results.
    assert MARKER not in client_of(canary).get(_url(program, "ocelot")).content.decode()


# --- The index ----------------------------------------------------------------------------


def test_an_edit_reindexes_the_post(member, supporter, thread, program):
    post = actions.reply(member, thread=thread, body="The armadillo came back", anonymous=False)
    actions.edit_post(member, post=post.item, body="The hedgehog came back")
    assert _found(supporter, program, "armadillo") == []
    assert _found(supporter, program, "hedgehog") == [post.item.pk]


def test_the_index_holds_no_words(member, space, program):
    _start(member, space, "Kaleidoscope", "Xylophonist kaleidoscope kaleidoscopes")
    with connection.cursor() as cursor:
        tables = [
            name
            for name in connection.introspection.table_names(cursor)
            if name.startswith("community_search")
        ]
        assert "community_searchentry" in tables
        dumped: list[str] = []
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            dumped.extend(repr(row) for row in cursor.fetchall())
    everything = " ".join(dumped).lower()
    assert SearchEntry.objects.count() == 1
    for word in ("kaleidoscop", "xylophon", "xylophonist"):
        assert word not in everything
    # And the stored terms are hashes: as many as the words, none of them a word.
    entry = SearchEntry.objects.get()
    assert len(entry.body_terms.split()) == 3 and len(entry.title_terms.split()) == 1


def test_the_same_word_hashes_differently_in_each_program(program):
    other = make_program("Hillside", slug="hillside")
    assert search.terms_of(program.pk, "courage") != search.terms_of(other.pk, "courage")
    assert search.terms_of(program.pk, "courage") == search.terms_of(program.pk, "Courage!")


def test_reindex_rebuilds_the_index(member, supporter, thread, program):
    post = _opening(thread)
    SearchEntry.objects.all().delete()
    assert _found(supporter, program, "sleeping") == []

    call_command("reindex_community", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert _found(supporter, program, "sleeping") == [post.pk]
    assert SearchEntry.objects.count() == 1


def test_deleting_a_thread_empties_its_entries(member, supporter, thread, program):
    Thread.objects.filter(pk=thread.pk).delete()
    assert SearchEntry.objects.count() == 0
    assert _found(supporter, program, "sleeping") == []


# --- Bad input ----------------------------------------------------------------------------


def test_the_search_page_without_a_query_shows_the_form(client_of, member, program):
    response = client_of(member).get(_url(program))
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert 'class="errorlist"' not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Type a word or two"),
        ("   ", "Type a word or two"),
        ("a" * 201, "Keep your search to 200 characters; it has 201."),
        ("the and of", "too common"),
        ("?!", "too common"),
    ],
)
def test_a_query_that_cannot_be_searched_gets_a_message(
    client_of, api_as, member, thread, program, query, message
):
    response = client_of(member).get(_url(program, query))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    answer = api_as(member).get(_api(program, query))
    assert answer.status_code == 400
    assert message in answer.json()["q"][0]


def test_a_page_past_the_end_shows_the_last_page(client_of, api_as, member, thread, program):
    assert client_of(member).get(_url(program, "sleeping", page="99")).status_code == 200
    assert client_of(member).get(_url(program, "sleeping", page="abc")).status_code == 200
    answer = api_as(member).get(_api(program, "sleeping", page="99")).json()
    assert answer["page"] == 1 and answer["count"] == 1


def test_query_syntax_is_only_words(member, supporter, thread, program):
    for query in ('sleeping" OR "x', "sleeping & !rehab", "sleeping:*", "NEAR(sleeping)"):
        assert _found(supporter, program, query) in ([], [_opening(thread).pk]), query


# --- Pages --------------------------------------------------------------------------------


def test_results_are_paginated_keeping_the_query(client_of, member, supporter, thread, program):
    for number in range(search.RESULTS_PER_PAGE + 1):
        actions.reply(member, thread=thread, body=f"Tortoise {number}", anonymous=False)
    page = client_of(supporter).get(_url(program, "tortoise")).content.decode()
    assert "21 posts found" in page
    assert "?q=tortoise&amp;page=2" in page
    second = client_of(supporter).get(_url(program, "tortoise", page="2")).content.decode()
    assert second.count('<li class="thread-card') == 1


def test_the_api_answers_with_hits(api_as, member, supporter, thread, program):
    reply = actions.reply(member, thread=thread, body="Sleeping is hard", anonymous=False).item
    answer = api_as(supporter).get(_api(program, "sleeping hard")).json()
    assert answer["count"] == 1 and answer["page_count"] == 1
    first = answer["results"][0]
    assert first["post_id"] == reply.pk
    assert first["thread"] == {
        "id": thread.pk,
        "title": "Sleeping after rehab",
        "space": {"slug": "general", "name": "General"},
    }
    assert first["author"] == {"display_name": member.display_name, "is_anonymous": False}
    assert first["excerpt"] == "Sleeping is hard"
    assert first["is_hidden"] is False
    assert first["url"] == reply.get_absolute_url()


def test_long_posts_are_excerpted_around_the_word(member, supporter, thread, program):
    body = "Filler words here. " * 40 + "The lighthouse kept me going." + " More filler." * 40
    actions.reply(member, thread=thread, body=body, anonymous=False)
    viewer = access.viewer_in(supporter, program.slug)
    hit = search.search(viewer, "lighthouse").object_list[0]
    assert "lighthouse" in hit.excerpt
    assert len(hit.excerpt) <= search.EXCERPT_LENGTH + 4


def test_the_space_list_offers_a_search_box(client_of, member, space, program):
    page = client_of(member).get(f"/community/{program.slug}/").content.decode()
    assert f'action="/community/{program.slug}/search/"' in page


def test_the_results_page_takes_a_fixed_number_of_queries(
    client_of, member, supporter, space, program, django_assert_num_queries
):
    for number in range(3):
        thread = _start(member, space, f"Heron {number}", "Heron sighting", anonymous=bool(number))
        actions.reply(member, thread=thread, body="Heron again", anonymous=False)
    client = client_of(supporter)
    client.get(_url(program, "heron"))  # warm caches (content types, session)
    # Session, user, staff-role check, profile, membership and its roles, unread notifications
    # (every page); then the count, the page of index rows, and their posts with authors,
    # threads and spaces in one query, however many results.
    with django_assert_num_queries(10):
        response = client.get(_url(program, "heron"))
    assert response.status_code == 200
    assert "6 posts found" in response.content.decode()
