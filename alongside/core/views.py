"""The public landing page, each person's home page (shaped by the roles they hold) and the
health checks."""

import functools
import hashlib

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from alongside.core import health
from alongside.notifications.models import Notification
from alongside.programs import access
from alongside.programs.forms import JoinCodeForm
from alongside.programs.models import Role
from alongside.programs.overview import numbers_for
from alongside.safety import support
from alongside.safety.resources import resources_for_country

LATEST_NOTIFICATIONS = 5


@login_not_required
@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    return render(request, "core/landing.html")


def _profile_gaps(user) -> list[str]:
    """What the person has not told us yet that would help find them the right support."""
    profile = user.profile
    gaps = []
    if not profile.areas_of_concern.exists():
        gaps.append(_("what you are recovering from"))
    if not profile.languages:
        gaps.append(_("the languages you speak"))
    if not profile.zip_code:
        gaps.append(_("your ZIP code, to find groups near you"))
    return gaps


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(access.memberships_of(request.user))
    coordinating = [m.program for m in memberships if m.has_role(Role.COORDINATOR)]
    supporting = [m.program for m in memberships if m.has_role(Role.SUPPORTER)]
    staff_numbers = numbers_for(coordinating, with_staff_counts=True)
    support_numbers = numbers_for(
        [p for p in supporting if p.pk not in staff_numbers], with_staff_counts=False
    )
    numbers = support_numbers | staff_numbers
    cards = [
        {
            "membership": membership,
            "program": membership.program,
            "is_member": membership.has_role(Role.MEMBER),
            "is_supporter": membership.has_role(Role.SUPPORTER),
            "is_coordinator": membership.has_role(Role.COORDINATOR),
            "is_clinician": membership.has_role(Role.CLINICIAN),
            "is_moderator": membership.has_role(Role.MODERATOR),
            "numbers": numbers.get(membership.program_id),
        }
        for membership in memberships
    ]
    notifications = Notification.objects.for_user(request.user).unread()[:LATEST_NOTIFICATIONS]
    return render(
        request,
        "core/home.html",
        {
            "cards": cards,
            "notifications": notifications,
            # Matching and the directory use these; staff-only accounts are not asked.
            "profile_gaps": _profile_gaps(request.user)
            if any(m.has_role(Role.MEMBER, Role.SUPPORTER) for m in memberships)
            else [],
            "join_form": JoinCodeForm(),
            "is_site_admin": access.is_site_admin(request.user),
        },
    )


@login_not_required
@never_cache
@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker (core/templates/core/sw.js), at the root so that it serves every page:
    when there is no network, the offline page with the crisis lines."""
    script = _service_worker_script(support.default_country())
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")


@functools.cache
def _service_worker_script(country: str) -> str:
    """The script for the offline page of `country`'s lines. Its version is a digest of that page
    in every language and of its styles' addresses, so a change of the lines, their words or the
    styles reaches browsers. Made once per process: browsers ask for it on most page loads, and
    nothing it is made of changes while the process runs."""
    offline_url = reverse("safety:offline")
    styles = [static("alongside/css/alongside.css"), static("alongside/css/safety.css")]
    lines = resources_for_country(country)
    pages = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            pages.append(render_to_string("safety/offline.html", {"resources": lines}))
    version = hashlib.sha256("\n".join([*pages, *styles]).encode()).hexdigest()[:16]
    return render_to_string(
        "core/sw.js", {"offline_url": offline_url, "styles": styles, "version": version}
    )


def _health_answer(checks: list[health.Check]) -> JsonResponse:
    ok = all(check.ok for check in checks)
    body = {
        "status": "ok" if ok else "failing",
        "checks": {check.name: {"ok": check.ok, "reason": check.reason} for check in checks},
    }
    return JsonResponse(body, status=200 if ok else 503)


@login_not_required
@never_cache
@require_safe
def health_web(request: HttpRequest) -> JsonResponse:
    """200 when this web process can serve pages (for load balancers), else 503."""
    return _health_answer(health.web_checks())


@login_not_required
@never_cache
@require_safe
def health_alerts(request: HttpRequest) -> JsonResponse:
    """200 when crisis alerts will go out (for the monitoring that pages an operator), else 503."""
    return _health_answer(health.alert_checks())
