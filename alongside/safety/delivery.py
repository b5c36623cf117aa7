"""Sending an escalation alert to a program's paging webhook (SMS or pager relay).

The body names the escalation, not the person: no member text, no names, only what the relay
needs to page someone with a link that requires signing in.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request

WEBHOOK_TIMEOUT_SECONDS = 5
SIGNATURE_HEADER = "X-Alongside-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


class WebhookFailed(Exception):
    """The relay did not answer 2xx; the message says why, without secrets."""


def webhook_body(*, escalation_id: int, program: str, tier: int, url: str) -> bytes:
    """The JSON sent to the relay, in a stable byte form so its signature can be checked."""
    payload = {
        "event": "escalation",
        "escalation": escalation_id,
        "program": program,
        "tier": tier,
        "url": url,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, body: bytes) -> str:
    """The value of the signature header: sha256=<hex HMAC of the body under `secret`>."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def post_webhook(url: str, *, body: bytes, key: str, secret: str) -> int:
    """POST `body` to `url` with its idempotency key and signature; returns the 2xx status.

    Raises WebhookFailed for any other answer, a timeout or a network error.
    """
    if not url.startswith(("https://", "http://")):
        raise WebhookFailed("The webhook address must start with https://.")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Alongside-escalations/1",
        IDEMPOTENCY_HEADER: key,
    }
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret, body)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        raise WebhookFailed(f"The relay answered {error.code}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise WebhookFailed(f"Could not reach the relay: {reason}.") from None
    if not 200 <= status < 300:
        raise WebhookFailed(f"The relay answered {status}.")
    return status
