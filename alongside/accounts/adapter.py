"""allauth hooks: each new account gets its pseudonymous profile; mail goes through the queue."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.accounts import tasks
from alongside.accounts.models import Profile, User

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class AccountAdapter(DefaultAccountAdapter):
    @transaction.atomic
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            Profile.objects.get_or_create(user=user)
        return user

    def clean_email(self, email: str) -> str:
        # Forms accept 320 characters, the column holds 254: say so instead of failing on save.
        if EMAIL_MAX_LENGTH and len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _("Email addresses can be at most %(max)d characters long.")
                % {"max": EMAIL_MAX_LENGTH}
            )
        return super().clean_email(email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (templates need the request); the worker sends it once data is committed."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        html_bodies = [
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ]
        if message.content_subtype == "html":
            body, html_body = "", message.body
        else:
            body, html_body = message.body, (html_bodies[0] if html_bodies else None)
        payload = {
            "subject": message.subject,
            "body": body,
            "from_email": message.from_email,
            "to": list(message.to),
            "headers": dict(message.extra_headers) or None,
            "html_body": html_body,
        }
        # robust: a queue outage is logged, not turned into an error page for the person.
        transaction.on_commit(lambda: tasks.send_rendered_email(**payload), robust=True)
