"""Browser-test fixtures: headless Debian Chromium driven by Playwright, with axe-core scans.

Use from any app's browser tests by importing the fixtures into that folder's conftest.py:

    from alongside.browser import browser, desktop_page, page  # noqa: F401

and mark each test `@pytest.mark.browser`. Helpers `check_accessibility` and `login_as` are plain
functions. Playwright's own browser download is never used: we drive the distribution's chromium
(`CHROMIUM_PATH` overrides /usr/bin/chromium). Without it the tests skip, except when CI=true,
where a missing browser fails them so that CI can never pass by silently skipping.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless and sandbox-free (containers often lack user namespaces), and quiet on the network:
# test machines may reach nothing but localhost, and background fetches would only add noise.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT: ViewportSize = {"width": 390, "height": 844}
DESKTOP_VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
ARTIFACTS_DIR = Path(__file__).resolve().parent.parent / "test-artifacts"
# Impacts that fail a scan; "moderate" and "minor" findings are written to the artifacts only.
BLOCKING_IMPACTS = {"serious", "critical"}
TIMEOUT_MS = 10_000
TOTP_PERIOD_SECONDS = 30  # allauth's MFA_TOTP_PERIOD default


def _running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _chromium_or_skip() -> str:
    executable = CHROMIUM_PATH if os.path.isfile(CHROMIUM_PATH) else shutil.which("chromium")
    if executable:
        return executable
    reason = f"Chromium not found at {CHROMIUM_PATH} (install Debian's `chromium` package)"
    if _running_in_ci():
        pytest.fail(f"{reason}; browser tests must run when CI=true.", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module; each test gets its own context (cookies, storage).

    Not session-wide on purpose: while Playwright's sync API is alive it leaves an asyncio loop
    marked running in this thread, which breaks async_to_sync in every later test (Channels
    consumers) and needs DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly rejects. Two
    session-wide copies (one per conftest that imports this fixture) would also collide. Closing
    it with the module confines both to browser tests, for about half a second per module.
    """
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    # Django's guard would otherwise refuse the ORM calls tests make between page actions, since
    # Playwright's loop looks like async context; they are plain blocking calls in a test thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_page(browser: Browser, viewport: ViewportSize) -> Iterator[Page]:
    from django.conf import settings
    from django.core.cache import cache

    # The cache outlives tests and holds allauth's rate limits (one confirmation email per
    # address per 3 minutes, sign-ups per IP): a browser journey must not depend on what earlier
    # tests did from the same 127.0.0.1. On Redis each test has keys of its own already
    # (conftest), and clearing would flush the cache under the other workers' tests.
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        cache.clear()
    context = browser.new_context(viewport=viewport, locale="en-US", service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
    _wait_for_live_server_requests_to_finish()


def _wait_for_live_server_requests_to_finish(limit_seconds: float = 10.0) -> None:
    """Let requests the page left in flight (a badge poll, say) end before the database is flushed.

    A request still reading when pytest-django truncates the tables can deadlock the flush on
    PostgreSQL. The live server handles each request in a thread running
    `process_request_thread`, so waiting for those threads to end is waiting for the requests.
    """
    deadline = time.monotonic() + limit_seconds
    while time.monotonic() < deadline:
        if not any("process_request_thread" in thread.name for thread in threading.enumerate()):
            return
        time.sleep(0.02)


# Both page fixtures depend on live_server so that they are torn down (browser closed, requests
# finished) before the live server and its database.
@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A phone-sized page (390x844) in a fresh browser context: mobile first."""
    yield from _new_page(browser, PHONE_VIEWPORT)


@pytest.fixture
def desktop_page(browser: Browser, live_server) -> Iterator[Page]:
    """A desktop-sized page (1280x900) in a fresh browser context."""
    yield from _new_page(browser, DESKTOP_VIEWPORT)


def _artifact_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "page"


def check_accessibility(page: Page, name: str) -> list[dict]:
    """Scan the page with axe-core and fail on any serious or critical violation.

    Saves test-artifacts/<name>.png (full page) and <name>.axe.json (every violation, whatever
    its impact) before asserting, so a failing scan can be inspected. Returns all violations.
    """
    from axe_playwright_python.sync_playwright import Axe

    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = _artifact_name(name)
    page.screenshot(path=str(ARTIFACTS_DIR / f"{stem}.png"), full_page=True)
    # Axe injects its source with page.evaluate, which runs through the DevTools protocol and is
    # not subject to the page's Content-Security-Policy, so the scan sees the page exactly as
    # served (no bypass_csp needed).
    violations = Axe().run(page).response["violations"]
    (ARTIFACTS_DIR / f"{stem}.axe.json").write_text(
        json.dumps({"url": page.url, "violations": violations}, indent=2)
    )
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"{len(blocking)} serious/critical accessibility violation(s) on {page.url}:"]
        for violation in blocking:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            more = len(violation["nodes"]) - len(targets)
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']} "
                f"-> {targets}{f' and {more} more' if more > 0 else ''}"
            )
        pytest.fail("\n".join(lines), pytrace=False)
    return violations


EMAIL_LABEL = re.compile(r"e-?mail", re.IGNORECASE)
PASSWORD_LABEL = re.compile(r"^\s*password\W*$", re.IGNORECASE)
SIGN_IN_BUTTON = re.compile(r"^\s*(sign|log)\s*in\s*$", re.IGNORECASE)
CODE_LABEL = re.compile(r"code", re.IGNORECASE)
SIGN_OUT_BUTTON = re.compile(r"(sign|log)\s*out", re.IGNORECASE)


def login_as(page: Page, live_server, user, password: str | None = None) -> None:
    """Sign `user` in through the real login form, answering the two-factor step if asked.

    Staff made by alongside.testing.make_person carry `totp_secret`; the step is answered with
    the code an authenticator app would show. Fails unless the person ends up signed in.
    """
    from alongside.testing import TEST_PASSWORD, totp_code

    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("form").filter(has=page.get_by_label(PASSWORD_LABEL))
    form.get_by_label(EMAIL_LABEL).fill(user.email)
    form.get_by_label(PASSWORD_LABEL).fill(password or TEST_PASSWORD)
    form.get_by_role("button", name=SIGN_IN_BUTTON).click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        secret = getattr(user, "totp_secret", None)
        assert secret, f"{user.email} is asked for a two-factor code but has no totp_secret"
        # allauth accepts only the current 30-second code: one read in the last seconds of its
        # period may reach the server after it ended, so wait for a fresh one.
        while time.time() % TOTP_PERIOD_SECONDS > TOTP_PERIOD_SECONDS - 4:
            time.sleep(0.2)
        page.get_by_label(CODE_LABEL).fill(totp_code(secret))
        page.get_by_role("button", name=SIGN_IN_BUTTON).click()
        page.wait_for_url(lambda url: "/accounts/2fa/" not in url)
    # Signed in means the header offers to sign out (folded into the closed menu on a phone);
    # any other stop on the way fails here.
    sign_out = page.get_by_role("button", name=SIGN_OUT_BUTTON, include_hidden=True)
    assert sign_out.count() > 0, (
        f"{user.email} is not signed in after the login form; the browser is at {page.url}"
    )
