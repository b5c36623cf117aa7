"""The notification kinds this app sends, registered from CommunityConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

AUTHOR_REVEALED = "community.author_revealed"
REPORTED = "community.reported"
MODERATED = "community.moderated"
REPLY = "community.reply"
MENTION = "community.mention"
REACTION = "community.reaction"


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
    register_kind(
        REPLY,
        label=_("Replies in threads you follow"),
        description=_("You follow the threads you start or reply to, and any you choose."),
        email_default=False,
        digest_allowed=True,
    )
    register_kind(
        MENTION,
        label=_("Mentions"),
        description=_("When someone writes @ and your name (or your anonymous name) in a post."),
        email_default=True,
        digest_allowed=True,
    )
    register_kind(
        REACTION,
        label=_("Reactions to your posts"),
        description=_("When someone says “me too”, sends support or thanks you for a post."),
        email_default=False,
        digest_allowed=True,
    )
