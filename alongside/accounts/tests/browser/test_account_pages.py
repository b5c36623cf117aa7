"""Account pages in a real browser, under the real CSP: two-factor set-up and the profile."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from alongside.accounts.models import Profile
from alongside.browser import PASSWORD_LABEL, check_accessibility, login_as
from alongside.core.models import AreaOfConcern
from alongside.testing import TEST_PASSWORD, totp_code

pytestmark = pytest.mark.browser


def test_member_turns_on_an_authenticator_app_by_scanning_the_qr_code(page, live_server, member):
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label(PASSWORD_LABEL).fill(TEST_PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))

    qr_code = page.get_by_role("img", name=re.compile("QR code"))
    expect(qr_code).to_be_visible()
    # A data: image blocked by the CSP would load with no pixels at all.
    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 0")
    check_accessibility(page, "accounts-totp-activate")

    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.wait_for_url(lambda url: "/totp/activate/" not in url)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    check_accessibility(page, "accounts-after-totp-activate")


def test_member_edits_the_profile_and_gets_a_new_name_suggested(page, live_server, member):
    parent, _ = AreaOfConcern.objects.get_or_create(
        slug="mental-health", defaults={"name": "Mental health"}
    )
    AreaOfConcern.objects.get_or_create(
        slug="anxiety", defaults={"name": "Anxiety", "parent": parent}
    )
    login_as(page, live_server, member)
    page.goto(f"{live_server.url}/me/profile/")
    name_input = page.get_by_label("Display name")
    old_name = name_input.input_value()

    page.get_by_role("button", name="Suggest another name").click()

    expect(page.get_by_label("Display name")).not_to_have_value(old_name)
    assert page.url.endswith("/me/profile/")  # swapped in place by htmx, no page load
    page.get_by_label("Anxiety").check()
    page.get_by_label("ZIP code").fill("00000")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("We could not find ZIP code 00000.")).to_be_visible()
    check_accessibility(page, "accounts-profile-error")
    page.get_by_label("ZIP code").fill("60601")
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_text("Chicago, IL")).to_be_visible()
    profile = Profile.objects.get(user=member)
    assert profile.city == "Chicago"
    assert list(profile.areas_of_concern.values_list("slug", flat=True)) == ["anxiety"]
