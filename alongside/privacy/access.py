"""The one gate to sharing consent and emergency access.

- Consent is evaluated from the database on every call, never cached, so a revocation takes
  effect on the very next request.
- A member manages only their own consent, and only in programs where they hold the member role.
- need="start" on a program's emergency access: a clinician of that program.
  need="review": a coordinator of that program, or a site admin.
  Anyone else gets the same 404 as for a program that does not exist.
- need="end" on a grant: the clinician who holds it. need="review": whoever may review the program.
"""

from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet
from django.http import Http404

from alongside.core.audit import accesses_to_records_of
from alongside.privacy.models import EmergencyAccess, SharingConsent
from alongside.programs.access import can_manage, has_role, memberships_of
from alongside.programs.models import Membership, Program, Role

EmergencyNeed = Literal["start", "review"]
GrantNeed = Literal["end", "review"]


def has_sharing_consent(member, *, program: Program, audience: str, scope: str) -> bool:
    """True when `member` currently lets `audience` of `program` see their `scope` records."""
    return (
        SharingConsent.objects.in_force()
        .filter(member=member)
        .filter(program=program)
        .filter(audience=audience)
        .filter(scope=scope)
        .exists()
    )


def consents_in_force(member) -> QuerySet[SharingConsent]:
    """The member's consents now in force, in every program."""
    return SharingConsent.objects.in_force().filter(member=member).select_related("program")


def sharing_memberships_of(user) -> list[Membership]:
    """The user's active memberships in which they hold the member role, whose sharing they set."""
    return [m for m in memberships_of(user) if m.has_role(Role.MEMBER)]


def get_sharing_program_for(user, slug: str) -> Program:
    """The program with `slug` if the user is an active member of it (member role), else Http404."""
    for membership in sharing_memberships_of(user):
        if membership.program.slug == slug:
            return membership.program
    raise Http404


def who_opened_records_of(user):
    """Who opened the user's health records, newest first: theirs to see, nobody else's."""
    return accesses_to_records_of(user)


def get_emergency_program_for(user, slug: str, need: EmergencyNeed) -> Program:
    """The program with `slug` if the user may `need` its emergency access, else Http404."""
    if need not in ("start", "review"):
        raise ValueError(f"Unknown need: {need!r}")
    program = Program.objects.filter(slug=slug).filter(is_active=True).first()
    if program is None:
        raise Http404
    if need == "start" and has_role(user, program, Role.CLINICIAN):
        return program
    if need == "review" and can_manage(user, program):
        return program
    raise Http404


def get_emergency_access_for(
    user, program: Program, grant_id: int, need: GrantNeed
) -> EmergencyAccess:
    """The grant `grant_id` of `program` if the user may `need` it, else Http404."""
    if need not in ("end", "review"):
        raise ValueError(f"Unknown need: {need!r}")
    grant = (
        EmergencyAccess.objects.filter(pk=grant_id)
        .filter(program=program)
        .select_related("program", "clinician__profile", "member__profile")
        .first()
    )
    if grant is None:
        raise Http404
    if need == "end" and grant.clinician_id == user.pk:
        return grant
    if need == "review" and can_manage(user, program):
        return grant
    raise Http404


def active_emergency_access(clinician, member, *, program: Program) -> EmergencyAccess | None:
    """The clinician's grant to `member`'s records in `program` that is in force now, or None."""
    if not has_role(clinician, program, Role.CLINICIAN):
        return None
    return (
        EmergencyAccess.objects.active()
        .filter(clinician=clinician)
        .filter(member=member)
        .filter(program=program)
        .first()
    )


def members_of(program: Program):
    """Who holds the member role in `program` now, by display name: whom break-glass may reach."""
    return (
        get_user_model()
        .objects.filter(memberships__program=program)
        .filter(memberships__is_active=True)
        .filter(memberships__roles__role=Role.MEMBER)
        .filter(is_active=True)
        .select_related("profile")
        .distinct()
        .order_by("profile__display_name", "pk")
    )


def is_member_of(user, program: Program) -> bool:
    """True when `user` holds the member role in `program` now."""
    return has_role(user, program, Role.MEMBER)


def grants_of_clinician(clinician, program: Program) -> QuerySet[EmergencyAccess]:
    """The clinician's own grants in `program`, newest first."""
    return (
        EmergencyAccess.objects.filter(clinician=clinician)
        .filter(program=program)
        .select_related("member__profile")
    )


def grants_for_review(program: Program) -> QuerySet[EmergencyAccess]:
    """Every grant of `program`: unreviewed ones first (newest first), then the latest reviewed."""
    return (
        EmergencyAccess.objects.filter(program=program)
        .select_related("clinician__profile", "member__profile", "reviewed_by__profile")
        .order_by(F("reviewed_at").desc(nulls_first=True), "-started_at", "-id")
    )
