"""The home page shows each person what their roles give them, and nothing made up."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AreaOfConcern
from alongside.notifications.models import Notification
from alongside.programs.models import Invitation, Membership
from alongside.testing import make_person, make_program


def home_of(client_of, user) -> str:
    response = client_of(user).get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_person_without_a_program_is_invited_to_join_one(client_of, db):
    page = home_of(client_of, make_person(None))
    assert "Join a program" in page
    assert f'action="{reverse("programs:join")}"' in page


def test_member_sees_their_program_roles_and_crisis_line(client_of, member, program):
    page = home_of(client_of, member)
    assert program.name in page
    assert "Member" in page
    assert 'href="tel:988"' in page
    assert "Join a program" not in page
    assert "Program overview" not in page


def test_member_home_leads_to_the_real_pages_and_no_placeholders(client_of, member, program):
    page = home_of(client_of, member).split("<main", 1)[1]
    assert reverse("checkins:today", args=[program.slug]) in page
    assert reverse("pairing:member", args=[program.slug]) in page
    assert reverse("goals:list") in page
    assert "coming soon" not in page.lower()
    assert reverse("safety:escalations", args=[program.slug]) not in page


def test_staff_home_leads_to_escalations_and_the_concern_queue(
    client_of, coordinator, moderator, program
):
    coordinating = home_of(client_of, coordinator)
    moderating = home_of(client_of, moderator)

    assert reverse("safety:escalations", args=[program.slug]) in coordinating
    assert reverse("pairing:coordinator", args=[program.slug]) in coordinating
    assert reverse("safety:concerns", args=[program.slug]) in moderating
    assert reverse("safety:escalations", args=[program.slug]) not in moderating


def test_profile_hint_links_to_the_profile_until_it_is_complete(client_of, member):
    assert reverse("accounts:profile") in home_of(client_of, member).split("<main", 1)[1]
    profile = member.profile
    profile.languages = ["en"]
    profile.zip_code = "10001"
    profile.save()
    profile.areas_of_concern.add(AreaOfConcern.objects.first())
    assert "Complete your profile" not in home_of(client_of, member)


def test_latest_five_unread_notifications(client_of, member):
    for number in range(7):
        Notification.objects.create(
            recipient=member, kind="programs.member_joined", title=f"Note {number}"
        )
    Notification.objects.create(
        recipient=member,
        kind="programs.member_joined",
        title="Already read",
        read_at=timezone.now(),
    )
    page = home_of(client_of, member)
    assert page.count("Note ") == 5
    assert "Note 6" in page
    assert "Note 0" not in page
    assert "Already read" not in page


def test_supporter_sees_the_member_count_of_their_program(client_of, supporter, member, program):
    make_person(program, "member")
    page = home_of(client_of, supporter)
    assert "2 members in this program." in page


def test_coordinator_sees_the_program_overview(client_of, coordinator, member, supporter, program):
    Membership.objects.filter(user=member).update(joined_at=timezone.now() - timedelta(days=60))
    Invitation.objects.create(program=program, email="a@example.test", roles=["member"])
    Invitation.objects.create(
        program=program, email="b@example.test", roles=["member"], revoked_at=timezone.now()
    )
    page = home_of(client_of, coordinator)
    assert "Program overview" in page
    assert "<dt>People</dt><dd>3</dd>" in page
    assert "<dt>Peer supporter</dt><dd>1</dd>" in page
    assert "<dt>Joined in the last 30 days</dt><dd>2</dd>" in page
    assert "<dt>Invitations waiting</dt><dd>1</dd>" in page
    assert program.join_code in page
    for name in ("people", "invitations", "settings"):
        assert reverse(f"programs:{name}", args=[program.slug]) in page


def test_coordinator_overview_does_not_count_other_programs(client_of, coordinator, outsider):
    assert "<dt>People</dt><dd>1</dd>" in home_of(client_of, coordinator)


def test_people_who_left_are_not_counted(client_of, coordinator, member):
    Membership.objects.filter(user=member).update(is_active=False)
    assert "<dt>People</dt><dd>1</dd>" in home_of(client_of, coordinator)


def test_site_admin_gets_links_to_run_the_site(client_of, admin_user):
    page = home_of(client_of, admin_user)
    assert reverse("programs:new") in page


def test_home_rejects_post(client_of, member):
    assert client_of(member).post(reverse("core:home")).status_code == 405


def queries_of(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("programs", [1, 3])
def test_home_query_count_does_not_grow_with_programs(client_of, programs, db):
    person = make_person(None, mfa=True)
    for number in range(programs):
        membership = Membership.objects.create(
            user=person, program=make_program(f"Program {number}")
        )
        for role in ("member", "supporter", "coordinator"):
            membership.roles.create(role=role)
        for _ in range(3):
            make_person(membership.program, "member")
        Notification.objects.create(recipient=person, kind="programs.member_joined", title="Hello")
    client = client_of(person)
    client.get(reverse("programs:join"))  # the session's first request records the session
    # What every page costs (session, middleware, header badge) is measured on the join page,
    # which does no queries of its own. The home page adds: memberships, their roles, role
    # counts, people and newcomers, pending invitations, the profile's areas, notifications.
    baseline = queries_of(client, reverse("programs:join"))
    assert queries_of(client, reverse("core:home")) - baseline == 7
