"""Live unread counts: each person's open pages listen on one channel-layer group."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from alongside.notifications.models import Notification

logger = logging.getLogger(__name__)

# The consumer's handler is `notifications_unread`: Channels maps "." in the type to "_".
UNREAD_EVENT = "notifications.unread"


def group_for(user_id: int) -> str:
    return f"notifications.user.{user_id}"


def push_unread_count(user_id: int) -> None:
    """Send the person's current unread count to their open pages, if any.

    Called after commit. The count is a nicety: a push that fails (no layer, Redis down, called
    from inside an event loop) is logged and never breaks the action that caused it.
    """
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        unread = Notification.objects.filter(recipient_id=user_id).unread().count()
        async_to_sync(layer.group_send)(
            group_for(user_id), {"type": UNREAD_EVENT, "unread": unread}
        )
    except Exception:
        logger.warning("Could not push the unread count to user %s", user_id, exc_info=True)
