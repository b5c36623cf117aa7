from django.urls import path

from alongside.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_home, name="home"),
    path("programs/<slug:slug>/sharing/", views.save_sharing, name="sharing"),
    path(
        "programs/<slug:slug>/emergency-access/",
        views.emergency_access,
        name="emergency_access",
    ),
    path(
        "programs/<slug:slug>/emergency-access/review/",
        views.emergency_review,
        name="emergency_review",
    ),
    path(
        "programs/<slug:slug>/emergency-access/<int:grant_id>/end/",
        views.end_emergency_access,
        name="emergency_end",
    ),
    path(
        "programs/<slug:slug>/emergency-access/<int:grant_id>/review/",
        views.review_emergency_access,
        name="emergency_review_grant",
    ),
]
