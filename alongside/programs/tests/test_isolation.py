"""A user of program A gets 404 for every program-B object URL, and changes nothing there.

The test walks every URL pattern of the programs app instead of a hand-written list, so a new
page taking a program, membership or invitation is covered the day it is added.
"""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from alongside.programs.models import Invitation, Membership, MembershipRole, Program
from alongside.testing import make_person

# Patterns whose argument is a credential meant for people outside the program: the join code
# (shared on purpose) and the invitation token (sent to the invitee). Their own tests cover them:
# a disabled code is a 404, and an invitation for another address is refused.
CREDENTIAL_URLS = {"join_link", "invitation"}


def programs_patterns() -> list[URLPattern]:
    _prefix, resolver = get_resolver().namespace_dict["programs"]
    return [p for p in resolver.url_patterns if isinstance(p, URLPattern)]


def database_state() -> list:
    return [
        list(Program.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(MembershipRole.objects.order_by("pk").values()),
        list(Invitation.objects.order_by("pk").values()),
    ]


@pytest.mark.parametrize("persona", ["member", "coordinator"])
def test_program_a_person_gets_404_for_every_program_b_url(
    request, persona, client_of, other_program, outsider
):
    person = request.getfixturevalue(persona)
    b_coordinator = make_person(other_program, "coordinator", "member")
    b_membership = Membership.objects.get(user=outsider)
    b_invitation = Invitation.objects.create(
        program=other_program, email="invited@example.test", roles=["coordinator"]
    )
    b_values = {
        "slug": other_program.slug,
        "membership_id": b_membership.pk,
        "invitation_id": b_invitation.pk,
    }
    missing_values = {"slug": "no-such-program", "membership_id": 999_999, "invitation_id": 999_999}
    post_data = {
        "role": "coordinator",
        "email": "x@example.test",
        "roles": ["coordinator"],
        "description": "changed",
        "code": other_program.join_code,
    }
    client = client_of(person)
    before = database_state()
    checked = []

    for pattern in programs_patterns():
        arguments = set(pattern.pattern.converters)
        if not arguments or pattern.name in CREDENTIAL_URLS:
            continue
        assert arguments <= set(b_values), f"{pattern.name} takes {arguments}: teach this test"
        url = reverse(f"programs:{pattern.name}", kwargs={a: b_values[a] for a in arguments})
        missing_url = reverse(
            f"programs:{pattern.name}", kwargs={a: missing_values[a] for a in arguments}
        )
        statuses = {}
        for method in ("get", "post"):
            status = getattr(client, method)(url, post_data).status_code
            missing_status = getattr(client, method)(missing_url, post_data).status_code
            # A method the view never accepts answers 405 whatever the object: that says nothing.
            assert status == 404 or status == missing_status == 405, (pattern.name, method, status)
            statuses[method] = status
        assert 404 in statuses.values(), pattern.name
        checked.append(pattern.name)

    assert database_state() == before
    assert b_coordinator.memberships.get().role_names == {"coordinator", "member"}
    assert {
        "detail",
        "leave",
        "people",
        "grant_role",
        "revoke_role",
        "invitations",
        "revoke_invitation",
        "settings",
        "regenerate_code",
    } <= set(checked)


def test_every_url_with_an_argument_is_either_checked_or_a_credential():
    names = {p.name for p in programs_patterns() if p.pattern.converters}
    credential_args = {
        p.name: set(p.pattern.converters) for p in programs_patterns() if p.name in CREDENTIAL_URLS
    }
    assert credential_args == {"join_link": {"code"}, "invitation": {"token"}}
    assert names - CREDENTIAL_URLS


def test_program_b_join_link_with_the_code_switched_off_is_404(client_of, member, other_program):
    other_program.join_code_enabled = False
    other_program.save()
    client = client_of(member)
    url = reverse("programs:join_link", args=[other_program.join_code])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Membership.objects.filter(user=member, program=other_program).exists()


def test_program_b_invitation_for_someone_else_cannot_be_accepted(client_of, member, other_program):
    invitation = Invitation.objects.create(
        program=other_program, email="invited@example.test", roles=["coordinator"]
    )
    response = client_of(member).post(invitation.get_absolute_url(), follow=True)
    assert "different email address" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=member, program=other_program).exists()
