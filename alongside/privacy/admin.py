from django.contrib import admin
from django.http import HttpRequest

from alongside.privacy.models import EmergencyAccess, SharingConsent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Consent is the member's to give, break-glass is reviewed on its own page: the admin looks."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(SharingConsent)
class SharingConsentAdmin(ReadOnlyAdmin):
    list_display = ["member", "program", "audience", "scope", "granted_at", "revoked_at"]
    list_filter = ["audience", "scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["member__email"]
    list_select_related = ["member__profile", "program"]


@admin.register(EmergencyAccess)
class EmergencyAccessAdmin(ReadOnlyAdmin):
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
