"""Who may reach what: every URL x method x principal against the reviewed matrix.

Each (URL, method) is one test; inside it every principal's request runs in its own savepoint
that is rolled back, so a POST by one principal (leaving a program, say) cannot change what the
next one sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from alongside.core.tests.authorization.walker import (
    METHODS,
    PRINCIPALS,
    Row,
    classify,
    named_routes,
    read_matrix,
)
from alongside.notifications.actions import notify
from alongside.programs.models import Invitation
from alongside.testing import make_person, make_program

ROWS = read_matrix()
ROUTES = named_routes()


@dataclass
class World:
    """Program A with one person per role, a foreign program B, and objects to point URLs at."""

    people: dict[str, Any]
    program: Any
    other_program: Any
    objects: dict[str, Any]


def build_world() -> World:
    program = make_program("Program A", slug="program-a")
    other_program = make_program("Program B", slug="program-b")
    people: dict[str, Any] = {"anonymous": None}
    for role in ("member", "supporter", "facilitator", "coordinator", "clinician", "moderator"):
        people[role] = make_person(program, role, email=f"{role}@a.test")
    people["admin"] = make_person(None, email="admin@site.test", is_staff=True, is_superuser=True)
    people["outsider"] = make_person(other_program, "member", email="outsider@b.test")
    objects = {
        "invitation": Invitation.objects.create(
            program=program, email="invitee@a.test", roles=["member"], invited_by=people["coordinator"]
        ),
        "member_notification": notify(people["member"], kind="programs.member_joined", title="Welcome"),
        "member_membership": people["member"].memberships.get(),
    }
    return World(people, program, other_program, objects)


# How to fill each URL's parameters in the world. A URL with parameters that is missing here
# fails the build just like a URL missing from the matrix.
ArgumentsFor = Callable[[World], dict[str, Any]]
URL_ARGUMENTS: dict[str, ArgumentsFor] = {
    "programs:detail": lambda w: {"slug": w.program.slug},
    "programs:invitation": lambda w: {"token": w.objects["invitation"].token},
    "notifications:open": lambda w: {"notification_id": w.objects["member_notification"].pk},
    "account_confirm_email": lambda w: {"key": "not-a-real-key"},
    "account_reset_password_from_key": lambda w: {"uidb36": "0", "key": "not-a-real-key"},
}


def test_every_url_is_in_the_matrix():
    listed = {(row.name, row.method) for row in ROWS}
    missing = sorted(
        f"{name} {method}" for name in ROUTES for method in METHODS if (name, method) not in listed
    )
    assert not missing, "URLs missing from matrix.txt:\n" + "\n".join(missing)


def test_every_matrix_row_is_a_url():
    stale = sorted({row.name for row in ROWS} - set(ROUTES))
    assert not stale, "matrix.txt names URLs that no longer exist: " + ", ".join(stale)


def test_every_url_with_parameters_can_be_filled():
    unfilled = sorted(name for name, route in ROUTES.items() if route.converters and name not in URL_ARGUMENTS)
    assert not unfilled, "add these to URL_ARGUMENTS: " + ", ".join(unfilled)


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.name}-{row.method}" for row in ROWS])
def test_matrix_row(row: Row, db, settings):
    settings.RATELIMIT_ENABLE = False
    world = build_world()
    if row.name not in ROUTES:
        pytest.fail(f"{row.name} is not a URL")
    kwargs = URL_ARGUMENTS.get(row.name, lambda w: {})(world)
    url = reverse(row.name, kwargs=kwargs)
    login_url = reverse("account_login")
    observed = {}
    for principal in PRINCIPALS:
        with transaction.atomic():
            client = Client()
            user = world.people[principal]
            if user is not None:
                client.force_login(user)
            response = client.generic(row.method, url)
            observed[principal] = classify(response, login_url)
            transaction.set_rollback(True)
    mismatches = {p: f"expected {row.expected[p]}, got {observed[p]}" for p in PRINCIPALS if observed[p] != row.expected[p]}
    assert not mismatches, f"matrix.txt:{row.line} {row.name} {row.method} {url}: {mismatches}"
