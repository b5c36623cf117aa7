"""Exact capacitated matching of members to supporters, with no Django.

    python -m alongside.pairing.solve --candidates C.csv --capacities S.csv --output A.csv

solves the cohort in the CSV files described in `files` (see --help), writes the assignment and
prints one JSON line: {"matched": ..., "total_score": ..., "seconds": ...}.

`candidate_edges` keeps the promising pairs; `solve` picks among them first the largest number of
matched members and then, among those, the highest total score, as a min-cost flow (OR-Tools).
With up to 600 supporters it first solves on the best-scoring edges only and keeps that result
when seat prices prove it optimal over all edges (LP duality), which halved the time at 1k members.
Edges carry only the numeric total: `scoring.score` builds the reasons for the few pairs a person
will actually look at, which would otherwise dominate the time and memory of a whole cohort.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
import time
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from alongside.pairing import files
from alongside.pairing.scoring import (
    Id,
    MemberProfile,
    SupporterIndex,
    SupporterProfile,
    Weights,
)

# Scores become integer costs at this resolution; differences below 1/SCALE are ties to the solver.
SCALE = 1000
# Members scored against all supporters per NumPy step: bounds the temporary arrays to ~100 MB.
_CELLS_PER_BLOCK = 2_000_000
# Up to this many supporters, solve_indexed first solves on the best edges only and proves that
# optimum exact over all of them (_solve_on_best_edges); beyond it the proof's dense
# supporter-by-supporter matrix costs more than it saves (3k x 1k: 50 ms lost).
_CERTIFIED_MAX_SUPPORTERS = 600
# Shares of the edges tried in turn, best scores first. On the benchmark's cohorts the best 15 %
# held the optimum at 0.9 seats per member, the best 20 % up to 3 seats per member.
_CERTIFIED_SHARES = (0.15, 0.3)
# Price passes before the proof gives up (the cohort is then solved on all edges): prices settled
# within 47 passes on 300 to 600 supporters.
_CERTIFIED_MAX_PASSES = 60
# Passes before the proof starts watching for a growing cycle; most proofs settle within them.
_UNWATCHED_PASSES = 8
# "No arc" in the int32 price search, far above any path length (_certificate_fits checks).
_FAR = 2**30


SupporterId = TypeVar("SupporterId", bound=Hashable)


class SolveError(ValueError):
    """The edges or capacities handed to solve() make no sense."""


@dataclass(frozen=True, slots=True)
class Edge:
    member_id: Id
    supporter_id: Id
    # Equal to scoring.score(member, supporter, weights).total, bit for bit.
    total: float


_member_id = attrgetter("member_id")
_supporter_id = attrgetter("supporter_id")
_total = attrgetter("total")


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while building or walking many small acyclic objects.

    Hundreds of thousands of edges otherwise trigger collection after collection of a large heap
    that holds no cycles: it doubled the time of candidate_edges, and cost solve() 2.5 s of its 3 s
    on 220k edges.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def candidate_edges(
    members: Sequence[MemberProfile],
    supporters: Sequence[SupporterProfile],
    weights: Weights,
    top_k: int = 20,
) -> list[Edge]:
    """The allowed pairs among each member's top_k supporters and each supporter's top_k members.

    Members' top K alone loses the optimum when many members want the same popular supporters: the
    others then have no edge to anyone who is still free. Each supporter's own top K keeps an edge to
    the members who suit them best, so those members can be moved there.
    Ordered by member (input order), best score first, then supporter input order.
    """
    if top_k < 1:
        raise ValueError("top_k must be at least 1")
    if not members or not supporters:
        return []
    index = SupporterIndex(supporters)
    n_supporters = len(supporters)
    k_members = min(top_k, n_supporters)
    block = max(1, _CELLS_PER_BLOCK // n_supporters)

    kept_cells: list[np.ndarray] = []
    kept_totals: list[np.ndarray] = []
    # Running best top_k members of every supporter: scores and member positions, top_k rows.
    best_scores = np.full((0, n_supporters), -np.inf)
    best_members = np.zeros((0, n_supporters), dtype=np.int64)
    for start in range(0, len(members), block):
        totals = index.totals(members[start : start + block], weights)
        rows = np.arange(start, start + totals.shape[0], dtype=np.int64)

        top = np.argpartition(-totals, k_members - 1, axis=1)[:, :k_members]
        top_scores = np.take_along_axis(totals, top, axis=1)
        ok = np.isfinite(top_scores)
        kept_cells.append(np.repeat(rows, k_members)[ok.ravel()] * n_supporters + top[ok])
        kept_totals.append(top_scores[ok])

        scores = np.vstack([best_scores, totals])
        positions = np.vstack([best_members, np.repeat(rows[:, None], n_supporters, axis=1)])
        if scores.shape[0] > top_k:
            best = np.argpartition(-scores, top_k - 1, axis=0)[:top_k]
            scores = np.take_along_axis(scores, best, axis=0)
            positions = np.take_along_axis(positions, best, axis=0)
        best_scores, best_members = scores, positions
    ok = np.isfinite(best_scores)
    columns = np.broadcast_to(np.arange(n_supporters), best_scores.shape)
    kept_cells.append(best_members[ok] * n_supporters + columns[ok])
    kept_totals.append(best_scores[ok])

    # A pair kept from both sides appears twice with the same total; keep it once.
    cells, first = np.unique(np.concatenate(kept_cells), return_index=True)
    totals_kept = np.concatenate(kept_totals)[first]
    member_rows, supporter_columns = np.divmod(cells, n_supporters)
    # By member (input order), best first; lexsort is stable, so ties keep supporter order.
    order = np.lexsort((-totals_kept, member_rows))
    member_ids = [members[m].id for m in member_rows[order].tolist()]
    supporter_ids = [supporters[s].id for s in supporter_columns[order].tolist()]
    with _no_cycle_collection():
        return [
            Edge(m, s, t)
            for m, s, t in zip(member_ids, supporter_ids, totals_kept[order].tolist(), strict=True)
        ]


def solve(
    edges: Sequence[Edge], capacities: Mapping[SupporterId, int]
) -> list[tuple[Id, SupporterId]]:
    """The (member_id, supporter_id) pairs matching the most members, then the highest total score.

    No supporter gets more members than their capacity, no member more than one supporter.
    Scores count at a resolution of 1/SCALE. Raises SolveError on bad input, naming the problem.
    """
    # Columns built with map() rather than a loop over the edges: 5M edges took 7 s in a loop.
    with _no_cycle_collection():
        member_ids = list(map(_member_id, edges))
        supporter_ids = list(map(_supporter_id, edges))
    totals = np.fromiter(map(_total, edges), dtype=np.float64, count=len(edges))
    return solve_columns(member_ids, supporter_ids, totals, capacities)


def solve_columns(
    member_ids: Sequence[Id],
    supporter_ids: Sequence[SupporterId],
    totals: Sequence[float] | npt.NDArray[np.float64],
    capacities: Mapping[SupporterId, int],
) -> list[tuple[Id, SupporterId]]:
    """solve() for edges given as three equally long columns, which saves building Edge objects."""
    if not len(member_ids) == len(supporter_ids) == len(totals):
        raise SolveError("member_ids, supporter_ids and totals must be equally long")
    for supporter_id, capacity in capacities.items():
        if isinstance(capacity, bool) or not isinstance(capacity, int | np.integer):
            raise SolveError(f"capacity of supporter {supporter_id!r} must be a whole number")
        if capacity < 0:
            raise SolveError(f"capacity of supporter {supporter_id!r} is negative ({capacity})")
    n_edges = len(member_ids)
    if not n_edges:
        return []
    scores = np.asarray(totals, dtype=np.float64)
    member_node = {m: i for i, m in enumerate(dict.fromkeys(member_ids))}
    supporter_node: dict[Hashable, int] = {s: i for i, s in enumerate(capacities)}
    n_supporters = len(supporter_node)
    tails = np.fromiter(map(member_node.__getitem__, member_ids), np.int64, count=n_edges)
    heads = np.fromiter(map(supporter_node.get, supporter_ids, repeat(-1)), np.int64, count=n_edges)
    _refuse_bad_edges(member_ids, supporter_ids, tails, heads, scores, n_supporters)
    used = solve_indexed(
        tails,
        heads,
        scores,
        np.fromiter(capacities.values(), dtype=np.int64, count=n_supporters),
        n_members=len(member_node),
    )
    return [(member_ids[i], supporter_ids[i]) for i in used.tolist()]


def solve_indexed(
    members: npt.NDArray[np.integer],
    supporters: npt.NDArray[np.integer],
    scores: npt.NDArray[np.floating],
    capacities: npt.NDArray[np.integer],
    *,
    n_members: int | None = None,
) -> npt.NDArray[np.intp]:
    """The positions of the chosen edges, in edge order, for edges already given as codes.

    Edge i joins member `members[i]` (0 to n_members - 1, by default the largest code + 1) to
    supporter `supporters[i]` (a position in `capacities`) with score `scores[i]`. The caller
    guarantees what solve_columns checks: codes in range, no pair twice, finite scores, and
    capacities of 0 or more. This is the whole solver, with no Python loop over the edges.
    """
    n_edges = len(members)
    if not n_edges:
        return np.zeros(0, dtype=np.intp)
    if n_members is None:
        n_members = int(np.max(members)) + 1
    points = np.rint(np.asarray(scores, dtype=np.float64) * SCALE).astype(np.int64)
    units = np.asarray(capacities, dtype=np.int64)
    if len(units) <= _CERTIFIED_MAX_SUPPORTERS and _certificate_fits(points, units, n_members):
        for share in _CERTIFIED_SHARES:
            chosen = _solve_on_best_edges(members, supporters, points, units, n_members, share)
            if chosen is not None:
                return chosen
    return _min_cost_flow(members, supporters, points, units, n_members)


def _solve_on_best_edges(
    members: npt.NDArray[np.integer],
    supporters: npt.NDArray[np.integer],
    points: npt.NDArray[np.int64],
    capacities: npt.NDArray[np.int64],
    n_members: int,
    share: float,
) -> npt.NDArray[np.intp] | None:
    """The optimum among the best `share` of the edges by points, if it is optimal among all.

    The flow solver spends most of its time on edges the optimum never uses: on 1k members x 300
    supporters, solving on the best 15 % and proving the result optimal over every edge
    (_is_optimal) took less than half the time of one solve on all of them. None when the proof
    fails, which only means the optimum needs a weaker edge, or when the share is all edges.
    """
    n_edges = len(points)
    cut = int(n_edges * (1 - share))
    if cut <= 0:
        return None
    best = np.flatnonzero(points >= np.partition(points, cut)[cut])
    if len(best) == n_edges:
        return None
    chosen = best[
        _min_cost_flow(members[best], supporters[best], points[best], capacities, n_members)
    ]
    if not _is_optimal(members, supporters, points, capacities, n_members, chosen):
        return None
    return chosen


def _certificate_fits(
    points: npt.NDArray[np.int64], capacities: npt.NDArray[np.int64], n_members: int
) -> bool:
    """Whether the points and every path length in _is_optimal fit in int32 with _FAR to spare."""
    low, high = int(points.min()), int(points.max())
    bonus = (high - low) * min(n_members, int(capacities.sum())) + 1
    return max(-low, high, bonus + (high - low) * (len(capacities) + 2)) < _FAR


def _is_optimal(
    members: npt.NDArray[np.integer],
    supporters: npt.NDArray[np.integer],
    points: npt.NDArray[np.int64],
    capacities: npt.NDArray[np.int64],
    n_members: int,
    chosen: npt.NDArray[np.intp],
) -> bool:
    """Whether the chosen edges (a feasible matching) are optimal among ALL the edges.

    Linear-programming duality for bipartite b-matching: matching k members is worth
    k * bonus + their points, with a bonus above any total of points, so the maximum weight is
    our lexicographic optimum. The matching is optimal exactly when supporters can be given seat
    prices p >= 0, zero where a seat is left free, such that no member would gain by moving: for
    every edge (m, s), bonus + points(m, s) - p[s] <= what m gets now (their own edge's weight
    minus its supporter's price, or 0 if unmatched), and what matched members get is >= 0.
    The least such prices are longest paths: a member matched to a forces p[s] >= p[a] +
    points(m, s) - points(m, a), an unmatched one p[s] >= bonus + points(m, s). They are found by
    Bellman-Ford over the supporters (as shortest paths of the negated lengths); a cycle that
    keeps growing them is an exchange that would improve the matching.
    """
    n_supporters = len(capacities)
    low = int(points.min())
    bonus = (int(points.max()) - low) * min(n_members, int(capacities.sum())) + 1
    # Node n_supporters is the root: the arcs of unmatched members start there.
    assigned = np.full(n_members, n_supporters, dtype=np.int64)
    assigned[members[chosen]] = supporters[chosen]
    # Arc lengths are base[m] - points(m, s): points(m, a) - points(m, s) for a member matched
    # to a, -(bonus + points(m, s) - low) for an unmatched one (points counted from the lowest).
    base = np.full(n_members, low - bonus, dtype=np.int32)
    base[members[chosen]] = points[chosen]
    lengths = base[members] - points.astype(np.int32)
    nodes = n_supporters + 1
    # Row t holds the shortest arc from t to each node: int32 halves the time of the passes.
    flat = np.full(nodes * nodes, _FAR, dtype=np.int32)
    np.minimum.at(flat, assigned[members] * nodes + supporters, lengths)
    arcs = flat.reshape(nodes, nodes)
    distance = np.minimum(arcs[n_supporters], 0)  # prices are >= 0
    distance[n_supporters] = 0
    # Bellman-Ford passes from the nodes that came closer in the last one only. Without a
    # growing cycle the prices settle within `nodes` passes, in practice far fewer; giving up
    # sooner only costs a solve on more edges, never a wrong answer.
    closer = np.arange(nodes)
    # Each node's last improving predecessor, once most proofs have settled: a cycle among them
    # is a growing cycle (it holds only pointers set on improvement, so it has negative length),
    # which ends a failing proof within a few passes instead of at the pass limit.
    parent = np.full(nodes, n_supporters)
    for done in range(1, min(nodes, _CERTIFIED_MAX_PASSES) + 1):
        sums = arcs[closer] + distance[closer, None]
        reach = sums.min(axis=0)
        improved = np.flatnonzero(reach < distance)
        if not len(improved):
            break
        distance[improved] = reach[improved]
        if done > _UNWATCHED_PASSES:
            parent[improved] = closer[sums[:, improved].argmin(axis=0)]
            if done % _UNWATCHED_PASSES == 0 and _has_cycle(parent, n_supporters):
                return False
        closer = improved
    else:
        return False
    prices = -distance[:n_supporters].astype(np.int64)
    load = np.bincount(supporters[chosen], minlength=n_supporters)
    if (prices[load < capacities] > 0).any():
        return False
    matched = assigned < n_supporters
    gains = bonus + base[matched].astype(np.int64) - low - prices[assigned[matched]]
    return bool((gains >= 0).all())


def _has_cycle(parent: npt.NDArray[np.intp], root: int) -> bool:
    """Whether following parent pointers from some node never reaches the root."""
    ancestor = parent
    for _ in range(max(1, len(parent)).bit_length()):
        ancestor = ancestor[ancestor]
    return bool((ancestor != root).any())


def _min_cost_flow(
    members: npt.NDArray[np.integer],
    supporters: npt.NDArray[np.integer],
    points: npt.NDArray[np.int64],
    capacities: npt.NDArray[np.int64],
    n_members: int,
) -> npt.NDArray[np.intp]:
    """solve_indexed() on all the given edges by OR-Tools' min-cost flow, scores in points."""
    n_edges = len(members)
    n_supporters = len(capacities)
    # Members supply one unit each; the sink takes what the supporters' capacity arcs let through.
    # Maximum flow with minimum cost is exactly "most members matched, then the best total", and
    # keeps the costs within the score range, which made OR-Tools twice as fast as pricing an
    # "unmatched" arc above any difference in total score. Every maximum flow uses the same
    # number of member arcs, so pricing each at (best - score) instead of -score changes no
    # choice; costs of 0 or more were about 5 % faster.
    costs = np.zeros(n_edges + n_supporters, dtype=np.int64)
    np.subtract(points.max(), points, out=costs[:n_edges])
    sink = n_members + n_supporters
    tails = np.empty(n_edges + n_supporters, dtype=np.int64)
    tails[:n_edges] = members
    tails[n_edges:] = np.arange(n_members, sink)
    heads = np.empty(n_edges + n_supporters, dtype=np.int64)
    np.add(supporters, n_members, out=heads[:n_edges])
    heads[n_edges:] = sink
    arc_capacities = np.ones(n_edges + n_supporters, dtype=np.int64)
    arc_capacities[n_edges:] = capacities
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, arc_capacities, costs)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_members] = 1
    supplies[sink] = -n_members
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int64), supplies)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    return np.flatnonzero(flow.flows(arcs[:n_edges]))


