"""The one gate to community spaces, threads and posts. Missing and forbidden answer the same 404.

- A program's community is open to its active members in any role (not to site admins as such:
  it is the members' place; an admin who is a member comes in as one).
- A space open to all is visible to all of them. A group-only space is visible to the group's
  approved members, its facilitators (still holding the facilitator role) and the program's
  coordinators and moderators.
- Whoever sees a space may read its threads and post in them; a hidden thread or post is seen
  by the program's moderators only.
- When the program holds flagged writing for review (safety settings), a thread or post that
  screening flagged is seen by its writer and the moderators only, until the flag is reviewed.
  So is a post waiting for approval (a new member's first post, community settings).
- Moderation (the queue, hiding, locking, moving, warning, suspending) is for the program's
  moderators; its log is read by them and the coordinators.
- A post is edited by the person behind its author alone (identity.is_owner).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from alongside.community import identity
from alongside.community.models import (
    AuthorReveal,
    ModerationAction,
    Post,
    PostQuerySet,
    Report,
    Space,
    Thread,
    ThreadQuerySet,
)
from alongside.groups.models import GroupMembership, MembershipStatus
from alongside.programs.access import memberships_of, memberships_of_all
from alongside.programs.models import Membership, Program, Role
from alongside.safety.models import Flag


@dataclass(frozen=True)
class Viewer:
    """Someone inside a program's community, with what their roles let them see."""

    user: Any
    membership: Membership

    @property
    def program(self) -> Program:
        return self.membership.program

    @property
    def is_moderator(self) -> bool:
        return self.membership.has_role(Role.MODERATOR)

    @property
    def sees_every_group_space(self) -> bool:
        return self.membership.has_role(Role.COORDINATOR, Role.MODERATOR)


def moderator_in(user, program_slug: str) -> Viewer:
    """The user as a moderator of program `program_slug`'s community, else Http404."""
    viewer = viewer_in(user, program_slug)
    if not viewer.is_moderator:
        raise Http404
    return viewer


def viewer_in(user, program_slug: str) -> Viewer:
    """The user as a viewer of the community of program `program_slug`, else Http404."""
    membership = memberships_of(user).filter(program__slug=program_slug).first()
    if membership is None:
        raise Http404
    return Viewer(user, membership)


def viewers_in(users, program_slug: str) -> dict[int, Viewer]:
    """`viewer_in` for many users at once: each one who may enter the community of program
    `program_slug`, by user id (one query for all, instead of one each)."""
    by_id = {user.pk: user for user in users}
    memberships = memberships_of_all(list(by_id)).filter(program__slug=program_slug)
    return {m.user_id: Viewer(by_id[m.user_id], m) for m in memberships}


def spaces_for(viewer: Viewer) -> QuerySet[Space]:
    """The spaces of the viewer's program they may see, in order."""
    spaces = Space.objects.filter(program=viewer.program).select_related("program", "group")
    if viewer.sees_every_group_space:
        return spaces
    in_group = GroupMembership.objects.filter(
        group=OuterRef("group"), user=viewer.user, status=MembershipStatus.APPROVED
    )
    allowed = Q(group__isnull=True) | Q(Exists(in_group))
    if viewer.membership.has_role(Role.FACILITATOR):
        allowed |= Q(group__facilitators=viewer.user)
    return spaces.filter(allowed).distinct()


def spaces_with_counts(viewer: Viewer) -> QuerySet[Space]:
    """`spaces_for` with `thread_count`: the threads the viewer may see in each."""
    counted = Q() if viewer.is_moderator else Q(threads__is_hidden=False)
    return spaces_for(viewer).annotate(thread_count=Count("threads", filter=counted, distinct=True))


def get_space_for(viewer: Viewer, space_slug: str) -> Space:
    """The viewer's program's space `space_slug` if they may see it, else Http404."""
    space = spaces_for(viewer).filter(slug=space_slug).first()
    if space is None:
        raise Http404
    return space


def shown_to(viewer: Viewer, items, model):
    """`items` without what the viewer may not see: hidden ones, and ones held for review that
    they did not write; a moderator sees all."""
    if viewer.is_moderator:
        return items
    held = Flag.objects.filter(
        program=viewer.program,
        content_type=ContentType.objects.get_for_model(model),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        held=True,
        reviewed_at__isnull=True,
    )
    own = Q(author__in=identity.authored_by(viewer.user))
    # Waiting for approval or held by screening: seen by the writer alone.
    let_through = Q(is_pending=False) & ~Exists(held)
    return items.filter(is_hidden=False).filter(let_through | own)


def threads_of(viewer: Viewer, space: Space) -> ThreadQuerySet:
    """The threads of `space` the viewer may see, newest activity first, authors loaded."""
    threads = Thread.objects.filter(space=space).select_related("author", "space__program")
    return shown_to(viewer, threads, Thread).order_by("-last_post_at", "-pk")


