"""Recovery stories: a member writes one and consents, a moderator publishes it, anyone reads it,
and it comes down the moment the member withdraws consent. An anonymous story never shows
who wrote it."""

from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from alongside.community import stories
from alongside.community.story_demo import seed_stories
from alongside.community.story_models import Story, StoryConsent, StoryState
from alongside.community.tests.conftest import MARKER
from alongside.notifications.models import Notification
from alongside.programs.models import Role
from alongside.safety.models import Flag, SafetySettings
from alongside.testing import assert_matches_schema, assessment, make_person

BODY = "I stopped drinking in **March**.\n\nThe first week was the hardest."


def mine_url(program) -> str:
    return f"/stories/{program.slug}/mine/"


def edit_url(story) -> str:
    return f"/stories/{story.program.slug}/mine/{story.pk}/"


def review_url(program) -> str:
    return f"/stories/{program.slug}/review/"


def public_url(program) -> str:
    return f"/stories/{program.slug}/"


def story_form(**overrides) -> dict:
    return {
        "title": "Ninety days",
        "body": BODY,
        "publish_as": "name",
        "consent": "on",
        "intent": "submit",
    } | overrides


def submitted(member, program, **overrides) -> Story:
    fields: dict[str, Any] = {
        "title": "Ninety days",
        "body": BODY,
        "publish_as": "name",
        "submit": True,
        "consent": True,
    } | overrides
    return stories.submit_story(member, program=program, **fields).story


def published(member, moderator, program, **overrides) -> Story:
    story = submitted(member, program, **overrides)
    return stories.publish_story(moderator, story=story)


@pytest.fixture
def moderator_client(moderator):
    client = Client()
    client.force_login(moderator)
    return client


def test_a_story_goes_from_member_to_moderator_to_the_public_page_and_down_again(
    client_of, member, moderator, moderator_client, program, django_capture_on_commit_callbacks
):
    client = client_of(member)
    form_page = client.get(mine_url(program) + "new/").content.decode()
    assert escape(stories.consent_text(program)) in form_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mine_url(program) + "new/", story_form())
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == edit_url(story)
    assert story.state == StoryState.SUBMITTED and story.member == member
    consent = StoryConsent.objects.get()
    assert consent.text == stories.consent_text(program) and consent.member == member
    assert Notification.objects.filter(recipient=moderator, kind="community.story_to_review")
    assert "Ninety days" in client.get(mine_url(program)).content.decode()

    review_page = moderator_client.get(review_url(program)).content.decode()
    assert "Ninety days" in review_page and "<strong>March</strong>" in review_page
    assert Client().get(public_url(program) + f"{story.pk}/").status_code == 404

    decided = moderator_client.post(f"{review_url(program)}{story.pk}/", {"decision": "publish"})
    assert decided.status_code == 302
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED and story.reviewed_by == moderator
    assert Notification.objects.filter(recipient=member, kind="community.story_decided")

    visitor = Client()
    listing = visitor.get(public_url(program))
    assert listing.status_code == 200 and "Ninety days" in listing.content.decode()
    assert member.display_name in listing.content.decode()
    assert "<strong>March</strong>" in visitor.get(story.get_absolute_url()).content.decode()

    withdrawn = client.post(edit_url(story) + "withdraw/", follow=True)
    assert "no longer on the public page" in withdrawn.content.decode()
    assert visitor.get(story.get_absolute_url()).status_code == 404
    assert "Ninety days" not in visitor.get(public_url(program)).content.decode()
    assert visitor.get(f"/api/v1/stories/{program.slug}/{story.pk}/").status_code == 404
    assert visitor.get(f"/api/v1/stories/{program.slug}/").json()["count"] == 0
    assert Notification.objects.filter(recipient=member, title__contains="no longer public")
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_a_draft_needs_no_consent_and_stays_private(client_of, member, moderator_client, program):
    response = client_of(member).post(
        mine_url(program) + "new/", story_form(consent="", intent="draft")
    )

    story = Story.objects.get()
    assert response.status_code == 302 and story.state == StoryState.DRAFT
    assert not StoryConsent.objects.exists()
    assert "Ninety days" not in moderator_client.get(review_url(program)).content.decode()


