"""The gate: who reaches which program, membership and invitation."""

import pytest
from django.http import Http404

from alongside.programs import access
from alongside.programs.models import Invitation, Membership


def test_member_views_their_program(member, program):
    assert access.get_program_for(member, program.slug) == program


@pytest.mark.parametrize(
    "persona", ["member", "supporter", "facilitator", "on_call_clinician", "moderator"]
)
def test_only_coordinators_manage(request, persona, program, coordinator):
    """The program has a coordinator: their role must not rub off on anyone else."""
    user = request.getfixturevalue(persona)
    with pytest.raises(Http404):
        access.get_program_for(user, program.slug, need="manage")


def test_coordinator_manages_their_program(coordinator, program):
    assert access.get_program_for(coordinator, program.slug, need="manage") == program


def test_site_admin_manages_any_program_even_inactive(admin_user, program):
    program.is_active = False
    program.save()
    assert access.get_program_for(admin_user, program.slug, need="manage") == program


def test_outsider_gets_the_same_404_as_for_a_missing_program(outsider, program):
    with pytest.raises(Http404):
        access.get_program_for(outsider, program.slug)
    with pytest.raises(Http404):
        access.get_program_for(outsider, "no-such-program")


def test_former_coordinator_no_longer_manages(coordinator, member, program):
    Membership.objects.filter(user=coordinator).update(is_active=False)
    with pytest.raises(Http404):
        access.get_program_for(coordinator, program.slug, need="manage")


def test_former_member_no_longer_sees_the_program(member, program):
    Membership.objects.filter(user=member).update(is_active=False)
    with pytest.raises(Http404):
        access.get_program_for(member, program.slug)


def test_nobody_but_admins_sees_an_inactive_program(member, program):
    program.is_active = False
    program.save()
    with pytest.raises(Http404):
        access.get_program_for(member, program.slug)
    assert list(access.memberships_of(member)) == []


def test_unknown_need_is_a_programming_error(member, program):
    with pytest.raises(ValueError):
        access.get_program_for(member, program.slug, need="own")  # type: ignore[arg-type]


def test_own_membership_only(member, supporter):
    mine = Membership.objects.get(user=member)
    assert access.get_membership_for(member, mine.pk, need="own") == mine
    with pytest.raises(Http404):
        access.get_membership_for(supporter, mine.pk, need="own")


def test_coordinator_manages_memberships_of_their_program_only(coordinator, member, outsider):
    assert access.get_membership_for(
        coordinator, Membership.objects.get(user=member).pk, need="manage"
    )
    with pytest.raises(Http404):
        access.get_membership_for(
            coordinator, Membership.objects.get(user=outsider).pk, need="manage"
        )


def test_invitation_managed_by_its_coordinators_only(coordinator, program, other_program):
    ours = Invitation.objects.create(program=program, email="a@example.test", roles=["member"])
    theirs = Invitation.objects.create(
        program=other_program, email="b@example.test", roles=["member"]
    )
    assert access.get_invitation_for(coordinator, ours.pk) == ours
    with pytest.raises(Http404):
        access.get_invitation_for(coordinator, theirs.pk)


def test_predicates(member, coordinator, program, outsider):
    assert access.has_role(member, program, "member")
    assert not access.has_role(member, program, "supporter", "coordinator")
    assert access.is_coordinator(coordinator, program)
    assert not access.is_coordinator(member, program)
    assert not access.has_role(outsider, program, "member")


def test_joinable_program_needs_the_code_switched_on(program):
    assert access.get_joinable_program(program.join_code.lower()) == program
    program.join_code_enabled = False
    program.save()
    with pytest.raises(Http404):
        access.get_joinable_program(program.join_code)


def test_memberships_of_loads_programs_and_roles_in_two_queries(
    facilitator, django_assert_num_queries
):
    with django_assert_num_queries(2):
        memberships = list(access.memberships_of(facilitator))
        assert memberships[0].program.name
        assert memberships[0].role_names == {"supporter", "facilitator"}
