"""Who may reach what: every URL x method x principal against the reviewed matrix.

Each (URL, method) is one test; inside it every principal's request runs in its own savepoint
that is rolled back, so a POST by one principal (leaving a program, say) cannot change what the
next one sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Profile
from alongside.checkins import access as checkins_access
from alongside.community import actions as community_actions
from alongside.community.models import Space
from alongside.core.tests.authorization.walker import (
    PRINCIPALS,
    Row,
    classify,
    named_routes,
    read_matrix,
)
from alongside.goals import actions as goal_actions
from alongside.groups import actions as group_actions
from alongside.groups.forms import occurrence_key
from alongside.notifications.actions import notify
from alongside.pairing import actions as pairing_actions
from alongside.privacy.actions import grant_sharing_consent, start_emergency_access
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
    from alongside.core import health

    health.beat(health.SWEEP)  # a worker is running: the alert health check answers 200
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
    objects["goal"], objects["milestone"] = _shared_goal(people["member"], program)
    objects.update(_pairing_of(people, program))
    objects.update(_group_of(people, program))
    objects.update(_community_of(people, program))
    objects.update(_stories_of(people, program))
    return World(people, program, other_program, objects)


def _community_of(people, program) -> dict[str, Any]:
    """A general space with the member's anonymous thread (its opening post is theirs)."""
    space = Space.objects.create(program=program, slug="general", name="General")
    thread = community_actions.start_thread(
        people["member"], space=space, title="T", body="B", anonymous=True
    ).item
    return {"space": space, "thread": thread, "post": thread.posts.get()}


def _stories_of(people, program) -> dict[str, Any]:
    """The member's anonymous story waiting for review, and another of theirs published."""
    from alongside.community import stories as community_stories

    def write(title):
        return community_stories.submit_story(
            people["member"],
            program=program,
            title=title,
            body="B",
            publish_as="anonymous",
            submit=True,
            consent=True,
        ).story

    published = community_stories.publish_story(people["moderator"], story=write("Published"))
    return {"story": write("Waiting"), "published_story": published}


def _pairing_of(people, program) -> dict[str, Any]:
    """An approved supporter actively paired with the member, and another member waiting."""
    Profile.objects.filter(user=people["supporter"]).update(languages=["en"])
    supporter_profile = pairing_actions.save_supporter_profile(
        people["supporter"],
        program=program,
        areas=[],
        experiences=[],
        years_in_recovery=1,
        availability=[],
        modalities=[],
        identities=[],
        capacity=3,
    )
    pairing_actions.set_supporter_status(
        people["coordinator"], profile=supporter_profile, status="approved"
    )
    request_fields: dict[str, Any] = {
        "areas": [],
        "experiences": [],
        "languages": ["en"],
        "availability": [],
        "modalities": [],
        "modality_required": False,
        "identity_preferences": {},
    }
    pairing_actions.save_match_request(people["member"], program=program, **request_fields)
    pairing = pairing_actions.propose_pairing(
        people["coordinator"],
        program=program,
        member=people["member"],
        supporter=people["supporter"],
    )
    pairing_actions.accept_pairing(people["member"], pairing=pairing, boundaries_accepted=True)
    pairing_actions.accept_pairing(people["supporter"], pairing=pairing, boundaries_accepted=True)
    waiting_member = make_person(program, "member", email="waiting@a.test")
    pairing_actions.save_match_request(waiting_member, program=program, **request_fields)
    return {
        "supporter_profile": supporter_profile,
        "pairing": pairing,
        "waiting_member": waiting_member,
    }


def _shared_goal(member, program):
    """The member's goal, shared with program staff (consent in force), with one reached step."""
    grant_sharing_consent(member, program=program, audience="staff", scopes=["goals"])
    goal = goal_actions.create_goal(
        member,
        program=program,
        what="Walk three days a week",
        target_date=date.today() + timedelta(days=30),
        visibility="staff",
    ).item
    step = goal_actions.add_milestone(member, goal=goal, title="First walk").item
    goal_actions.reach_milestone(member, goal=goal, milestone=step)
    goal_actions.set_recovery_start(member, started_on=date.today() - timedelta(days=10))
    return goal, step


