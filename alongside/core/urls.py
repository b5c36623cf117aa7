from django.urls import path

from alongside.core import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("notifications/", views.home, name="notifications"),
    path("notifications/unread/", views.home, name="notifications_unread"),
    path("notifications/<int:notification_id>/", views.home, name="notification_open"),
]
