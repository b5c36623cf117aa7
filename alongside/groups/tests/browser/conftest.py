"""Browser journeys run on the real clock: the browser keeps real time for its cookies, so the
server must too (the groups tests' frozen Monday would expire every session cookie at once)."""

import pytest

from alongside.browser import browser, desktop_page, page  # noqa: F401


@pytest.fixture(autouse=True)
def _monday_afternoon():
    yield
