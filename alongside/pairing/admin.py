"""Pairing in the admin: settings are editable; everything written through the lifecycle, or
holding encrypted feedback and notes, is read-only and never shows the encrypted text."""

from django.contrib import admin

from alongside.core.admin import ReadOnlyModelAdmin
from alongside.pairing.models import (
    Block,
    BoundariesAgreement,
    MemberMatchRequest,
    Pairing,
    PairingSettings,
    SessionLog,
    SupporterMatchProfile,
)


@admin.register(PairingSettings)
class PairingSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "allow_self_selection", "top_k", "updated_at"]
    list_select_related = ["program"]


@admin.register(SupporterMatchProfile)
class SupporterMatchProfileAdmin(ReadOnlyModelAdmin):
    list_display = ["membership", "status", "capacity", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["membership__user", "membership__program"]


@admin.register(MemberMatchRequest)
class MemberMatchRequestAdmin(ReadOnlyModelAdmin):
    list_display = ["membership", "wants_supporter", "updated_at"]
    list_select_related = ["membership__user", "membership__program"]


@admin.register(Block)
class BlockAdmin(ReadOnlyModelAdmin):
    list_display = ["program", "member", "supporter", "created_at"]


@admin.register(Pairing)
class PairingAdmin(ReadOnlyModelAdmin):
    list_display = ["program", "member", "supporter", "state", "proposed_at", "closed_at"]
    list_filter = ["state"]
    list_select_related = ["program", "member", "supporter"]
    # Each side's feedback on the ending is health data: only the coordinator's audited page.
    exclude = ["member_feedback", "supporter_feedback"]


@admin.register(BoundariesAgreement)
class BoundariesAgreementAdmin(ReadOnlyModelAdmin):
    list_display = ["pairing", "side", "version", "accepted_at"]


@admin.register(SessionLog)
class SessionLogAdmin(ReadOnlyModelAdmin):
    list_display = ["pairing", "date", "duration_minutes", "modality"]
    # The supporter's private notes are theirs alone.
    exclude = ["notes"]
