from django.urls import path

from alongside.accounts import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/api-token/", views.create_api_token, name="create_api_token"),
    path("profile/api-token/revoke/", views.revoke_api_token, name="revoke_api_token"),
    path("sessions/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
