"""Helpers that make the common test case one line: people with roles in programs."""

import itertools

from alongside.accounts.models import User
from alongside.programs.models import Membership, MembershipRole, Program

_sequence = itertools.count(1)
TEST_PASSWORD = "a long test passphrase for alongside"


def make_program(name: str = "Riverside Recovery", **fields) -> Program:
    number = next(_sequence)
    fields.setdefault("slug", f"program-{number}")
    fields.setdefault("crisis_line_name", "988 Suicide & Crisis Lifeline")
    fields.setdefault("crisis_line_phone", "988")
    return Program.objects.create(name=name, **fields)


def make_person(program: Program | None = None, *roles: str, email: str | None = None, **user_fields) -> User:
    """A verified user with a profile, holding `roles` in `program` (member if none are given)."""
    from allauth.account.models import EmailAddress

    email = email or f"person{next(_sequence)}@example.test"
    user = User.objects.create_user(email=email, password=TEST_PASSWORD, **user_fields)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if program is not None:
        membership = Membership.objects.create(user=user, program=program)
        for role in roles or ("member",):
            MembershipRole.objects.create(membership=membership, role=role)
    return user
