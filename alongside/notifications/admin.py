"""Notifications are written only through actions.notify, so the admin only looks."""

from django.contrib import admin

from alongside.core.admin import ReadOnlyModelAdmin
from alongside.notifications.models import DigestState, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "kind", "recipient", "program", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient__profile", "program"]
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    search_fields = ["user__email"]
    list_select_related = ["user__profile"]


@admin.register(DigestState)
class DigestStateAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "last_sent_at"]
    search_fields = ["user__email"]
    list_select_related = ["user__profile"]
