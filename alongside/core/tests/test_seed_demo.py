import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from alongside.accounts.models import Profile, User
from alongside.core import demo
from alongside.programs.models import Invitation, Membership, MembershipRole, Program, Role
from alongside.testing import sign_in_through_the_form

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "profiles": Profile.objects.count(),
        "email addresses": EmailAddress.objects.count(),
        "memberships": Membership.objects.count(),
        "roles": MembershipRole.objects.count(),
        "invitations": Invitation.objects.count(),
        "programs": Program.objects.count(),
    }


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def test_seeding_twice_creates_nothing_new():
    _seed()
    first = _counts()

    output = _seed()

    assert _counts() == first
    assert "nothing new" in output


def test_seed_fills_riverside_with_every_role():
    _seed()
    riverside = Program.objects.get(slug="riverside")

    def holding(role):
        return Membership.objects.filter(program=riverside).with_role(role).count()

    assert holding(Role.MEMBER) == 60
    assert holding(Role.SUPPORTER) == 12
    assert holding(Role.FACILITATOR) == 3
    assert holding(Role.COORDINATOR) == 2
    assert holding(Role.CLINICIAN) == 2
    assert holding(Role.MODERATOR) == 2
    assert set(riverside.areas_of_concern.values_list("slug", flat=True)) >= {"alcohol", "opioids"}
    assert riverside.crisis_line_phone == "988"
    assert User.objects.filter(is_superuser=True, email="admin@demo.alongside.test").exists()


def test_hillcrest_people_are_not_in_riverside():
    _seed()
    hillcrest_people = User.objects.filter(memberships__program__slug="hillcrest")

    assert hillcrest_people.exists()
    assert not hillcrest_people.filter(memberships__program__slug="riverside").exists()


def test_profiles_have_resolved_locations_and_valid_choices():
    _seed()
    profiles = Profile.objects.exclude(user__is_superuser=True)

    for profile in profiles:
        profile.full_clean()
        assert profile.city and profile.state and profile.latitude is not None
    assert any("es" in profile.languages for profile in profiles)


def _can_log_in(email: str, password: str) -> User | None:
    # django-axes counts login attempts per request, so authenticate() needs one.
    return authenticate(RequestFactory().post("/accounts/login/"), email=email, password=password)


def test_every_demo_login_authenticates():
    output = _seed()

    for login in demo.FIXED_LOGINS:
        email = f"{login[1]}@{demo.DEMO_DOMAIN}"
        assert email in output
        assert _can_log_in(email, demo.DEMO_PASSWORD) is not None, email
        assert EmailAddress.objects.filter(email=email, verified=True, primary=True).exists()
    assert demo.DEMO_PASSWORD in output


def test_reseeding_restores_a_changed_demo_password():
    _seed()
    member = User.objects.get(email="member@demo.alongside.test")
    member.set_password("someone changed this passphrase")
    member.save()

    _seed()

    assert _can_log_in(member.email, demo.DEMO_PASSWORD) == member


def test_invitations_stay_pending():
    _seed()

    assert Invitation.objects.pending().count() == len(demo.PENDING_INVITATIONS)


def test_refuses_to_seed_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        _seed()
    assert not Program.objects.filter(slug="riverside").exists()


@pytest.mark.django_db
def test_demo_staff_have_two_factor_and_the_demo_code_signs_them_in(client):
    call_command("seed_demo", stdout=StringIO())
    coordinator = User.objects.get(email="coordinator@demo.alongside.test")
    coordinator.totp_secret = demo.DEMO_TOTP_SECRET  # type: ignore[attr-defined]
    sign_in_through_the_form(client, coordinator, password=demo.DEMO_PASSWORD)
    assert client.get("/home/").status_code == 200
    output = StringIO()
    call_command("demo_totp", stdout=output)
    assert re.search(r"code for demo staff logins: \d{6}", output.getvalue())
