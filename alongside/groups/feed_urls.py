"""Public feed addresses, mounted at /p/ so that /p/<program>/meetings.json reads well."""

from django.urls import path

from alongside.groups import feed_views

app_name = "feeds"

urlpatterns = [
    path("calendar/<str:token>.ics", feed_views.personal_calendar, name="personal_calendar"),
    path("<slug:program_slug>/meetings.json", feed_views.meeting_guide_feed, name="meetings"),
    path(
        "<slug:program_slug>/groups/<slug:group_slug>/calendar.ics",
        feed_views.group_calendar,
        name="group_calendar",
    ),
]
