from django.urls import path

from alongside.programs import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
