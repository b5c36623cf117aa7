"""Sign-up, email verification and the mail that goes with them, as a newcomer would do it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from alongside.accounts.models import Profile, User
from alongside.testing import TEST_PASSWORD, make_person

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "correct horse battery staple again"


def sign_up(client, capture, email="newcomer@example.test", password=NEW_PASSWORD, password2=None):
    with capture(execute=True):
        return client.post(
            reverse("account_signup"),
            {"email": email, "password1": password, "password2": password2 or password},
        )


def link_in(message, path_pattern: str) -> str:
    match = re.search(rf"https?://testserver({path_pattern})", str(message.body))
    assert match, message.body
    return match.group(1)


def test_sign_up_sends_a_verification_email_whose_link_logs_the_person_in(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="newcomer@example.test")
    assert user.profile.display_name  # a generated pseudonym, no real name asked
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.test"]
    assert mail.outbox[0].subject.startswith("[Alongside] ")
    assert "Hello from Alongside!" in mail.outbox[0].body

    link = link_in(mail.outbox[0], r"/accounts/confirm-email/[^/\s]+/")
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert b'class="form' in confirm_page.content
    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    home = client.get(reverse("core:home"))
    assert home.status_code == 200
    assert home.wsgi_request.user == user


def test_sign_up_page_uses_alongside_layout_and_labels_every_field(client):
    response = client.get(reverse("account_signup"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>" in content and "Alongside</title>" in content
    assert 'class="site-header"' in content
    for field in ("email", "password1", "password2"):
        assert f'<label for="id_{field}"' in content
    assert 'style="' not in content
    assert "<script>" not in content


def test_taken_email_is_a_field_error_and_creates_no_second_account(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_PREVENT_ENUMERATION = False
    make_person(None, email="taken@example.test")

    response = sign_up(client, django_capture_on_commit_callbacks, email="Taken@Example.test")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_email_error">' in content
    assert "A user is already registered with this email address." in content
    assert User.objects.filter(email__iexact="taken@example.test").count() == 1
    assert EmailAddress.objects.filter(email__iexact="taken@example.test").count() == 1
    assert mail.outbox == []


def test_with_enumeration_prevention_a_taken_email_only_tells_the_owner_by_email(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_PREVENT_ENUMERATION = True
    make_person(None, email="taken@example.test")

    response = sign_up(client, django_capture_on_commit_callbacks, email="taken@example.test")

    # The page looks like any sign-up, so nobody learns who has an account; the owner gets a note.
    assert response.status_code == 302
    assert User.objects.filter(email="taken@example.test").count() == 1
    assert EmailAddress.objects.filter(email="taken@example.test").count() == 1
    assert [message.to for message in mail.outbox] == [["taken@example.test"]]
    assert "already exists" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass 1", "at least 15 characters"),
        ("123456789012345678", "This password is entirely numeric."),
        ("1q2w3e4r5t6y7u8i9o0p", "This password is too common."),
    ],
)
def test_weak_password_is_refused_with_a_clear_message(
    client, django_capture_on_commit_callbacks, password, message
):
    response = sign_up(client, django_capture_on_commit_callbacks, password=password)

    content = response.content.decode()
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_password1_error">' in content
    assert message in content
    assert not User.objects.filter(email="newcomer@example.test").exists()
    assert mail.outbox == []


def test_mismatched_passwords_are_refused(client, django_capture_on_commit_callbacks):
    response = sign_up(
        client, django_capture_on_commit_callbacks, password2="another long passphrase here"
    )

    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.exists()


def test_oversized_email_is_a_field_error_not_a_database_error(
    client, django_capture_on_commit_callbacks
):
    email = "a" * 250 + "@example.test"

    response = sign_up(client, django_capture_on_commit_callbacks, email=email)

    assert response.status_code == 200
    assert "Email addresses can be at most 254 characters long." in response.content.decode()
    assert 'class="field field--error"' in response.content.decode()
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_login_with_verified_email_reaches_home(client):
    make_person(None, email="someone@example.test")

    response = client.post(
        reverse("account_login"), {"login": "someone@example.test", "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_wrong_password_is_a_clear_error_on_the_login_page(client):
    make_person(None, email="someone@example.test")

    response = client.post(
        reverse("account_login"), {"login": "someone@example.test", "password": "not it at all"}
    )

    assert response.status_code == 200
    assert (
        "The email address and/or password you specified are not correct."
        in response.content.decode()
    )


def test_password_reset_email_goes_out_through_the_queue(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from alongside.accounts import tasks

    queued = []
    original = tasks.send_rendered_email

    def enqueue(**payload):
        queued.append(payload)
        return original(**payload)

    monkeypatch.setattr(tasks, "send_rendered_email", enqueue)
    make_person(None, email="forgetful@example.test")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "forgetful@example.test"}
        )

    assert response.status_code == 302
    assert [item["to"] for item in queued] == [["forgetful@example.test"]]
    assert len(mail.outbox) == 1
    reset_link = link_in(mail.outbox[0], r"/accounts/password/reset/key/\S+/")
    form_page = client.get(reset_link, follow=True)
    assert form_page.status_code == 200
    assert '<label for="id_password1"' in form_page.content.decode()


def test_no_email_is_sent_if_the_transaction_rolls_back(client, django_capture_on_commit_callbacks):
    make_person(None, email="forgetful@example.test")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_reset_password"), {"email": "forgetful@example.test"})

    assert len(callbacks) == 1  # queued only when the data is committed
    assert mail.outbox == []
