from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("alongside.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("alongside.accounts.urls")),
    path("programs/", include("alongside.programs.urls")),
    path("notifications/", include("alongside.notifications.urls")),
    path("api/", include("alongside.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Alongside administration"
if settings.DEBUG:
    admin.site.site_title = "Alongside (development)"

handler429 = "alongside.core.errors.too_many_requests"
