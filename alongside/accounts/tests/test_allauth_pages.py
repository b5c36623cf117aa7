"""allauth's pages wear the Alongside layout and keep to the strict CSP: no inline script, style."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]
SIGNED_IN_PAGES = [
    "account_email",
    "account_change_password",
    "account_logout",
    "mfa_index",
    "account_reauthenticate",
]


def assert_alongside_page(response):
    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in content
    assert len(re.findall(r"<h1[ >]", content)) == 1
    assert 'style="' not in content
    assert not re.search(r"\son[a-z]+=", content)
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", content)
    assert inline_scripts == []


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_entrance_pages_use_the_alongside_layout(client, db, url_name):
    assert_alongside_page(client.get(reverse(url_name)))


@pytest.mark.parametrize("url_name", SIGNED_IN_PAGES)
def test_account_pages_use_the_alongside_layout(client_of, member, url_name):
    response = client_of(member).get(reverse(url_name))

    assert_alongside_page(response)
    assert reverse("accounts:profile") in response.content.decode()


def test_password_change_errors_sit_next_to_the_field(client_of, member):
    response = client_of(member).post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "short", "password2": "short"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_oldpassword_error">' in content
    assert '<ul class="errorlist" id="id_password1_error">' in content


def test_changing_email_sends_a_verification_to_the_new_address(
    client_of, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(member).post(
            reverse("account_email"), {"email": "new-address@example.test", "action_add": ""}
        )

    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["new-address@example.test"]]
    member.refresh_from_db()
    assert member.email == "member@example.test"  # changes only once the new address is confirmed


def test_changing_to_an_oversized_email_is_a_field_error(client_of, member):
    response = client_of(member).post(
        reverse("account_email"), {"email": "b" * 250 + "@example.test", "action_add": ""}
    )

    assert response.status_code == 200
    assert "Email addresses can be at most 254 characters long." in response.content.decode()
    assert EmailAddress.objects.filter(user=member).count() == 1
