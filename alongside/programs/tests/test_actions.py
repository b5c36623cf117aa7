"""The use cases of programs, including every refusal."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from alongside.core.models import AreaOfConcern
from alongside.notifications.models import Notification
from alongside.programs import actions
from alongside.programs.models import Invitation, Membership, Program, Role
from alongside.testing import make_person


def roles_of(user, program) -> set[str]:
    return Membership.objects.get(user=user, program=program).role_names


def refusal_code(excinfo) -> str:
    return excinfo.value.code


# --- Creating and running programs ---------------------------------------------------------


def test_site_admin_creates_a_program_with_areas(admin_user):
    areas = list(AreaOfConcern.objects.all()[:2])
    program = actions.create_program(
        admin_user, name="Lakeside", slug="lakeside", areas_of_concern=areas, country="US"
    )
    assert Program.objects.get(slug="lakeside") == program
    assert set(program.areas_of_concern.all()) == set(areas)


def test_only_a_site_admin_creates_programs(coordinator):
    with pytest.raises(Http404):
        actions.create_program(coordinator, name="Lakeside", slug="lakeside")
    assert not Program.objects.filter(slug="lakeside").exists()


def test_program_with_a_taken_slug_is_refused(admin_user, program):
    with pytest.raises(ValidationError):
        actions.create_program(admin_user, name="Again", slug=program.slug)
    assert Program.objects.filter(slug=program.slug).count() == 1


def test_coordinator_updates_what_members_see(coordinator, program):
    area = AreaOfConcern.objects.first()
    actions.update_program(
        coordinator, program=program, description="We meet on Tuesdays.", areas_of_concern=[area]
    )
    program.refresh_from_db()
    assert program.description == "We meet on Tuesdays."
    assert list(program.areas_of_concern.all()) == [area]


def test_member_cannot_update_the_program(member, program):
    with pytest.raises(Http404):
        actions.update_program(member, program=program, description="Hacked")
    program.refresh_from_db()
    assert program.description == ""


def test_coordinator_cannot_rename_the_program(coordinator, program):
    with pytest.raises(TypeError):
        actions.update_program(coordinator, program=program, name="Renamed")


def test_update_with_bad_email_saves_nothing(coordinator, program):
    with pytest.raises(ValidationError):
        actions.update_program(
            coordinator, program=program, description="New", contact_email="not-an-email"
        )
    program.refresh_from_db()
    assert program.description == ""


def test_new_join_code_retires_the_old_one(coordinator, program):
    old = program.join_code
    new = actions.regenerate_join_code(coordinator, program=program)
    assert new != old
    newcomer = make_person(None)
    with pytest.raises(ValidationError):
        actions.join_with_code(newcomer, code=old)
    assert actions.join_with_code(newcomer, code=new).program == program


def test_member_cannot_regenerate_the_code(member, program):
    with pytest.raises(Http404):
        actions.regenerate_join_code(member, program=program)


# --- Invitations ---------------------------------------------------------------------------


def test_invitation_is_emailed_with_its_link(
    coordinator, program, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = actions.invite_to_program(
            coordinator, program=program, email=" New.Person@Example.test ", roles=["supporter"]
        )
    assert invitation.email == "new.person@example.test"
    assert invitation.roles == ["supporter"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.test"]
    assert program.name in mailoutbox[0].subject
    assert invitation.get_absolute_url() in mailoutbox[0].body


def test_second_pending_invitation_to_the_same_email_is_refused(coordinator, program):
    actions.invite_to_program(
        coordinator, program=program, email="a@example.test", roles=["member"]
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.invite_to_program(
            coordinator, program=program, email="A@example.test", roles=["supporter"]
        )
    assert refusal_code(excinfo) == "duplicate"
    assert "already waiting" in excinfo.value.messages[0]
    assert Invitation.objects.filter(program=program).count() == 1


def test_after_revoking_a_new_invitation_may_be_sent(coordinator, program):
    first = actions.invite_to_program(
        coordinator, program=program, email="a@example.test", roles=["member"]
    )
    actions.revoke_invitation(coordinator, invitation=first)
    actions.invite_to_program(
        coordinator, program=program, email="a@example.test", roles=["member"]
    )
    assert Invitation.objects.filter(program=program).count() == 2


def test_inviting_someone_already_in_the_program_is_refused(coordinator, member, program):
    with pytest.raises(ValidationError) as excinfo:
        actions.invite_to_program(
            coordinator, program=program, email=member.email, roles=["member"]
        )
    assert refusal_code(excinfo) == "already_member"


@pytest.mark.parametrize("roles", [[], ["overlord"]])
def test_invitation_needs_known_roles(coordinator, program, roles):
    with pytest.raises(ValidationError):
        actions.invite_to_program(coordinator, program=program, email="a@example.test", roles=roles)
    assert not Invitation.objects.exists()


def test_member_cannot_invite(member, program):
    with pytest.raises(Http404):
        actions.invite_to_program(member, program=program, email="a@example.test", roles=["member"])


def test_revoked_invitation_cannot_be_revoked_again(coordinator, program):
    invitation = actions.invite_to_program(
        coordinator, program=program, email="a@example.test", roles=["member"]
    )
    actions.revoke_invitation(coordinator, invitation=invitation)
    assert invitation.revoked_at is not None
    with pytest.raises(ValidationError):
        actions.revoke_invitation(coordinator, invitation=invitation)


def test_revoked_invitation_sends_no_email(
    coordinator, program, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        program=program, email="a@example.test", roles=["member"], revoked_at=timezone.now()
    )
    actions.email_invitation(invitation=invitation)
    assert mailoutbox == []


def invite(coordinator, program, email, *roles):
    return actions.invite_to_program(
        coordinator, program=program, email=email, roles=roles or ["member"]
    )


def test_accepting_an_invitation_gives_its_roles_and_tells_coordinators(coordinator, program):
    invitation = invite(coordinator, program, "new@example.test", "supporter", "facilitator")
    newcomer = make_person(None, email="new@example.test")
    membership = actions.accept_invitation(newcomer, invitation=invitation)
    assert membership.is_active
    assert roles_of(newcomer, program) == {"supporter", "facilitator"}
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    assert invitation.accepted_at is not None
    note = Notification.objects.get(recipient=coordinator)
    assert note.kind == "programs.member_joined"
    assert note.program == program
    assert newcomer.display_name in note.title


def test_invitation_for_another_email_is_refused(coordinator, program):
    invitation = invite(coordinator, program, "new@example.test")
    somebody_else = make_person(None, email="else@example.test")
    with pytest.raises(ValidationError) as excinfo:
        actions.accept_invitation(somebody_else, invitation=invitation)
    assert refusal_code(excinfo) == "email_mismatch"
    assert "different email address" in excinfo.value.messages[0]
    assert not Membership.objects.filter(user=somebody_else).exists()


def test_invitation_needs_the_email_verified(coordinator, program):
    invitation = invite(coordinator, program, "new@example.test")
    person = make_person(None, email="person@example.test")
    EmailAddress.objects.create(user=person, email="new@example.test", verified=False)
    with pytest.raises(ValidationError):
        actions.accept_invitation(person, invitation=invitation)
    EmailAddress.objects.filter(email="new@example.test").update(verified=True)
    actions.accept_invitation(person, invitation=invitation)
    assert roles_of(person, program) == {"member"}


def test_expired_invitation_is_refused(coordinator, program):
    invitation = invite(coordinator, program, "new@example.test")
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    newcomer = make_person(None, email="new@example.test")
    with pytest.raises(ValidationError) as excinfo:
        actions.accept_invitation(newcomer, invitation=invitation)
    assert refusal_code(excinfo) == "expired"
    assert not Membership.objects.filter(user=newcomer).exists()


def test_revoked_invitation_is_refused(coordinator, program):
    invitation = invite(coordinator, program, "new@example.test")
    actions.revoke_invitation(coordinator, invitation=invitation)
    newcomer = make_person(None, email="new@example.test")
    with pytest.raises(ValidationError) as excinfo:
        actions.accept_invitation(newcomer, invitation=invitation)
    assert refusal_code(excinfo) == "revoked"


def test_invitation_works_once(coordinator, program):
    invitation = invite(coordinator, program, "new@example.test")
    newcomer = make_person(None, email="new@example.test")
    actions.accept_invitation(newcomer, invitation=invitation)
    with pytest.raises(ValidationError) as excinfo:
        actions.accept_invitation(newcomer, invitation=invitation)
    assert refusal_code(excinfo) == "used"


def test_invitation_adds_roles_to_a_current_member(coordinator, program):
    person = make_person(program, "member", email="person@example.test")
    invitation = Invitation.objects.create(
        program=program, email=person.email, roles=["supporter"], invited_by=coordinator
    )
    actions.accept_invitation(person, invitation=invitation)
    assert roles_of(person, program) == {"member", "supporter"}


def test_returning_person_gets_only_the_invited_roles(coordinator, program):
    person = make_person(program, "moderator", "member", email="back@example.test")
    membership = Membership.objects.get(user=person)
    actions.leave_program(person, membership=membership)
    invitation = invite(coordinator, program, "back@example.test", "supporter")
    actions.accept_invitation(person, invitation=invitation)
    membership.refresh_from_db()
    assert membership.is_active
    assert membership.left_at is None
    assert membership.role_names == {"supporter"}


# --- Joining with a code -------------------------------------------------------------------


def test_joining_with_the_code_makes_a_member_and_tells_coordinators(coordinator, program):
    newcomer = make_person(None)
    code = program.join_code
    membership = actions.join_with_code(newcomer, code=f" {code[:4].lower()}-{code[4:]} ")
    assert membership.program == program
    assert membership.role_names == {"member"}
    assert Notification.objects.filter(
        recipient=coordinator, kind="programs.member_joined", program=program
    ).exists()


def test_join_code_switched_off_is_refused(program):
    program.join_code_enabled = False
    program.save()
    newcomer = make_person(None)
    with pytest.raises(ValidationError) as excinfo:
        actions.join_with_code(newcomer, code=program.join_code)
    assert refusal_code(excinfo) == "bad_code"
    assert not Membership.objects.filter(user=newcomer).exists()


def test_unknown_code_is_refused(db):
    with pytest.raises(ValidationError):
        actions.join_with_code(make_person(None), code="NOPE2345")


def test_joining_twice_says_you_are_already_in(member, program):
    with pytest.raises(ValidationError) as excinfo:
        actions.join_with_code(member, code=program.join_code)
    assert refusal_code(excinfo) == "already_member"
    assert program.name in excinfo.value.messages[0]


def test_rejoining_with_the_code_does_not_bring_old_roles_back(program):
    person = make_person(program, "coordinator", "member")
    make_person(program, "coordinator")
    membership = Membership.objects.get(user=person)
    actions.leave_program(person, membership=membership)
    actions.join_with_code(person, code=program.join_code)
    assert roles_of(person, program) == {"member"}


# --- Leaving -------------------------------------------------------------------------------


def test_leaving_keeps_the_membership_on_record(member, program):
    membership = Membership.objects.get(user=member)
    actions.leave_program(member, membership=membership)
    membership.refresh_from_db()
    assert not membership.is_active
    assert membership.left_at is not None
    assert membership.role_names == {"member"}


def test_someone_else_cannot_make_you_leave(member, coordinator):
    membership = Membership.objects.get(user=member)
    with pytest.raises(ValidationError):
        actions.leave_program(coordinator, membership=membership)
    membership.refresh_from_db()
    assert membership.is_active


def test_last_coordinator_cannot_leave(coordinator, program):
    membership = Membership.objects.get(user=coordinator)
    with pytest.raises(ValidationError) as excinfo:
        actions.leave_program(coordinator, membership=membership)
    assert refusal_code(excinfo) == "last_coordinator"
    make_person(program, "coordinator")
    actions.leave_program(coordinator, membership=membership)
    assert not Membership.objects.get(user=coordinator).is_active


# --- Roles ---------------------------------------------------------------------------------


def test_coordinator_grants_a_role(coordinator, member, program):
    membership = Membership.objects.get(user=member)
    granted = actions.grant_role(coordinator, membership=membership, role=Role.SUPPORTER)
    assert granted.granted_by == coordinator
    assert roles_of(member, program) == {"member", "supporter"}


def test_granting_a_held_or_unknown_role_is_refused(coordinator, member):
    membership = Membership.objects.get(user=member)
    with pytest.raises(ValidationError):
        actions.grant_role(coordinator, membership=membership, role=Role.MEMBER)
    with pytest.raises(ValidationError):
        actions.grant_role(coordinator, membership=membership, role="overlord")


def test_non_coordinator_cannot_grant_roles(supporter, member):
    membership = Membership.objects.get(user=member)
    with pytest.raises(Http404):
        actions.grant_role(supporter, membership=membership, role=Role.COORDINATOR)
    assert Membership.objects.get(user=member).role_names == {"member"}


def test_coordinator_revokes_a_role(coordinator, facilitator, program):
    membership = Membership.objects.get(user=facilitator)
    actions.revoke_role(coordinator, membership=membership, role=Role.FACILITATOR)
    assert roles_of(facilitator, program) == {"supporter"}


def test_last_coordinator_cannot_be_removed(coordinator, program):
    membership = Membership.objects.get(user=coordinator)
    actions.grant_role(coordinator, membership=membership, role=Role.MEMBER)
    with pytest.raises(ValidationError) as excinfo:
        actions.revoke_role(coordinator, membership=membership, role=Role.COORDINATOR)
    assert refusal_code(excinfo) == "last_coordinator"
    assert Role.COORDINATOR in roles_of(coordinator, program)


def test_a_coordinator_who_left_does_not_count(coordinator, program):
    other = make_person(program, "coordinator", "member")
    other_membership = Membership.objects.get(user=other)
    actions.leave_program(other, membership=other_membership)
    membership = Membership.objects.get(user=coordinator)
    actions.grant_role(coordinator, membership=membership, role=Role.MEMBER)
    with pytest.raises(ValidationError):
        actions.revoke_role(coordinator, membership=membership, role=Role.COORDINATOR)


def test_coordinator_may_step_down_when_another_remains(coordinator, program):
    make_person(program, "coordinator")
    membership = Membership.objects.get(user=coordinator)
    actions.grant_role(coordinator, membership=membership, role=Role.MEMBER)
    actions.revoke_role(coordinator, membership=membership, role=Role.COORDINATOR)
    assert roles_of(coordinator, program) == {"member"}


def test_last_role_cannot_be_removed(coordinator, member):
    membership = Membership.objects.get(user=member)
    with pytest.raises(ValidationError) as excinfo:
        actions.revoke_role(coordinator, membership=membership, role=Role.MEMBER)
    assert refusal_code(excinfo) == "last_role"


def test_revoking_a_role_not_held_is_refused(coordinator, member):
    membership = Membership.objects.get(user=member)
    with pytest.raises(ValidationError) as excinfo:
        actions.revoke_role(coordinator, membership=membership, role=Role.SUPPORTER)
    assert refusal_code(excinfo) == "not_held"


def test_coordinator_of_another_program_cannot_change_roles(member, other_program):
    stranger = make_person(other_program, "coordinator")
    membership = Membership.objects.get(user=member)
    with pytest.raises(Http404):
        actions.grant_role(stranger, membership=membership, role=Role.SUPPORTER)
    with pytest.raises(Http404):
        actions.revoke_role(stranger, membership=membership, role=Role.MEMBER)
