"""Two-factor authentication: a person turns on an authenticator app; sign-in then asks for it."""

import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from alongside.testing import TEST_PASSWORD, make_person


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})


def sign_in_for_security_settings(client, email):
    """allauth asks for the password again before changing security settings."""
    sign_in(client, email)
    page = client.get(reverse("account_reauthenticate"))
    assert '<label for="id_password"' in page.content.decode()
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def person(db):
    return make_person(None, email="careful@example.test")


def activate_totp(client, django_capture_on_commit_callbacks) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


def test_activation_page_shows_the_qr_code_as_an_image_the_csp_allows(client, person):
    sign_in_for_security_settings(client, person.email)

    response = client.get(reverse("mfa_activate_totp"))

    content = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="QR code', content)
    csp = response["Content-Security-Policy"]
    assert re.search(r"img-src [^;]*data:", csp)
    assert "'unsafe-inline'" not in csp
    assert 'style="' not in content
    assert '<label for="id_code"' in content


def test_a_wrong_code_does_not_activate_totp(client, person):
    sign_in_for_security_settings(client, person.email)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert not Authenticator.objects.filter(user=person).exists()


def test_after_activating_totp_sign_in_asks_for_a_code(
    client, person, django_capture_on_commit_callbacks
):
    sign_in_for_security_settings(client, person.email)
    secret = activate_totp(client, django_capture_on_commit_callbacks)
    assert Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))

    response = sign_in(client, person.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.get(reverse("core:home")).wsgi_request.user.is_authenticated
    page = client.get(reverse("mfa_authenticate"))
    assert 'class="site-header"' in page.content.decode()
    with time_machine.travel(
        time.time() + 30
    ):  # a code works once; the next period brings a new one
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).wsgi_request.user == person


def test_a_wrong_code_at_sign_in_keeps_the_person_out(
    client, person, django_capture_on_commit_callbacks
):
    sign_in_for_security_settings(client, person.email)
    activate_totp(client, django_capture_on_commit_callbacks)
    client.post(reverse("account_logout"))
    sign_in(client, person.email)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not client.get(reverse("core:home")).wsgi_request.user.is_authenticated


def test_recovery_codes_are_shown_after_activation(
    client, person, django_capture_on_commit_callbacks
):
    sign_in_for_security_settings(client, person.email)
    activate_totp(client, django_capture_on_commit_callbacks)

    response = client.get(reverse("mfa_view_recovery_codes"))

    assert response.status_code == 200
    assert '<textarea id="recovery_codes"' in response.content.decode()
    assert client.get(reverse("mfa_download_recovery_codes")).status_code == 200
