"""The one gate to pairings, match profiles and session logs, and the supporter relation itself.

Who may do what:

- A supporter *of* a member in a program is the supporter side of an ACTIVE or PAUSED pairing
  with them there (`is_supporter_of`, `supporters_of`): a proposal or a closed pairing gives no
  access to anything of the member's.
- need="member" on a program: an active member of it holding the member role (their own match
  request, their "my supporter" page). need="supporter": holding the supporter role (their own
  match profile, their "my members" page). need="manage": a coordinator of it, or a site admin.
- On a pairing: need="view" either side or whoever manages the program; need="respond" either
  side (accept, decline, pause, resume, close); need="member" the member side (rematch, block);
  need="supporter" the supporter side (session logs); need="manage" whoever manages the program.
  Each side must still hold their role in the program.
- Everyone else gets the same 404 as for something that does not exist.
"""

from collections.abc import Iterable
from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from alongside.pairing.models import (
    LIVE_STATES,
    MemberMatchRequest,
    Pairing,
    PairingSettings,
    SessionLog,
    SupporterMatchProfile,
)
from alongside.programs.access import can_manage, has_role
from alongside.programs.models import Membership, Program, Role

ProgramNeed = Literal["member", "supporter", "manage"]
PairingNeed = Literal["view", "respond", "member", "supporter", "manage"]


def is_supporter_of(supporter, member, program: Program) -> bool:
    """True when `supporter` is now the peer supporter of `member` in `program` (an active or
    paused pairing, both still holding their roles there)."""
    if not supporter.is_authenticated or not has_role(supporter, program, Role.SUPPORTER):
        return False
    return (
        Pairing.objects.filter(program=program)
        .filter(supporter=supporter)
        .filter(member=member)
        .filter(state__in=LIVE_STATES)
        .exists()
    )


def supporters_of(member, program: Program) -> QuerySet:
    """The users who are now peer supporters of `member` in `program`, with profiles loaded."""
    return (
        get_user_model()
        .objects.filter(
            pairings_as_supporter__program=program,
            pairings_as_supporter__member=member,
            pairings_as_supporter__state__in=LIVE_STATES,
        )
        .filter(
            memberships__program=program,
            memberships__is_active=True,
            memberships__roles__role=Role.SUPPORTER,
        )
        .select_related("profile")
        .distinct()
    )


def members_supported_by(supporter, program: Program) -> QuerySet:
    """The users `supporter` is now the peer supporter of in `program` (the reverse of
    `supporters_of`); none unless the supporter still holds the role there."""
    if not supporter.is_authenticated or not has_role(supporter, program, Role.SUPPORTER):
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            pairings_as_member__program=program,
            pairings_as_member__supporter=supporter,
            pairings_as_member__state__in=LIVE_STATES,
        )
        .select_related("profile")
        .distinct()
    )


def settings_of(program: Program) -> PairingSettings:
    """The program's pairing settings, created with the defaults on first use."""
    pairing_settings, _created = PairingSettings.objects.get_or_create(program=program)
    return pairing_settings


def get_program_for(user, slug: str, need: ProgramNeed) -> Program:
    """The active program `slug` if the user may reach its pairing pages as `need`, else Http404."""
    program = Program.objects.filter(slug=slug).filter(is_active=True).first()
    if program is None:
        raise Http404
    if need == "member" and has_role(user, program, Role.MEMBER):
        return program
    if need == "supporter" and has_role(user, program, Role.SUPPORTER):
        return program
    if need == "manage" and can_manage(user, program):
        return program
    if need not in ("member", "supporter", "manage"):
        raise ValueError(f"Unknown need: {need!r}")
    raise Http404


def _pairings() -> QuerySet[Pairing]:
    return Pairing.objects.select_related(
        "program", "member__profile", "supporter__profile", "created_by__profile"
    )


def get_pairing_for(user, pairing_id: int, need: PairingNeed) -> Pairing:
    """The pairing `pairing_id` if the user may `need` it, else Http404."""
    if need not in ("view", "respond", "member", "supporter", "manage"):
        raise ValueError(f"Unknown need: {need!r}")
    pairing = _pairings().filter(pk=pairing_id).filter(program__is_active=True).first()
    if pairing is None or not user.is_authenticated:
        raise Http404
    is_member = pairing.member_id == user.pk and has_role(user, pairing.program, Role.MEMBER)
    is_supporter = pairing.supporter_id == user.pk and has_role(
        user, pairing.program, Role.SUPPORTER
    )
    allowed = {
        "view": is_member or is_supporter or can_manage(user, pairing.program),
        "respond": is_member or is_supporter,
        "member": is_member,
        "supporter": is_supporter,
        "manage": can_manage(user, pairing.program),
    }[need]
    if not allowed:
        raise Http404
    return pairing


