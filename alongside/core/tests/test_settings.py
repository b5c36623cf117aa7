"""The settings module configured from the environment, each case in a fresh interpreter."""

import json
import os
import secrets
import stat
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

PRINT_SETTINGS = """
import json
import django
from django.conf import settings

django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "DATABASE": settings.DATABASES["default"],
    "CACHE": settings.CACHES["default"],
    "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": settings.CACHES["default"].get("LOCATION"),
    "CHANNEL_LAYERS": settings.CHANNEL_LAYERS["default"],
    "HUEY": settings.HUEY,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "EMAIL_HOST": getattr(settings, "EMAIL_HOST", None),
    "EMAIL_PORT": getattr(settings, "EMAIL_PORT", None),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "STATICFILES_BACKEND": settings.STORAGES["staticfiles"]["BACKEND"],
}, default=str))
"""


@pytest.fixture
def environ(tmp_path):
    """The test process's environment without any Alongside configuration, var/ in tmp_path."""
    env = {
        name: value
        for name, value in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE, set while browser tests run, would fail the deploy checks.
        if not name.startswith(("ALONGSIDE_", "EMAIL_", "DJANGO_"))
        and name
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEYS",
            "ALLOWED_HOSTS",
            "CSRF_TRUSTED_ORIGINS",
            "DEFAULT_FROM_EMAIL",
        }
    }
    env["DJANGO_SETTINGS_MODULE"] = "alongside.settings"
    env["ALONGSIDE_VAR_DIR"] = str(tmp_path / "var")
    return env


def _production(env: dict[str, str]) -> dict[str, str]:
    return {
        **env,
        "ALONGSIDE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "alongside.example.org",
    }


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings_in(env: dict[str, str]) -> dict:
    result = _run(env, "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_pass_the_deployment_checklist(environ):
    result = _run(_production(environ), "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret", ["SECRET_KEY", "FIELD_ENCRYPTION_KEYS"])
def test_production_refuses_to_start_without_its_secrets(environ, secret):
    env = _production(environ)
    del env[secret]

    result = _run(env, "manage.py", "check")

    assert result.returncode != 0
    assert (
        f"ImproperlyConfigured: {secret} must be set when ALONGSIDE_ENV=production."
        in result.stderr
    )


def test_production_is_secure_by_default(environ):
    values = _settings_in(_production(environ))

    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["alongside.example.org"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert "Manifest" in values["STATICFILES_BACKEND"]


def test_development_runs_on_embedded_services(environ):
    values = _settings_in(environ)

    var_dir = environ["ALONGSIDE_VAR_DIR"]
    assert values["DEBUG"] is True
    assert values["DATABASE"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASE"]["NAME"] == f"{var_dir}/alongside.sqlite3"
    assert values["CACHE_BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["CHANNEL_LAYERS"]["BACKEND"] == "channels.layers.InMemoryChannelLayer"
    assert values["HUEY"]["huey_class"] == "huey.SqliteHuey"
    assert values["HUEY"]["filename"] == f"{var_dir}/huey.sqlite3"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_development_secret_key_is_generated_once_and_kept_private(environ, tmp_path):
    first = _settings_in(environ)["SECRET_KEY"]
    second = _settings_in(environ)["SECRET_KEY"]

    key_file = tmp_path / "var" / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_database_url_selects_postgresql(environ):
    environ["DATABASE_URL"] = "postgres://alongside:s3cret@db.internal:5433/alongside"

    database = _settings_in(environ)["DATABASE"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == (
        "alongside",
        "db.internal",
        5433,
    )
    assert (database["USER"], database["PASSWORD"]) == ("alongside", "s3cret")


def test_redis_url_moves_cache_channels_and_task_queue_to_redis(environ):
    environ["REDIS_URL"] = "redis://cache.internal:6379/3"

    values = _settings_in(environ)

    assert values["CACHE_BACKEND"] == "alongside.core.cache.FailOpenRedisCache"
    assert values["CACHE_LOCATION"] == "redis://cache.internal:6379/3"
    assert values["CHANNEL_LAYERS"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    assert values["CHANNEL_LAYERS"]["CONFIG"]["hosts"] == ["redis://cache.internal:6379/3"]
    assert values["HUEY"]["huey_class"] == "huey.PriorityRedisHuey"
    assert values["HUEY"]["url"] == "redis://cache.internal:6379/3"


def test_email_host_switches_to_smtp(environ):
    environ.update(EMAIL_HOST="smtp.example.org", EMAIL_PORT="2525")

    values = _settings_in(environ)

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 2525)


def test_host_lists_are_comma_separated(environ):
    environ.update(
        ALLOWED_HOSTS="alongside.example.org, www.alongside.example.org",
        CSRF_TRUSTED_ORIGINS="https://alongside.example.org",
    )

    values = _settings_in(environ)

    assert values["ALLOWED_HOSTS"] == ["alongside.example.org", "www.alongside.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://alongside.example.org"]


def test_a_redis_outage_does_not_stop_a_member_asking_for_help(
    environ, settings, member, program, client_of
):
    """Production's cache, with Redis gone: the pages still work, rate limits included."""
    from django.test import Client
    from django.urls import reverse

    from alongside.community.models import Space, Thread
    from alongside.safety.models import Escalation
    from alongside.testing import TEST_PASSWORD

    environ["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CACHES = {"default": _settings_in(environ)["CACHE"]}
    # Signing in is rate limited by allauth, through the cache too.
    signed_in = Client().post(
        reverse("account_login"), {"login": member.email, "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 302
    client = client_of(member)

    assert client.get(reverse("core:home")).status_code == 200
    assert client.get(reverse("safety:help_now")).status_code == 200
    asked = client.post(reverse("safety:help_now"), {"consent": "on", "message": "tonight"})
    # Posting is rate limited by a counter in the cache: with no counter, it is let through.
    space = Space.objects.create(program=program, slug="general", name="General")
    posted = client.post(
        reverse("community:thread_create", args=[program.slug, space.slug]),
        {"title": "Still here", "body": "Rough night, but still here."},
    )

    assert asked.status_code == 302
    assert Escalation.objects.filter(member=member, program=program).exists()
    assert posted.status_code == 302
    assert Thread.objects.filter(space=space).exists()
