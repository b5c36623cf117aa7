"""The writing paths of the community, registered from CommunityConfig.ready: every title and
post a member writes is screened by `alongside.safety.actions.screen_writing` where it is saved.

A reviewer of the concern queue is shown where to read a flagged thread or post in its context,
when the community's own rules let them see it (a moderator sees what screening held; someone
outside a group's space does not).
"""

from django.utils.translation import gettext_lazy as _

from alongside.community import access
from alongside.safety.writing import register_writing_path

THREAD = "community.thread"
POST = "community.post"


def _ids(object_ids: list[str]) -> list[int]:
    return [int(object_id) for object_id in object_ids if object_id.isdigit()]


def threads_to_read(reader, program, object_ids: list[str]) -> dict[str, str]:
    """The address of each of these threads that `reader` may see, by id."""
    viewer = access.viewers_in([reader], program.slug).get(reader.pk)
    if viewer is None:
        return {}
    threads = access.threads_seen_by(viewer).filter(pk__in=_ids(object_ids))
    return {str(thread.pk): thread.get_absolute_url() for thread in threads}


def posts_to_read(reader, program, object_ids: list[str]) -> dict[str, str]:
    """The address of each of these posts that `reader` may see, in its thread, by id."""
    viewer = access.viewers_in([reader], program.slug).get(reader.pk)
    if viewer is None:
        return {}
    posts = access.posts_seen_by(viewer).filter(pk__in=_ids(object_ids))
    return {str(post.pk): post.get_absolute_url() for post in posts}


def register() -> None:
    register_writing_path(
        THREAD,
        label=_("A community thread"),
        fields=("community.Thread.title",),
        locate=threads_to_read,
    )
    # A revision keeps a post's earlier words, each screened when it was posted or edited.
    register_writing_path(
        POST,
        label=_("A community post"),
        fields=("community.Post.body", "community.PostRevision.body"),
        locate=posts_to_read,
    )
