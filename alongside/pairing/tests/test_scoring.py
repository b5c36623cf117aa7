import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.pairing.scoring import (
    SENTENCES,
    MemberProfile,
    SupporterIndex,
    SupporterProfile,
    Weights,
    hard_filter,
    score,
)

AREAS = ["alcohol", "opioids", "gambling", "grief", "family"]
EXPERIENCES = ["alcohol", "opioids", "cannabis", "stimulants"]
LANGUAGES = ["en", "es", "vi"]
MODALITIES = ["chat", "phone", "video", "in_person"]
IDENTITIES = ["veteran", "lgbtq", "parent", "faith"]
PROGRAMS = ["north", "south"]


def subsets(items, max_size=3):
    return st.frozensets(st.sampled_from(items), max_size=max_size)


any_id = st.integers(0, 10**6)
few_supporter_ids = st.integers(0, 10)
slots = st.frozensets(st.integers(0, 167), max_size=20)
# Free times in further reference weeks; lengths differ, as between zones with and without DST.
seasons = st.lists(slots, max_size=2).map(tuple)
offsets = st.sampled_from([-10.0, -8.0, -5.0, -3.5, 0.0, 1.0, 5.5, 14.0])


@st.composite
def supporters(draw, ids=any_id):
    return SupporterProfile(
        id=draw(ids),
        program_id=draw(st.sampled_from(PROGRAMS)),
        areas=draw(subsets(AREAS)),
        experiences=draw(subsets(EXPERIENCES)),
        years_in_recovery=draw(st.floats(0, 30, allow_nan=False)),
        languages=draw(subsets(LANGUAGES)),
        utc_offset_hours=draw(offsets),
        availability=draw(slots),
        modalities=draw(subsets(MODALITIES)),
        identities=draw(subsets(IDENTITIES)),
        capacity_left=draw(st.integers(0, 3)),
        active=draw(st.booleans()),
        seasons=draw(seasons),
    )


@st.composite
def members(draw, ids=any_id, supporter_ids=few_supporter_ids):
    return MemberProfile(
        id=draw(ids),
        program_id=draw(st.sampled_from(PROGRAMS)),
        wants_help_with=draw(subsets(AREAS)),
        experiences=draw(subsets(EXPERIENCES)),
        languages=draw(subsets(LANGUAGES)),
        utc_offset_hours=draw(offsets),
        availability=draw(slots),
        modalities=draw(subsets(MODALITIES)),
        identity_preferences=draw(
            st.dictionaries(
                st.sampled_from(IDENTITIES), st.sampled_from(["required", "nice"]), max_size=2
            )
        ),
        modality_required=draw(st.booleans()),
        blocked_supporters=draw(st.frozensets(supporter_ids, max_size=2)),
        bad_past_pairings=draw(st.frozensets(supporter_ids, max_size=2)),
        seasons=draw(seasons),
    )


weights_strategy = st.builds(
    Weights,
    **{
        name: st.floats(0, 5, allow_nan=False)
        for name in (
            "area_overlap",
            "shared_experience",
            "availability",
            "time_zone",
            "modality",
            "identity_nice",
            "recovery_time",
        )
    },
)


@st.composite
def cohorts(draw, max_members=8, max_supporters=6):
    """Members and supporters with unique small ids, so blocks and bad pairings hit real supporters."""
    n_supporters = draw(st.integers(1, max_supporters))
    supporter_list = [draw(supporters(ids=st.just(i))) for i in range(n_supporters)]
    n_members = draw(st.integers(1, max_members))
    member_list = [
        draw(members(ids=st.just(100 + i), supporter_ids=st.integers(0, n_supporters)))
        for i in range(n_members)
    ]
    return member_list, supporter_list


def _open(cohort):
    """The same cohort with the common filters lifted, so most pairs are allowed and compete."""
    member_list, supporter_list = cohort
    return (
        [
            replace(m, program_id="north", languages=m.languages | {"en"}, modality_required=False)
            for m in member_list
        ],
        [
            replace(
                s,
                program_id="north",
                languages=s.languages | {"en"},
                active=True,
                capacity_left=max(1, s.capacity_left),
            )
            for s in supporter_list
        ],
    )


def open_cohorts(max_members=8, max_supporters=6):
    return cohorts(max_members, max_supporters).map(_open)


def person_pair(**member_fields):
    supporter_fields = member_fields.pop("supporter", {})
    member = MemberProfile(id="m", program_id="p", languages=frozenset({"en"}), **member_fields)
    supporter = SupporterProfile(
        id="s", program_id="p", languages=frozenset({"en"}), **supporter_fields
    )
    return member, supporter


