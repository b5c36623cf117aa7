from django.urls import path

from alongside.programs import views

app_name = "programs"

# Fixed paths come before "<slug>/"; forms.RESERVED_SLUGS keeps programs from taking their names.
urlpatterns = [
    path("", views.program_list, name="list"),
    path("new/", views.new_program, name="new"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.join_link, name="join_link"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/leave/", views.leave, name="leave"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/<int:membership_id>/grant/", views.grant_role, name="grant_role"),
    path("<slug:slug>/people/<int:membership_id>/revoke/", views.revoke_role, name="revoke_role"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path("<slug:slug>/settings/", views.program_settings, name="settings"),
    path("<slug:slug>/settings/join-code/", views.regenerate_code, name="regenerate_code"),
]
