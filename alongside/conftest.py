"""Named personas, so a test reads like a user's story.

`program` is where the story happens; `outsider` belongs to `other_program` and must never see
anything of `program`.
"""

import uuid

import pytest
from huey.contrib.djhuey import HUEY
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from alongside.testing import assessment, make_person, make_program

# Tests never depend on wall-clock time: a busy CI machine must not turn a slow example into a
# failure, so hypothesis gets no per-example deadline.
hypothesis_settings.register_profile(
    "alongside", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("alongside")


@pytest.fixture(autouse=True)
def _own_redis_keys(settings):
    """With REDIS_URL set, each test's cache and channel-layer keys live under their own prefix."""
    prefix = f"alongside-test-{uuid.uuid4().hex[:12]}"
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("RedisCache"):
        settings.CACHES = {"default": {**cache, "KEY_PREFIX": prefix}}
    layer = settings.CHANNEL_LAYERS["default"]
    if layer["BACKEND"].endswith("RedisChannelLayer"):
        settings.CHANNEL_LAYERS = {
            "default": {**layer, "CONFIG": {**layer["CONFIG"], "prefix": prefix}}
        }


@pytest.fixture(autouse=True)
def _fresh_cache(_own_redis_keys, settings):
    """Rate-limit counters and lockouts live in the cache; no test inherits another's.

    On Redis each test already has keys of its own, and clearing would flush the whole database
    under the tests of the other workers that run at the same time.
    """
    from django.core.cache import cache

    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _tasks_run_inline():
    """Queued tasks run at once in tests, so their effects can be asserted."""
    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def _small_demo_directory(monkeypatch):
    """The demo's directory of several thousand meetings takes seconds to seed; the tests of
    the demo as a whole need its shape, not its size (its own tests ask for the full size)."""
    from alongside.groups import demo_directory

    monkeypatch.setattr(demo_directory, "GROUPS", 20)


@pytest.fixture(autouse=True)
def _english_and_fast_hashing(settings):
    settings.LANGUAGE_CODE = "en"
    # Argon2 is deliberately slow; tests that are about hashing put it back themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def program(db):
    return make_program("Riverside Recovery", slug="riverside")


@pytest.fixture
def other_program(db):
    return make_program("Hillcrest Cardiac Rehab", slug="hillcrest")


@pytest.fixture
def member(program):
    return make_person(program, "member", email="member@example.test")


@pytest.fixture
def supporter(program):
    return make_person(program, "supporter", email="supporter@example.test")


@pytest.fixture
def facilitator(program):
    return make_person(program, "supporter", "facilitator", email="facilitator@example.test")


@pytest.fixture
def coordinator(program):
    return make_person(program, "coordinator", email="coordinator@example.test")


@pytest.fixture
def on_call_clinician(program):
    return make_person(program, "clinician", email="clinician@example.test")


@pytest.fixture
def moderator(program):
    return make_person(program, "moderator", email="moderator@example.test")


@pytest.fixture
def admin_user(db):
    return make_person(None, email="admin@example.test", is_staff=True, is_superuser=True)


@pytest.fixture
def outsider(other_program):
    return make_person(other_program, "member", email="outsider@example.test")


@pytest.fixture
def client_of(client):
    """`client_of(member)` is a test client logged in as that person."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def api_as():
    """`api_as(member)` is a DRF test client authenticated as that person."""
    from rest_framework.test import APIClient

    def log_in(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return log_in


@pytest.fixture
def schema(client, db):
    """The project's OpenAPI schema as served at /api/schema/."""
    return client.get("/api/schema/", {"format": "json"}).json()


@pytest.fixture
def screening(monkeypatch):
    """Screening that answers what the test says, whatever the classifier of the day thinks:
    `screening["I want to die"] = assessment("urgent", "suicide")`; other texts are fine."""
    from alongside.safety import actions

    answers: dict = {}
    monkeypatch.setattr(
        actions, "assess", lambda text, language: answers.get(text, assessment("none"))
    )
    return answers
