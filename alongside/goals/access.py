"""The one gate to goals and recovery counters. Missing and forbidden answer the same 404.

- A goal's owner may view it, change it, add steps and progress, reach steps and comment.
- A coordinator or clinician of the goal's program may view it, comment and cheer its reached
  steps while all of these hold: the owner shared that goal with program staff, the owner's
  consent to show their goals to program staff there is in force, and the owner is still a
  member of the program. Consent is read from the database on every call, so a revocation shuts
  the goal at once. Site admins are not let in: goals are for the people who care for the member.
- The member's peer supporter (an active or paused pairing) may view it, comment and cheer
  its reached steps on the same terms with the supporter audience: the owner shared that goal,
  their consent to show their goals to their peer supporter is in force, and both still hold
  their roles in the program. A goal marked shared is open to each audience the owner's consent
  lets in, so one switch on the goal and the consents on the privacy page decide together.
- Group and pair goals need groups (#4); until then nobody else reads a goal.
- A recovery counter is its member's alone; only what they chose to show is offered to others.
"""

from dataclasses import dataclass
from typing import Literal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from alongside.goals.models import (
    Cheer,
    Comment,
    Goal,
    Milestone,
    ProgressUpdate,
    RecoveryCounter,
    RecoveryRestart,
    Visibility,
)
from alongside.pairing.access import is_supporter_of, supporters_of
from alongside.pairing.models import LIVE_STATES, Pairing
from alongside.privacy.access import has_sharing_consent, is_member_of, sharing_memberships_of
from alongside.privacy.models import Audience, Scope, SharingConsent
from alongside.programs.access import has_role
from alongside.programs.models import Membership, MembershipRole, Program, Role

GoalNeed = Literal["view", "edit", "comment", "cheer"]
OWNER = "owner"
STAFF_READER_ROLES = (Role.CLINICIAN, Role.COORDINATOR)
OWNER_NEEDS = ("view", "edit", "comment")
SHARER_NEEDS = ("view", "comment", "cheer")


@dataclass(frozen=True)
class OpenedGoal:
    """A goal someone was let in to, and the role they came in with ("owner", a staff role or
    the supporter role)."""

    goal: Goal
    role: str

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER


def goal_programs_of(user) -> list[Program]:
    """The programs in which the user may set goals: where they hold the member role."""
    return [membership.program for membership in sharing_memberships_of(user)]


def staff_role_in(user, program: Program) -> str | None:
    """The role in which the user reads members' shared goals of `program`, or None."""
    for role in STAFF_READER_ROLES:
        if has_role(user, program, role):
            return role
    return None


def staff_may_see(goal: Goal) -> bool:
    """True when the goal is open to its program's staff right now (see the module docstring)."""
    owner = goal.owner_member
    return (
        goal.visibility == Visibility.STAFF
        and owner is not None
        and is_member_of(owner, goal.program)
        and has_sharing_consent(
            owner, program=goal.program, audience=Audience.STAFF, scope=Scope.GOALS
        )
    )


def supporter_may_see(goal: Goal, user) -> bool:
    """True when `user` is the owner's peer supporter and the goal is open to them right now
    (see the module docstring)."""
    owner = goal.owner_member
    return (
        goal.visibility == Visibility.STAFF
        and owner is not None
        and is_member_of(owner, goal.program)
        and is_supporter_of(user, owner, goal.program)
        and has_sharing_consent(
            owner, program=goal.program, audience=Audience.SUPPORTER, scope=Scope.GOALS
        )
    )


def get_goal_for(user, goal_id: int, need: GoalNeed = "view") -> OpenedGoal:
    """The goal `goal_id` if the user may `need` it, with the role they came in with; else Http404."""
    if need not in ("view", "edit", "comment", "cheer"):
        raise ValueError(f"Unknown need: {need!r}")
    goal = (
        Goal.objects.filter(pk=goal_id).select_related("program", "owner_member__profile").first()
    )
    if goal is None or not user.is_authenticated:
        raise Http404
    if goal.owner_member_id == user.pk:
        if need in OWNER_NEEDS:
            return OpenedGoal(goal, OWNER)
        raise Http404
    if need not in SHARER_NEEDS:
        raise Http404
    role = staff_role_in(user, goal.program)
    if role is not None and staff_may_see(goal):
        return OpenedGoal(goal, role)
    if supporter_may_see(goal, user):
        return OpenedGoal(goal, Role.SUPPORTER)
    raise Http404


