"""Encrypted fields: keys apart from SECRET_KEY, rotation, and clear errors."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from alongside.core import encryption


@pytest.fixture
def keys(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    return settings, old, new


def test_round_trip_and_the_ciphertext_hides_the_text(keys):
    stored = encryption.encrypt("I relapsed on Tuesday")
    assert stored.startswith(encryption.TOKEN_PREFIX)
    assert "relapsed" not in stored
    assert encryption.decrypt(stored) == "I relapsed on Tuesday"


def test_rotation_moves_values_to_the_newest_key(keys):
    settings, old, new = keys
    stored = encryption.encrypt("safety plan")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    rotated = encryption.rotate(stored)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert encryption.decrypt(rotated) == "safety plan"
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        encryption.decrypt(stored)


def test_a_bad_key_is_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-fernet-key"]
    with pytest.raises(ImproperlyConfigured, match="invalid Fernet key"):
        encryption.encrypt("x")


def test_field_encrypts_on_the_way_in_and_decrypts_on_the_way_out(keys):
    field = encryption.EncryptedTextField()
    stored = field.get_prep_value("call my sister")
    assert "sister" not in stored
    assert field.from_db_value(stored, None, None) == "call my sister"
    assert field.get_prep_value("") == ""
    assert field.get_prep_value(None) is None
