"""Request-wide security rules that every page inherits.

- Staff roles reach members' health data, so they must have two-factor authentication on
  before they can open anything but their account settings.
- Pages may show health data: no answer is stored by the browser or a shared proxy cache
  (Cache-Control: no-store) unless its view chose its own caching (a public feed, say).
"""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from alongside.core.sessions import request_holds_staff_role

# What a staff member without a second factor may still open: signing in and out, setting up
# two-factor authentication, changing language, and static files.
MFA_SETUP_PATH_PREFIXES = ("/accounts/", "/i18n/", "/static/")


class StaffMfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(MFA_SETUP_PATH_PREFIXES)
            and request_holds_staff_role(request)
            and not is_mfa_enabled(user)
        ):
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        message = _(
            "Your role gives you access to members' health information. "
            "Please turn on two-factor authentication to continue."
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "mfa_required"}, status=403)
        messages.warning(request, message)
        return redirect("mfa_activate_totp")


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, private"
        return response
