from django.urls import path

from alongside.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("unread/", views.unread, name="unread"),
    path("<int:notification_id>/", views.open_notification, name="open"),
]
