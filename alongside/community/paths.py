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


def _addresses(reader, program, object_ids: list[str], seen_by) -> dict[str, str]:
    """The address of each of these items of `seen_by(viewer)` (threads or posts the reader may
    see), by id; none for someone outside the program's community."""
    viewer = access.viewers_in([reader], program.slug).get(reader.pk)
    if viewer is None:
        return {}
    ids = [int(object_id) for object_id in object_ids if object_id.isdigit()]
    return {str(item.pk): item.get_absolute_url() for item in seen_by(viewer).filter(pk__in=ids)}


def threads_to_read(reader, program, object_ids: list[str]) -> dict[str, str]:
    """The address of each of these threads that `reader` may see, by id."""
    return _addresses(reader, program, object_ids, access.threads_seen_by)


def posts_to_read(reader, program, object_ids: list[str]) -> dict[str, str]:
    """The address of each of these posts that `reader` may see, in its thread, by id."""
    return _addresses(reader, program, object_ids, access.posts_seen_by)


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