def get_thread_for(viewer: Viewer, space: Space, thread_id: int) -> Thread:
    """Thread `thread_id` of `space` if the viewer may see it, else Http404."""
    thread = threads_of(viewer, space).filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def posts_of(viewer: Viewer, thread: Thread) -> PostQuerySet:
    """The posts of `thread` the viewer may see, by number, authors loaded."""
    posts = Post.objects.filter(thread=thread).select_related("author")
    return shown_to(viewer, posts, Post).order_by("number")


def get_post_for(viewer: Viewer, thread: Thread, post_id: int, need: str = "view") -> Post:
    """Post `post_id` of `thread` if the viewer may `need` it ("view", "edit": their own), else
    Http404."""
    return _as_needed(viewer, posts_of(viewer, thread).filter(pk=post_id).first(), need)


def _as_needed(viewer: Viewer, post: Post | None, need: str) -> Post:
    if post is None:
        raise Http404
    if need == "edit" and not identity.is_owner(viewer.user, post.author):
        raise Http404
    if need not in ("view", "edit"):
        raise ValueError(f"Unknown need: {need!r}")
    return post


def threads_seen_by(viewer: Viewer) -> ThreadQuerySet:
    """The threads of the viewer's program they may see, in any space they may see, with their
    space and program."""
    threads = Thread.objects.filter(space__in=spaces_for(viewer))
    return shown_to(viewer, threads, Thread).select_related("author", "space__program")


def posts_seen_by(viewer: Viewer) -> PostQuerySet:
    """The posts of the viewer's program they may see, in any thread they may see, with their
    thread, space and program."""
    posts = Post.objects.filter(thread__in=threads_seen_by(viewer))
    return shown_to(viewer, posts, Post).select_related("author", "thread__space__program")


def get_thread_by_id(viewer: Viewer, thread_id: int) -> Thread:
    """Thread `thread_id` of the viewer's program, in a space they may see, else Http404."""
    thread = threads_seen_by(viewer).filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def get_post_by_id(viewer: Viewer, post_id: int, need: str = "view") -> Post:
    """Post `post_id` of the viewer's program if they may `need` it, else Http404 (one query:
    a thread's followers are each asked this of every reply)."""
    return _as_needed(viewer, posts_seen_by(viewer).filter(pk=post_id).first(), need)


def reveals_of(program: Program) -> QuerySet:
    """The program's reveals of anonymous writers, newest first, with moderator and post."""
    return AuthorReveal.objects.filter(program=program).select_related(
        "moderator__profile", "post__thread__space"
    )


def log_reader_in(user, program_slug: str) -> Viewer:
    """The user as a reader of program `program_slug`'s moderation log (its moderators and
    coordinators), else Http404."""
    viewer = viewer_in(user, program_slug)
    if not viewer.membership.has_role(Role.MODERATOR, Role.COORDINATOR):
        raise Http404
    return viewer


def reported_posts(viewer: Viewer) -> QuerySet[Post]:
    """The program's posts with open reports, longest waiting first, each with its thread and
    author loaded, `open_reports` (prefetched, oldest first) and `first_reported_at`."""
    open_reports = Report.objects.open()
    return (
        Post.objects.filter(thread__space__program=viewer.program)
        .filter(Exists(open_reports.filter(post=OuterRef("pk"))))
        .annotate(first_reported_at=Min("reports__created_at", filter=Q(reports__resolved_at=None)))
        .select_related("author", "thread__space__program", "thread__author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .order_by("first_reported_at", "pk")
    )


def pending_posts(viewer: Viewer) -> QuerySet[Post]:
    """The program's posts waiting for approval, oldest first, thread and author loaded."""
    return (
        Post.objects.filter(thread__space__program=viewer.program, is_pending=True, is_hidden=False)
        .select_related("author", "thread__space__program", "thread__author")
        .order_by("created_at", "pk")
    )


def posts_before(posts) -> dict[int, Post]:
    """The post just before each of `posts` in its thread (for context in the queue), by the
    later post's id; one query whatever the number of posts."""
    wanted = Q()
    for post in posts:
        if post.number > 1:
            wanted |= Q(thread_id=post.thread_id, number=post.number - 1)
    if not wanted:
        return {}
    earlier = {
        (post.thread_id, post.number): post
        for post in Post.objects.filter(wanted).select_related("author")
    }
    return {
        post.pk: earlier[(post.thread_id, post.number - 1)]
        for post in posts
        if (post.thread_id, post.number - 1) in earlier
    }


def action_log(program: Program) -> QuerySet[ModerationAction]:
    """Every moderation action of the program, newest first, with who acted and on what."""
    return ModerationAction.objects.filter(program=program).select_related(
        "moderator__profile", "thread__space__program", "post__thread__space__program", "author"
    )
