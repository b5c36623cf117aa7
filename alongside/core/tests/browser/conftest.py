"""Browser fixtures for these tests; other apps import the same names from alongside.browser."""

from alongside.browser import browser, desktop_page, page  # noqa: F401
