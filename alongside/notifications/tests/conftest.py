import pytest

from alongside.notifications import registry


@pytest.fixture(autouse=True)
def _in_memory_channel_layer(settings):
    """Pushes stay inside the test process, even when REDIS_URL points at a shared Redis."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


@pytest.fixture
def quiet_kind(monkeypatch):
    """A kind that is not emailed unless the person asks for it, registered for one test."""
    definition = registry.NotificationKind(
        "tests.quiet", "Something quiet", "Only in the app by default.", email_default=False
    )
    monkeypatch.setitem(registry._kinds, definition.kind, definition)
    return definition
