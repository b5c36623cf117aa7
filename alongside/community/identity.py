"""Who stands behind an author: the only module that reads or writes `AuthorOwner`.

Everything else sees an `Author` (a display name, anonymous or not). A test fails when
`AuthorOwner` or `owner_of` is named anywhere else in the package but migrations and tests.

- Posting as yourself: one author per member and program, under the member's profile display
  name (kept up to date when it changes).
- Posting anonymously: a fresh author for each post, "Anonymous" and a generated name unrelated
  to the member's own, so a member's anonymous posts do not link to each other; unless the member
  chose to keep one anonymous name in the program (`CommunityPreference`), then one reused author.

Moderators act on an author, not a person: a warning reaches the person behind it, and a
suspension (`Suspension`, which names them, so it lives here too) keeps them from writing,
without the moderator learning who they are.
"""

from django.db.models import QuerySet
from django.utils import timezone

from alongside.accounts import pseudonyms
from alongside.community.models import (
    Author,
    AuthorOwner,
    AuthorReveal,
    CommunityPreference,
    ModerationAction,
    Post,
    Suspension,
)
from alongside.programs.models import Program


def keeps_one_anonymous_name(user, program: Program) -> bool:
    """True when `user` chose one persistent anonymous name in `program`."""
    return CommunityPreference.objects.filter(
        user=user, program=program, persistent_pseudonym=True
    ).exists()


def _anonymous_name() -> str:
    # Only the generated name: Author.shown_name adds "Anonymous" in each reader's language.
    return pseudonyms.generate()


def _new_author(user, program: Program, *, name: str, anonymous: bool, reused: bool) -> Author:
    author = Author.objects.create(program=program, display_name=name, is_anonymous=anonymous)
    AuthorOwner.objects.create(author=author, user=user, is_reused=reused)
    return author


def _reused_author(user, program: Program, *, anonymous: bool) -> Author | None:
    owner = (
        AuthorOwner.objects.filter(user=user, is_reused=True)
        .filter(author__program=program, author__is_anonymous=anonymous)
        .select_related("author")
        .first()
    )
    return owner.author if owner else None


def author_for(user, program: Program, *, anonymous: bool) -> Author:
    """The author `user` posts under in `program` now: their own name, or an anonymous one
    (fresh each time unless they keep one anonymous name)."""
    if not anonymous:
        name = user.display_name[: Author._meta.get_field("display_name").max_length]
        author = _reused_author(user, program, anonymous=False)
        if author is None:
            return _new_author(user, program, name=name, anonymous=False, reused=True)
        if author.display_name != name:
            author.display_name = name
            author.save(update_fields=["display_name"])
        return author
    if keeps_one_anonymous_name(user, program):
        author = _reused_author(user, program, anonymous=True)
        if author is None:
            author = _new_author(user, program, name=_anonymous_name(), anonymous=True, reused=True)
        return author
    return _new_author(user, program, name=_anonymous_name(), anonymous=True, reused=False)


def is_owner(user, author: Author) -> bool:
    """True when `user` stands behind `author`."""
    if not user.is_authenticated:
        return False
    return AuthorOwner.objects.filter(author=author, user=user).exists()


def owned_among(user, author_ids) -> set[int]:
    """Which of `author_ids` `user` stands behind, to mark their own posts on a page in one
    query; never shown to anyone else."""
    if not user.is_authenticated:
        return set()
    return set(
        AuthorOwner.objects.filter(user=user, author_id__in=set(author_ids)).values_list(
            "author_id", flat=True
        )
    )


def authored_by(user) -> QuerySet:
    """The ids of the authors `user` stands behind, as a subquery for filters (their own held
    posts stay visible to them); it never reaches a page."""
    if not user.is_authenticated:
        return AuthorOwner.objects.none().values("author_id")
    return AuthorOwner.objects.filter(user=user).values("author_id")


def owner_of(author: Author):
    """The user behind `author`, or None. Only `revealed_writer` calls it."""
    owner = AuthorOwner.objects.filter(author=author).select_related("user").first()
    return owner.user if owner else None


def revealed_writer(reveal: AuthorReveal):
    """The person who wrote the revealed post: only for a reveal already recorded (with its
    reason, by actions.reveal_author), so no one finds out without leaving a trace."""
    if reveal.pk is None:
        raise ValueError("Record the reveal before asking who wrote the post.")
    return owner_of(reveal.post.author)


def writer_for_safety(author: Author):
    """The person behind `author`, for crisis safety alone (a member reported they may be at
    risk): the concern it raises names no one in the queues when the author is anonymous."""
    return owner_of(author)


def writer_to_tell(author: Author):
    """The person behind `author`, for sending them a notification only (they were mentioned,
    someone replied): the caller must not show it to anyone."""
    return owner_of(author)


def tell_writer(author: Author, *, unless_unread: bool = False, **notification) -> None:
    """Notify the person behind `author` (a warning, a reaction), without the sender learning
    who they are; nothing happens for an author nobody stands behind any more. `unless_unread`:
    not again while the same news (kind and link) waits unread."""
    from alongside.notifications.actions import notify
    from alongside.notifications.models import Notification

    user = owner_of(author)
    if user is None:
        return
    if unless_unread and (
        Notification.objects.for_user(user)
        .unread()
        .filter(kind=notification["kind"], url=notification.get("url", ""))
        .exists()
    ):
        return
    notify(user, **notification)


def suspend(action: ModerationAction, *, until) -> bool:
    """Keep the person behind `action.author` from writing in the program until `until`;
    False when nobody stands behind the author any more."""
    user = owner_of(action.author) if action.author else None
    if user is None:
        return False
    Suspension.objects.create(program=action.program, user=user, action=action, until=until)
    return True


def suspended_until(user, program: Program):
    """When the user's latest running suspension in `program` ends, or None."""
    if not user.is_authenticated:
        return None
    suspension = (
        Suspension.objects.filter(
            user=user, program=program, ended_at__isnull=True, until__gt=timezone.now()
        )
        .order_by("-until")
        .first()
    )
    return suspension.until if suspension else None


def _running_suspensions_of(author: Author) -> QuerySet[Suspension]:
    return Suspension.objects.filter(
        user__in=AuthorOwner.objects.filter(author=author).values("user"),
        program_id=author.program_id,
        ended_at__isnull=True,
        until__gt=timezone.now(),
    )


def is_suspended(author: Author) -> bool:
    """True when the person behind `author` may not write in the author's program now."""
    return _running_suspensions_of(author).exists()


def end_suspensions(author: Author) -> int:
    """End the running suspensions of the person behind `author`; how many there were."""
    return _running_suspensions_of(author).update(ended_at=timezone.now())


def has_approved_post(user, program: Program) -> bool:
    """True when a post of `user` in `program` has been let through (approved, or never held)."""
    return Post.objects.filter(
        author__in=authored_by(user), thread__space__program=program, is_pending=False
    ).exists()


def actions_told_to(user, program: Program) -> QuerySet[ModerationAction]:
    """The moderation of `user`'s writing they are told about, newest first."""
    from alongside.community.models import ACTIONS_TOLD_TO_WRITER

    return ModerationAction.objects.filter(
        program=program, author__in=authored_by(user), kind__in=ACTIONS_TOLD_TO_WRITER
    ).select_related("thread__space__program", "post__thread__space__program")
