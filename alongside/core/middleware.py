"""Request-wide behaviour: the default-deny login gate, each person's time zone and language."""

import zoneinfo

from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequiredMiddleware
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
