"""Browser fixtures for these tests; see alongside/browser.py."""

from alongside.browser import browser, desktop_page, page  # noqa: F401
