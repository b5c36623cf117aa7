"""Anonymity that holds: nobody else can tell who wrote an anonymous post."""

import re
from pathlib import Path

from alongside.accounts.models import Profile
from alongside.community import actions, identity
from alongside.community.models import Author, Post
from alongside.community.tests.conftest import MARKER, thread_url
from alongside.groups import actions as group_actions
from alongside.groups.tests.conftest import start_group
from alongside.testing import make_person


def test_nobody_else_can_find_the_canary_behind_anonymous_posts(
    canary, space, program, client_of, api_as, supporter, facilitator, coordinator, moderator
):
    another_member = make_person(program, "member")
    thread = actions.start_thread(
        canary, space=space, title="Three months", body="It has been hard.", anonymous=True
    ).item
    reply = actions.reply(canary, thread=thread, body="Still here.", anonymous=True).item
    actions.reply(another_member, thread=thread, body="Glad you are", anonymous=False, quote=reply)
    slug = program.slug
    pages = [
        f"/community/{slug}/",
        f"/community/{slug}/{space.slug}/",
        thread_url(thread),
        f"/api/v1/community/{slug}/spaces/",
        f"/api/v1/community/{slug}/spaces/{space.slug}/threads/",
        f"/api/v1/community/{slug}/threads/{thread.pk}/posts/",
    ]

    for viewer in (another_member, supporter, facilitator, coordinator, moderator):
        for url in pages:
            client = api_as(viewer) if url.startswith("/api/") else client_of(viewer)
            response = client.get(url)
            assert response.status_code == 200, (viewer.email, url)
            content = response.content.decode().lower()
            assert MARKER not in content, (viewer.email, url)
            assert str(canary.email).lower() not in content

    page = client_of(another_member).get(thread_url(thread)).content.decode()
    assert "Three months" in page and "Still here." in page
    assert "Anonymous " in page


def test_the_canary_posting_as_themselves_is_named(canary, space, client_of, member):
    thread = actions.start_thread(
        canary, space=space, title="Hello", body="Hi all", anonymous=False
    ).item

    assert MARKER in client_of(member).get(thread_url(thread)).content.decode()


def _names(thread) -> list[str]:
    return [
        post.author.shown_name
        for post in Post.objects.filter(thread=thread).select_related("author").order_by("number")
    ]


def test_two_anonymous_posts_of_one_member_do_not_link(member, space):
    thread = actions.start_thread(
        member, space=space, title="Question", body="First", anonymous=True
    ).item
    actions.reply(member, thread=thread, body="Second", anonymous=True)

    first, second = Post.objects.filter(thread=thread).order_by("number")
    assert first.author_id != second.author_id
    assert all(name.startswith("Anonymous ") for name in _names(thread))
    assert member.display_name not in _names(thread)


def test_a_member_can_keep_one_anonymous_name(member, space, program):
    actions.set_preferences(member, program=program, persistent_pseudonym=True)
    thread = actions.start_thread(
        member, space=space, title="Question", body="First", anonymous=True
    ).item
    actions.reply(member, thread=thread, body="Second", anonymous=True)

    first, second = Post.objects.filter(thread=thread).order_by("number")
    assert first.author_id == second.author_id
    assert first.author.is_anonymous
    assert first.author.display_name != member.display_name


def test_posting_as_yourself_reuses_one_author_that_follows_the_profile(member, space):
    thread = actions.start_thread(
        member, space=space, title="Question", body="First", anonymous=False
    ).item
    Profile.objects.filter(user=member).update(display_name="Renamed Heron")
    member.refresh_from_db()
    actions.reply(member, thread=thread, body="Second", anonymous=False)

    assert Author.objects.filter(is_anonymous=False).count() == 1
    assert set(_names(thread)) == {"Renamed Heron"}


def test_the_owner_and_only_the_owner_is_recognised(member, supporter, space):
    thread = actions.start_thread(member, space=space, title="Q", body="B", anonymous=True).item

    assert identity.is_owner(member, thread.author)
    assert not identity.is_owner(supporter, thread.author)
    assert identity.owner_of(thread.author) == member


def test_anonymity_holds_in_a_group_only_space(
    canary, program, coordinator, facilitator, client_of
):
    from alongside.community.models import Space

    group = start_group(coordinator, program, facilitator)
    group_actions.join_group(canary, group=group)
    space = Space.objects.create(program=program, slug="circle", name="Circle", group=group)
    thread = actions.start_thread(canary, space=space, title="T", body="B", anonymous=True).item

    assert MARKER not in client_of(facilitator).get(thread_url(thread)).content.decode().lower()


