"""The one gate to goals and recovery counters. Missing and forbidden answer the same 404.

`opening_of(user, goal)` alone decides who may do what with a goal, for each kind of owner. The
needs are "view", "edit" (change it, set its status, delete it, add and reach steps),
"progress" (write progress), "comment" and "cheer" (a step someone else reached).

A member's own goal:
- Its owner may view, edit, write progress and comment.
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

A pair goal, owned by a pairing and set by either of its two people:
- While the pairing is active or paused, the member and the supporter (still holding the
  supporter role) may each do everything with it. Neither needs a consent: they set the goal
  together, so it is theirs, not the member's record shared with someone.
- Once the pairing is over (closed, or never accepted), the member keeps reading it, as part of
  their own history, and may change nothing; the supporter loses it entirely, as they lose
  everything else of the member's when a pairing ends.
- The supporter's reads are logged like their reads of a member's shared goals: a pair goal is
  about the member's recovery.

A group goal, owned by a support group and set by those who run it:
- Whoever may manage the group (its facilitators, the program's coordinators, site admins: see
  groups.access.may_manage) may do everything with it.
- Approved members of the group (still in the program) may view it, write progress, comment
  and cheer; a member who leaves the group loses it at once.
- A group goal belongs to the group, not to one person's record, so reads are not logged.

Nobody else reads a goal. A recovery counter is its member's alone; only what they chose to
show is offered to others.
"""

from dataclasses import dataclass
from typing import Literal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from alongside.goals.models import (
    Cheer,
    Comment,
    Goal,
    GoalQuerySet,
    Milestone,
    OwnerKind,
    ProgressUpdate,
    RecoveryCounter,
    RecoveryRestart,
    Visibility,
)
from alongside.groups import access as group_access
from alongside.groups.models import Group, GroupMembership, MembershipStatus
from alongside.pairing.access import is_supporter_of, supporters_of
from alongside.pairing.models import LIVE_STATES, Pairing
from alongside.privacy.access import has_sharing_consent, is_member_of, sharing_memberships_of
from alongside.privacy.models import Audience, Scope, SharingConsent
from alongside.programs.access import has_role
from alongside.programs.models import Membership, MembershipRole, Program, Role

GoalNeed = Literal["view", "edit", "progress", "comment", "cheer"]
NEEDS = ("view", "edit", "progress", "comment", "cheer")
# The roles a person comes in with, besides the program roles of staff and peer supporters.
OWNER = "owner"
PAIR_MEMBER = "pair_member"
GROUP_MEMBER = "group_member"
GROUP_MANAGER = "group_manager"
STAFF_READER_ROLES = (Role.CLINICIAN, Role.COORDINATOR)
OWNER_NEEDS = frozenset({"view", "edit", "progress", "comment"})
SHARER_NEEDS = frozenset({"view", "comment", "cheer"})
PARTNER_NEEDS = frozenset(NEEDS)
READ_ONLY = frozenset({"view"})
GROUP_MEMBER_NEEDS = frozenset({"view", "progress", "comment", "cheer"})


@dataclass(frozen=True)
class OpenedGoal:
    """A goal someone was let in to, the role they came in with ("owner", a staff role, the
    supporter role, "pair_member", "group_member" or "group_manager") and what they may do."""

    goal: Goal
    role: str
    needs: frozenset[str] = OWNER_NEEDS

    @property
    def is_owner(self) -> bool:
        return self.role == OWNER

    @property
    def may_edit(self) -> bool:
        return "edit" in self.needs

    @property
    def may_write_progress(self) -> bool:
        return "progress" in self.needs

    @property
    def may_comment(self) -> bool:
        return "comment" in self.needs

    @property
    def may_cheer(self) -> bool:
        return "cheer" in self.needs

    @property
    def is_logged_read(self) -> bool:
        """True when opening the goal is a read of someone else's health record to log."""
        if self.goal.owner_kind == OwnerKind.PAIR:
            return self.role == Role.SUPPORTER
        return self.goal.owner_kind == OwnerKind.MEMBER and not self.is_owner

    @property
    def subject(self):
        """The person whose recovery the goal is about, for the access log; None for a group."""
        if self.goal.owner_kind == OwnerKind.PAIR:
            return self.goal.owner_pairing.member  # type: ignore[union-attr]
        return self.goal.owner_member


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


