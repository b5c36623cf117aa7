"""The notification kinds of the foundation; each later app registers its own in its apps.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind

MEMBER_JOINED = "programs.member_joined"
INVITATION = "programs.invitation"
ACCOUNT_SECURITY = "account.security"


def register() -> None:
    register_kind(
        MEMBER_JOINED,
        label=_("Someone joined your program"),
        description=_("When a person joins a program you coordinate."),
    )
    register_kind(
        INVITATION,
        label=_("Invitations"),
        description=_("When someone invites you to join a program."),
    )
    register_kind(
        ACCOUNT_SECURITY,
        label=_("Account security"),
        description=_(
            "New sign-ins and changes to your password, email address or two-factor "
            "authentication. These emails are always sent, to keep your account safe."
        ),
        mandatory_email=True,
    )
