import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.pairing.scoring import (
    MemberProfile,
    SupporterProfile,
    Weights,
    hard_filter,
    score,
)
from alongside.pairing.solve import SCALE, Edge, SolveError, candidate_edges, solve
from alongside.pairing.tests.test_scoring import cohorts, open_cohorts, weights_strategy


def edge(member_id, supporter_id, total):
    return Edge(member_id, supporter_id, total)


def value(assignment, edges):
    """(matched members, total score in solver units), the order solve() optimises in."""
    scores = {(e.member_id, e.supporter_id): round(e.total * SCALE) for e in edges}
    return len(assignment), sum(scores[pair] for pair in assignment)


def brute_force(edges, capacities):
    by_member: dict = {}
    for e in edges:
        by_member.setdefault(e.member_id, []).append(e)
    member_ids = list(by_member)
    best = (0, 0)
    for choice in itertools.product(*[[None, *by_member[m]] for m in member_ids]):
        chosen = [e for e in choice if e is not None]
        load = Counter(e.supporter_id for e in chosen)
        if all(load[s] <= capacities[s] for s in load):
            best = max(best, value([(e.member_id, e.supporter_id) for e in chosen], edges))
    return best


def assert_feasible(assignment, capacities):
    member_ids = [m for m, _ in assignment]
    assert len(member_ids) == len(set(member_ids)), "a member was matched twice"
    for supporter_id, load in Counter(s for _, s in assignment).items():
        assert load <= capacities[supporter_id], f"supporter {supporter_id} over capacity"


@st.composite
def instances(draw):
    n_members = draw(st.integers(1, 6))
    n_supporters = draw(st.integers(1, 4))
    capacities = {f"s{j}": draw(st.integers(0, 2)) for j in range(n_supporters)}
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_members - 1), st.integers(0, n_supporters - 1)),
            unique=True,
            max_size=n_members * n_supporters,
        )
    )
    # Thousandths, so the solver's integer scale loses nothing and totals compare exactly.
    # Extremes often, so that more matches and a higher score pull in different directions.
    scores = st.sampled_from([0, 1, 999, 1000]) | st.integers(0, 1000)
    edges = [edge(f"m{i}", f"s{j}", draw(scores) / 1000) for i, j in pairs]
    return edges, capacities


@settings(max_examples=300)
@given(instances())
def test_solve_finds_the_most_matches_then_the_best_total_like_brute_force(instance):
    edges, capacities = instance

    assignment = solve(edges, capacities)

    assert_feasible(assignment, capacities)
    assert set(assignment) <= {(e.member_id, e.supporter_id) for e in edges}
    assert value(assignment, edges) == brute_force(edges, capacities)


def test_matching_one_more_member_beats_any_score_gain():
    edges = [edge("a", "popular", 1.0), edge("a", "other", 0.0), edge("b", "popular", 0.0)]

    assignment = solve(edges, {"popular": 1, "other": 1})

    assert sorted(assignment) == [("a", "other"), ("b", "popular")]


@settings(max_examples=100)
@given(cohorts() | open_cohorts(), weights_strategy, st.integers(1, 4))
def test_candidates_and_solution_never_break_a_hard_filter_or_a_capacity(cohort, weights, top_k):
    member_list, supporter_list = cohort
    capacities = {s.id: max(s.capacity_left, 0) for s in supporter_list}
    member_by_id = {m.id: m for m in member_list}
    supporter_by_id = {s.id: s for s in supporter_list}

    edges = candidate_edges(member_list, supporter_list, weights, top_k=top_k)
    assignment = solve(edges, capacities)

    for e in edges:
        member, supporter = member_by_id[e.member_id], supporter_by_id[e.supporter_id]
        assert hard_filter(member, supporter) is None
        assert e.total == score(member, supporter, weights).total
    assert_feasible(assignment, capacities)


