import itertools
from collections import Counter

import numpy as np
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
from alongside.pairing.solve import (
    SCALE,
    Edge,
    SolveError,
    _is_optimal,
    _min_cost_flow,
    _solve_on_best_edges,
    candidate_edges,
    solve,
    solve_indexed,
)
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


def as_codes(edges, capacities):
    """solve_indexed's arrays for the edges: member codes, supporter codes, points, capacities."""
    member_code = {m: i for i, m in enumerate(dict.fromkeys(e.member_id for e in edges))}
    supporter_code = {s: j for j, s in enumerate(capacities)}
    return (
        np.array([member_code[e.member_id] for e in edges], dtype=np.int64),
        np.array([supporter_code[e.supporter_id] for e in edges], dtype=np.int64),
        np.array([round(e.total * SCALE) for e in edges], dtype=np.int64),
        np.array(list(capacities.values()), dtype=np.int64),
        len(member_code),
    )


@settings(max_examples=300)
@given(instances(), st.randoms(use_true_random=False))
def test_the_optimality_proof_accepts_exactly_the_optimal_matchings(instance, random):
    edges, capacities = instance
    if not edges:
        return
    members, supporters, points, units, n_members = as_codes(edges, capacities)
    # Any feasible matching: edges taken in a random order while both sides have room.
    left = units.copy()
    taken: set[int] = set()
    chosen = []
    for i in random.sample(range(len(edges)), len(edges)):
        if random.random() < 0.8 and left[supporters[i]] and members[i] not in taken:
            left[supporters[i]] -= 1
            taken.add(members[i])
            chosen.append(i)
    matching = [(edges[i].member_id, edges[i].supporter_id) for i in chosen]
    optimal = value(matching, edges) == brute_force(edges, capacities)

    proved = _is_optimal(members, supporters, points, units, n_members, np.array(chosen, np.intp))

    assert proved == optimal


@settings(max_examples=200)
@given(instances(), st.sampled_from([0.2, 0.5, 0.8]))
def test_solving_on_the_best_edges_returns_the_optimum_or_nothing(instance, share):
    edges, capacities = instance
    if not edges:
        return
    members, supporters, points, units, n_members = as_codes(edges, capacities)

    chosen = _solve_on_best_edges(members, supporters, points, units, n_members, share)

    if chosen is not None:
        matching = [(edges[i].member_id, edges[i].supporter_id) for i in chosen.tolist()]
        assert_feasible(matching, capacities)
        assert value(matching, edges) == brute_force(edges, capacities)


def test_when_the_best_edges_miss_the_optimum_all_edges_are_solved():
    # Every member's best edge goes to one supporter with one seat: the best edges alone match
    # one member, while the weaker edges to the others' own supporters match all of them.
    n = 20
    members = np.concatenate([np.arange(n), np.arange(n)])
    supporters = np.concatenate([np.zeros(n, np.int64), np.arange(1, n + 1)])
    scores = np.concatenate([np.full(n, 1.0), np.full(n, 0.1)])
    capacities = np.ones(n + 1, dtype=np.int64)
    points = np.rint(scores * SCALE).astype(np.int64)

    assert _solve_on_best_edges(members, supporters, points, capacities, n, 0.3) is None
    chosen = solve_indexed(members, supporters, scores, capacities)

    assert len(chosen) == n
    assert points[chosen].sum() == 1000 + (n - 1) * 100


def test_solve_indexed_equals_the_flow_on_all_edges_for_seeded_cohorts():
    rng = np.random.default_rng(7)
    proved = 0
    for _ in range(20):
        n_members, n_supporters, per_member = 400, 120, 30
        members = np.repeat(np.arange(n_members), per_member)
        supporters = np.concatenate(
            [rng.choice(n_supporters, per_member, replace=False) for _ in range(n_members)]
        )
        points = rng.integers(0, SCALE + 1, len(members))
        capacities = rng.integers(1, 6, n_supporters)
        flow = _min_cost_flow(members, supporters, points, capacities, n_members)

        chosen = solve_indexed(members, supporters, points / SCALE, capacities)

        assert (len(chosen), points[chosen].sum()) == (len(flow), points[flow].sum())
        assert (np.bincount(supporters[chosen], minlength=n_supporters) <= capacities).all()
        assert len(set(members[chosen].tolist())) == len(chosen)
        proved += (
            _solve_on_best_edges(members, supporters, points, capacities, n_members, 0.3)
            is not None
        )
    # The fast path is what these cohorts exercise, not only the fallback.
    assert proved > 10


@pytest.mark.parametrize(("low", "high"), [(-3, 3), (1e5, 1e5 + 1), (-2e6, 2e6)])
def test_scores_outside_zero_to_one_give_the_flows_optimum(low, high):
    # Points beyond int32 must not reach the proof's int32 arithmetic.
    rng = np.random.default_rng(3)
    members = np.repeat(np.arange(200), 10)
    supporters = np.concatenate([rng.choice(50, 10, replace=False) for _ in range(200)])
    scores = np.round(rng.uniform(low, high, len(members)), 3)
    capacities = rng.integers(1, 4, 50)
    points = np.rint(scores * SCALE).astype(np.int64)
    flow = _min_cost_flow(members, supporters, points, capacities, 200)

    chosen = solve_indexed(members, supporters, scores, capacities)

    assert (len(chosen), points[chosen].sum()) == (len(flow), points[flow].sum())


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
