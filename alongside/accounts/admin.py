"""Admin for people: users log in by email and have no username or real name."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Profile, User


class UserCreationByEmailForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        field_classes: dict = {}


class UserChangeByEmailForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict = {}


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ("areas_of_concern",)
    readonly_fields = ("zip_code", "city", "state", "latitude", "longitude", "updated_at")


@admin.register(User)
class AlongsideUserAdmin(UserAdmin):
    form = UserChangeByEmailForm
    add_form = UserCreationByEmailForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "display_name", "is_staff", "is_superuser", "is_active", "date_joined")
    list_select_related = ("profile",)
    search_fields = ("email", "profile__display_name")
    ordering = ("email",)

    def get_inlines(self, request, obj):
        # A new user gets its profile in save_model; the inline only edits an existing one.
        return [ProfileInline] if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        Profile.objects.get_or_create(user=obj)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "city", "state", "time_zone", "updated_at")
    list_select_related = ("user",)
    search_fields = ("display_name", "user__email", "city")
    list_filter = ("state", "preferred_language")
    raw_id_fields = ("user",)
    filter_horizontal = ("areas_of_concern",)
    readonly_fields = ("zip_code", "city", "state", "latitude", "longitude", "updated_at")
