from django.urls import path

from alongside.groups import views

app_name = "groups"

PROGRAM = "<slug:program_slug>/"
GROUP = PROGRAM + "<slug:group_slug>/"
MEETING = GROUP + "meetings/<slug:meeting_slug>/"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path(PROGRAM + "new/", views.group_create, name="create"),
    path(PROGRAM + "import/", views.meeting_import, name="import"),
    path(GROUP, views.group_detail, name="detail"),
    path(GROUP + "edit/", views.group_edit, name="edit"),
    path(GROUP + "join/", views.group_join, name="join"),
    path(GROUP + "leave/", views.group_leave, name="leave"),
    path(GROUP + "members/", views.group_members, name="members"),
    path(GROUP + "members/<int:membership_id>/", views.membership_decide, name="decide"),
    path(GROUP + "announcements/", views.announcement_add, name="announce"),
    path(GROUP + "meetings/new/", views.meeting_create, name="meeting_create"),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(MEETING + "edit/", views.meeting_edit, name="meeting_edit"),
    path(MEETING + "exceptions/", views.exception_add, name="exception_add"),
    path(
        MEETING + "exceptions/<int:exception_id>/delete/",
        views.exception_delete,
        name="exception_delete",
    ),
    path(MEETING + "rsvp/<str:occurrence>/", views.rsvp, name="rsvp"),
    path(MEETING + "attendance/<str:occurrence>/", views.attendance, name="attendance"),
    path(MEETING + "check-in/", views.check_in, name="check_in"),
]
