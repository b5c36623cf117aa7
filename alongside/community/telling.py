"""Telling people about a new post: the followers of its thread and the people it mentions.

Run after the post is committed (`tasks.tell_about_post`), so a slow notification never holds
up the writer. Each person is told only if they may see the post now (a group-only space, a
post held for review), once per post even if they both follow and are mentioned, and never the
writer themselves. Titles name no thread and no writer: notifications are emailed, and thread
titles are health data.
"""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.translation import gettext as _

from alongside.community import access, identity, kinds, mentions, reading
from alongside.community.models import Post
from alongside.notifications.actions import notify_each


def _may_see(viewer: access.Viewer | None, post: Post) -> bool:
    if viewer is None:
        return False
    try:
        access.get_post_by_id(viewer, post.pk)
    except Http404:
        return False
    return True


def tell_about_post(*, post_id: int) -> int:
    """Notify the mentioned and the followers of post `post_id`'s thread; how many were told."""
    post = (
        Post.objects.select_related("thread__space__program", "author")
        .filter(pk=post_id, is_hidden=False, is_pending=False)
        .first()
    )
    if post is None:
        return 0
    program = post.thread.space.program
    writer = identity.writer_to_tell(post.author)
    told = {writer.pk if writer is not None else None}
    people = []
    for author in mentions.mentioned_authors(post.thread, post.body):
        person = identity.writer_to_tell(author)
        if person is not None:
            people.append((person, kinds.MENTION, _("Someone mentioned you in the community")))
    followers = get_user_model().objects.filter(pk__in=reading.followers_of(post.thread))
    for person in followers.select_related("profile"):
        people.append((person, kinds.REPLY, _("A new reply in a thread you follow")))
    # Who may enter the program's community, found for everyone at once: a thread with hundreds
    # of followers asked once each.
    viewers = access.viewers_in([person for person, _kind, _title in people], program.slug)
    told_of: dict[tuple[str, str], list] = {}
    for person, kind, title in people:
        if person.pk in told or not _may_see(viewers.get(person.pk), post):
            continue
        told.add(person.pk)
        told_of.setdefault((kind, title), []).append(person)
    for (kind, title), recipients in told_of.items():
        notify_each(
            recipients, kind=kind, title=title, url=post.get_absolute_url(), program=program
        )
    return len(told) - 1
