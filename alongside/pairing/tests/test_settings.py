"""Matching weights, top K and self-selection as program settings, on the page, the API and in use."""

import pytest
from django.urls import reverse

from alongside.pairing import profiles
from alongside.pairing.access import settings_of
from alongside.pairing.models import WEIGHT_NAMES, PairingSettings
from alongside.pairing.scoring import Weights
from alongside.testing import assert_matches_schema, make_person, make_supporter_profile


def test_every_scoring_weight_is_a_setting_with_the_same_default(program):
    pairing_settings = settings_of(program)

    assert pairing_settings.weights == Weights()
    assert set(WEIGHT_NAMES) <= {field.name for field in PairingSettings._meta.get_fields()}


@pytest.fixture
def veteran_supporter(program, coordinator):
    """A supporter sharing nothing with the member but ten years in recovery."""
    person = make_person(program, "supporter", email="veteran@example.test")
    make_supporter_profile(
        person, program, coordinator, areas=[], experiences=[], years_in_recovery=10
    )
    return person


RECOVERY_FIRST = {"area_overlap": 0, "shared_experience": 0, "recovery_time": 10}


def test_changed_weights_reorder_instant_matches(
    program, approved_supporter, veteran_supporter, waiting_member, coordinator, client_of
):
    request = waiting_member.memberships.get().member_match_request
    assert profiles.instant_matches(program, request)[0].supporter == approved_supporter

    form = {**{name: getattr(Weights(), name) for name in WEIGHT_NAMES}, **RECOVERY_FIRST}
    response = client_of(coordinator).post(
        reverse("pairing:settings", args=[program.slug]), {**form, "top_k": 5}
    )

    assert response.status_code == 302
    assert settings_of(program).top_k == 5
    assert profiles.instant_matches(program, request)[0].supporter == veteran_supporter


def test_batch_matching_uses_the_programs_weights(
    program, approved_supporter, veteran_supporter, waiting_member, coordinator
):
    assert profiles.cohort_proposals(program)[0].supporter == approved_supporter

    PairingSettings.objects.filter(program=program).update(**RECOVERY_FIRST)

    (proposal,) = profiles.cohort_proposals(program)
    assert proposal.supporter == veteran_supporter
    contributions = {reason.factor: reason.contribution for reason in proposal.reasons}
    assert contributions["recovery_time"] == pytest.approx(10.0)
    assert proposal.total == pytest.approx(sum(contributions.values()))


def test_a_weight_out_of_range_is_refused_on_the_page(program, coordinator, client_of):
    form = dict.fromkeys(WEIGHT_NAMES, 1)

    response = client_of(coordinator).post(
        reverse("pairing:settings", args=[program.slug]), {**form, "area_overlap": 11, "top_k": 20}
    )

    assert response.status_code == 200
    assert "area_overlap" in response.context["form"].errors
    assert settings_of(program).area_overlap == Weights().area_overlap


def test_settings_are_for_the_programs_coordinators_only(
    program, member, supporter, outsider, coordinator, client_of, api_as
):
    page = reverse("pairing:settings", args=[program.slug])
    api = reverse("api-pairing-settings", args=[program.slug])

    for person in (member, supporter, outsider):
        assert client_of(person).get(page).status_code == 404
        assert api_as(person).get(api).status_code == 404
    assert client_of(coordinator).get(page).status_code == 200


def test_the_api_reads_and_changes_the_settings(program, coordinator, api_as, schema):
    client = api_as(coordinator)
    api = reverse("api-pairing-settings", args=[program.slug])

    assert client.get(api).json()["area_overlap"] == Weights().area_overlap
    changed = client.put(api, {"allow_self_selection": True, "top_k": 7}, format="json")
    refused = client.put(api, {"time_zone": -1}, format="json")

    assert changed.status_code == 200
    assert_matches_schema(
        schema, "/api/v1/pairing/programs/{slug}/settings/", "put", 200, changed.json()
    )
    assert (changed.json()["allow_self_selection"], changed.json()["top_k"]) == (True, 7)
    assert changed.json()["area_overlap"] == Weights().area_overlap
    assert refused.status_code == 400
    assert settings_of(program).time_zone == Weights().time_zone