def test_submitting_without_consent_is_refused_next_to_the_checkbox(client_of, member, program):
    response = client_of(member).post(mine_url(program) + "new/", story_form(consent=""))

    assert response.status_code == 400
    consent_error = response.content.decode().split('id="id_consent_error"')[1][:400]
    assert "only publish your story with your consent" in consent_error
    assert not Story.objects.exists() and not StoryConsent.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "   ", "This field is required."),
        ("body", "", "This field is required."),
        ("body", "x" * 100_000, "at most 30000 characters"),
        ("title", "t" * 151, "at most 150 characters"),
        ("publish_as", "nobody", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(
    client_of, member, program, field, value, message
):
    response = client_of(member).post(mine_url(program) + "new/", story_form(**{field: value}))

    assert response.status_code == 400
    error = response.content.decode().split(f'id="id_{field}_error"')[1][:300]
    assert message in error
    assert not Story.objects.exists() and not StoryConsent.objects.exists()


def test_publishing_without_consent_in_force_is_refused(
    member, moderator, moderator_client, program
):
    story = submitted(member, program)
    # A withdrawal that raced the review: the story is still in the queue, its consent ended.
    StoryConsent.objects.update(withdrawn_at=story.submitted_at)

    with pytest.raises(ValidationError):
        stories.publish_story(moderator, story=story)
    response = moderator_client.post(f"{review_url(program)}{story.pk}/", {"decision": "publish"})

    assert response.status_code == 400
    assert "has not consented" in response.content.decode()
    story.refresh_from_db()
    assert story.state == StoryState.SUBMITTED and story.published_at is None
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_a_declined_story_tells_the_member_why_and_can_be_sent_again(
    client_of, member, moderator_client, program
):
    story = submitted(member, program)

    no_note = moderator_client.post(f"{review_url(program)}{story.pk}/", {"decision": "decline"})
    assert no_note.status_code == 400 and "Tell the writer why" in no_note.content.decode()
    moderator_client.post(
        f"{review_url(program)}{story.pk}/",
        {"decision": "decline", "note": "Please leave out your sponsor's surname."},
    )
    story.refresh_from_db()
    assert story.state == StoryState.DECLINED
    page = client_of(member).get(edit_url(story)).content.decode()
    assert "leave out your sponsor&#x27;s surname" in page

    client_of(member).post(edit_url(story), story_form(body="Without the surname."))
    story.refresh_from_db()
    assert story.state == StoryState.SUBMITTED and story.body == "Without the surname."
    assert StoryConsent.objects.in_force().count() == 1


def test_editing_a_published_story_takes_it_down_until_it_is_published_again(
    client_of, member, moderator, program
):
    story = published(member, moderator, program)
    first_consent = StoryConsent.objects.get()

    draft = client_of(member).post(edit_url(story), story_form(intent="draft", body="New words"))
    assert draft.status_code == 400
    client_of(member).post(edit_url(story), story_form(body="New words"))

    story.refresh_from_db()
    assert story.state == StoryState.SUBMITTED and story.body == "New words"
    assert Client().get(story.get_absolute_url()).status_code == 404
    first_consent.refresh_from_db()
    assert first_consent.replaced_at is not None
    assert StoryConsent.objects.in_force().get().pk != first_consent.pk


def test_an_anonymous_story_never_shows_its_writer(
    canary,
    moderator,
    moderator_client,
    program,
    api_as,
    screening,
    django_capture_on_commit_callbacks,
):
    screening[f"Hard year\n\n{BODY}"] = assessment("concern", "self_harm")
    with django_capture_on_commit_callbacks(execute=True):
        story = submitted(canary, program, title="Hard year", publish_as="anonymous")
        review_page = moderator_client.get(review_url(program)).content.decode()
        review_api = api_as(moderator).get(f"/api/v1/stories/{program.slug}/review/").content
        Flag.objects.update(reviewed_at=story.submitted_at)
        stories.publish_story(moderator, story=story)

    story.refresh_from_db()
    assert story.display_name and MARKER not in story.display_name
    visitor = Client()
    looked_at = [
        review_page,
        review_api.decode(),
        visitor.get(public_url(program)).content.decode(),
        visitor.get(story.get_absolute_url()).content.decode(),
        visitor.get(f"/api/v1/stories/{program.slug}/").content.decode(),
        visitor.get(f"/api/v1/stories/{program.slug}/{story.pk}/").content.decode(),
    ]
    assert all(f"Anonymous {story.display_name}" in page for page in looked_at)
    for notification in Notification.objects.exclude(recipient=canary):
        looked_at += [notification.title, notification.body, notification.url]
    for message in mail.outbox:
        if canary.email not in message.to:
            looked_at += [message.subject, message.body, *message.to]
    assert any("story" in text.lower() for text in looked_at[6:])
    assert not [text for text in looked_at if MARKER in text]
    assert Flag.objects.get().is_anonymous


def test_titles_and_stories_are_escaped(member, moderator, moderator_client, program):
    story = submitted(
        member,
        program,
        title="<script>alert('title')</script>",
        body="<img src=x onerror=alert(1)> [x](javascript:alert(2))",
    )
    review_page = moderator_client.get(review_url(program)).content.decode()
    stories.publish_story(moderator, story=story)

    for page in (
        review_page,
        Client().get(public_url(program)).content.decode(),
        Client().get(story.get_absolute_url()).content.decode(),
    ):
        assert "<script>alert" not in page and "&lt;script&gt;" in page
        assert "<img" not in page and 'href="javascript' not in page


def test_other_programs_members_and_other_members_get_404(
    client_of, member, supporter, outsider, program, other_program, moderator
):
    story = submitted(member, program)
    foreign_moderator = make_person(other_program, "moderator")

    assert client_of(outsider).get(mine_url(program)).status_code == 404
    assert client_of(outsider).get(edit_url(story)).status_code == 404
    assert client_of(outsider).get(review_url(program)).status_code == 404
    assert client_of(supporter).get(edit_url(story)).status_code == 404
    assert client_of(supporter).post(edit_url(story) + "withdraw/").status_code == 404
    assert client_of(supporter).get(review_url(program)).status_code == 404
    response = client_of(foreign_moderator).post(
        f"{review_url(program)}{story.pk}/", {"decision": "publish"}
    )
    assert response.status_code == 404
    other_url = f"/stories/{other_program.slug}/{story.pk}/"
    stories.publish_story(moderator, story=story)
    assert Client().get(other_url).status_code == 404
    assert Client().get("/stories/no-such-program/").status_code == 404


def test_wrong_methods_are_refused(client_of, member, program):
    story = submitted(member, program)
    client = client_of(member)

    assert client.get(edit_url(story) + "withdraw/").status_code == 405
    assert client.get(edit_url(story) + "delete/").status_code == 405
    assert client.post(public_url(program)).status_code == 405


def test_an_alarming_story_is_screened_and_waits_for_the_crisis_team(
    client_of, member, moderator, program, screening
):
    SafetySettings.objects.update_or_create(
        program=program, defaults={"hold_flagged_for_review": True}
    )
    screening["Ninety days\n\nI want to end it all"] = assessment("urgent", "suicide")

    response = client_of(member).post(
        mine_url(program) + "new/", story_form(body="I want to end it all")
    )

    assert response.status_code == 302
    flag = Flag.objects.get()
    assert flag.writing_path == "community.story" and flag.author == member
    assert flag.object_id == str(Story.objects.get().pk)
    with pytest.raises(ValidationError, match="crisis team"):
        stories.publish_story(moderator, story=Story.objects.get())


def test_deleting_a_published_story_takes_it_down(client_of, member, moderator, program):
    story = published(member, moderator, program)

    response = client_of(member).post(edit_url(story) + "delete/")

    assert response.status_code == 302
    assert not Story.objects.exists() and not StoryConsent.objects.exists()
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_lists_take_a_fixed_number_of_queries(
    client_of, member, moderator, moderator_client, program
):
    visitor, member_client = Client(), client_of(member)
    pages = [(visitor, public_url(program)), (moderator_client, review_url(program))]
    pages.append((member_client, mine_url(program)))
    for client, url in pages:
        client.get(url)  # signing in records the session once: not part of the page's cost
    counts = []
    for more in (1, 4):
        for number in range(more):
            published(member, moderator, program, title=f"Published {number}")
            submitted(member, program, title=f"Waiting {number}")
        for client, url in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))

    assert counts[:3] == counts[3:]
    # The program, the count for the pages, the stories.
    assert counts[0] == 3


