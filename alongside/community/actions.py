"""What people do in the community: start threads, reply, edit their posts, choose how they
appear when anonymous.

Every title and post is screened by crisis safety inside the transaction that saves it. The
screening is given the real person (the crisis team must be able to reach them), and that is
the only place the person behind an anonymous post leaves this module; the caller gets the
screening back (`Written.screened`) to offer crisis support on the next page or API answer.

Each action checks again, through `access`, that the actor may do what it does.
"""

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.community import access, identity, kinds, moderation, paths, reading, search
from alongside.community.models import (
    BODY_LENGTH,
    TITLE_LENGTH,
    AuthorReveal,
    CommunityPreference,
    Post,
    PostRevision,
    Space,
    Thread,
)
from alongside.core.audit import record_access
from alongside.notifications.actions import notify
from alongside.programs.models import Role
from alongside.safety.access import coordinators_of
from alongside.safety.actions import Screened, screen_writing


@dataclass(frozen=True)
class Written:
    """Something a person wrote and saved, with what screening made of it."""

    item: Any
    screened: Screened | None

    @property
    def show_crisis_panel(self) -> bool:
        return self.screened is not None and self.screened.show_crisis_panel


def _length_error(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return _("Keep this to %(limit)d characters; it has %(count)d.") % {
            "limit": limit,
            "count": len(text),
        }
    return None


def _body_errors(body: str) -> dict[str, str]:
    if not body.strip():
        return {"body": _("Write something before posting.")}
    too_long = _length_error(body, BODY_LENGTH)
    return {"body": too_long} if too_long else {}


def _title_errors(title: str) -> dict[str, str]:
    if not title.strip():
        return {"title": _("Give your thread a title.")}
    too_long = _length_error(title, TITLE_LENGTH)
    return {"title": too_long} if too_long else {}


def _viewer(actor, space: Space) -> access.Viewer:
    viewer = access.viewer_in(actor, space.program.slug)
    access.get_space_for(viewer, space.slug)
    return viewer


def _screen(actor, *, thread: Thread, path: str, text: str, item) -> Screened:
    return screen_writing(
        actor,
        program=thread.space.program,
        path=path,
        text=text,
        item=item,
        anonymous=item.author.is_anonymous,
    )


@transaction.atomic
def start_thread(actor, *, space: Space, title: str, body: str, anonymous: bool) -> Written:
    """Start a thread in `space` with its opening post, under the actor's name or anonymously;
    ValidationError (nothing saved) for an empty or too long title or post."""
    viewer = _viewer(actor, space)
    moderation.refuse_if_suspended(actor, space.program)
    title, body = title.strip(), body.strip()
    errors = _title_errors(title) | _body_errors(body)
    if errors:
        raise ValidationError(errors)
    pending = moderation.must_wait_for_approval(actor, viewer)
    author = identity.author_for(actor, space.program, anonymous=anonymous)
    now = timezone.now()
    thread = Thread.objects.create(
        space=space,
        title=title,
        author=author,
        created_at=now,
        last_post_at=now,
        post_count=1,
        is_pending=pending,
    )
    post = Post.objects.create(
        thread=thread, number=1, author=author, body=body, created_at=now, is_pending=pending
    )
    reading.follow_what_you_write(actor, thread, number=1)
    _tell_about(post)
    search.index_thread(thread)
    screened = _screen(
        actor, thread=thread, path=paths.THREAD, text=f"{title}\n\n{body}", item=thread
    )
    return Written(thread, screened)


def _tell_about(post: Post) -> None:
    """After commit, tell the followers of the thread and the people the post mentions."""
    from alongside.community import tasks

    transaction.on_commit(partial(tasks.tell_about_post, post.pk), robust=True)


def quoted(post: Post) -> str:
    """`post` as a Markdown blockquote headed by its author's display name."""
    lines = [f"**{post.author.shown_name}** {_('wrote:')}", "", *post.body.splitlines()]
    return "\n".join(f"> {line}".rstrip() for line in lines)


@transaction.atomic
def reply(
    actor, *, thread: Thread, body: str, anonymous: bool, quote: Post | None = None
) -> Written:
    """Add a post at the end of `thread`, optionally quoting one of its posts; ValidationError
    (nothing saved) for an empty or too long post, a locked thread, or a quote from elsewhere."""
    viewer = _viewer(actor, thread.space)
    access.get_thread_for(viewer, thread.space, thread.pk)
    moderation.refuse_if_suspended(actor, thread.space.program)
    # Lock the thread: replies are numbered one after another, without gaps or twins.
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    body = body.strip()
    if locked.is_locked:
        raise ValidationError({"body": _("This thread is locked: it takes no more replies.")})
    errors = _body_errors(body)
    if errors:
        raise ValidationError(errors)
    if quote is not None:
        if quote.thread_id != thread.pk:
            raise ValidationError({"quote": _("You can only quote a post of this thread.")})
        access.get_post_for(viewer, thread, quote.pk)
        body = f"{quoted(quote)}\n\n{body}"
        too_long = _length_error(body, BODY_LENGTH)
        if too_long:
            raise ValidationError({"body": too_long})
    author = identity.author_for(actor, thread.space.program, anonymous=anonymous)
    now = timezone.now()
    post = Post.objects.create(
        thread=locked,
        number=locked.post_count + 1,
        author=author,
        body=body,
        created_at=now,
        is_pending=moderation.must_wait_for_approval(actor, viewer),
    )
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=now)
    thread.post_count, thread.last_post_at = locked.post_count + 1, now
    reading.follow_what_you_write(actor, thread, number=post.number)
    _tell_about(post)
    search.index_post(post)
    screened = _screen(actor, thread=thread, path=paths.POST, text=body, item=post)
    return Written(post, screened)


