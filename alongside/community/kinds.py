"""The notification kinds this app sends, registered from CommunityConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

AUTHOR_REVEALED = "community.author_revealed"


def register() -> None:
    register_kind(
        AUTHOR_REVEALED,
        label=_("Anonymous authors revealed"),
        description=_("When a moderator of your program finds out who wrote an anonymous post."),
        email_default=True,
    )
