"""Password rules: length by second factor, no composition rules, no known-bad passwords."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


def refused(password, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return [str(e.code) for e in error.error_list]
    return []


def test_fifteen_characters_without_a_second_factor(member):
    assert "password_too_short" in refused("short but ok 1", member)  # 14 characters
    assert refused("river stone lamp", member) == []


def test_eight_characters_once_two_factor_is_on(member):
    Authenticator.objects.create(user=member, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert refused("lamp-9tk", member) == []
    assert "password_too_short" in refused("lamp9tk", member)


def test_long_passphrases_are_accepted_and_absurd_ones_refused(member):
    assert refused("a " * 40 + "very long passphrase with spaces", member) == []
    assert "password_too_long" in refused("x7" * 129, member)


def test_no_composition_rules(member):
    assert refused("all lower case words here", member) == []


@pytest.mark.parametrize(
    "password",
    [
        "passwordpassword",
        "123456789012345",
        "aaaaaaaaaaaaaaaa",
        "abcdefghijklmnop",
        "qwertyuiopasdfgh",
        "alongside2026alongside",
        "alongsidealongside",
    ],
)
def test_known_bad_and_guessable_passwords_are_refused(password, member):
    assert refused(password, member)
