"""The coordinator's batch review: keep, swap or drop each proposal; every pair checked on submit."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from alongside.pairing import profiles
from alongside.pairing.models import Pairing
from alongside.testing import make_person, make_request, make_supporter_profile


@pytest.fixture
def second_supporter(program, coordinator):
    """A supporter with one place, sharing less with the member than the approved one."""
    person = make_person(program, "supporter", email="second-supporter@example.test")
    make_supporter_profile(person, program, coordinator, experiences=[], capacity=1)
    return person


def batch_url(program):
    return reverse("pairing:batch", args=[program.slug])


def test_each_proposal_offers_other_supporters_with_that_pairs_reasons(
    program, approved_supporter, second_supporter, waiting_member, coordinator, client_of
):
    (row,) = profiles.batch_review(program)
    (alternative,) = row.alternatives

    page = client_of(coordinator).get(batch_url(program)).content.decode()

    assert row.proposal.supporter == approved_supporter
    assert alternative.supporter == second_supporter
    assert alternative.total < row.proposal.total
    assert f'value="{waiting_member.pk}:{second_supporter.pk}"' in page
    assert escape(f"Swap to {second_supporter.display_name}") in page
    areas_reason = next(r for r in alternative.reasons if r.factor == "areas")
    # Shown twice: once for the proposed supporter, once for the alternative.
    assert page.count(escape(areas_reason.sentence)) == 2
    assert not Pairing.objects.exists()


def test_a_swapped_proposal_goes_to_the_chosen_supporter(
    program, approved_supporter, second_supporter, waiting_member, coordinator, client_of
):
    client_of(coordinator).post(
        batch_url(program),
        {f"pair-{waiting_member.pk}": f"{waiting_member.pk}:{second_supporter.pk}"},
    )

    assert Pairing.objects.get().supporter == second_supporter


def test_proposing_nobody_for_a_member_makes_no_pairing(
    program, approved_supporter, waiting_member, coordinator, client_of
):
    response = client_of(coordinator).post(batch_url(program), {f"pair-{waiting_member.pk}": ""})

    assert response.status_code == 302
    assert not Pairing.objects.exists()


def test_two_swaps_onto_a_last_place_are_refused_on_submit_and_nothing_is_made(
    program, approved_supporter, second_supporter, waiting_member, coordinator, client_of
):
    other = make_person(program, "member", email="other-member@example.test")
    make_request(other, program)

    response = client_of(coordinator).post(
        batch_url(program),
        {
            f"pair-{waiting_member.pk}": f"{waiting_member.pk}:{second_supporter.pk}",
            f"pair-{other.pk}": f"{other.pk}:{second_supporter.pk}",
        },
        follow=True,
    )

    assert "no place left" in response.content.decode()
    assert not Pairing.objects.exists()


def test_a_pair_for_another_member_than_its_field_is_refused(
    program, approved_supporter, waiting_member, coordinator, client_of
):
    response = client_of(coordinator).post(
        batch_url(program),
        {f"pair-{coordinator.pk}": f"{waiting_member.pk}:{approved_supporter.pk}"},
    )

    assert response.status_code == 200
    assert not Pairing.objects.exists()
