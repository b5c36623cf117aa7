"""API tokens: created and shown once on the profile page, revocable, and working for the API."""

from django.urls import reverse
from rest_framework.authtoken.models import Token

from alongside.accounts import actions


def test_creating_a_token_shows_its_key_once(client_of, member):
    client = client_of(member)

    response = client.post(reverse("accounts:create_api_token"))

    token = Token.objects.get(user=member)
    assert response.status_code == 200
    assert token.key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    profile_page = client.get(reverse("accounts:profile")).content.decode()
    assert token.key not in profile_page
    assert "Revoke token" in profile_page


def test_creating_a_new_token_replaces_the_old_one(client_of, member):
    old_key = actions.create_api_token(member).key

    client_of(member).post(reverse("accounts:create_api_token"))

    assert Token.objects.filter(user=member).count() == 1
    assert not Token.objects.filter(key=old_key).exists()


def test_revoking_the_token_stops_it_working(client_of, client, member):
    key = actions.create_api_token(member).key

    response = client_of(member).post(reverse("accounts:revoke_api_token"))
    client.logout()

    assert response.status_code == 302
    assert not Token.objects.filter(user=member).exists()
    api = client.get("/api/v1/me/profile/", headers={"Authorization": f"Token {key}"})
    assert api.status_code == 401


def test_a_token_signs_in_to_the_api(client, member):
    key = actions.create_api_token(member).key

    response = client.get("/api/v1/me/profile/", headers={"Authorization": f"Token {key}"})

    assert response.status_code == 200
    assert response.json()["email"] == member.email


def test_token_views_only_accept_post(client_of, member):
    client = client_of(member)

    assert client.get(reverse("accounts:create_api_token")).status_code == 405
    assert client.get(reverse("accounts:revoke_api_token")).status_code == 405
    assert not Token.objects.exists()


def test_revoking_touches_only_ones_own_token(client_of, member, outsider):
    actions.create_api_token(outsider)

    client_of(member).post(reverse("accounts:revoke_api_token"))

    assert Token.objects.filter(user=outsider).exists()
