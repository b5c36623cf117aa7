"""Escalations, flags and the roster are worked on their own pages: the admin looks, without the
member's words (those are read on the review screen, where every read is logged)."""

from django.contrib import admin

from alongside.core.admin import ReadOnlyModelAdmin
from alongside.safety.models import Escalation, Flag, OnCallShift, OutboxMessage, SafetySettings


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyModelAdmin):
    list_display = ["pk", "program", "origin", "state", "tier", "created_at", "acknowledged_by"]
    list_filter = ["state", "origin", "program"]
    fields = [
        "program",
        "origin",
        "state",
        "tier",
        "acknowledge_by",
        "acknowledged_by",
        "acknowledged_at",
        "outcome",
        "created_at",
        "closed_at",
    ]
    list_select_related = ["program", "acknowledged_by__profile"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyModelAdmin):
    """Alerts waiting or delivered: the place to see a paging relay failing."""

    list_display = [
        "key",
        "channel",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "skipped_at",
        "last_error",
    ]
    list_filter = ["channel", ("delivered_at", admin.EmptyFieldListFilter)]
    search_fields = ["key"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyModelAdmin):
    list_display = ["pk", "program", "writing_path", "level", "held", "created_at", "reviewed_at"]
    list_filter = ["level", "program", ("reviewed_at", admin.EmptyFieldListFilter)]
    fields = ["program", "writing_path", "level", "categories", "held", "created_at", "reviewed_at"]
    list_select_related = ["program"]


@admin.register(OnCallShift)
class OnCallShiftAdmin(ReadOnlyModelAdmin):
    list_display = ["person", "program", "position", "starts_at", "ends_at"]
    list_filter = ["program"]
    list_select_related = ["person__profile", "program"]


@admin.register(SafetySettings)
class SafetySettingsAdmin(ReadOnlyModelAdmin):
    list_display = ["program", "hold_flagged_for_review", "acknowledge_within_minutes"]
    fields = ["program", "hold_flagged_for_review", "acknowledge_within_minutes", "webhook_url"]
