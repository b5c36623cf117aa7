"""Helpers that make the common test case one line: people with roles in programs."""

import itertools

from alongside.accounts.models import User
from alongside.programs.models import STAFF_ROLES, Membership, MembershipRole, Program

_sequence = itertools.count(1)
TEST_PASSWORD = "a long test passphrase for alongside"  # noqa: S105 - tests only


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
