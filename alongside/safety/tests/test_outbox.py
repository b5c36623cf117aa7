"""The outbox: alerts survive a crash between commit and send, and are never delivered twice."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from alongside.notifications import actions as notification_actions
from alongside.notifications.models import Notification
from alongside.safety import actions, delivery, tasks
from alongside.safety.models import EventKind, OutboxMessage, SafetySettings
from alongside.safety.tests.escalation_helpers import open_for, put_on_call


def test_a_crash_before_the_send_is_delivered_once_by_the_sweep(
    member, on_call_clinician, coordinator, program, django_capture_on_commit_callbacks
):
    put_on_call(program, on_call_clinician)
    # The transaction commits, then the process dies before the after-commit kick runs.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        open_for(member, program)
    assert callbacks, "the kick was scheduled"
    assert not Notification.objects.exists()

    tasks.sweep_escalations()
    tasks.sweep_escalations()

    assert Notification.objects.filter(recipient=on_call_clinician).count() == 1
    assert OutboxMessage.objects.get().delivered_at is not None


def test_the_kick_and_the_sweep_together_deliver_once(
    member, on_call_clinician, program, django_capture_on_commit_callbacks
):
    put_on_call(program, on_call_clinician)
    with django_capture_on_commit_callbacks(execute=True):
        escalation = open_for(member, program)

    assert actions.deliver_outbox() == 0
    assert Notification.objects.count() == 1
    assert escalation.events.filter(kind=EventKind.NOTIFIED).count() == 1


def test_a_failing_notification_does_not_reach_the_member_and_is_retried(
    member, on_call_clinician, program, monkeypatch, django_capture_on_commit_callbacks
):
    put_on_call(program, on_call_clinician)

    def broken_notify(*args, **kwargs):
        raise ConnectionError("notification store unavailable")

    monkeypatch.setattr(actions, "notify", broken_notify)
    with django_capture_on_commit_callbacks(execute=True):
        escalation = open_for(member, program)

    alert = OutboxMessage.objects.get()
    assert alert.delivered_at is None
    assert alert.attempts == 1
    assert "notification store unavailable" in alert.last_error
    assert escalation.events.filter(kind=EventKind.DELIVERY_FAILED).count() == 1
    assert not Notification.objects.exists()

    monkeypatch.setattr(actions, "notify", notification_actions.notify)
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert actions.deliver_outbox() == 1
    assert Notification.objects.count() == 1


class RelayHandler(BaseHTTPRequestHandler):
    """A paging relay that answers from a script of status codes and remembers each request."""

    statuses: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        status = type(self).statuses.pop(0) if type(self).statuses else 200
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def relay():
    RelayHandler.statuses = []
    RelayHandler.received = []
    server = HTTPServer(("127.0.0.1", 0), RelayHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield RelayHandler, f"http://127.0.0.1:{server.server_port}/page"
    server.shutdown()
    server.server_close()


def test_a_failing_webhook_backs_off_and_is_delivered_later_exactly_once(
    member, coordinator, program, relay
):
    handler, url = relay
    handler.statuses = [503, 500]
    SafetySettings.objects.create(program=program, webhook_url=url, webhook_secret="s3cret")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        escalation = open_for(member, program, message="goodbye everyone")
        actions.deliver_outbox()
        hook = OutboxMessage.objects.get(channel="webhook")
        assert (hook.attempts, hook.delivered_at) == (1, None)
        assert hook.next_attempt_at == start + timedelta(seconds=30)

        traveller.shift(timedelta(seconds=29))
        actions.deliver_outbox()
        assert len(handler.received) == 1, "not retried before its time"

        traveller.shift(timedelta(seconds=1))
        actions.deliver_outbox()
        hook.refresh_from_db()
        assert hook.attempts == 2
        assert hook.next_attempt_at == timezone.now() + timedelta(minutes=1)

        traveller.shift(timedelta(minutes=1))
        actions.deliver_outbox()
        actions.deliver_outbox()

    hook.refresh_from_db()
    assert hook.delivered_at is not None
    assert len(handler.received) == 3
    assert escalation.events.filter(kind=EventKind.DELIVERY_FAILED).count() == 1
    assert {headers["Idempotency-Key"] for headers, _ in handler.received} == {hook.key}


def test_the_webhook_is_signed_and_carries_no_member_text_or_names(
    member, coordinator, program, relay
):
    handler, url = relay
    SafetySettings.objects.create(program=program, webhook_url=url, webhook_secret="s3cret")
    escalation = open_for(member, program, message="goodbye everyone")

    actions.deliver_outbox()

    headers, body = handler.received[0]
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Alongside-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload == {
        "event": "escalation",
        "escalation": escalation.pk,
        "program": program.slug,
        "tier": 0,
        "url": settings.SITE_URL + escalation.get_absolute_url(),
    }
    assert "goodbye" not in body.decode()
    assert member.display_name not in body.decode()
    assert member.email not in body.decode()


def test_an_unreachable_relay_is_a_failure_not_a_crash():
    with pytest.raises(delivery.WebhookFailed, match="Could not reach"):
        delivery.post_webhook("http://127.0.0.1:9/nothing", body=b"{}", key="k", secret="")


def test_only_web_addresses_are_posted_to():
    with pytest.raises(delivery.WebhookFailed, match="https"):
        delivery.post_webhook("file:///etc/passwd", body=b"{}", key="k", secret="")


def test_an_on_call_email_lost_to_an_smtp_outage_goes_out_when_mail_is_back(
    member, on_call_clinician, program, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.core.mail import EmailMultiAlternatives

    from alongside.notifications import tasks as notification_tasks

    def smtp_down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    put_on_call(program, on_call_clinician)
    with monkeypatch.context() as outage:
        outage.setattr(EmailMultiAlternatives, "send", smtp_down)
        with django_capture_on_commit_callbacks(execute=True):
            open_for(member, program)
        # The in-app alert is there; the email task gave up (each try, retries included, failed).
        alert = Notification.objects.get(recipient=on_call_clinician)
        for _attempt in range(4):
            with pytest.raises(ConnectionRefusedError):
                notification_tasks.send_notification_email.call_local(alert.pk)
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        notification_tasks.resend_urgent_emails.call_local()
        notification_tasks.resend_urgent_emails.call_local()

    assert [email.to for email in mail.outbox] == [[on_call_clinician.email]]