def _member_goal_opening(user, goal: Goal) -> OpenedGoal | None:
    if goal.owner_member_id == user.pk:
        return OpenedGoal(goal, OWNER, OWNER_NEEDS)
    role = staff_role_in(user, goal.program)
    if role is not None and staff_may_see(goal):
        return OpenedGoal(goal, role, SHARER_NEEDS)
    if supporter_may_see(goal, user):
        return OpenedGoal(goal, Role.SUPPORTER, SHARER_NEEDS)
    return None


def _pair_goal_opening(user, goal: Goal) -> OpenedGoal | None:
    pairing = goal.owner_pairing
    if pairing is None:
        return None
    live = pairing.state in LIVE_STATES
    if pairing.member_id == user.pk:
        return OpenedGoal(goal, PAIR_MEMBER, PARTNER_NEEDS if live else READ_ONLY)
    if live and pairing.supporter_id == user.pk and has_role(user, goal.program, Role.SUPPORTER):
        return OpenedGoal(goal, Role.SUPPORTER, PARTNER_NEEDS)
    return None


def _group_goal_opening(user, goal: Goal) -> OpenedGoal | None:
    group = goal.owner_group
    if group is None:
        return None
    if group_access.may_manage(user, group):
        return OpenedGoal(goal, GROUP_MANAGER, PARTNER_NEEDS)
    if group_access.is_member_of(user, group):
        return OpenedGoal(goal, GROUP_MEMBER, GROUP_MEMBER_NEEDS)
    return None


def opening_of(user, goal: Goal) -> OpenedGoal | None:
    """What the user may do with `goal` and the role they come in with, for every kind of
    owner (see the module docstring); None when they may not even view it."""
    if not user.is_authenticated:
        return None
    if goal.owner_kind == OwnerKind.PAIR:
        return _pair_goal_opening(user, goal)
    if goal.owner_kind == OwnerKind.GROUP:
        return _group_goal_opening(user, goal)
    return _member_goal_opening(user, goal)


def _goals() -> QuerySet[Goal]:
    return Goal.objects.select_related(
        "program",
        "owner_member__profile",
        "owner_pairing__member__profile",
        "owner_pairing__supporter__profile",
        "owner_group__program",
    )


def get_goal_for(user, goal_id: int, need: GoalNeed = "view") -> OpenedGoal:
    """The goal `goal_id` if the user may `need` it, with the role they came in with; else Http404."""
    if need not in NEEDS:
        raise ValueError(f"Unknown need: {need!r}")
    goal = _goals().filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    opened = opening_of(user, goal)
    if opened is None or need not in opened.needs:
        raise Http404
    return opened


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


def pairings_with_goals_of(user) -> QuerySet[Pairing]:
    """The pairings whose goals the user sees: each live one on either side (the supporter still
    holding the role), and the member's own ended ones."""
    if not user.is_authenticated:
        return Pairing.objects.none()
    supporting = (
        MembershipRole.objects.filter(membership__user=user)
        .filter(membership__program=OuterRef("program"))
        .filter(membership__is_active=True)
        .filter(role=Role.SUPPORTER)
    )
    as_member = Pairing.objects.filter(member=user)
    as_supporter = Pairing.objects.filter(supporter=user, state__in=LIVE_STATES).filter(
        Exists(supporting)
    )
    return as_member | as_supporter


def pairs_of(user) -> QuerySet[Pairing]:
    """The live pairings (either side) in which the user may set a pair goal, people loaded."""
    return (
        pairings_with_goals_of(user)
        .filter(state__in=LIVE_STATES)
        .select_related("program", "member__profile", "supporter__profile")
        .order_by("id")
    )


def groups_with_goals_of(user) -> QuerySet[Group]:
    """The groups whose goals the user sees: approved memberships (still in the program) and the
    groups they facilitate (still holding the role)."""
    if not user.is_authenticated:
        return Group.objects.none()
    in_program = MembershipRole.objects.filter(membership__user=user).filter(
        membership__program=OuterRef("program"), membership__is_active=True
    )
    approved = GroupMembership.objects.filter(
        group=OuterRef("pk"), user=user, status=MembershipStatus.APPROVED
    )
    facilitating = in_program.filter(role=Role.FACILITATOR)
    return Group.objects.filter(
        (Exists(approved) & Exists(in_program)) | (Q(facilitators=user) & Exists(facilitating))
    ).distinct()


