"""Rate limits answer 429 with Retry-After, per person, and lift when the window passes."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from alongside.core.ratelimit import consume, parse_rate
from alongside.testing import TEST_PASSWORD


def test_rates_read_as_count_per_period():
    assert parse_rate("5/15m") == (5, 900)
    assert parse_rate("30/h") == (30, 3600)
    assert parse_rate("10/s") == (10, 1)


def test_the_limit_holds_per_key_and_lifts_with_the_window():
    with time_machine.travel(timezone.now().replace(minute=0, second=1), tick=False) as clock:
        assert [consume("test", "a", "3/m") for _ in range(3)] == [None, None, None]
        retry_after = consume("test", "a", "3/m")
        assert retry_after is not None and 0 < retry_after <= 60
        assert consume("test", "b", "3/m") is None
        clock.shift(timedelta(seconds=retry_after))
        assert consume("test", "a", "3/m") is None


def test_breaking_glass_is_limited_to_five_tries_in_fifteen_minutes(
    client_of, on_call_clinician, member, program
):
    client = client_of(on_call_clinician)
    url = f"/privacy/programs/{program.slug}/emergency-access/"
    wrong = {
        "member": member.pk,
        "reason": "Trying to reach a member after a flag.",
        "password": "not it at all",
    }
    for _ in range(5):
        assert client.post(url, wrong).status_code == 200
    limited = client.post(url, {**wrong, "password": TEST_PASSWORD})
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 15 * 60
    assert client.get(url).status_code == 200


def test_joining_with_codes_is_limited(client_of, outsider):
    client = client_of(outsider)
    answers = [client.post("/programs/join/", {"code": "WRONGCODE"}).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10
    assert answers[10] == 429


def test_signing_up_is_limited_per_ip_with_retry_after(client, db):
    answers = [
        client.post(
            "/accounts/signup/",
            {"email": f"new{n}@example.test", "password1": "x", "password2": "x"},
        )
        for n in range(21)
    ]
    assert [a.status_code for a in answers[:20]] == [200] * 20
    assert answers[20].status_code == 429
    assert int(answers[20]["Retry-After"]) > 0


@pytest.fixture
def tight_api_throttle(monkeypatch):
    # DRF reads the rates once, when the throttle class is defined.
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "3/minute"}
    )


def test_the_api_answers_429_with_retry_after(client_of, member, tight_api_throttle):
    client = client_of(member)
    answers = [client.get("/api/v1/me/profile/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[3]["Retry-After"]) > 0
