from django.urls import path

from alongside.goals import views

app_name = "goals"

GOAL = "<int:goal_id>/"
MILESTONE = GOAL + "steps/<int:milestone_id>/"

urlpatterns = [
    path("", views.goal_list, name="list"),
    path("new/", views.goal_create, name="create"),
    path(GOAL, views.goal_detail, name="detail"),
    path(GOAL + "edit/", views.goal_edit, name="edit"),
    path(GOAL + "status/", views.goal_status, name="status"),
    path(GOAL + "delete/", views.goal_delete, name="delete"),
    path(GOAL + "steps/", views.milestone_add, name="milestone_add"),
    path(MILESTONE + "reach/", views.milestone_reach, name="milestone_reach"),
    path(MILESTONE + "cheer/", views.milestone_cheer, name="milestone_cheer"),
    path(GOAL + "progress/", views.progress_add, name="progress_add"),
    path(GOAL + "comments/", views.comment_add, name="comment_add"),
    path("programs/<slug:slug>/", views.shared_goals, name="shared"),
    path("groups/<slug:program_slug>/<slug:group_slug>/", views.group_goals, name="group"),
    path("recovery/", views.recovery_counter, name="recovery"),
    path("recovery/shown/", views.recovery_shown, name="recovery_shown"),
]
