from django.urls import path

from alongside.checkins import views

app_name = "checkins"

urlpatterns: list = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.today, name="today"),
    path("<slug:slug>/settings/", views.preferences, name="preferences"),
    path("<slug:slug>/program-settings/", views.program_settings, name="program_settings"),
    path(
        "<slug:slug>/program-settings/items/new/",
        views.tracked_item_add,
        name="tracked_item_add",
    ),
    path(
        "<slug:slug>/program-settings/items/<int:item_id>/",
        views.tracked_item_edit,
        name="tracked_item_edit",
    ),
    path("<slug:slug>/trends/", views.my_trends, name="trends"),
    path("<slug:slug>/questionnaires/<slug:code>/", views.questionnaire, name="questionnaire"),
    path(
        "<slug:slug>/members/<int:member_id>/trends/",
        views.member_trends,
        name="member_trends",
    ),
]