def _refuse_bad_edges(
    member_ids: Sequence[Id],
    supporter_ids: Sequence[Hashable],
    tails: npt.NDArray[np.int64],
    heads: npt.NDArray[np.int64],
    totals: npt.NDArray[np.float64],
    n_supporters: int,
) -> None:
    """Raise SolveError for the first edge that is not usable, with the first thing wrong with it."""
    unknown = heads < 0
    # Unknown supporters share one column here; that can only flag a pair that comes after its
    # own unknown-supporter edge, which is reported first.
    cells = tails * (n_supporters + 1) + np.where(unknown, n_supporters, heads)
    order = np.argsort(cells, kind="stable")
    repeated = np.zeros(len(cells), dtype=np.bool_)
    repeated[order[1:][cells[order[1:]] == cells[order[:-1]]]] = True
    not_finite = ~np.isfinite(totals)
    bad = unknown | repeated | not_finite
    if not bad.any():
        return
    first = int(np.argmax(bad))
    pair = (member_ids[first], supporter_ids[first])
    if unknown[first]:
        raise SolveError(f"edge {pair!r} goes to unknown supporter {supporter_ids[first]!r}")
    if repeated[first]:
        raise SolveError(f"edge {pair!r} is given more than once")
    raise SolveError(f"edge {pair!r} has a score that is not a finite number")


