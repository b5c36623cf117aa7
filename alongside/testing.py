"""Helpers that make the common test case one line: people with roles in programs."""

import itertools

from alongside.accounts.models import Profile, User
from alongside.core.models import AreaOfConcern
from alongside.pairing import actions as pairing_actions
from alongside.pairing.models import SupporterMatchProfile
from alongside.programs.models import STAFF_ROLES, Membership, MembershipRole, Program
from alongside.safety.screening import Assessment, Category, Level, Reason

_sequence = itertools.count(1)
TEST_PASSWORD = "a long test passphrase for alongside"  # noqa: S105 - tests only


def assessment(level: str, *categories: str) -> Assessment:
    """A screening result at `level` with `categories`, each with a stand-in rule as its reason."""
    reasons = tuple(
        Reason("rules", Category(category), "test_rule", "the words that matched")
        for category in categories
    ) or (Reason("rules", None, "test_rule", level),)
    return Assessment(Level(level), tuple(Category(c) for c in categories), reasons)


def make_program(name: str = "Riverside Recovery", **fields) -> Program:
    number = next(_sequence)
    fields.setdefault("slug", f"program-{number}")
    fields.setdefault("crisis_line_name", "988 Suicide & Crisis Lifeline")
    fields.setdefault("crisis_line_phone", "988")
    return Program.objects.create(name=name, **fields)


def enable_totp(user: User) -> str:
    """Turn on TOTP two-factor authentication for `user`; returns the secret for `totp_code`."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app would show now for `secret`."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def make_person(
    program: Program | None = None,
    *roles: str,
    email: str | None = None,
    mfa: bool | None = None,
    **user_fields,
) -> User:
    """A verified user with a profile, holding `roles` in `program` (member if none are given).

    Staff roles and site admins get TOTP turned on unless `mfa=False`, as the site requires of
    them; the secret is kept on `user.totp_secret` for tests that sign in through the form.
    """
    from allauth.account.models import EmailAddress

    email = email or f"person{next(_sequence)}@example.test"
    user = User.objects.create_user(email=email, password=TEST_PASSWORD, **user_fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if program is not None:
        membership = Membership.objects.create(user=user, program=program)
        for role in roles or ("member",):
            MembershipRole.objects.create(membership=membership, role=role)
    if mfa is None:
        mfa = bool(set(roles) & STAFF_ROLES) or user.is_superuser
    user.totp_secret = enable_totp(user) if mfa else None  # type: ignore[attr-defined]
    return user


def sign_in_through_the_form(client, user, password: str = TEST_PASSWORD):
    """Sign `user` in the way a person does, answering the two-factor step when it comes."""
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    if response.status_code == 302 and response["Location"].startswith(
        "/accounts/2fa/authenticate/"
    ):
        response = client.post(response["Location"], {"code": totp_code(user.totp_secret)})
    assert response.status_code == 302, response.content[:500]
    return response


def assert_matches_schema(schema: dict, path: str, method: str, status: int, body) -> None:
    """The API answer `body` is what the OpenAPI schema promises for that path, method and status."""
    from openapi_schema_validator import OAS30Validator

    content = schema["paths"][path][method]["responses"][str(status)]["content"]["application/json"]
    OAS30Validator({**content["schema"], "components": schema["components"]}).validate(body)


# Pairing stories, shared by every app whose rules depend on who supports whom.
# Monday and Tuesday evenings, 18:00 to 21:00 in the person's own zone.
EVENINGS = [day * 24 + hour for day in (0, 1) for hour in (18, 19, 20)]


def make_supporter_profile(supporter, program, approver, **overrides):
    """`supporter`'s approved match profile in `program`, speaking English, evenings, by phone."""
    Profile.objects.filter(user=supporter).update(
        languages=overrides.pop("languages", ["en"]), time_zone="America/New_York"
    )
    fields = {
        "areas": AreaOfConcern.objects.filter(slug__in=["alcohol"]),
        "experiences": ["alcohol"],
        "years_in_recovery": 4,
        "availability": EVENINGS,
        "modalities": ["phone"],
        "identities": [],
        "capacity": 2,
        **overrides,
    }
    profile = pairing_actions.save_supporter_profile(supporter, program=program, **fields)
    return pairing_actions.set_supporter_status(approver, profile=profile, status="approved")


def make_request(member, program, **overrides):
    """`member`'s match request in `program`: help with alcohol use, in English, evenings."""
    Profile.objects.filter(user=member).update(time_zone="America/New_York")
    fields = {
        "areas": AreaOfConcern.objects.filter(slug__in=["alcohol"]),
        "experiences": ["alcohol"],
        "languages": ["en"],
        "availability": EVENINGS,
        "modalities": ["phone"],
        "modality_required": False,
        "identity_preferences": {},
        **overrides,
    }
    return pairing_actions.save_match_request(member, program=program, **fields)


def make_pairing(member, supporter, coordinator, program, state="active"):
    """A pairing of the two in `state` (proposed, active, paused or closed), made by the actions."""
    has_profile = SupporterMatchProfile.objects.filter(
        membership__user=supporter, membership__program=program
    ).exists()
    if not has_profile:
        make_supporter_profile(supporter, program, coordinator)
    make_request(member, program)
    pairing = pairing_actions.propose_pairing(
        coordinator, program=program, member=member, supporter=supporter
    )
    if state == "proposed":
        return pairing
    pairing_actions.accept_pairing(member, pairing=pairing, boundaries_accepted=True)
    pairing_actions.accept_pairing(supporter, pairing=pairing, boundaries_accepted=True)
    if state == "paused":
        pairing_actions.pause_pairing(member, pairing=pairing)
    elif state == "closed":
        pairing_actions.close_pairing(supporter, pairing=pairing, reason="completed")
    return pairing
