"""The notification kinds this app sends, registered from SafetyConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

ESCALATION = "safety.escalation"
CONCERN = "safety.concern"


def register() -> None:
    register_kind(
        ESCALATION,
        label=_("Crisis escalations"),
        description=_(
            "When a member may be in crisis and you are the person on call, or the escalation "
            "reaches you because nobody acknowledged it in time. These emails are always sent."
        ),
        mandatory_email=True,
        urgent=True,
    )
    register_kind(
        CONCERN,
        label=_("Posts that may need a kind word"),
        description=_(
            "When something a member wrote sounds like they are struggling, without signs of an "
            "emergency."
        ),
        email_default=False,
    )