def people_of_program(program: Program, user_ids: Iterable[int]) -> QuerySet:
    """The users among `user_ids` who are active in `program` now, with profiles loaded."""
    return (
        get_user_model()
        .objects.filter(pk__in=list(user_ids))
        .filter(is_active=True)
        .filter(memberships__program=program, memberships__is_active=True)
        .select_related("profile")
        .distinct()
    )


def own_membership(user, program: Program) -> Membership:
    """The user's active membership in `program`, else Http404."""
    membership = (
        Membership.objects.filter(user=user, program=program, is_active=True)
        .select_related("user__profile", "program")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def own_supporter_profile(user, program: Program) -> SupporterMatchProfile | None:
    """The user's own supporter match profile in `program`, or None."""
    return (
        SupporterMatchProfile.objects.filter(membership__user=user, membership__program=program)
        .prefetch_related("areas")
        .first()
    )


def own_match_request(user, program: Program) -> MemberMatchRequest | None:
    """The user's own match request in `program`, or None."""
    return (
        MemberMatchRequest.objects.filter(membership__user=user, membership__program=program)
        .prefetch_related("areas")
        .first()
    )


def pairings_as_member(member, program: Program) -> QuerySet[Pairing]:
    """The member's pairings in `program`, open ones first, then newest."""
    return (
        _pairings()
        .filter(program=program, member=member)
        .prefetch_related("agreements")
        .order_by("closed_at", "-proposed_at", "-id")
    )


def pairings_as_supporter(supporter, program: Program) -> QuerySet[Pairing]:
    """The supporter's pairings in `program` with their session logs, open ones first."""
    return (
        _pairings()
        .filter(program=program, supporter=supporter)
        .prefetch_related("agreements", Prefetch("session_logs", SessionLog.objects.all()))
        .order_by("closed_at", "-proposed_at", "-id")
    )


def pairings_of_program(program: Program, *, state: str | None = None) -> QuerySet[Pairing]:
    """Every pairing of `program` with how many sessions were logged, newest first."""
    pairings = (
        _pairings()
        .filter(program=program)
        .annotate(sessions=Count("session_logs"))
        .order_by("-proposed_at", "-id")
    )
    if state:
        pairings = pairings.filter(state=state)
    return pairings


def supporter_profiles_of(program: Program) -> QuerySet[SupporterMatchProfile]:
    """The match profiles of people holding the supporter role in `program` now."""
    return (
        SupporterMatchProfile.objects.filter(membership__program=program)
        .filter(membership__is_active=True)
        .filter(membership__roles__role=Role.SUPPORTER)
        .select_related("membership__user__profile")
        .annotate(
            live_pairings=Count(
                "membership__user__pairings_as_supporter",
                filter=Q(membership__user__pairings_as_supporter__program=program)
                & Q(membership__user__pairings_as_supporter__state__in=LIVE_STATES),
                distinct=True,
            )
        )
        .order_by("status", "membership__user__profile__display_name", "pk")
        .distinct()
    )


def get_supporter_profile_for(user, program: Program, profile_id: int) -> SupporterMatchProfile:
    """The match profile `profile_id` of a supporter of `program` if the user manages it."""
    if not can_manage(user, program):
        raise Http404
    profile = supporter_profiles_of(program).filter(pk=profile_id).first()
    if profile is None:
        raise Http404
    return profile


def waiting_requests_of(program: Program) -> QuerySet[MemberMatchRequest]:
    """Match requests of `program`'s members who want a supporter and have no open pairing."""
    return (
        MemberMatchRequest.objects.filter(membership__program=program)
        .filter(membership__is_active=True)
        .filter(membership__user__is_active=True)
        .filter(membership__roles__role=Role.MEMBER)
        .filter(wants_supporter=True)
        .exclude(
            membership__user__pairings_as_member__in=Pairing.objects.open().filter(program=program)
        )
        .select_related("membership__user__profile")
        .prefetch_related("areas")
        .order_by("created_at", "pk")
        .distinct()
    )


def own_waiting_request(user, program: Program) -> MemberMatchRequest | None:
    """The user's match request in `program` if they are waiting for a supporter now, else None."""
    return waiting_requests_of(program).filter(membership__user=user).first()


def get_waiting_request_for(user, program: Program, member_id: int) -> MemberMatchRequest:
    """The waiting match request of member `member_id` of `program` if the user manages it."""
    if not can_manage(user, program):
        raise Http404
    request = waiting_requests_of(program).filter(membership__user_id=member_id).first()
    if request is None:
        raise Http404
    return request