def _group_of(people, program):
    """A published open group run by the facilitator, the member in it, a weekly meeting with
    one cancelled date."""
    group = group_actions.create_group(
        people["coordinator"],
        program=program,
        fields={"name": "Evening Circle", "slug": "evening-circle", "is_published": True},
        facilitators=[people["facilitator"]],
    )
    group_membership = group_actions.join_group(people["member"], group=group)
    meeting = group_actions.save_meeting(
        people["facilitator"],
        group=group,
        fields={
            "name": "Evening Circle",
            "slug": "evening-circle-weekly",
            "rule": "FREQ=WEEKLY",
            "starts_on": timezone.localdate() - timedelta(days=7),
            "start_time": time(19, 0),
        },
    )
    upcoming = meeting.next_occurrence(timezone.now())
    assert upcoming is not None
    cancelled = group_actions.add_exception(
        people["facilitator"],
        meeting=meeting,
        day=(upcoming.start + timedelta(days=14)).date(),
    )
    return {
        "group": group,
        "group_membership": group_membership,
        "meeting": meeting,
        "occurrence": occurrence_key(upcoming.scheduled),
        "meeting_exception": cancelled,
        "calendar_token": group_actions.create_calendar_feed(people["member"]),
    }


def _group(w):
    return {"program_slug": w.program.slug, "group_slug": w.objects["group"].slug}


def _community(w):
    return {"program_slug": w.program.slug}


def _community_space(w):
    return _community(w) | {"space_slug": w.objects["space"].slug}


def _community_thread(w):
    return _community_space(w) | {"thread_id": w.objects["thread"].pk}


COMMUNITY_URL_ARGUMENTS = {
    "community:spaces": _community,
    "community:preferences": _community,
    "community:reveals": _community,
    "community:reveal": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "community:space": _community_space,
    "community:thread_create": _community_space,
    "community:thread": _community_thread,
    "community:reply": _community_thread,
    "community:post_edit": lambda w: _community_thread(w) | {"post_id": w.objects["post"].pk},
    "api-community-spaces": _community,
    "api-community-threads": _community_space,
    "api-community-posts": lambda w: _community(w) | {"thread_id": w.objects["thread"].pk},
    "api-community-post": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "community:report": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "community:moderation": _community,
    "community:moderation_log": _community,
    "community:moderate_post": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "community:moderate_writer": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "community:moderate_thread": lambda w: _community(w) | {"thread_id": w.objects["thread"].pk},
    "community:settings": _community,
    "community:notices": _community,
    "community:search": _community,
    "community:react": lambda w: _community_thread(w) | {"post_id": w.objects["post"].pk},
    "community:follow": _community_thread,
    "community:post_history": lambda w: _community_thread(w) | {"post_id": w.objects["post"].pk},
    "api-community-post-history": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "api-community-reaction": lambda w: (
        _community(w) | {"post_id": w.objects["post"].pk, "kind": "me_too"}
    ),
    "api-community-follow": lambda w: _community(w) | {"thread_id": w.objects["thread"].pk},
    "api-community-search": _community,
    "api-community-report": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "api-community-queue": _community,
    "api-community-log": _community,
    "api-community-moderate-post": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "api-community-moderate-writer": lambda w: _community(w) | {"post_id": w.objects["post"].pk},
    "api-community-moderate-thread": lambda w: (
        _community(w) | {"thread_id": w.objects["thread"].pk}
    ),
    "api-community-settings": _community,
    "api-community-notices": _community,
}


def _story(w):
    return _community(w) | {"story_id": w.objects["story"].pk}


def _published_story(w):
    return _community(w) | {"story_id": w.objects["published_story"].pk}


STORY_URL_ARGUMENTS = {
    "stories:public": _community,
    "stories:public_story": _published_story,
    "stories:mine": _community,
    "stories:write": _community,
    "stories:edit": _story,
    "stories:withdraw": _story,
    "stories:delete": _story,
    "stories:review": _community,
    "stories:decide": _story,
    "api-stories": _community,
    "api-story": _published_story,
    "api-own-stories": _community,
    "api-own-story": _story,
    "api-own-story-consent": _story,
    "api-own-story-withdraw": _story,
    "api-stories-review": _community,
    "api-story-publish": _story,
    "api-story-decline": _story,
}


def _group_in_program(w):
    return {"program_slug": w.program.slug}


def _meeting(w):
    return _group(w) | {"meeting_slug": w.objects["meeting"].slug}


def _api_group(w):
    return {"program": w.program.slug, "group": w.objects["group"].slug}


def _api_meeting(w):
    return _api_group(w) | {"meeting": w.objects["meeting"].slug}


