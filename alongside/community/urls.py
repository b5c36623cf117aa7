from django.urls import path

from alongside.community import moderation_views, search_views, views

app_name = "community"

SPACE = "<slug:program_slug>/<slug:space_slug>/"
THREAD = SPACE + "<int:thread_id>/"

urlpatterns = [
    path("preferences/<slug:program_slug>/", views.preferences, name="preferences"),
    path("reveals/<slug:program_slug>/", views.reveals, name="reveals"),
    path("reveals/<slug:program_slug>/<int:post_id>/", views.reveal, name="reveal"),
    path("report/<slug:program_slug>/<int:post_id>/", moderation_views.report, name="report"),
    path("moderation/<slug:program_slug>/", moderation_views.queue, name="moderation"),
    path("moderation/<slug:program_slug>/log/", moderation_views.log, name="moderation_log"),
    path(
        "moderation/<slug:program_slug>/posts/<int:post_id>/",
        moderation_views.post_action,
        name="moderate_post",
    ),
    path(
        "moderation/<slug:program_slug>/posts/<int:post_id>/writer/",
        moderation_views.writer_action,
        name="moderate_writer",
    ),
    path(
        "moderation/<slug:program_slug>/threads/<int:thread_id>/",
        moderation_views.thread_action,
        name="moderate_thread",
    ),
    path("settings/<slug:program_slug>/", moderation_views.community_settings, name="settings"),
    path("notices/<slug:program_slug>/", moderation_views.notices, name="notices"),
    path("<slug:program_slug>/", views.space_list, name="spaces"),
    path("<slug:program_slug>/search/", search_views.search_page, name="search"),
    path(SPACE, views.space, name="space"),
    path(SPACE + "new/", views.thread_create, name="thread_create"),
    path(THREAD, views.thread, name="thread"),
    path(THREAD + "reply/", views.reply, name="reply"),
    path(THREAD + "posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path(THREAD + "posts/<int:post_id>/react/", views.react, name="react"),
    path(THREAD + "posts/<int:post_id>/history/", views.post_history, name="post_history"),
    path(THREAD + "follow/", views.follow, name="follow"),
]
