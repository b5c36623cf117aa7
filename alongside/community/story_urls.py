"""Recovery stories, mounted at /stories/ in alongside/urls.py."""

from django.urls import path

from alongside.community import story_views

app_name = "stories"

PROGRAM = "<slug:program_slug>/"
MINE = PROGRAM + "mine/"

urlpatterns = [
    path(PROGRAM, story_views.public_list, name="public"),
    path(PROGRAM + "<int:story_id>/", story_views.public_story, name="public_story"),
    path(MINE, story_views.mine, name="mine"),
    path(MINE + "new/", story_views.write, name="write"),
    path(MINE + "<int:story_id>/", story_views.edit, name="edit"),
    path(MINE + "<int:story_id>/withdraw/", story_views.withdraw, name="withdraw"),
    path(MINE + "<int:story_id>/delete/", story_views.delete, name="delete"),
    path(PROGRAM + "review/", story_views.review, name="review"),
    path(PROGRAM + "review/<int:story_id>/", story_views.decide, name="decide"),
]
