"""Background jobs of programs, each a thin wrapper around an action."""

from huey.contrib.djhuey import db_task

from alongside.programs import actions
from alongside.programs.models import Invitation


@db_task(retries=3, retry_delay=60)
def send_invitation_email(invitation_id: int) -> None:
    """Email the invitation link; an invitation revoked or deleted meanwhile sends nothing."""
    invitation = Invitation.objects.select_related("program").filter(pk=invitation_id).first()
    if invitation is not None:
        actions.email_invitation(invitation=invitation)
