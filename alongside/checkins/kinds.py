"""The notification kinds this app sends, registered from CheckinsConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

REMINDER = "checkins.reminder"
MISSED_STREAK = "checkins.missed_streak"


def register() -> None:
    register_kind(
        REMINDER,
        label=_("Check-in reminders"),
        description=_("Once a day at the time you chose, when you have not checked in yet."),
        email_default=False,
    )
    register_kind(
        MISSED_STREAK,
        label=_("Missed check-ins"),
        description=_(
            "When a member who shares their check-ins with you has not checked in for several "
            "days in a row."
        ),
    )
