"""The safety demo: an escalation in every state, people on call, concerns; twice is once."""

from alongside.core.demo import seed
from alongside.safety.demo import seed_safety
from alongside.safety.models import Escalation, Flag, OnCallShift, State


def test_the_demo_has_every_state_and_a_second_run_adds_nothing(db):
    data = seed()  # seeds the safety demo too

    again = seed_safety(data)

    assert again == {"shifts": 0, "escalations": 0, "flags": 0}
    states = set(Escalation.objects.values_list("state", flat=True))
    assert states == set(State.values)
    assert Escalation.objects.overdue().filter(tier__gte=1).exists()
    assert OnCallShift.objects.count() == 2
    # The safety demo's three and its screened check-in note, and the community demo's post
    # reported as someone at risk.
    assert Flag.objects.unreviewed().count() == 5
    screened = Escalation.objects.get(origin="screening", flag__writing_path="checkins.note")
    assert screened.flag is not None
    assert screened.flag.flagged_words() == ["wrote a goodbye letter", "I have the pills ready"]
    assert (
        Flag.objects.unreviewed().filter(writing_path="community.post", is_anonymous=True).count()
        == 1
    )
