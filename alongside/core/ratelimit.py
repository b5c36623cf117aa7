"""Rate limits for what people send: posting, joining, inviting, breaking glass.

A fixed window counted in the shared cache (Redis in production, so every web process counts
together). A limited request gets 429 with Retry-After, through the site's one 429 page. Sign-in,
sign-up and password reset are limited by allauth and django-axes, the API by DRF's throttles.
"""

import math
import time
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from alongside.core.errors import too_many_requests

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/15m" -> (5, 900): at most 5 in each 15 minutes."""
    count, period = rate.split("/")
    multiple = int(period[:-1] or 1)
    return int(count), multiple * _PERIODS[period[-1]]


def consume(scope: str, key: str, rate: str) -> int | None:
    """Count one use of `scope` by `key`; None while within `rate`, else seconds until allowed."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # the window expired between add and incr
        cache.add(cache_key, 1, timeout=period)
        used = 1
    # None: the cache is unreachable (settings.py lets a Redis outage fail open). Let the
    # request through rather than refuse someone, perhaps in crisis, for want of a counter.
    if used is None or used <= limit:
        return None
    return max(1, math.ceil((window + 1) * period - now))


def _client_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def rate_limited(scope: str, rate: str, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Limit a view's `methods` to `rate` per signed-in person (or per IP address when anonymous)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method in methods:
                retry_after = consume(scope, _client_key(request), rate)
                if retry_after is not None:
                    return too_many_requests(request, retry_after=retry_after)
            return view(request, *args, **kwargs)

        return limited

    return decorator
