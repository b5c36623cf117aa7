"""Lock-out per (account, IP): attackers are slowed, victims elsewhere are not locked out."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from alongside.testing import TEST_PASSWORD


def attempt(client, email, password, ip):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


def test_five_failures_lock_that_account_from_that_ip(client, member):
    for _ in range(4):
        assert (
            attempt(client, member.email, "wrong password entirely", "198.51.100.7").status_code
            == 200
        )
    assert (
        attempt(client, member.email, "wrong password entirely", "198.51.100.7").status_code == 429
    )
    locked = attempt(client, member.email, TEST_PASSWORD, "198.51.100.7")
    assert locked.status_code == 429
    assert locked["Retry-After"] == str(15 * 60)


def test_the_victim_can_still_sign_in_from_another_ip(client, member):
    for _ in range(6):
        attempt(client, member.email, "wrong password entirely", "198.51.100.7")
    assert attempt(client, member.email, TEST_PASSWORD, "203.0.113.20").status_code == 302


def test_unknown_and_known_accounts_get_the_same_answers(client, member):
    known = [
        attempt(client, member.email, "wrong password entirely", "198.51.100.7") for _ in range(6)
    ]
    unknown = [
        attempt(client, "nobody@example.test", "wrong password entirely", "198.51.100.8")
        for _ in range(6)
    ]
    assert (
        [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 4 + [429] * 2
    )
    assert form_errors(known[0]) == form_errors(unknown[0])
    assert without_csrf_tokens(known[-1]) == without_csrf_tokens(unknown[-1])


def without_csrf_tokens(response) -> str:
    """The page with its per-request CSRF tokens blanked, the only part allowed to differ."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())


def form_errors(response) -> list[str]:
    form = response.context["form"]
    return [str(error) for error in form.non_field_errors()] + [
        f"{name}: {error}" for name, errors in form.errors.items() for error in errors
    ]


def test_the_lock_lifts_after_the_cool_off(client, member):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            attempt(client, member.email, "wrong password entirely", "198.51.100.7")
        assert attempt(client, member.email, TEST_PASSWORD, "198.51.100.7").status_code == 429
        clock.shift(timedelta(minutes=16))
        assert attempt(client, member.email, TEST_PASSWORD, "198.51.100.7").status_code == 302
