"""Who may reach what: every URL x method x principal against the reviewed matrix.

Each (URL, method) is one test; inside it every principal's request runs in its own savepoint
that is rolled back, so a POST by one principal (leaving a program, say) cannot change what the
next one sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.core.tests.authorization.walker import (
    PRINCIPALS,
    Row,
    classify,
    named_routes,
    read_matrix,
)
from alongside.notifications.actions import notify
from alongside.privacy.actions import start_emergency_access
from alongside.programs.models import Invitation
from alongside.safety.actions import open_escalation
from alongside.safety.models import Flag, OnCallShift
from alongside.testing import TEST_PASSWORD, make_person, make_program

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
            program=program,
            email="invitee@a.test",
            roles=["member"],
            invited_by=people["coordinator"],
        ),
        "member_notification": notify(
            people["member"], kind="programs.member_joined", title="Welcome"
        ),
        "member_membership": people["member"].memberships.get(),
        "grant": start_emergency_access(
            people["clinician"],
            program=program,
            member=people["member"],
            reason="Escalation: member unreachable after a crisis flag.",
            password=TEST_PASSWORD,
        ),
        "escalation": open_escalation(
            people["member"], program=program, origin="help_now", message="Please call me."
        ),
        "shift": OnCallShift.objects.create(
            program=program,
            person=people["clinician"],
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=8),
        ),
        "flag": Flag.objects.create(
            program=program,
            author=people["member"],
            writing_path="safety.help_now",
            level="concern",
        ),
    }
    return World(people, program, other_program, objects)


# How to fill each URL's parameters in the world. A URL with parameters that is missing here
# fails the build just like a URL missing from the matrix.
ArgumentsFor = Callable[[World], dict[str, Any]]


def _program(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug}


def _membership_in_program(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "membership_id": w.objects["member_membership"].pk}


def _grant(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "grant_id": w.objects["grant"].pk}


def _notification(w: World) -> dict[str, Any]:
    return {"notification_id": w.objects["member_notification"].pk}


def _member_in_program(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "member_id": w.people["member"].pk}


def _escalation(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "escalation_id": w.objects["escalation"].pk}


def _shift(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "shift_id": w.objects["shift"].pk}


def _flag(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "flag_id": w.objects["flag"].pk}


URL_ARGUMENTS: dict[str, ArgumentsFor] = {
    "account_confirm_email": lambda w: {"key": "not-a-real-key"},
    "account_reset_password_from_key": lambda w: {"uidb36": "0", "key": "not-a-real-key"},
    "programs:detail": _program,
    "programs:leave": _program,
    "programs:people": _program,
    "programs:invitations": _program,
    "programs:settings": _program,
    "programs:regenerate_code": _program,
    "programs:grant_role": _membership_in_program,
    "programs:revoke_role": _membership_in_program,
    "programs:revoke_invitation": lambda w: {
        "slug": w.program.slug,
        "invitation_id": w.objects["invitation"].pk,
    },
    "programs:invitation": lambda w: {"token": w.objects["invitation"].token},
    "programs:join_link": lambda w: {"code": w.program.join_code},
    "api-program": _program,
    "api-program-members": _program,
    "api-membership-leave": lambda w: {"membership_id": w.objects["member_membership"].pk},
    "notifications:open": _notification,
    "notifications:read": _notification,
    "api-notification-read": _notification,
    "privacy:sharing": _program,
    "privacy:emergency_access": _program,
    "privacy:emergency_review": _program,
    "privacy:emergency_end": _grant,
    "privacy:emergency_review_grant": _grant,
    "safety:member_plan": _member_in_program,
    "api-member-safety-plan": _member_in_program,
    "safety:escalations": _program,
    "safety:on_call": _program,
    "safety:concerns": _program,
    "safety:settings": _program,
    "safety:escalation": _escalation,
    "safety:escalation_acknowledge": _escalation,
    "safety:escalation_contact": _escalation,
    "safety:escalation_outcome": _escalation,
    "safety:escalation_note": _escalation,
    "safety:escalation_close": _escalation,
    "safety:shift_remove": _shift,
    "safety:concern_review": _flag,
    "api-safety-escalations": _program,
    "api-safety-shifts": _program,
    "api-safety-concerns": _program,
    "api-safety-escalation": _escalation,
    "api-safety-escalation-acknowledge": _escalation,
    "api-safety-escalation-contact": _escalation,
    "api-safety-escalation-outcome": _escalation,
    "api-safety-escalation-note": _escalation,
    "api-safety-escalation-close": _escalation,
    "api-safety-shift": _shift,
    "api-safety-concern-review": _flag,
}


def test_every_url_is_in_the_matrix():
    listed = {(row.name, row.method) for row in ROWS}
    missing = sorted(
        f"{name} {method}"
        for name, route in ROUTES.items()
        for method in route.methods
        if (name, method) not in listed
    )
    assert not missing, "URLs missing from matrix.txt:\n" + "\n".join(missing)


def test_every_matrix_row_is_a_url():
    stale = sorted({row.name for row in ROWS} - set(ROUTES))
    assert not stale, "matrix.txt names URLs that no longer exist: " + ", ".join(stale)


def test_every_url_with_parameters_can_be_filled():
    unfilled = sorted(
        name for name, route in ROUTES.items() if route.converters and name not in URL_ARGUMENTS
    )
    assert not unfilled, "add these to URL_ARGUMENTS: " + ", ".join(unfilled)


def outcome_of(client: Client, method: str, url: str, *, signed_in: bool = False) -> str:
    """Classify the answer; the admin's own login page is followed one step to its verdict.

    Every answer, whatever its status, must also carry the security headers.
    """
    response = client.generic(method, url)
    assert_security_headers(response, signed_in=signed_in)
    admin_login = reverse("admin:login")
    if (
        response.status_code == 302
        and response["Location"].startswith(admin_login)
        and url != admin_login
    ):
        response = client.get(response["Location"])
    return classify(response, (reverse("account_login"),))


def assert_security_headers(response, *, signed_in: bool) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp, csp
    assert response.get("X-Content-Type-Options") == "nosniff"
    assert response.get("Referrer-Policy") == "same-origin"
    assert response.get("X-Frame-Options") == "DENY"
    if signed_in:
        assert "no-store" in response.get("Cache-Control", ""), (
            "signed-in answers must not be stored"
        )


@pytest.mark.parametrize("row", ROWS, ids=[f"{row.name}-{row.method}" for row in ROWS])
def test_matrix_row(row: Row, db, settings):
    settings.RATELIMIT_ENABLE = False
    world = build_world()
    if row.name not in ROUTES:
        pytest.fail(f"{row.name} is not a URL")
    kwargs = URL_ARGUMENTS.get(row.name, lambda w: {})(world)
    url = reverse(row.name, kwargs=kwargs)
    observed = {}
    for principal in PRINCIPALS:
        with transaction.atomic():
            client = Client()
            user = world.people[principal]
            if user is not None:
                client.force_login(user)
            observed[principal] = outcome_of(client, row.method, url, signed_in=user is not None)
            transaction.set_rollback(True)
    mismatches = {
        p: f"expected {row.expected[p]}, got {observed[p]}"
        for p in PRINCIPALS
        if observed[p] != row.expected[p]
    }
    assert not mismatches, f"matrix.txt:{row.line} {row.name} {row.method} {url}: {mismatches}"
