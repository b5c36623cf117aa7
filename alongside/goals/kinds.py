"""The notification kinds this app sends, registered from GoalsConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

MILESTONE_REACHED = "goals.milestone_reached"
CHEER = "goals.cheer"
RECOVERY_BADGE = "goals.recovery_badge"


def register() -> None:
    register_kind(
        MILESTONE_REACHED,
        label=_("Milestones reached"),
        description=_("When a member who shares a goal with you reaches one of its steps."),
        email_default=False,
    )
    register_kind(
        CHEER,
        label=_("Cheers"),
        description=_("When someone you share a goal with cheers a step you reached."),
        email_default=False,
    )
    register_kind(
        RECOVERY_BADGE,
        label=_("Days in recovery"),
        description=_("When your days-in-recovery counter reaches a new badge."),
        email_default=False,
    )
