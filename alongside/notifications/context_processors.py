"""The unread count in the header of every page."""

from django.http import HttpRequest


def unread_count(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {"unread_notification_count": user.notifications.unread().count()}
