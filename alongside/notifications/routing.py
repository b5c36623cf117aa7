"""Websocket routes of notifications; alongside/routing.py collects them."""

from django.urls import path

from alongside.notifications.consumers import UnreadCountConsumer

websocket_urlpatterns = [
    path("ws/notifications/", UnreadCountConsumer.as_asgi()),
]
