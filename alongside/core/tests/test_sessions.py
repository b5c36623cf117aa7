"""Sessions end on the server after the idle and absolute limits of the person's role."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from alongside.testing import TEST_PASSWORD, sign_in_through_the_form


def sign_in(client, user):
    sign_in_through_the_form(client, user)
    return client


def is_signed_in(client) -> bool:
    return client.get("/home/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "idle_minutes"),
    [
        ("member", 60),
        ("supporter", 60),
        ("coordinator", 15),
        ("on_call_clinician", 15),
        ("moderator", 15),
    ],
)
def test_idle_limit_by_role(persona, idle_minutes, request, client):
    user = request.getfixturevalue(persona)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, user)
        clock.shift(timedelta(minutes=idle_minutes - 2))
        assert is_signed_in(client)
        clock.shift(timedelta(minutes=idle_minutes + 1))
        assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("persona", "absolute_hours", "step_minutes"), [("member", 24, 50), ("coordinator", 12, 12)]
)
def test_absolute_limit_even_when_active(persona, absolute_hours, step_minutes, request, client):
    user = request.getfixturevalue(persona)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, user)
        active_for = timedelta()
        while active_for + timedelta(minutes=step_minutes) < timedelta(hours=absolute_hours):
            clock.shift(timedelta(minutes=step_minutes))
            active_for += timedelta(minutes=step_minutes)
            assert is_signed_in(client), f"signed out after {active_for}"
        clock.shift(timedelta(hours=absolute_hours) - active_for + timedelta(minutes=1))
        assert not is_signed_in(client)


def test_session_key_changes_at_sign_in(client, member, settings):
    anonymous_session = client.session
    anonymous_session["seen_the_landing_page"] = True
    anonymous_session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous_session.session_key
    sign_in(client, member)
    assert client.session.session_key != anonymous_session.session_key
    assert client.session["seen_the_landing_page"] is True


def test_password_change_ends_other_sessions(client, member, django_user_model):
    from django.test import Client

    other_device = sign_in(Client(), member)
    sign_in(client, member)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "a brand new long passphrase",
            "password2": "a brand new long passphrase",
        },
    )
    assert response.status_code == 302
    assert is_signed_in(client)
    assert not is_signed_in(other_device)


def test_deactivation_ends_every_session(client, member):
    sign_in(client, member)
    member.is_active = False
    member.save()
    assert not is_signed_in(client)
