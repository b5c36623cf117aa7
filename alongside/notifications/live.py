"""Live unread counts: each person's open pages listen on one channel-layer group."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db.models import Count

from alongside.notifications.models import Notification

logger = logging.getLogger(__name__)

# The consumer's handler is `notifications_unread`: Channels maps "." in the type to "_".
UNREAD_EVENT = "notifications.unread"


def group_for(user_id: int) -> str:
    return f"notifications.user.{user_id}"


def push_unread_count(user_id: int) -> None:
    """Send the person's current unread count to their open pages, if any (after commit)."""
    push_unread_counts([user_id])


def push_unread_counts(user_ids: list[int]) -> None:
    """Send each person's current unread count to their open pages, counted in one query.

    Called after commit. The count is a nicety: a push that fails (no layer, Redis down, called
    from inside an event loop) is logged and never breaks the action that caused it.
    """
    try:
        layer = get_channel_layer()
        if layer is None or not user_ids:
            return
        counted = dict(
            Notification.objects.filter(recipient_id__in=user_ids)
            .unread()
            .values("recipient_id")
            .annotate(unread=Count("pk"))
            .values_list("recipient_id", "unread")
        )
        send = async_to_sync(layer.group_send)
        for user_id in dict.fromkeys(user_ids):
            send(group_for(user_id), {"type": UNREAD_EVENT, "unread": counted.get(user_id, 0)})
    except Exception:
        logger.warning("Could not push unread counts to users %s", user_ids[:20], exc_info=True)
