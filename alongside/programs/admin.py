from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alongside.programs.models import Invitation, Membership, MembershipRole, Program


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "roles_held", "is_active", "joined_at", "left_at"]
    readonly_fields = ["roles_held"]
    raw_id_fields = ["user"]
    show_change_link = True

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("user__profile").prefetch_related("roles")
        )

    @admin.display(description=_("roles"))
    def roles_held(self, membership: Membership) -> str:
        return ", ".join(sorted(membership.role_names))


class MembershipRoleInline(admin.TabularInline):
    model = MembershipRole
    extra = 0
    raw_id_fields = ["granted_by"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "join_code_enabled", "is_active", "created_at"]
    list_filter = ["is_active", "country", "join_code_enabled"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["areas_of_concern"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "is_active", "joined_at", "left_at"]
    list_filter = ["is_active", "program"]
    search_fields = ["user__email", "user__profile__display_name"]
    raw_id_fields = ["user"]
    list_select_related = ["user__profile", "program"]
    inlines = [MembershipRoleInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "program",
        "roles",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["program"]
    search_fields = ["email"]
    raw_id_fields = ["invited_by", "accepted_by"]
    readonly_fields = ["token"]
    list_select_related = ["program"]