@settings(max_examples=100)
@given(open_cohorts(), weights_strategy, st.integers(1, 3))
def test_candidates_keep_each_members_and_each_supporters_top_k(cohort, weights, top_k):
    member_list, supporter_list = cohort
    allowed = {
        (m.id, s.id): score(m, s, weights).total
        for m in member_list
        for s in supporter_list
        if hard_filter(m, s) is None
    }

    kept = {
        (e.member_id, e.supporter_id)
        for e in candidate_edges(member_list, supporter_list, weights, top_k)
    }

    for side in (0, 1):
        for person in {pair[side] for pair in allowed}:
            mine = sorted((t for p, t in allowed.items() if p[side] == person), reverse=True)
            kth_best = mine[min(top_k, len(mine)) - 1]
            assert len([p for p in kept if p[side] == person]) >= min(top_k, len(mine))
            assert {p for p, t in allowed.items() if p[side] == person and t > kth_best} <= kept


@given(cohorts(), weights_strategy)
def test_candidates_come_in_a_stable_order_best_first_per_member(cohort, weights):
    member_list, supporter_list = cohort

    edges = candidate_edges(member_list, supporter_list, weights, top_k=2)

    assert edges == candidate_edges(member_list, supporter_list, weights, top_k=2)
    position = {m.id: i for i, m in enumerate(member_list)}
    keys = [(position[e.member_id], -e.total) for e in edges]
    assert keys == sorted(keys)


def test_a_member_of_another_program_is_never_a_candidate():
    supporter = SupporterProfile(id="s", program_id="north", languages=frozenset({"en"}))
    insider = MemberProfile(id="in", program_id="north", languages=frozenset({"en"}))
    outsider = MemberProfile(id="out", program_id="south", languages=frozenset({"en"}))

    edges = candidate_edges([outsider, insider], [supporter], Weights(), top_k=5)

    assert [(e.member_id, e.supporter_id) for e in edges] == [("in", "s")]


def test_supporters_top_k_keeps_the_optimum_that_members_top_k_alone_loses():
    def supporter(id, areas):
        return SupporterProfile(
            id=id, program_id="p", languages=frozenset({"en"}), areas=frozenset(areas)
        )

    def member(id, wants):
        return MemberProfile(
            id=id, program_id="p", languages=frozenset({"en"}), wants_help_with=frozenset(wants)
        )

    # Both members like the popular supporter best; only the supporters' own lists remember
    # that "quiet" suits "b" better than "a".
    supporters = [supporter("popular", {"alcohol", "grief"}), supporter("quiet", {"grief"})]
    members = [member("a", {"alcohol"}), member("b", {"alcohol", "grief"})]
    capacities = {"popular": 1, "quiet": 1}
    weights = Weights()
    every_edge = candidate_edges(members, supporters, weights, top_k=10)
    members_top_1 = [
        next(e for e in every_edge if e.member_id == m.id) for m in members
    ]  # edges come best first per member

    optimum = value(solve(every_edge, capacities), every_edge)
    pruned = candidate_edges(members, supporters, weights, top_k=1)

    assert {e.supporter_id for e in members_top_1} == {"popular"}
    assert value(solve(members_top_1, capacities), every_edge)[0] == 1
    assert (
        value(solve(pruned, capacities), every_edge)
        == optimum
        == brute_force(every_edge, capacities)
    )
    assert optimum[0] == 2


def test_solve_with_no_edges_matches_nobody():
    assert solve([], {"s": 1}) == []


@pytest.mark.parametrize(
    ("edges", "capacities", "message"),
    [
        ([edge("m", "s", 1.0)], {"s": -1}, "capacity of supporter 's' is negative"),
        ([edge("m", "s", 1.0)], {"s": 1.5}, "capacity of supporter 's' must be a whole number"),
        ([edge("m", "ghost", 1.0)], {"s": 1}, "unknown supporter 'ghost'"),
        ([edge("m", "s", 1.0), edge("m", "s", 0.5)], {"s": 1}, "given more than once"),
        ([edge("m", "s", float("nan"))], {"s": 1}, "not a finite number"),
    ],
)
def test_solve_refuses_bad_input_naming_the_problem(edges, capacities, message):
    with pytest.raises(SolveError, match=message):
        solve(edges, capacities)


def test_candidate_edges_needs_a_positive_top_k():
    with pytest.raises(ValueError, match="top_k"):
        candidate_edges([], [], Weights(), top_k=0)
