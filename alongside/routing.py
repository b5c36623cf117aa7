"""Websocket routes of every domain, collected in one list for the ASGI app."""

from alongside.notifications.routing import websocket_urlpatterns as notification_websockets

websocket_urlpatterns = [*notification_websockets]
