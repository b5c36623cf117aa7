"""Error answers shared by the whole site."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


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
