from django.urls import path

from alongside.community import views

app_name = "community"

SPACE = "<slug:program_slug>/<slug:space_slug>/"
THREAD = SPACE + "<int:thread_id>/"

urlpatterns = [
    path("preferences/<slug:program_slug>/", views.preferences, name="preferences"),
    path("reveals/<slug:program_slug>/", views.reveals, name="reveals"),
    path("reveals/<slug:program_slug>/<int:post_id>/", views.reveal, name="reveal"),
    path("<slug:program_slug>/", views.space_list, name="spaces"),
    path(SPACE, views.space, name="space"),
    path(SPACE + "new/", views.thread_create, name="thread_create"),
    path(THREAD, views.thread, name="thread"),
    path(THREAD + "reply/", views.reply, name="reply"),
    path(THREAD + "posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
]