def groups_led_by(user) -> list[Group]:
    """The groups in which the user may set group goals: those they facilitate (in role)."""
    facilitated = groups_with_goals_of(user).filter(facilitators=user)
    return [
        group
        for group in facilitated.select_related("program").order_by("name", "id")
        if group_access.may_manage(user, group)
    ]


def get_group_goals_for(user, program_slug: str, group_slug: str) -> tuple[Group, bool]:
    """The group `group_slug` whose goals the user may see, and whether they may set goals for
    it (they manage it); else Http404."""
    group = (
        Group.objects.filter(program__slug=program_slug, program__is_active=True, slug=group_slug)
        .select_related("program")
        .first()
    )
    if group is None:
        raise Http404
    if group_access.may_manage(user, group):
        return group, True
    if group_access.is_member_of(user, group):
        return group, False
    raise Http404


def _listed(goals: GoalQuerySet) -> QuerySet[Goal]:
    return (
        goals.select_related(
            "program",
            "owner_pairing__member__profile",
            "owner_pairing__supporter__profile",
            "owner_group",
        )
        .with_counts()
        .order_by("status", "target_date", "id")
    )


def pair_goals_of(user) -> QuerySet[Goal]:
    """The goals of the user's pairings they may see, pairing and counts loaded."""
    return _listed(Goal.objects.of_pairings(pairings_with_goals_of(user)))


def group_goals_of(user) -> QuerySet[Goal]:
    """The goals of the groups the user belongs to or facilitates, group and counts loaded."""
    return _listed(Goal.objects.of_groups(groups_with_goals_of(user)))


def all_goals_of(user) -> QuerySet[Goal]:
    """The user's own goals and those of their pairs and groups, in one query, counts loaded."""
    return _listed(
        Goal.objects.filter(
            Q(owner_kind=OwnerKind.MEMBER, owner_member=user)
            | Q(owner_kind=OwnerKind.PAIR, owner_pairing__in=pairings_with_goals_of(user))
            | Q(owner_kind=OwnerKind.GROUP, owner_group__in=groups_with_goals_of(user))
        )
    )


def goals_of_group(group: Group) -> QuerySet[Goal]:
    """The goals of `group` (already opened through get_group_goals_for), counts loaded."""
    return _listed(Goal.objects.filter(owner_kind=OwnerKind.GROUP, owner_group=group))


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
        _goals()
        .filter(pk=goal.pk)
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


def people_sharing(goal: Goal) -> list[int]:
    """The ids of everyone who shares a goal now: a member goal's owner and those it is shared
    with; a live pairing's two people (only the member once it ends); a group's approved
    members and its facilitators in role."""
    if goal.owner_kind == OwnerKind.PAIR and goal.owner_pairing is not None:
        pairing = goal.owner_pairing
        if pairing.state in LIVE_STATES and has_role(
            pairing.supporter, goal.program, Role.SUPPORTER
        ):
            return [pairing.member_id, pairing.supporter_id]
        return [pairing.member_id]
    if goal.owner_kind == OwnerKind.GROUP and goal.owner_group is not None:
        group = goal.owner_group
        in_program = MembershipRole.objects.filter(
            membership__user=OuterRef("pk"),
            membership__program=group.program,
            membership__is_active=True,
        )
        users = get_user_model().objects.filter(is_active=True)
        members = users.filter(
            group_memberships__group=group,
            group_memberships__status=MembershipStatus.APPROVED,
        ).filter(Exists(in_program))
        facilitators = users.filter(facilitated_groups=group).filter(
            Exists(in_program.filter(role=Role.FACILITATOR))
        )
        return sorted(
            set(members.values_list("pk", flat=True))
            | set(facilitators.values_list("pk", flat=True))
        )
    if goal.owner_member_id is None:
        return []
    return [goal.owner_member_id, *sharers_of(goal)]


def sharers_of(goal: Goal) -> list[int]:
    """The ids of the people a member's goal is shared with now, its owner aside: program staff
    and the owner's peer supporters, each while the owner's consent lets them in."""
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
