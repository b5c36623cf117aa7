"""Every main page passes an axe-core scan on a phone-sized screen, signed out and by role."""

import pytest

from alongside.browser import check_accessibility, login_as

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
SIGNED_IN_PAGES = [
    "/home/",
    "/me/profile/",
    "/programs/",
    "/programs/riverside/",
    "/notifications/",
]


def visit(page, live_server, path: str) -> None:
    response = page.goto(live_server.url + path)
    assert response is not None
    if response.status == 404:
        # Pages arrive with their issues: a page not built yet shows as a skip naming its path,
        # never as a pass.
        pytest.skip(f"{path} returns 404: not built yet")
    assert response.ok, f"{path} answered {response.status}"
    # A redirect (to sign-in, two-factor, another page) would mean scanning the wrong page.
    assert page.url == live_server.url + path, f"{path} ended at {page.url}"


def artifact(prefix: str, path: str) -> str:
    return f"{prefix}-{path.strip('/') or 'landing'}"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible_to_a_visitor(page, live_server, db, path):
    visit(page, live_server, path)

    check_accessibility(page, artifact("visitor", path))


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_signed_in_page_is_accessible_to_role(page, live_server, request, role, path):
    login_as(page, live_server, request.getfixturevalue(role))

    visit(page, live_server, path)

    check_accessibility(page, artifact(role, path))


@pytest.mark.parametrize("path", ["/", "/home/"])
def test_page_is_accessible_on_a_desktop_screen(desktop_page, live_server, member, path):
    if path != "/":
        login_as(desktop_page, live_server, member)

    visit(desktop_page, live_server, path)

    check_accessibility(desktop_page, artifact("desktop", path))
