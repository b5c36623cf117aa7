"""The one gate to groups, their memberships and meetings.

Every view, API endpoint and task reaches these objects through the functions here, and gets the
same `Http404` for "does not exist" and "not yours".

Who may do what:

- need="view" on a group or meeting: anyone, signed in or not, when the group is published;
  otherwise its members, its facilitators, the program's coordinators and site admins.
- need="join" on a group: an active member of the group's program (any role) who may view it.
- need="take_part" on a group or meeting (RSVP, check in, read announcements): an approved
  member of the group, or someone who may manage it.
- need="manage" on a group or meeting: a facilitator of the group who still holds the facilitator
  role in the program, a coordinator of the program, or a site admin.
"""

import hashlib
from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from alongside.groups.models import (
    CalendarFeed,
    Group,
    GroupMembership,
    Meeting,
    MeetingException,
    MembershipStatus,
)
from alongside.programs.access import can_manage, has_role, is_site_admin, memberships_of
from alongside.programs.models import Program, Role

GroupNeed = Literal["view", "join", "take_part", "manage"]
MeetingNeed = Literal["view", "take_part", "manage"]
NEEDS = ("view", "join", "take_part", "manage")


def is_facilitator_of(user, group: Group) -> bool:
    """True when the user facilitates `group` and holds the facilitator role in its program."""
    if not user.is_authenticated:
        return False
    return group.facilitators.filter(pk=user.pk).exists() and has_role(
        user, group.program, Role.FACILITATOR
    )


def may_manage(user, group: Group) -> bool:
    """True when the user may run `group`: its facilitator, a coordinator, or a site admin."""
    return can_manage(user, group.program) or is_facilitator_of(user, group)


def membership_of(user, group: Group) -> GroupMembership | None:
    """The user's membership (in any state) of `group`, or None."""
    if not user.is_authenticated:
        return None
    return GroupMembership.objects.filter(group=group, user=user).first()


def is_member_of(user, group: Group) -> bool:
    """True when the user is an approved member of `group` and still in its program."""
    membership = membership_of(user, group)
    return (
        membership is not None
        and membership.status == MembershipStatus.APPROVED
        and has_role(user, group.program, *Role.values)
    )


def allows(user, group: Group, need: str) -> bool:
    """True when the user may `need` the group (see the module docstring)."""
    if need not in NEEDS:
        raise ValueError(f"Unknown need: {need!r}")
    if need == "manage":
        return may_manage(user, group)
    if need == "take_part":
        return is_member_of(user, group) or may_manage(user, group)
    may_view = group.is_published or is_member_of(user, group) or may_manage(user, group)
    if need == "view":
        return may_view
    return may_view and has_role(user, group.program, *Role.values)


def get_group_for(user, program_slug: str, group_slug: str, need: GroupNeed = "view") -> Group:
    """The group `group_slug` of program `program_slug` if the user may `need` it, else Http404."""
    group = (
        Group.objects.filter(program__slug=program_slug, program__is_active=True, slug=group_slug)
        .select_related("program")
        .first()
    )
    if group is None or not allows(user, group, need):
        raise Http404
    return group


def get_meeting_for(
    user, program_slug: str, group_slug: str, meeting_slug: str, need: MeetingNeed = "view"
) -> Meeting:
    """The meeting `meeting_slug` of the group if the user may `need` its group, else Http404."""
    meeting = (
        Meeting.objects.filter(
            program__slug=program_slug,
            program__is_active=True,
            group__slug=group_slug,
            slug=meeting_slug,
        )
        .select_related("group__program", "program")
        .prefetch_related("exceptions")
        .first()
    )
    if meeting is None or not allows(user, meeting.group, need):
        raise Http404
    return meeting


def get_membership_request_for(user, group: Group, membership_id: int) -> GroupMembership:
    """A membership of `group` (already opened with need="manage") by id, else Http404."""
    membership = (
        GroupMembership.objects.filter(group=group, pk=membership_id).select_related("user").first()
    )
    if membership is None or not may_manage(user, group):
        raise Http404
    return membership


def get_exception_for(user, meeting: Meeting, exception_id: int) -> MeetingException:
    """An exception of `meeting` by id when the user manages its group, else Http404."""
    exception = MeetingException.objects.filter(meeting=meeting, pk=exception_id).first()
    if exception is None or not may_manage(user, meeting.group):
        raise Http404
    return exception


def get_program_for_feed(program_slug: str) -> Program:
    """The active program `program_slug`, whose published meetings anyone may read, else Http404."""
    program = Program.objects.filter(slug=program_slug).filter(is_active=True).first()
    if program is None:
        raise Http404
    return program


def get_program_for_new_group(user, program_slug: str) -> Program:
    """The program `program_slug` when the user may start groups in it (coordinators), else 404."""
    program = Program.objects.filter(slug=program_slug, is_active=True).first()
    if program is None or not can_manage(user, program):
        raise Http404
    return program


def groups_for(user) -> QuerySet[Group]:
    """The groups the user may see in their programs: published ones, their own, the ones they
    run; with program loaded, by program then name."""
    programs = [membership.program for membership in memberships_of(user)]
    managed = [program for program in programs if can_manage(user, program)]
    visible = (
        Q(is_published=True)
        | Q(program__in=managed)
        | Q(facilitators=user)
        | Q(memberships__user=user, memberships__status=MembershipStatus.APPROVED)
    )
    return (
        Group.objects.filter(Q(program__in=programs) & visible)
        .select_related("program")
        .distinct()
        .order_by("program__name", "name")
    )


def facilitator_choices(program: Program) -> QuerySet:
    """People who may be named facilitators of a group in `program`: holders of the role."""
    return (
        get_user_model()
        .objects.filter(
            memberships__program=program,
            memberships__is_active=True,
            memberships__roles__role=Role.FACILITATOR,
        )
        .select_related("profile")
        .distinct()
    )


def approved_members_of(group: Group) -> QuerySet[GroupMembership]:
    """The approved memberships of `group` with each person's profile loaded."""
    return group.memberships.approved().select_related("user__profile").order_by("requested_at")


def calendar_token_hash(token: str) -> str:
    """The stored form of a personal calendar secret: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def get_calendar_feed_by_token(token: str) -> CalendarFeed:
    """The personal calendar whose secret is `token`, with its member loaded, else Http404.

    Looked up by the secret's hash, so the lookup's timing says nothing about stored secrets.
    """
    feed = (
        CalendarFeed.objects.filter(token_hash=calendar_token_hash(token))
        .filter(member__is_active=True)
        .select_related("member")
        .first()
    )
    if feed is None:
        raise Http404
    return feed


def calendar_feed_of(user) -> CalendarFeed | None:
    """The user's own personal calendar address, or None when they have not made one."""
    if not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(member=user).first()


def programs_run_by(user) -> QuerySet[Program]:
    """The active programs whose groups the user runs as a whole (coordinator or site admin), for
    the links to start groups and import meetings; one query."""
    programs = Program.objects.filter(is_active=True).order_by("name")
    if is_site_admin(user):
        return programs
    return programs.filter(
        memberships__user=user,
        memberships__is_active=True,
        memberships__roles__role=Role.COORDINATOR,
    ).distinct()
