"""The notification kinds this app sends, registered from GroupsConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

MEETING_REMINDER = "groups.meeting_reminder"
JOIN_REQUEST = "groups.join_request"
JOIN_DECISION = "groups.join_decision"


def register() -> None:
    register_kind(
        MEETING_REMINDER,
        label=_("Meeting reminders"),
        description=_("Before a meeting you said you would come to."),
        email_default=True,
    )
    register_kind(
        JOIN_REQUEST,
        label=_("Requests to join your groups"),
        description=_("When someone asks to join a closed group you facilitate."),
        email_default=False,
    )
    register_kind(
        JOIN_DECISION,
        label=_("Answers to your requests to join"),
        description=_("When a facilitator answers your request to join a group."),
        email_default=True,
    )
