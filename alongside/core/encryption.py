"""Encryption at rest of free text that holds health data (notes, plans, messages).

Keys are Fernet keys kept apart from SECRET_KEY (settings.FIELD_ENCRYPTION_KEYS, newest first),
so a leaked SECRET_KEY does not expose health data and the two can be rotated separately.
MultiFernet decrypts with any listed key and encrypts with the first; `manage.py
rotate_field_keys` re-encrypts every row under the first key so that old keys can be retired.
Encrypted columns cannot be searched or filtered in SQL, which is the point.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

TOKEN_PREFIX = "fernet:"  # noqa: S105 - a marker, not a secret


@cache
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"FIELD_ENCRYPTION_KEYS holds an invalid Fernet key: {error}"
        ) from error


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return TOKEN_PREFIX + keyring().encrypt(plaintext.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored.startswith(TOKEN_PREFIX):
        raise ValueError("This value was not written by an encrypted field.")
    try:
        return keyring().decrypt(stored[len(TOKEN_PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with any key in FIELD_ENCRYPTION_KEYS."
        ) from error


def rotate(stored: str) -> str:
    """The same plaintext, encrypted again under the newest key."""
    token = stored[len(TOKEN_PREFIX) :].encode()
    return TOKEN_PREFIX + keyring().rotate(token).decode()


class EncryptedTextField(models.TextField):
    """A TextField stored as a Fernet token; Python code sees the plaintext.

    `max_length` is checked on the plaintext by forms and model validation; the column itself is
    unbounded because the ciphertext is longer than the text.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, with those fields' column names."""
    found = []
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names and not model._meta.proxy:
            found.append((model, names))
    return found
