"""The notification kinds this app sends, registered from PrivacyConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

EMERGENCY_ACCESS = "privacy.emergency_access"


def register() -> None:
    register_kind(
        EMERGENCY_ACCESS,
        label=_("Emergency access to a member's records"),
        description=_(
            "When a clinician of a program you coordinate opens a member's records under "
            "emergency access. These emails are always sent, so every use is reviewed."
        ),
        mandatory_email=True,
    )
