"""Browser fixtures for the community's journeys."""

from alongside.browser import browser, desktop_page, page  # noqa: F401
