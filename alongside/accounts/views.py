"""The profile page: what a person tells others, and the keys to their account."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from alongside.accounts import access, actions, pseudonyms
from alongside.accounts.forms import ProfileForm
from alongside.accounts.models import Profile, User


class SignedInRequest(HttpRequest):
    """LoginRequiredMiddleware lets only signed-in people reach these views."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: SignedInRequest) -> HttpResponse:
    own_profile = access.get_own_profile(request.user)
    if request.method != "POST":
        return _render_profile(request, own_profile, ProfileForm.for_profile(own_profile))
    if "suggest_name" in request.POST:
        return _suggest_display_name(request, own_profile)
    form = ProfileForm.for_profile(own_profile, request.POST)
    if form.is_valid():
        try:
            actions.update_profile(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    return _render_profile(request, own_profile, form)


def _suggest_display_name(request: SignedInRequest, own_profile: Profile) -> HttpResponse:
    """Offer a new pseudonym unsaved: htmx swaps the input, a plain post re-renders the form."""
    data = request.POST.copy()
    data["display_name"] = pseudonyms.generate()
    form = ProfileForm.for_profile(own_profile, data)
    if request.htmx:
        return render(request, "accounts/_display_name_input.html", {"field": form["display_name"]})
    messages.info(request, _("Here is a new name. Save your profile to keep it."))
    return _render_profile(request, own_profile, form)


def _render_profile(
    request: SignedInRequest, own_profile: Profile, form: ProfileForm
) -> HttpResponse:
    context = {
        "form": form,
        "profile": own_profile,
        "api_token": access.get_own_api_token(request.user),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
def create_api_token(request: SignedInRequest) -> HttpResponse:
    token = actions.create_api_token(request.user)
    # Rendered, not redirected: the key is shown exactly once and never kept in the session.
    response = render(request, "accounts/api_token_created.html", {"token_key": token.key})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke_api_token(request: SignedInRequest) -> HttpResponse:
    if actions.revoke_api_token(request.user):
        messages.success(
            request, _("Your API token is revoked. Programs using it can no longer sign in.")
        )
    return redirect("accounts:profile")


@require_POST
def sign_out_everywhere(request: SignedInRequest) -> HttpResponse:
    actions.sign_out_everywhere(request.user, request=request)
    # Added after signing out: the message must survive the session being flushed.
    messages.success(request, _("You have been signed out on every device."))
    # Like allauth's own sign-out: back to the landing page (which offers signing in again).
    return redirect(settings.LOGOUT_REDIRECT_URL)
