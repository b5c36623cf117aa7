"""Demo data for goals: the demo members' goals in every status, steps reached and cheered,
progress and comments, and recovery counters with badges.

Also a goal for the first live demo pairing and one for the first demo group with a
facilitator, each with a step reached and cheered, progress and a comment from the partner.

`seed_goals(data)` is idempotent: a member who has goals gets none added, a counter is started
only for a member without one, and a pairing or group with goals gets none added. Pairings and
groups are seeded after goals in core.demo.seed, so their goals come on the next run until
seed_goals runs after seed_pairing and seed_groups.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from alongside.goals import access, actions
from alongside.goals.models import Goal, Milestone, RecoveryCounter, Status, Visibility
from alongside.groups.access import may_manage
from alongside.groups.models import Group, MembershipStatus
from alongside.pairing.models import LIVE_STATES, Pairing
from alongside.privacy.access import has_sharing_consent
from alongside.privacy.actions import grant_sharing_consent
from alongside.privacy.models import Audience, Scope
from alongside.programs.models import Role

PROGRAM = "riverside"
# (what, why, how measured, weeks to the target, status, shared with staff, steps, steps reached)
GOALS = [
    (
        "Walk 20 minutes, three days a week",
        "Walking clears my head and helps me sleep.",
        "Days walked each week, in my check-ins",
        8,
        Status.ACTIVE,
        True,
        ["Buy walking shoes", "First walk round the park", "Three walks in one week"],
        2,
    ),
    (
        "Go to two meetings a week",
        "Meetings keep me honest and I meet people who get it.",
        "Meetings ticked off in my calendar",
        12,
        Status.ACTIVE,
        True,
        ["Find two meetings near work", "Introduce myself", "Ask someone to be my sponsor"],
        1,
    ),
    (
        "Cook dinner at home five nights a week",
        "Saving money and eating better.",
        "Receipts and a tally on the fridge",
        4,
        Status.ACHIEVED,
        False,
        ["Plan a week of meals", "Batch-cook on Sunday"],
        2,
    ),
    (
        "Learn to play ten songs on the guitar",
        "Something for the evenings that is just mine.",
        "Songs I can play start to finish",
        20,
        Status.DROPPED,
        False,
        ["Restring the guitar", "Learn the first three chords"],
        1,
    ),
]
# Days in recovery of the demo members with a counter: one at each early badge, one at years.
COUNTER_DAYS = [412, 95, 31, 8, 1]


def seed_goals(data) -> dict[str, int]:
    """Add what is missing of the goals demo to `data` (a core.demo.DemoData); returns counts."""
    program = data.programs[PROGRAM]
    people = data.people[PROGRAM]
    members = people[Role.MEMBER]
    coordinator = people[Role.COORDINATOR][0]
    created = {"goals": 0, "counters": 0, "pair_goals": 0, "group_goals": 0}
    with transaction.atomic():
        for number, member in enumerate(members[:3]):
            if Goal.objects.owned_by(member).exists():
                continue
            if not has_sharing_consent(
                member, program=program, audience=Audience.STAFF, scope=Scope.GOALS
            ):
                grant_sharing_consent(
                    member, program=program, audience=Audience.STAFF, scopes=[Scope.GOALS]
                )
            for goal_spec in GOALS[number:] + GOALS[:number]:
                _demo_goal(member, program, coordinator, goal_spec)
                created["goals"] += 1
        for member, days in zip(members, COUNTER_DAYS, strict=False):
            if access.own_recovery_counter(member) is not None:
                continue
            today = actions.local_today(member)
            actions.set_recovery_start(member, started_on=today - timedelta(days=days + 40))
            counter = actions.set_recovery_start(member, started_on=today - timedelta(days=days))
            RecoveryCounter.objects.filter(pk=counter.pk).update(shown_on_profile=days > 30)
            created["counters"] += 1
        created["pair_goals"] = _demo_pair_goal(program)
        created["group_goals"] = _demo_group_goal(program)
    return created


def _demo_pair_goal(program) -> int:
    pairing = (
        Pairing.objects.filter(program=program, state__in=LIVE_STATES)
        .select_related("program", "member__profile", "supporter__profile")
        .order_by("id")
        .first()
    )
    if pairing is None or Goal.objects.of_pairings([pairing]).exists():
        return 0
    goal = actions.create_pair_goal(
        pairing.supporter,
        pairing=pairing,
        what="Talk on the phone every Sunday evening",
        why="A steady check-in before the week starts.",
        how_measured="Sundays we spoke, out of the month",
        target_date=actions.local_today(pairing.member) + timedelta(weeks=6),
    ).item
    _steps_and_cheers(goal, pairing.member, pairing.supporter, ["First Sunday call", "A month"])
    return 1


def _demo_group_goal(program) -> int:
    groups = Group.objects.filter(program=program, facilitators__isnull=False)
    group = groups.select_related("program").order_by("id").first()
    if group is None or Goal.objects.of_groups([group]).exists():
        return 0
    facilitator = group.facilitators.order_by("id").first()
    member = (
        group.memberships.filter(status=MembershipStatus.APPROVED)
        .select_related("user__profile")
        .order_by("id")
        .first()
    )
    if member is None or not may_manage(facilitator, group):
        return 0
    goal = actions.create_group_goal(
        facilitator,
        group=group,
        what="Everyone brings a friend to one meeting this month",
        why="The circle grows when we reach out.",
        how_measured="Friends welcomed at our meetings",
        target_date=actions.local_today(facilitator) + timedelta(weeks=4),
    ).item
    _steps_and_cheers(goal, facilitator, member.user, ["Five friends welcomed", "Ten friends"])
    return 1


def _steps_and_cheers(goal, reacher, cheerer, steps) -> None:
    for title in steps:
        actions.add_milestone(reacher, goal=goal, title=title)
    first = Milestone.objects.filter(goal=goal).order_by("position")[0]
    actions.reach_milestone(reacher, goal=goal, milestone=first)
    actions.add_progress_update(reacher, goal=goal, text="A good start.", percent=50)
    opened = access.get_goal_for(cheerer, goal.pk, need="cheer")
    actions.cheer_milestone(cheerer, opened=opened, milestone=first)
    actions.add_comment(cheerer, opened=opened, text="Proud of us. Keep going!")


def _demo_goal(member, program, coordinator, spec) -> None:
    what, why, how, weeks, status, shared, steps, reached = spec
    goal = actions.create_goal(
        member,
        program=program,
        what=what,
        why=why,
        how_measured=how,
        target_date=actions.local_today(member) + timedelta(weeks=weeks),
        visibility=Visibility.STAFF if shared else Visibility.PRIVATE,
    ).item
    for title in steps:
        actions.add_milestone(member, goal=goal, title=title)
    for milestone in Milestone.objects.filter(goal=goal).order_by("position")[:reached]:
        actions.reach_milestone(member, goal=goal, milestone=milestone)
    actions.add_progress_update(
        member, goal=goal, text="Got going this week, feeling good about it.", percent=25 * reached
    )
    if shared:
        opened = access.get_goal_for(coordinator, goal.pk, need="cheer")
        first = Milestone.objects.filter(goal=goal, reached_at__isnull=False).first()
        if first is not None:
            actions.cheer_milestone(coordinator, opened=opened, milestone=first)
        actions.add_comment(coordinator, opened=opened, text="Lovely to see this. Keep going!")
    if status != Status.ACTIVE:
        actions.set_goal_status(member, goal=goal, status=status)
    Goal.objects.filter(pk=goal.pk).update(created_at=timezone.now() - timedelta(weeks=3))