PACKAGE = Path(__file__).resolve().parents[2]
ALLOWED = {PACKAGE / "community" / "identity.py"}


def _package_sources():
    for path in PACKAGE.rglob("*"):
        if path.suffix not in (".py", ".html", ".txt", ".json"):
            continue
        if "migrations" in path.parts or "tests" in path.parts or path in ALLOWED:
            continue
        yield path


def test_only_the_identity_module_reaches_the_person_behind_an_author():
    # Suspension names the person too: moderators suspend an author, identity finds who.
    pattern = re.compile(
        r"AuthorOwner|authorowner|identity\.owner_of|\bowner_of\(|\bSuspension\b|suspension_set"
    )
    models_file = PACKAGE / "community" / "models.py"
    offenders = []
    for path in _package_sources():
        text = path.read_text(errors="ignore")
        if path == models_file:
            # The model is defined there; nothing else in models.py may use it.
            text = text.replace("class AuthorOwner(models.Model):", "", 1)
            text = text.replace("class Suspension(models.Model):", "", 1)
        if pattern.search(text):
            offenders.append(str(path.relative_to(PACKAGE)))

    assert not offenders, "Only community/identity.py may reach AuthorOwner: " + ", ".join(
        offenders
    )


def test_an_anonymous_name_does_not_tell_the_writers_language(member, space):
    from django.utils import translation

    with translation.override("es"):
        thread = actions.start_thread(
            member, space=space, title="Pregunta", body="Hola", anonymous=True
        ).item
    author = thread.posts.get().author
    assert "Anónim" not in author.display_name and "Anonymous" not in author.display_name
    with translation.override("en"):
        assert author.shown_name == f"Anonymous {author.display_name}"


def test_moderating_the_canary_never_shows_who_they_are(
    canary,
    space,
    program,
    client_of,
    api_as,
    supporter,
    coordinator,
    moderator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Reported (someone at risk), warned and paused: the moderation pages, the concern queues,
    every notification and email to anyone else still never name the canary."""
    from alongside.community import moderation
    from alongside.notifications.models import Notification
    from alongside.testing import make_pairing

    make_pairing(canary, supporter, coordinator, program)
    reporter = make_person(program, "member")
    # The pairing names the canary, rightly: only what follows is about anonymous writing.
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        thread = actions.start_thread(
            canary, space=space, title="Tonight", body="Nobody would miss me.", anonymous=True
        ).item
        post = thread.posts.get()
        moderation.report_post(reporter, post=post, reason="at_risk", details="Worried.")
        moderation.warn_writer(moderator, post=post, note="Please reach out to the team.")
        moderation.suspend_writer(moderator, post=post, days=1, note="A short pause, with care.")
    slug = program.slug
    pages = {
        moderator: [
            f"/community/moderation/{slug}/",
            f"/community/moderation/{slug}/log/",
            f"/community/moderation/{slug}/posts/{post.pk}/writer/",
            f"/safety/programs/{slug}/concerns/",
            f"/api/v1/community/{slug}/moderation/",
            f"/api/v1/community/{slug}/moderation/log/",
            f"/api/v1/programs/{slug}/concerns/",
        ],
        coordinator: [f"/community/moderation/{slug}/log/", f"/safety/programs/{slug}/concerns/"],
        supporter: [f"/safety/programs/{slug}/my-members/concerns/", thread_url(thread)],
        reporter: [thread_url(thread), f"/community/notices/{slug}/"],
    }
    for viewer, urls in pages.items():
        for url in urls:
            client = api_as(viewer) if url.startswith("/api/") else client_of(viewer)
            response = client.get(url)
            assert response.status_code == 200, (viewer.email, url)
            content = response.content.decode().lower()
            assert MARKER not in content, (viewer.email, url)
    for notification in Notification.objects.filter(pk__gt=before).exclude(recipient=canary):
        text = f"{notification.title} {notification.body} {notification.url}".lower()
        assert MARKER not in text
    others = [message for message in mailoutbox if canary.email not in message.to]
    assert others, "moderators and the team were emailed"
    for message in others:
        assert MARKER not in f"{message.subject} {message.body}".lower()
    # Their supporter is not shown the concern: it would tie them to the anonymous post.
    concerns = client_of(supporter).get(f"/safety/programs/{slug}/my-members/concerns/")
    assert "A community post" not in concerns.content.decode()
    # The canary alone is told.
    assert Notification.objects.filter(recipient=canary, kind="community.moderated").count() == 2