@transaction.atomic
def edit_post(actor, *, post: Post, body: str) -> Written:
    """Change the words of the actor's own post, keeping the earlier words as a revision for
    moderators; ValidationError (nothing saved) for an empty or too long post."""
    viewer = _viewer(actor, post.thread.space)
    access.get_post_for(viewer, post.thread, post.pk, need="edit")
    moderation.refuse_if_suspended(actor, post.thread.space.program)
    body = body.strip()
    errors = _body_errors(body)
    if errors:
        raise ValidationError(errors)
    if body == post.body:
        return Written(post, None)
    now = timezone.now()
    PostRevision.objects.create(post=post, body=post.body, edited_at=now)
    post.body, post.edited_at = body, now
    post.save(update_fields=["body", "edited_at"])
    search.index_post(post)
    screened = _screen(actor, thread=post.thread, path=paths.POST, text=body, item=post)
    return Written(post, screened)


@transaction.atomic
def set_preferences(actor, *, program, persistent_pseudonym: bool) -> CommunityPreference:
    """Save whether the actor keeps one anonymous name in `program`'s community."""
    access.viewer_in(actor, program.slug)
    preference, _created = CommunityPreference.objects.update_or_create(
        user=actor, program=program, defaults={"persistent_pseudonym": persistent_pseudonym}
    )
    return preference


REVEAL_REASON_SHORTEST = 10


@transaction.atomic
def reveal_author(actor, *, post: Post, reason: str):
    """Find out who wrote an anonymous post (the program's moderators only), for the reason
    given: the reveal is recorded with its reason, written to the access log with the writer as
    its subject, and every coordinator of the program is told that it happened (not who).
    Returns the writer; ValidationError when the reason is missing or too short."""
    program = post.thread.space.program
    viewer = access.viewer_in(actor, program.slug)
    if not viewer.is_moderator or not post.author.is_anonymous:
        raise Http404
    reason = reason.strip()
    if len(reason) < REVEAL_REASON_SHORTEST:
        raise ValidationError(
            {"reason": _("Say why you need to know, in a sentence the coordinators will read.")}
        )
    reveal = AuthorReveal(program=program, post=post, moderator=actor, reason=reason)
    reveal.full_clean()
    reveal.save()
    writer = identity.revealed_writer(reveal)
    record_access(
        actor,
        actor_role=Role.MODERATOR,
        subject=writer,
        obj=post,
        purpose="reveal an anonymous community writer",
        program=program,
    )
    for coordinator in get_user_model().objects.filter(pk__in=coordinators_of(program)):
        notify(
            coordinator,
            kind=kinds.AUTHOR_REVEALED,
            title=_("A moderator found out who wrote an anonymous post"),
            url=reverse("community:reveals", args=[program.slug]),
            program=program,
        )
    return writer
