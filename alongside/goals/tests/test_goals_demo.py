"""The goals demo: goals in every status with steps reached, counters with badges, a pair goal
and a group goal; twice is once."""

from alongside.core.demo import seed
from alongside.goals.demo import seed_goals
from alongside.goals.models import Cheer, Goal, Milestone, RecoveryCounter, RecoveryRestart, Status


def test_the_demo_has_every_status_reached_steps_and_counters_and_a_second_run_adds_nothing(db):
    data = seed()  # once the lead wires seed_goals into seed(), that run seeds goals already
    seed_goals(data)

    again = seed_goals(data)

    assert Goal.objects.count() == 14
    assert Goal.objects.filter(owner_kind="pair").count() == 1
    assert Goal.objects.filter(owner_kind="group").count() == 1
    assert again == {"goals": 0, "counters": 0, "pair_goals": 0, "group_goals": 0}
    assert set(Goal.objects.values_list("status", flat=True)) == set(Status.values)
    assert Milestone.objects.filter(reached_at__isnull=False).exists()
    assert Cheer.objects.exists()
    assert RecoveryCounter.objects.count() == 5
    assert RecoveryRestart.objects.count() == 5
