"""Websocket routes of every domain, collected in one list for the ASGI app."""

from alongside.core.routing import websocket_urlpatterns as core_websockets

websocket_urlpatterns = [*core_websockets]
