from django.urls import path

from alongside.core import views

app_name = "core"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("health/", views.health_web, name="health"),
    path("health/alerts/", views.health_alerts, name="health_alerts"),
    path("sw.js", views.service_worker, name="service_worker"),
]
