"""The pairing demo: every state on show, and a second run adds nothing."""

from alongside.core.demo import seed
from alongside.pairing import access, profiles
from alongside.pairing.demo import seed_pairing
from alongside.pairing.models import Pairing, SessionLog, State, SupporterMatchProfile


def test_the_demo_has_a_pairing_in_every_state_and_seeds_once(db):
    data = seed()  # seeds the pairing demo too
    again = seed_pairing(data)

    assert set(Pairing.objects.values_list("state", flat=True)) == set(State.values)
    assert Pairing.objects.count() == 6
    assert set(again.values()) == {0}
    program = data.programs["riverside"]
    demo_member = data.people["riverside"]["member"][0]
    demo_supporter = data.people["riverside"]["supporter"][0]
    assert access.is_supporter_of(demo_supporter, demo_member, program)
    assert SessionLog.objects.exists()
    assert SupporterMatchProfile.objects.filter(status="pending").count() == 1
    assert access.waiting_requests_of(program).exists()
    assert profiles.cohort_proposals(program)
