"""Error answers shared by the whole site.

Every error page keeps a way to help: the 404 and 403 pages (and the refused form) have the
site's header with "Help now"; the 500 page, which may be shown because the database or a
template is failing, stands alone and lists the crisis lines of the site's default country from
the code's own table.
"""

import html
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from alongside.safety import resources
from alongside.safety.support import default_crisis_resources

logger = logging.getLogger(__name__)
API_PREFIX = "/api/"


def too_many_requests(request: HttpRequest, retry_after: int = 60) -> HttpResponse:
    """429 with Retry-After; allauth's rate limits answer through this (urls.handler429)."""
    response = render(
        request, "429.html", {"retry_after_minutes": max(1, retry_after // 60)}, status=429
    )
    response["Retry-After"] = str(retry_after)
    return response


def too_many_attempts(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """django-axes' lockout answer: the same for every account, known or not."""
    return too_many_requests(request, retry_after=int(settings.AXES_COOLOFF_TIME.total_seconds()))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 for a form whose security token no longer matches (open since before a sign-in, or
    cookies cleared): say that nothing was sent and how to send it again, with Help now at hand
    (the form may have been a request for help)."""
    return render(request, "403_csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: what went wrong is ours, and the crisis lines are on the page whatever failed.

    Rendered without the request (no context processors, no database), and when even that
    fails, the lines are written out by hand.
    """
    lines = default_crisis_resources()
    if request.path_info.startswith(API_PREFIX):
        # An app reading the API gets JSON it can parse, with the lines it can show.
        body = {"detail": "Server error.", "resources": lines.as_dict()}
        return JsonResponse(body, status=500)
    try:
        return HttpResponseServerError(render_to_string("500.html", {"resources": lines}))
    except Exception:
        logger.exception("The 500 page could not be rendered; sending the plain one")
        return HttpResponseServerError(_plain_server_error(lines))


def _plain_server_error(lines: resources.CrisisResources) -> str:
    items = "".join(
        f'<li>{html.escape(line.name)}: <a href="tel:{html.escape(line.phone_uri)}">'
        f"{html.escape(line.phone)}</a></li>"
        for line in lines.lines
        if line.phone
    )
    emergency = html.escape(lines.emergency_number or "")
    return (
        '<!DOCTYPE html><html lang="en"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Something went wrong · Alongside</title>"
        "<h1>Something went wrong on our side</h1>"
        "<p>If you need help right now, a crisis line is open:</p>"
        f"<ul>{items}</ul>"
        + (
            f'<p>In danger right now? Call <a href="tel:{emergency}">{emergency}</a>.</p>'
            if emergency
            else "<p>In danger right now? Call your local emergency number.</p>"
        )
        + "</html>"
    )
