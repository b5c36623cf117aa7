from django.urls import path

from alongside.pairing import views

app_name = "pairing"

urlpatterns = [
    path("programs/<slug:slug>/my-supporter/", views.member_page, name="member"),
    path("programs/<slug:slug>/my-supporter/request/", views.match_request, name="request"),
    path("programs/<slug:slug>/my-supporter/choose/", views.choose, name="choose"),
    path("programs/<slug:slug>/my-members/", views.supporter_page, name="supporter"),
    path(
        "programs/<slug:slug>/supporter-profile/",
        views.supporter_profile,
        name="supporter_profile",
    ),
    path("programs/<slug:slug>/", views.coordinator_page, name="coordinator"),
    path("programs/<slug:slug>/batch/", views.batch, name="batch"),
    path("programs/<slug:slug>/settings/", views.settings_page, name="settings"),
    path("programs/<slug:slug>/members/<int:member_id>/match/", views.instant, name="instant"),
    path(
        "programs/<slug:slug>/supporters/<int:profile_id>/status/",
        views.supporter_status,
        name="supporter_status",
    ),
    path("<int:pairing_id>/accept/", views.accept, name="accept"),
    path("<int:pairing_id>/decline/", views.decline, name="decline"),
    path("<int:pairing_id>/pause/", views.pause, name="pause"),
    path("<int:pairing_id>/resume/", views.resume, name="resume"),
    path("<int:pairing_id>/close/", views.close, name="close"),
    path("<int:pairing_id>/rematch/", views.rematch, name="rematch"),
    path("<int:pairing_id>/block/", views.block, name="block"),
    path("<int:pairing_id>/sessions/new/", views.log_session, name="log_session"),
]
