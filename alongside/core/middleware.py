"""Request-wide behaviour: the default-deny login gate, each person's time zone and language,
and throttled device tracking."""

import zoneinfo

from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequiredMiddleware
from django.core.cache import cache
from django.utils import timezone, translation
from rest_framework.views import APIView


class UserTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        profile = getattr(request.user, "profile", None) if request.user.is_authenticated else None
        if profile is not None:
            timezone.activate(zoneinfo.ZoneInfo(profile.time_zone))
            if "django_language" not in request.COOKIES:
                translation.activate(profile.preferred_language)
                request.LANGUAGE_CODE = translation.get_language()
        else:
            timezone.deactivate()
        return self.get_response(request)


class LoginRequiredMiddleware(BaseLoginRequiredMiddleware):
    """Django's default-deny gate, except for the API, which authenticates on its own.

    An API client without credentials must get 401 with a WWW-Authenticate header, not a
    redirect to an HTML login form; DRF's default permission (IsAuthenticated) gives that.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ThrottledUserSessionsMiddleware:
    """allauth's device tracking ("last seen", IP and browser of each signed-in session), written
    at most every ACTIVITY_WRITE_INTERVAL rather than on every request.

    allauth's own middleware runs a write transaction on every signed-in request, the largest
    fixed cost of a page. When the session was last recorded, and from where, is remembered in
    the cache (no query); a change of IP address or browser, or a new session key after signing
    in, is recorded at once, so the device list, "sign out everywhere" and allauth's
    session_client_changed signal see it without delay.
    """

    ACTIVITY_WRITE_INTERVAL = 300  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from allauth.account.adapter import get_adapter
        from allauth.usersessions import app_settings
        from allauth.usersessions.models import UserSession

        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            app_settings.TRACK_ACTIVITY
            and session is not None
            and session.session_key
            and user is not None
            and user.is_authenticated
        ):
            key = f"usersession-seen:{session.session_key}"
            client = [get_adapter().get_client_ip(request), request.META.get("HTTP_USER_AGENT", "")]
            if cache.get(key) != client:
                UserSession.objects.create_from_request(request)
                cache.set(key, client, timeout=self.ACTIVITY_WRITE_INTERVAL)
        return self.get_response(request)
