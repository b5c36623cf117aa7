"""The websocket that keeps the header's unread count current on every open page."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from alongside.notifications.live import group_for
from alongside.notifications.models import Notification


class UnreadCountConsumer(AsyncJsonWebsocketConsumer):
    """Sends {"unread": n} on connect and whenever the person's unread count changes.

    Signed-in people only: anyone else is refused during the handshake.
    """

    group_name: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close()
            return
        self.group_name = group_for(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        # Whatever changed while this page was disconnected, it is in sync from here.
        await self.send_json({"unread": await self._unread_count(user.pk)})

    async def disconnect(self, code: int) -> None:
        if self.group_name is not None:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def notifications_unread(self, event: dict) -> None:
        await self.send_json({"unread": event["unread"]})

    @database_sync_to_async
    def _unread_count(self, user_id: int) -> int:
        return Notification.objects.filter(recipient_id=user_id).unread().count()