def get_milestone_for(opened: OpenedGoal, milestone_id: int) -> Milestone:
    """The milestone `milestone_id` of the goal already opened, else Http404."""
    milestone = opened.goal.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    return milestone


def goals_of(member) -> QuerySet[Goal]:
    """The member's own goals, active first then by target date, with step counts and program."""
    return (
        Goal.objects.owned_by(member)
        .select_related("program")
        .with_counts()
        .order_by("status", "target_date", "id")
    )


def get_shared_goals_program_for(user, slug: str) -> tuple[Program, str]:
    """The active program `slug` and the role in which the user reads the goals members share
    there (coordinator or clinician, else peer supporter); else Http404."""
    program = Program.objects.filter(slug=slug).filter(is_active=True).first()
    if program is None:
        raise Http404
    role = staff_role_in(user, program)
    if role is None and has_role(user, program, Role.SUPPORTER):
        role = Role.SUPPORTER
    if role is None:
        raise Http404
    return program, role


def goals_shared_with(user, program: Program, role: str) -> QuerySet[Goal]:
    """The goals of `program` open now to the user in `role` (from
    get_shared_goals_program_for), in one query, owner and counts loaded: all the goals shared
    with staff for staff, the goals of the members they support for a peer supporter."""
    consent = (
        SharingConsent.objects.in_force()
        .filter(member=OuterRef("owner_member"))
        .filter(program=program)
        .filter(audience=Audience.SUPPORTER if role == Role.SUPPORTER else Audience.STAFF)
        .filter(scope=Scope.GOALS)
    )
    still_member = (
        MembershipRole.objects.filter(membership__user=OuterRef("owner_member"))
        .filter(membership__program=program)
        .filter(membership__is_active=True)
        .filter(role=Role.MEMBER)
    )
    goals = (
        Goal.objects.filter(program=program)
        .shared_with_staff()
        .filter(Exists(consent))
        .filter(Exists(still_member))
    )
    if role == Role.SUPPORTER:
        supported = Pairing.objects.filter(program=program, supporter=user, state__in=LIVE_STATES)
        goals = goals.filter(owner_member__in=supported.values("member"))
    return (
        goals.select_related("owner_member__profile", "program")
        .with_counts()
        .order_by("status", "target_date", "id")
    )


def goal_page_parts(goal: Goal) -> Goal:
    """The goal with its steps (and their cheers), progress and comments loaded for its page."""
    return (
        Goal.objects.filter(pk=goal.pk)
        .select_related("program", "owner_member__profile")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.prefetch_related(
                    Prefetch("cheers", queryset=Cheer.objects.select_related("person__profile"))
                ),
            ),
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.select_related("author__profile"),
            ),
            Prefetch("comments", queryset=Comment.objects.select_related("author__profile")),
        )
        .get()
    )


def staff_of(program: Program) -> list[int]:
    """The ids of the active coordinators and clinicians of `program`."""
    return list(
        Membership.objects.filter(program=program)
        .filter(is_active=True)
        .filter(user__is_active=True)
        .filter(roles__role__in=STAFF_READER_ROLES)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def sharers_of(goal: Goal) -> list[int]:
    """The ids of the people a goal is shared with now, its owner aside: program staff and
    the owner's peer supporters, each while the owner's consent lets them in."""
    people = staff_of(goal.program) if staff_may_see(goal) else []
    owner = goal.owner_member
    if (
        goal.visibility == Visibility.STAFF
        and owner is not None
        and is_member_of(owner, goal.program)
        and has_sharing_consent(
            owner, program=goal.program, audience=Audience.SUPPORTER, scope=Scope.GOALS
        )
    ):
        people += [
            person.pk for person in supporters_of(owner, goal.program) if person.pk not in people
        ]
    return [person for person in people if person != goal.owner_member_id]


def own_recovery_counter(user) -> RecoveryCounter | None:
    """The user's own recovery counter, or None before they start one."""
    return RecoveryCounter.objects.filter(member=user).first()


def recovery_restarts_of(user) -> QuerySet[RecoveryRestart]:
    """The user's own earlier start dates, newest first: theirs alone."""
    return RecoveryRestart.objects.filter(member=user)


def shown_recovery_counter(person) -> RecoveryCounter | None:
    """`person`'s counter if they chose to show it on their profile, for others to see; else None."""
    return RecoveryCounter.objects.filter(member=person).filter(shown_on_profile=True).first()
