"""Free text holding health data never reaches the database, or its dumps, in plain text."""

import shutil
import subprocess
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from alongside.privacy.actions import start_emergency_access
from alongside.privacy.models import EmergencyAccess
from alongside.testing import TEST_PASSWORD

CANARY = "canary-relapsed-on-oxycodone-7f3a9c"


def database_dump() -> str:
    """Everything the database holds, as its own dump tool writes it."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    settings = connection.settings_dict
    assert shutil.which("pg_dump"), "pg_dump is needed for the dump test on PostgreSQL"
    return subprocess.run(
        [
            "pg_dump",
            "--host", settings["HOST"] or "127.0.0.1",
            "--port", str(settings["PORT"] or 5432),
            "--username", settings["USER"] or "postgres",
            "--data-only",
            settings["NAME"],
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout  # fmt: skip


def break_glass_with(reason: str, clinician, member, program) -> EmergencyAccess:
    return start_emergency_access(
        clinician, program=program, member=member, reason=reason, password=TEST_PASSWORD
    )


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_canary_plaintext(on_call_clinician, member, program):
    grant = break_glass_with(f"Member wrote: {CANARY}", on_call_clinician, member, program)
    assert CANARY in EmergencyAccess.objects.get(pk=grant.pk).reason
    dump = database_dump()
    assert "privacy_emergencyaccess" in dump
    assert CANARY not in dump


@pytest.mark.django_db
def test_rotation_re_encrypts_every_row_under_the_newest_key(
    settings, on_call_clinician, member, program
):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old_key]
    grant = break_glass_with(f"Rotation check: {CANARY}", on_call_clinician, member, program)
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    output = StringIO()
    call_command("rotate_field_keys", stdout=output)
    assert "privacy.EmergencyAccess: 1 rows re-encrypted" in output.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert EmergencyAccess.objects.get(pk=grant.pk).reason == f"Rotation check: {CANARY}"
