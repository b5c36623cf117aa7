"""The writing paths of the community, registered from CommunityConfig.ready: every title and
post a member writes is screened by `alongside.safety.actions.screen_writing` where it is saved."""

from django.utils.translation import gettext_lazy as _

from alongside.safety.writing import register_writing_path

THREAD = "community.thread"
POST = "community.post"


def register() -> None:
    register_writing_path(THREAD, label=_("A community thread"), fields=("community.Thread.title",))
    # A revision keeps a post's earlier words, each screened when it was posted or edited.
    register_writing_path(
        POST,
        label=_("A community post"),
        fields=("community.Post.body", "community.PostRevision.body"),
    )