def test_the_api_flow_matches_the_schema(api_as, member, moderator, program, schema):
    base = "/api/v1/stories/{program_slug}/"
    api = api_as(member)
    prefix = f"/api/v1/stories/{program.slug}/"

    refused = api.post(prefix + "mine/", {"title": "A", "body": "B", "submit": True})
    assert refused.status_code == 400 and "consent" in refused.json()
    assert not Story.objects.exists()
    too_long = api.post(prefix + "mine/", {"title": "A", "body": "x" * 100_000})
    assert too_long.status_code == 400 and "body" in too_long.json()

    draft = api.post(prefix + "mine/", {"title": "A", "body": "B", "publish_as": "anonymous"})
    assert draft.status_code == 201
    assert_matches_schema(schema, base + "mine/", "post", 201, draft.json())
    story_id = draft.json()["id"]
    own = f"{prefix}mine/{story_id}/"
    consent_text = api.get(own + "consent/")
    assert_matches_schema(
        schema, base + "mine/{story_id}/consent/", "get", 200, consent_text.json()
    )
    assert api.post(own + "consent/", {"consent": False}, format="json").status_code == 400
    given = api.post(own + "consent/", {"consent": True}, format="json")
    assert given.status_code == 201 and given.json()["state"] == "submitted"
    assert_matches_schema(schema, base + "mine/{story_id}/consent/", "post", 201, given.json())
    listed = api.get(prefix + "mine/")
    assert_matches_schema(schema, base + "mine/", "get", 200, listed.json())

    moderating = api_as(moderator)
    queue = moderating.get(prefix + "review/")
    assert_matches_schema(schema, base + "review/", "get", 200, queue.json())
    assert api.get(prefix + "review/").status_code == 404
    done = moderating.post(f"{prefix}review/{story_id}/publish/")
    assert done.status_code == 200
    assert_matches_schema(schema, base + "review/{story_id}/publish/", "post", 200, done.json())

    public = Client().get(prefix)
    assert_matches_schema(schema, base, "get", 200, public.json())
    one = Client().get(f"{prefix}{story_id}/")
    assert_matches_schema(schema, base + "{story_id}/", "get", 200, one.json())
    assert one.json()["signed"]["is_anonymous"] is True

    changed = api.put(own, {"title": "A", "body": "C", "publish_as": "anonymous"}, format="json")
    assert changed.status_code == 400 and "consent" in changed.json()
    withdrawn = api.post(own + "withdraw/")
    assert withdrawn.json()["state"] == "withdrawn"
    assert_matches_schema(schema, base + "mine/{story_id}/withdraw/", "post", 200, withdrawn.json())
    assert Client().get(f"{prefix}{story_id}/").status_code == 404
    assert api.delete(own).status_code == 204
    assert not Story.objects.exists()


