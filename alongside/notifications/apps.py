from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "alongside.notifications"
    label = "notifications"
    verbose_name = "Notifications"
