"""Program settings for check-ins, until coordinators have their own pages: site admins set
which items a program tracks, its questionnaire schedule and its missed-streak threshold."""

from django.contrib import admin

from alongside.checkins.models import CheckInSettings, QuestionnaireSchedule, TrackedItem


@admin.register(TrackedItem)
class TrackedItemAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "kind", "program", "position", "is_active")
    list_filter = ("program", "kind", "is_active")


@admin.register(QuestionnaireSchedule)
class QuestionnaireScheduleAdmin(admin.ModelAdmin):
    list_display = ("questionnaire", "program", "every_days", "is_active")
    list_filter = ("program", "questionnaire")


@admin.register(CheckInSettings)
class CheckInSettingsAdmin(admin.ModelAdmin):
    list_display = ("program", "missed_streak_days")
