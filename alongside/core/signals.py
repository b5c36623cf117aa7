"""Infrastructure reactions to Django's authentication signals (no domain flow here)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from alongside.core.sessions import stamp_sign_in


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        stamp_sign_in(request)
