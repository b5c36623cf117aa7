"""Demo data for goals: the demo members' goals in every status, steps reached and cheered,
progress and comments, and recovery counters with badges.

`seed_goals(data)` is idempotent: a member who has goals gets none added, and a counter is
started only for a member without one.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from alongside.goals import access, actions
from alongside.goals.models import Goal, Milestone, RecoveryCounter, Status, Visibility
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
    created = {"goals": 0, "counters": 0}
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
    return created


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