GROUP_URL_ARGUMENTS = {
    "groups:create": _group_in_program,
    "groups:import": _group_in_program,
    "goals:group": _group,
    "feeds:personal_calendar": lambda w: {"token": w.objects["calendar_token"]},
    "groups:detail": _group,
    "groups:edit": _group,
    "groups:join": _group,
    "groups:leave": _group,
    "groups:members": _group,
    "groups:decide": lambda w: _group(w) | {"membership_id": w.objects["group_membership"].pk},
    "groups:announce": _group,
    "groups:meeting_create": _group,
    "groups:meeting": _meeting,
    "groups:meeting_edit": _meeting,
    "groups:exception_add": _meeting,
    "groups:exception_delete": lambda w: (
        _meeting(w) | {"exception_id": w.objects["meeting_exception"].pk}
    ),
    "groups:rsvp": lambda w: _meeting(w) | {"occurrence": w.objects["occurrence"]},
    "groups:attendance": lambda w: _meeting(w) | {"occurrence": w.objects["occurrence"]},
    "groups:check_in": _meeting,
    "api-group": _api_group,
    "api-group-join": _api_group,
    "api-meeting-occurrences": _api_meeting,
    "api-meeting-rsvp": lambda w: _api_meeting(w) | {"occurrence": w.objects["occurrence"]},
    "api-meeting-attendance": lambda w: _api_meeting(w) | {"occurrence": w.objects["occurrence"]},
}


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


def _goal(w: World) -> dict[str, Any]:
    return {"goal_id": w.objects["goal"].pk}


def _goal_milestone(w: World) -> dict[str, Any]:
    return {"goal_id": w.objects["goal"].pk, "milestone_id": w.objects["milestone"].pk}


def _pairing(w: World) -> dict[str, Any]:
    return {"pairing_id": w.objects["pairing"].pk}


def _waiting_member(w: World) -> dict[str, Any]:
    return {"slug": w.program.slug, "member_id": w.objects["waiting_member"].pk}


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
    "goals:detail": _goal,
    "goals:edit": _goal,
    "goals:status": _goal,
    "goals:delete": _goal,
    "goals:milestone_add": _goal,
    "goals:progress_add": _goal,
    "goals:comment_add": _goal,
    "api-goal": _goal,
    "api-goal-milestones": _goal,
    "api-goal-progress": _goal,
    "api-goal-comments": _goal,
    "goals:milestone_reach": _goal_milestone,
    "goals:milestone_cheer": _goal_milestone,
    "api-goal-milestone-reach": _goal_milestone,
    "api-goal-milestone-cheer": _goal_milestone,
    "goals:shared": _program,
    "api-program-shared-goals": _program,
    "checkins:today": _program,
    "checkins:program_settings": _program,
    "checkins:tracked_item_add": _program,
    "checkins:tracked_item_edit": lambda w: {
        "slug": w.program.slug,
        "item_id": checkins_access.every_item_of(w.program)[0].pk,
    },
    "checkins:preferences": _program,
    "checkins:trends": _program,
    "checkins:questionnaire": lambda w: {"slug": w.program.slug, "code": "phq9"},
    "checkins:member_trends": _member_in_program,
    "api-member-trends": _member_in_program,
    "api-checkin-items": _program,
    "api-checkin-settings": _program,
    "api-checkin-settings-items": _program,
    "api-checkin-settings-item": lambda w: {
        "slug": w.program.slug,
        "item_id": checkins_access.every_item_of(w.program)[0].pk,
    },
    "api-questionnaires": _program,
    "api-my-trends": _program,
    "pairing:member": _program,
    "pairing:request": _program,
    "pairing:supporter": _program,
    "pairing:supporter_profile": _program,
    "pairing:coordinator": _program,
    "pairing:batch": _program,
    "pairing:instant": _waiting_member,
    "api-pairing-matches": _waiting_member,
    "pairing:supporter_status": lambda w: {
        "slug": w.program.slug,
        "profile_id": w.objects["supporter_profile"].pk,
    },
    "api-pairing-supporter-profile": _program,
    "api-pairing-match-request": _program,
    "api-program-pairings": _program,
    "pairing:accept": _pairing,
    "pairing:decline": _pairing,
    "pairing:pause": _pairing,
    "pairing:resume": _pairing,
    "pairing:close": _pairing,
    "pairing:rematch": _pairing,
    "pairing:block": _pairing,
    "pairing:log_session": _pairing,
    "api-pairing": _pairing,
    "api-pairing-accept": _pairing,
    "api-pairing-decline": _pairing,
    "api-pairing-pause": _pairing,
    "api-pairing-resume": _pairing,
    "api-pairing-close": _pairing,
    "api-pairing-rematch": _pairing,
    "api-pairing-sessions": _pairing,
    "pairing:settings": _program,
    "pairing:choose": _program,
    "api-pairing-settings": _program,
    "api-pairing-own-matches": _program,
    "safety:member_concerns": _program,
    "safety:member_concern_reached_out": _flag,
    **GROUP_URL_ARGUMENTS,
    **COMMUNITY_URL_ARGUMENTS,
    **STORY_URL_ARGUMENTS,
    "feeds:meetings": _group_in_program,
    "feeds:group_calendar": _group,
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
