"""Request-wide rules: staff need a second factor; signed-in pages are never cached."""

import pytest

from alongside.testing import make_person


@pytest.mark.parametrize("role", ["coordinator", "clinician", "moderator"])
def test_staff_without_two_factor_are_sent_to_set_it_up(role, program, client):
    staff = make_person(program, role, mfa=False)
    client.force_login(staff)
    response = client.get("/home/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # The setup page itself is reachable (allauth first asks a force-logged-in user to confirm
    # their password), so there is no redirect loop.
    setup = client.get("/accounts/2fa/totp/activate/")
    assert setup.status_code == 200 or setup["Location"].startswith("/accounts/reauthenticate/")


def test_site_admin_without_two_factor_is_sent_to_set_it_up(db, client):
    admin = make_person(None, is_superuser=True, is_staff=True, mfa=False)
    client.force_login(admin)
    assert client.get("/home/")["Location"] == "/accounts/2fa/totp/activate/"


def test_staff_api_calls_without_two_factor_are_refused(program, client):
    staff = make_person(program, "coordinator", mfa=False)
    client.force_login(staff)
    response = client.get("/api/v1/memberships/")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


def test_staff_with_two_factor_and_members_without_it_get_through(client_of, coordinator, member):
    assert client_of(coordinator).get("/home/").status_code == 200
    assert client_of(member).get("/home/").status_code == 200


def test_signed_in_pages_are_not_stored(client_of, member):
    response = client_of(member).get("/home/")
    assert response["Cache-Control"] == "no-store, private"


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