def test_declining_through_the_api_needs_a_note(api_as, member, moderator, program, schema):
    story = submitted(member, program)
    url = f"/api/v1/stories/{program.slug}/review/{story.pk}/decline/"

    assert api_as(moderator).post(url, {"note": ""}).status_code == 400
    assert api_as(moderator).post(url, {"note": "Not yet"}).status_code == 204
    story.refresh_from_db()
    assert story.state == StoryState.DECLINED and story.moderator_note == "Not yet"
    assert api_as(member).post(url, {"note": "x"}).status_code == 404


def test_the_demo_seeds_each_kind_of_story_once(program, member, moderator):
    data = SimpleNamespace(
        programs={program.slug: program},
        people={program.slug: {Role.MEMBER: [member], Role.MODERATOR: [moderator]}},
    )

    assert seed_stories(data) == {"stories": 4}
    assert seed_stories(data) == {"stories": 0}

    states = sorted(Story.objects.values_list("state", flat=True))
    assert states == ["published", "published", "submitted", "withdrawn"]
    assert stories.public_stories(program).count() == 2
    assert stories.public_stories(program).filter(publish_as="anonymous").count() == 1


def test_the_demo_programs_get_their_stories(db):
    from alongside.core.demo import seed

    data = seed()
    seed_stories(data)

    assert seed_stories(data) == {"stories": 0}
    riverside = data.programs["riverside"]
    assert stories.public_stories(riverside).count() == 2
    assert Story.objects.filter(program=riverside, state=StoryState.SUBMITTED).exists()
