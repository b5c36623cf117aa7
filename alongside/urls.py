from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

# The admin signs in through the site's own sign-in, so two-factor authentication and the
# brute-force lockout apply there too; signed-in people who are not staff get 403.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("alongside.core.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", include("alongside.accounts.urls")),
    path("programs/", include("alongside.programs.urls")),
    path("notifications/", include("alongside.notifications.urls")),
    path("privacy/", include("alongside.privacy.urls")),
    path("safety/", include("alongside.safety.urls")),
    path("pairing/", include("alongside.pairing.urls")),
    path("goals/", include("alongside.goals.urls")),
    path("checkins/", include("alongside.checkins.urls")),
    path("groups/", include("alongside.groups.urls")),
    path("community/", include("alongside.community.urls")),
    path("stories/", include("alongside.community.story_urls")),
    path("p/", include("alongside.groups.feed_urls")),
    path("meetings/", include("alongside.groups.directory_urls")),
    path("api/", include("alongside.api.urls")),
    # Choosing a language must work before signing in.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Alongside administration"
if settings.DEBUG:
    admin.site.site_title = "Alongside (development)"

handler429 = "alongside.core.errors.too_many_requests"
handler500 = "alongside.core.errors.server_error"
