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
- A post is edited by the person behind its author alone (identity.is_owner).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from alongside.community import identity
from alongside.community.models import (
    AuthorReveal,
    Post,
    PostQuerySet,
    Space,
    Thread,
    ThreadQuerySet,
)
from alongside.groups.models import GroupMembership, MembershipStatus
from alongside.programs.access import memberships_of
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


def viewer_in(user, program_slug: str) -> Viewer:
    """The user as a viewer of the community of program `program_slug`, else Http404."""
    membership = memberships_of(user).filter(program__slug=program_slug).first()
    if membership is None:
        raise Http404
    return Viewer(user, membership)


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


def _shown(viewer: Viewer, items, model):
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
    return items.visible().filter(~Exists(held) | own)


def threads_of(viewer: Viewer, space: Space) -> ThreadQuerySet:
    """The threads of `space` the viewer may see, newest activity first, authors loaded."""
    threads = Thread.objects.filter(space=space).select_related("author", "space__program")
    return _shown(viewer, threads, Thread).order_by("-last_post_at", "-pk")


def get_thread_for(viewer: Viewer, space: Space, thread_id: int) -> Thread:
    """Thread `thread_id` of `space` if the viewer may see it, else Http404."""
    thread = threads_of(viewer, space).filter(pk=thread_id).first()
    if thread is None:
        raise Http404
    return thread


def posts_of(viewer: Viewer, thread: Thread) -> PostQuerySet:
    """The posts of `thread` the viewer may see, by number, authors loaded."""
    posts = Post.objects.filter(thread=thread).select_related("author")
    return _shown(viewer, posts, Post).order_by("number")


def get_post_for(viewer: Viewer, thread: Thread, post_id: int, need: str = "view") -> Post:
    """Post `post_id` of `thread` if the viewer may `need` it ("view", "edit": their own), else
    Http404."""
    post = posts_of(viewer, thread).filter(pk=post_id).first()
    if post is None:
        raise Http404
    if need == "edit" and not identity.is_owner(viewer.user, post.author):
        raise Http404
    if need not in ("view", "edit"):
        raise ValueError(f"Unknown need: {need!r}")
    return post


def get_thread_by_id(viewer: Viewer, thread_id: int) -> Thread:
    """Thread `thread_id` of the viewer's program, in a space they may see, else Http404."""
    threads = Thread.objects.filter(pk=thread_id, space__in=spaces_for(viewer))
    thread = _shown(viewer, threads, Thread).select_related("author", "space__program").first()
    if thread is None:
        raise Http404
    return thread


def get_post_by_id(viewer: Viewer, post_id: int, need: str = "view") -> Post:
    """Post `post_id` of the viewer's program if they may `need` it, else Http404."""
    post = (
        Post.objects.filter(pk=post_id, thread__space__in=spaces_for(viewer))
        .select_related("author", "thread__space__program")
        .first()
    )
    if post is None:
        raise Http404
    get_thread_by_id(viewer, post.thread_id)
    return get_post_for(viewer, post.thread, post.pk, need=need)


def reveals_of(program: Program) -> QuerySet:
    """The program's reveals of anonymous writers, newest first, with moderator and post."""
    return AuthorReveal.objects.filter(program=program).select_related(
        "moderator__profile", "post__thread__space"
    )