@given(members(), supporters(), weights_strategy)
def test_total_is_exactly_the_sum_of_the_reasons(member, supporter, weights):
    result = score(member, supporter, weights)

    assert result.total == sum(reason.contribution for reason in result.reasons)
    assert all(reason.contribution >= 0 for reason in result.reasons)


@given(members(), supporters())
def test_each_reason_sentence_names_what_is_shared(member, supporter):
    shared = {
        "language": member.languages & supporter.languages,
        "areas": member.wants_help_with & supporter.areas,
        "experience": member.experiences & supporter.experiences,
        "modality": member.modalities & supporter.modalities,
        "identity": member.nice_identities & supporter.identities,
    }
    for reason in score(member, supporter, Weights()).reasons:
        for item in shared.get(reason.factor, ()):
            assert item in reason.sentence
        for _key, value in reason.params:
            assert value in reason.sentence
        assert SENTENCES[reason.template].format(**dict(reason.params)) == reason.sentence


def test_shared_experience_reads_as_a_sentence():
    member, supporter = person_pair(
        experiences=frozenset({"alcohol", "cannabis"}),
        availability=frozenset(range(6)),
        supporter={"experiences": frozenset({"alcohol"}), "availability": frozenset(range(20))},
    )

    sentences = [reason.sentence for reason in score(member, supporter, Weights()).reasons]

    assert "You both are in recovery from alcohol use" in sentences
    assert "Your free times overlap 6 h a week" in sentences
    assert "You both speak en" in sentences


def test_identity_counts_only_when_the_member_opted_in():
    veteran = {"identities": frozenset({"veteran"})}
    not_asked, supporter = person_pair(supporter=veteran)
    asked, _ = person_pair(identity_preferences={"veteran": "nice"}, supporter=veteran)

    assert "identity" not in {r.factor for r in score(not_asked, supporter, Weights()).reasons}
    reasons = {r.factor: r for r in score(asked, supporter, Weights()).reasons}
    assert reasons["identity"].contribution == Weights().identity_nice
    assert "veteran" in reasons["identity"].sentence


def test_supporter_identity_is_not_required_unless_the_member_says_so():
    member, supporter = person_pair(identity_preferences={"veteran": "nice"})

    assert hard_filter(member, supporter) is None


@pytest.mark.parametrize(
    ("member_fields", "supporter_fields", "code"),
    [
        ({"program_id": "other"}, {}, "other_program"),
        ({}, {"active": False}, "inactive"),
        ({}, {"capacity_left": 0}, "no_capacity"),
        ({"blocked_supporters": frozenset({"s"})}, {}, "blocked"),
        ({"bad_past_pairings": frozenset({"s"})}, {}, "ended_badly"),
        ({"languages": frozenset({"es"})}, {}, "no_common_language"),
        ({"identity_preferences": {"veteran": "required"}}, {}, "required_preference"),
        (
            {"modality_required": True, "modalities": frozenset({"phone"})},
            {"modalities": frozenset({"chat"})},
            "required_preference",
        ),
    ],
)
def test_hard_filter_names_why_a_pair_is_not_allowed(member_fields, supporter_fields, code):
    base_member, base_supporter = person_pair()
    member = MemberProfile(
        **{
            "id": base_member.id,
            "program_id": base_member.program_id,
            "languages": base_member.languages,
        }
        | member_fields
    )
    supporter = SupporterProfile(
        **{"id": "s", "program_id": "p", "languages": base_supporter.languages} | supporter_fields
    )

    assert hard_filter(member, supporter) == code
    assert hard_filter(base_member, base_supporter) is None


@settings(max_examples=150)
@given(cohorts(), weights_strategy)
def test_vectorised_totals_equal_score_and_respect_hard_filters(cohort, weights):
    member_list, supporter_list = cohort

    totals = SupporterIndex(supporter_list).totals(member_list, weights)

    for i, member in enumerate(member_list):
        for j, supporter in enumerate(supporter_list):
            if hard_filter(member, supporter) is None:
                assert totals[i, j] == score(member, supporter, weights).total
            else:
                assert totals[i, j] == -math.inf


def test_vectorised_totals_handle_identities_no_supporter_has():
    member, supporter = person_pair(identity_preferences={"faith": "required"})

    totals = SupporterIndex([supporter]).totals([member], Weights())

    assert np.isneginf(totals).all()


def test_weights_must_not_be_negative():
    with pytest.raises(ValueError, match="area_overlap"):
        Weights(area_overlap=-1)


def test_profiles_reject_hours_outside_the_week_and_unknown_preferences():
    with pytest.raises(ValueError, match="0 to 167"):
        SupporterProfile(id=1, program_id=1, availability=frozenset({168}))
    with pytest.raises(ValueError, match="'required' or 'nice'"):
        MemberProfile(id=1, program_id=1, identity_preferences={"veteran": "maybe"})  # type: ignore[dict-item]
