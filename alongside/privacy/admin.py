"""Consent is the member's to give, break-glass is reviewed on its own page: the admin looks."""

from django.contrib import admin

from alongside.core.admin import ReadOnlyModelAdmin
from alongside.privacy.models import EmergencyAccess, SharingConsent


@admin.register(SharingConsent)
class SharingConsentAdmin(ReadOnlyModelAdmin):
    list_display = ["member", "program", "audience", "scope", "granted_at", "revoked_at"]
    list_filter = ["audience", "scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["member__email"]
    list_select_related = ["member__profile", "program"]


@admin.register(EmergencyAccess)
class EmergencyAccessAdmin(ReadOnlyModelAdmin):
    list_display = [
        "clinician",
        "member",
        "program",
        "started_at",
        "expires_at",
        "ended_at",
        "reviewed_by",
        "reviewed_at",
    ]
    list_filter = ["program", ("reviewed_at", admin.EmptyFieldListFilter)]
    search_fields = ["clinician__email", "member__email"]
    list_select_related = [
        "clinician__profile",
        "member__profile",
        "program",
        "reviewed_by__profile",
    ]
