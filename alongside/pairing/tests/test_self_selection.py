"""A waiting member chooses their supporter among their instant matches, when the program allows."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from alongside.accounts.models import Profile
from alongside.notifications.models import Notification
from alongside.pairing import actions, profiles
from alongside.pairing.models import BoundariesAgreement, Pairing, PairingSettings, State
from alongside.testing import (
    assert_matches_schema,
    make_person,
    make_request,
    make_supporter_profile,
)


@pytest.fixture
def self_selection(program):
    PairingSettings.objects.update_or_create(
        program=program, defaults={"allow_self_selection": True}
    )


@pytest.fixture
def four_supporters(program, approved_supporter, coordinator):
    """The approved supporter, the best fit, and three who share less with the member."""
    others = []
    for number in range(3):
        person = make_person(program, "supporter", email=f"other{number}@example.test")
        make_supporter_profile(person, program, coordinator, areas=[], experiences=[])
        others.append(person)
    return [approved_supporter, *others]


def member_page(client, program):
    return client.get(reverse("pairing:member", args=[program.slug]))


def choose(client, program, supporter, boundaries=True):
    data = {"supporter": supporter.pk, **({"boundaries": "on"} if boundaries else {})}
    return client.post(reverse("pairing:choose", args=[program.slug]), data, follow=True)


def test_a_waiting_member_sees_their_best_three_with_reasons_in_their_language(
    program, four_supporters, waiting_member, self_selection, client_of
):
    Profile.objects.filter(user=waiting_member).update(preferred_language="es")

    page = member_page(client_of(waiting_member), program).content.decode()

    assert page.count(f'action="{reverse("pairing:choose", args=[program.slug])}"') == 3
    assert "Ambos hablan" in page
    first = re.search(r'<h3 class="proposal__title">(.*?)</h3>', page)
    assert first is not None
    assert first.group(1) == escape(four_supporters[0].display_name)


def test_without_self_selection_the_member_only_waits(
    program, four_supporters, waiting_member, client_of
):
    client = client_of(waiting_member)

    assert (
        reverse("pairing:choose", args=[program.slug])
        not in member_page(client, program).content.decode()
    )
    assert choose(client, program, four_supporters[0]).status_code == 404
    assert not Pairing.objects.exists()


def test_choosing_makes_a_proposal_the_member_accepted_and_the_supporter_starts_it(
    program, approved_supporter, waiting_member, self_selection, client_of
):
    Notification.objects.all().delete()

    choose(client_of(waiting_member), program, approved_supporter)

    pairing = Pairing.objects.get()
    assert (pairing.member, pairing.supporter, pairing.state) == (
        waiting_member,
        approved_supporter,
        State.PROPOSED,
    )
    assert pairing.member_accepted_at is not None
    assert BoundariesAgreement.objects.filter(pairing=pairing, side="member").exists()
    assert Notification.objects.filter(
        recipient=approved_supporter, kind="pairing.proposed"
    ).exists()

    actions.accept_pairing(approved_supporter, pairing=pairing, boundaries_accepted=True)

    assert Pairing.objects.get().state == State.ACTIVE


def test_choosing_needs_the_boundaries_agreement(
    program, approved_supporter, waiting_member, self_selection, client_of
):
    response = choose(client_of(waiting_member), program, approved_supporter, boundaries=False)

    assert "boundaries agreement" in response.content.decode()
    assert not Pairing.objects.exists()


def test_a_supporter_not_offered_cannot_be_chosen(
    program, four_supporters, waiting_member, self_selection, client_of
):
    request = waiting_member.memberships.get().member_match_request
    offered = {match.supporter for match in profiles.instant_matches(program, request)}
    (fourth,) = set(four_supporters) - offered

    response = choose(client_of(waiting_member), program, fourth)

    assert "not among your matches" in response.content.decode()
    assert not Pairing.objects.exists()


def test_a_supporter_with_one_place_is_chosen_only_once(
    program, approved_supporter, waiting_member, coordinator, self_selection, client_of
):
    make_supporter_profile(approved_supporter, program, coordinator, capacity=1)
    second = make_person(program, "member", email="second@example.test")
    make_request(second, program)

    choose(client_of(waiting_member), program, approved_supporter)
    response = choose(client_of(second), program, approved_supporter)

    assert "not among your matches" in response.content.decode()
    assert Pairing.objects.get().member == waiting_member


def test_a_supporter_declining_a_choice_tells_the_member(
    program, approved_supporter, waiting_member, self_selection
):
    pairing = actions.choose_supporter(
        waiting_member, program=program, supporter=approved_supporter, boundaries_accepted=True
    )
    Notification.objects.all().delete()

    actions.decline_pairing(approved_supporter, pairing=pairing)

    (told,) = Notification.objects.all()
    assert told.recipient == waiting_member
    assert told.url == reverse("pairing:member", args=[program.slug])


def test_the_api_lists_matches_and_chooses_one(
    program, approved_supporter, waiting_member, self_selection, api_as, schema
):
    client = api_as(waiting_member)
    api = reverse("api-pairing-own-matches", args=[program.slug])

    (match,) = client.get(api).json()
    response = client.post(
        api, {"supporter": match["supporter"]["id"], "boundaries_accepted": True}, format="json"
    )

    assert match["reasons"]
    assert response.status_code == 201
    path = "/api/v1/pairing/programs/{slug}/my-matches/"
    assert_matches_schema(schema, path, "get", 200, [match])
    assert_matches_schema(schema, path, "post", 201, response.json())
    assert Pairing.objects.get().supporter == approved_supporter
    assert client.get(api).json() == []


def test_the_api_is_404_when_the_program_does_not_let_members_choose(
    program, approved_supporter, waiting_member, api_as
):
    assert (
        api_as(waiting_member)
        .get(reverse("api-pairing-own-matches", args=[program.slug]))
        .status_code
        == 404
    )
