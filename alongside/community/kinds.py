"""The notification kinds this app sends, registered from CommunityConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

AUTHOR_REVEALED = "community.author_revealed"
REPORTED = "community.reported"
MODERATED = "community.moderated"


def register() -> None:
    register_kind(
        AUTHOR_REVEALED,
        label=_("Anonymous authors revealed"),
        description=_("When a moderator of your program finds out who wrote an anonymous post."),
        email_default=True,
    )
    register_kind(
        REPORTED,
        label=_("Reported posts"),
        description=_("When a member of a program you moderate reports a post."),
        email_default=True,
    )
    register_kind(
        MODERATED,
        label=_("Moderation of your posts"),
        description=_("When a moderator hides or approves one of your posts, or sends you a note."),
        email_default=True,
    )
