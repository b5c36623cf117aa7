"""The one gate to programs, memberships and invitations.

Every view, API endpoint and task reaches these objects through the functions here. They raise
the same `Http404` for "does not exist" and "not yours", so nobody can learn what another program
holds by probing URLs.

Who may do what:

- need="view" on a program: an active member of an active program, with any role, or a site admin.
- need="manage" on a program: a coordinator of that program, or a site admin. Members without the
  coordinator role get the same 404 on coordinator pages as outsiders do: a coordinator page of
  your own program is no more yours than a page of another program.
- need="own" on a membership: the person whose membership it is (to leave the program).
- need="manage" on a membership or an invitation: a coordinator of its program, or a site admin.
- An invitation link is a credential of its own: whoever holds the token may read who invited
  them to what; accepting it also needs the invited email address (see actions.accept_invitation).
"""

from typing import Literal

from django.db.models import Prefetch
from django.http import Http404

from alongside.programs.models import (
    Invitation,
    Membership,
    MembershipQuerySet,
    MembershipRole,
    Program,
    Role,
)

ProgramNeed = Literal["view", "manage"]
MembershipNeed = Literal["own", "manage"]


def is_site_admin(user) -> bool:
    """True for an authenticated site admin, who manages every program."""
    return bool(user.is_authenticated and user.is_superuser)


def memberships_of(user) -> MembershipQuerySet:
    """The user's active memberships in active programs, with program and roles loaded."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return memberships_of_all([user.pk])


def memberships_of_all(user_ids) -> MembershipQuerySet:
    """`memberships_of` for many people at once (user ids), for work done for each of them."""
    return (
        Membership.objects.filter(user_id__in=user_ids)
        .filter(is_active=True)
        .filter(program__is_active=True)
        .select_related("program")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("program__name")
    )


def people_of(program: Program) -> MembershipQuerySet:
    """The active memberships of a program the caller has already been allowed to manage, by
    display name, with profile and roles loaded (the people page and its API)."""
    return (
        Membership.objects.filter(program=program)
        .filter(is_active=True)
        .select_related("user__profile")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("user__profile__display_name", "pk")
    )


def membership_in(user, program: Program) -> Membership | None:
    """The user's active membership in `program` with roles loaded, or None."""
    return memberships_of(user).filter(program=program).first()


def has_role(user, program: Program, *roles: str) -> bool:
    """True when the user is an active member of `program` holding one of `roles`."""
    if not user.is_authenticated:
        return False
    return (
        MembershipRole.objects.filter(membership__user=user)
        .filter(membership__program=program)
        .filter(membership__is_active=True)
        .filter(membership__program__is_active=True)
        .filter(role__in=roles)
        .exists()
    )


def is_coordinator(user, program: Program) -> bool:
    """True when the user coordinates `program`."""
    return has_role(user, program, Role.COORDINATOR)


def can_manage(user, program: Program) -> bool:
    """True when the user may run `program`: a coordinator of it or a site admin."""
    return is_site_admin(user) or is_coordinator(user, program)


def require_manager(user, program: Program) -> None:
    """Raise Http404 unless the user may run `program`; the actions' second line of defence."""
    if not can_manage(user, program):
        raise Http404


def require_site_admin(user) -> None:
    """Raise Http404 unless the user is a site admin."""
    if not is_site_admin(user):
        raise Http404


def _roles_for(need: str) -> list[str]:
    if need == "view":
        return list(Role.values)
    if need == "manage":
        return [Role.COORDINATOR]
    raise ValueError(f"Unknown need: {need!r}")


def get_program_for(user, slug: str, need: ProgramNeed = "view") -> Program:
    """The program with `slug` if the user may `need` it, else Http404."""
    roles = _roles_for(need)
    if is_site_admin(user):
        program = Program.objects.filter(slug=slug).first()
    else:
        program = (
            Program.objects.filter(slug=slug)
            .filter(is_active=True)
            # One filter() call: chained calls would let each condition match a different
            # membership, so a member would pass as "coordinator" because someone else is.
            .filter(
                memberships__user=user,
                memberships__is_active=True,
                memberships__roles__role__in=roles,
            )
            .distinct()
            .first()
        )
    if program is None:
        raise Http404
    return program


def get_membership_for(user, membership_id: int, need: MembershipNeed = "own") -> Membership:
    """The active membership `membership_id` if the user may `need` it, else Http404."""
    memberships = (
        Membership.objects.filter(pk=membership_id)
        .filter(is_active=True)
        .filter(program__is_active=True)
        .select_related("program", "user__profile")
        .prefetch_related("roles")
    )
    if need == "own":
        membership = memberships.filter(user=user).first()
    elif need == "manage":
        membership = memberships.first()
        if membership is not None and not can_manage(user, membership.program):
            membership = None
    else:
        raise ValueError(f"Unknown need: {need!r}")
    if membership is None:
        raise Http404
    return membership


def get_invitation_for(user, invitation_id: int, need: Literal["manage"] = "manage") -> Invitation:
    """The invitation `invitation_id` if the user coordinates its program, else Http404."""
    if need != "manage":
        raise ValueError(f"Unknown need: {need!r}")
    invitation = Invitation.objects.filter(pk=invitation_id).select_related("program").first()
    if invitation is None:
        raise Http404
    if not can_manage(user, invitation.program):
        raise Http404
    return invitation


def get_invitation_by_token(token: str) -> Invitation:
    """The invitation whose link carries `token`, in any state, else Http404.

    The token is the credential: it was sent to the invited address only.
    """
    invitation = (
        Invitation.objects.filter(token=token)
        .filter(program__is_active=True)
        .select_related("program", "invited_by__profile")
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def get_joinable_program(code: str) -> Program:
    """The active program open to joining with `code`, else Http404."""
    program = (
        Program.objects.filter(join_code=normalize_join_code(code))
        .filter(is_active=True)
        .filter(join_code_enabled=True)
        .first()
    )
    if program is None:
        raise Http404
    return program


def normalize_join_code(code: str) -> str:
    """Codes are read out and typed by hand: ignore case, spaces and dashes."""
    return "".join(code.split()).replace("-", "").upper()
