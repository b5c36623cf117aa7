"""Session lifetimes by role, enforced on the server.

Staff roles reach other people's health data, so their sessions end sooner: 15 minutes idle
or 12 hours after sign-in; members and supporters get 60 minutes idle and 24 hours. The clock
is kept in the session itself, stamped at sign-in and on activity.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.programs.models import STAFF_ROLES, MembershipRole

SIGNED_IN_AT = "alongside.signed_in_at"
LAST_SEEN_AT = "alongside.last_seen_at"
# Saving the session on every request would be a write per page view; a minute of slack in the
# idle clock costs nothing.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    absolute: timedelta


STAFF_LIMITS = SessionLimits(idle=timedelta(minutes=15), absolute=timedelta(hours=12))
MEMBER_LIMITS = SessionLimits(idle=timedelta(minutes=60), absolute=timedelta(hours=24))


def holds_staff_role(user) -> bool:
    """Site admins and anyone who is coordinator, clinician or moderator in an active membership."""
    if user.is_superuser:
        return True
    return MembershipRole.objects.filter(
        membership__user=user, membership__is_active=True, role__in=STAFF_ROLES
    ).exists()


def stamp_sign_in(request) -> None:
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def expired_reason(session, limits: SessionLimits, now) -> str | None:
    """Why this session has ended, or None while it is still alive."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return "unknown"
    if now.timestamp() - signed_in_at > limits.absolute.total_seconds():
        return "absolute"
    if now.timestamp() - last_seen_at > limits.idle.total_seconds():
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """Sign out a session that was idle or alive for longer than its holder's role allows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now()
            limits = STAFF_LIMITS if request_holds_staff_role(request) else MEMBER_LIMITS
            reason = expired_reason(request.session, limits, now)
            if reason is None:
                if (
                    now.timestamp() - request.session[LAST_SEEN_AT]
                    > LAST_SEEN_RESOLUTION.total_seconds()
                ):
                    request.session[LAST_SEEN_AT] = now.timestamp()
            else:
                logout(request)
                if reason != "unknown":
                    messages.info(
                        request,
                        _(
                            "You were signed out to keep your information safe. Please sign in again."
                        ),
                    )
        return self.get_response(request)


def request_holds_staff_role(request) -> bool:
    """`holds_staff_role` for the signed-in user, asked of the database once per request."""
    if not hasattr(request, "_alongside_holds_staff_role"):
        request._alongside_holds_staff_role = holds_staff_role(request.user)
    return request._alongside_holds_staff_role
