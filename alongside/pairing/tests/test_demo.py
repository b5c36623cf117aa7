"""The pairing demo: every state on show, and a second run adds nothing."""

from django.urls import reverse

from alongside.core.demo import seed
from alongside.pairing import access, profiles
from alongside.pairing.demo import PAIRINGS, seed_pairing
from alongside.pairing.models import (
    Pairing,
    PairingSettings,
    SessionLog,
    State,
    SupporterMatchProfile,
)


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


def test_a_waiting_demo_member_chooses_among_their_best_supporters(db, client):
    data = seed()
    program = data.programs["riverside"]
    waiting = data.people["riverside"]["member"][len(PAIRINGS)]
    assert access.settings_of(program).allow_self_selection
    assert not Pairing.objects.filter(program=program, member=waiting).exists()

    client.force_login(waiting)
    page = client.get(reverse("pairing:member", args=[program.slug])).content.decode()

    assert page.count(f'action="{reverse("pairing:choose", args=[program.slug])}"') == 3


def test_reseeding_keeps_self_selection_off_once_the_coordinator_turned_it_off(db):
    data = seed()
    program = data.programs["riverside"]
    PairingSettings.objects.filter(program=program).update(allow_self_selection=False)

    again = seed_pairing(data)

    assert again["settings"] == 0
    assert not access.settings_of(program).allow_self_selection