def main(argv: Sequence[str] | None = None) -> int:
    """Solve the cohort in the candidate and capacity files, write the assignment, report in JSON.

    Returns the exit status: 0, or 1 after printing to stderr which file and line is wrong, in
    which case nothing has been written.
    """
    parser = argparse.ArgumentParser(
        prog="python -m alongside.pairing.solve",
        description=(
            "Match the most members, then the highest total score, within supporters' capacities. "
            "Prints one JSON line: matched members, their total score, and the seconds spent "
            "solving (reading and writing the files not included)."
        ),
    )
    parser.add_argument(
        "--candidates", required=True, help="CSV with header member_id,supporter_id,score (0 to 1)"
    )
    parser.add_argument(
        "--capacities", required=True, help="CSV with header supporter_id,capacity (0 or more)"
    )
    parser.add_argument(
        "--output", required=True, help="CSV written with header member_id,supporter_id"
    )
    args = parser.parse_args(argv)
    try:
        with _no_cycle_collection():
            capacities = files.read_capacities(args.capacities)
            candidates = files.read_candidates(args.candidates, capacities, args.capacities)
            # read_candidates has checked what solve_columns would: straight to the codes.
            started = time.perf_counter()
            chosen = solve_indexed(
                candidates.member_codes,
                candidates.supporter_codes,
                candidates.scores,
                np.fromiter(capacities.values(), dtype=np.int64, count=len(capacities)),
                n_members=len(candidates.member_names),
            )
            seconds = time.perf_counter() - started
            member_names, supporter_names = candidates.member_names, candidates.supporter_names
            assignment = zip(
                map(member_names.__getitem__, candidates.member_codes[chosen].tolist()),
                map(supporter_names.__getitem__, candidates.supporter_codes[chosen].tolist()),
                strict=True,
            )
            files.write_assignment(args.output, assignment)
    except files.FileProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    total_score = math.fsum(candidates.scores[chosen].tolist())
    report = {
        "matched": len(chosen),
        "total_score": round(total_score, 6),
        "seconds": round(seconds, 3),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
