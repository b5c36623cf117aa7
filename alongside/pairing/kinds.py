"""The notification kinds and writing paths of pairing, registered from PairingConfig.ready."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind
from alongside.safety.writing import register_writing_path

PROPOSED = "pairing.proposed"
CHANGED = "pairing.changed"
REMATCH_REQUESTED = "pairing.rematch_requested"
# Both sides may write a few words when a pairing ends; supporters are peers in recovery too.
FEEDBACK_PATH = "pairing.feedback"


def register() -> None:
    register_kind(
        PROPOSED,
        label=_("Peer-support matches"),
        description=_("When the program proposes a peer supporter for you, or a member for you."),
    )
    register_kind(
        CHANGED,
        label=_("Changes to your peer-support pairing"),
        description=_("When the other side accepts, pauses, resumes or ends your pairing."),
    )
    register_kind(
        REMATCH_REQUESTED,
        label=_("Requests for a new peer supporter"),
        description=_("When a member of a program you coordinate asks for a new supporter."),
    )
    register_writing_path(
        FEEDBACK_PATH,
        label=_("Feedback on the end of a pairing"),
        fields=("pairing.Pairing.member_feedback", "pairing.Pairing.supporter_feedback"),
    )
