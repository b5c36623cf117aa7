"""Background jobs of the accounts domain."""

from django.core.mail import EmailMultiAlternatives
from huey.contrib.djhuey import db_task


@db_task(retries=3, retry_delay=60)
def send_rendered_email(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    headers: dict[str, str] | None = None,
    html_body: str | None = None,
) -> None:
    """Deliver a message rendered at request time; the worker needs no request or templates."""
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    message.send()
