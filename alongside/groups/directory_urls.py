"""The meeting directory, mounted at /meetings/."""

from django.urls import path

from alongside.groups import directory_views

app_name = "directory"

urlpatterns = [
    path("", directory_views.search, name="search"),
]
