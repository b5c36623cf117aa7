"""Exact capacitated matching of members to supporters, with no Django.

`candidate_edges` keeps the promising pairs; `solve` picks among them first the largest number of
matched members and then, among those, the highest total score, as a min-cost flow (OR-Tools).
Edges carry only the numeric total: `scoring.score` builds the reasons for the few pairs a person
will actually look at, which would otherwise dominate the time and memory of a whole cohort.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from ortools.graph.python import min_cost_flow

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


SupporterId = TypeVar("SupporterId", bound=Hashable)


class SolveError(ValueError):
    """The edges or capacities handed to solve() make no sense."""


@dataclass(frozen=True, slots=True)
class Edge:
    member_id: Id
    supporter_id: Id
    # Equal to scoring.score(member, supporter, weights).total, bit for bit.
    total: float


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
    for supporter_id, capacity in capacities.items():
        if isinstance(capacity, bool) or not isinstance(capacity, int | np.integer):
            raise SolveError(f"capacity of supporter {supporter_id!r} must be a whole number")
        if capacity < 0:
            raise SolveError(f"capacity of supporter {supporter_id!r} is negative ({capacity})")
    member_node: dict[Id, int] = {}
    supporter_node: dict[Hashable, int] = {s: i for i, s in enumerate(capacities)}
    seen: set[tuple[Id, Id]] = set()
    tails, heads, costs = [], [], []
    with _no_cycle_collection():
        for edge in edges:
            pair = (edge.member_id, edge.supporter_id)
            if edge.supporter_id not in supporter_node:
                raise SolveError(f"edge {pair!r} goes to unknown supporter {edge.supporter_id!r}")
            if pair in seen:
                raise SolveError(f"edge {pair!r} is given more than once")
            if not math.isfinite(edge.total):
                raise SolveError(f"edge {pair!r} has a score that is not a finite number")
            seen.add(pair)
            tails.append(member_node.setdefault(edge.member_id, len(member_node)))
            heads.append(supporter_node[edge.supporter_id])
            costs.append(-round(edge.total * SCALE))
    if not member_node:
        return []

    n_members, n_supporters = len(member_node), len(supporter_node)
    sink = n_members + n_supporters
    # Each member node supplies one unit (the same as a source arc of capacity 1 to each member).
    # It reaches the sink through a supporter, or through its own "unmatched" arc whose penalty is
    # more than any difference in total score, so matching one more member always wins.
    scores = -np.array(costs, dtype=np.int64)
    spread = max(int(scores.max()), 0) - min(int(scores.min()), 0)
    unmatched_cost = n_members * spread + 1
    member_nodes = np.arange(n_members, dtype=np.int64)
    supporter_nodes = np.arange(n_members, sink, dtype=np.int64)
    tail = np.concatenate([np.array(tails, dtype=np.int64), member_nodes, supporter_nodes])
    head = np.concatenate(
        [
            np.array(heads, dtype=np.int64) + n_members,
            np.full(n_members, sink, dtype=np.int64),
            np.full(n_supporters, sink, dtype=np.int64),
        ]
    )
    arc_capacity = np.concatenate(
        [
            np.ones(len(tails) + n_members, dtype=np.int64),
            np.fromiter(capacities.values(), dtype=np.int64, count=n_supporters),
        ]
    )
    cost = np.concatenate(
        [
            np.array(costs, dtype=np.int64),
            np.full(n_members, unmatched_cost, dtype=np.int64),
            np.zeros(n_supporters, dtype=np.int64),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tail, head, arc_capacity, cost)
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_members] = 1
    supplies[sink] = -n_members
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")

    used = np.flatnonzero(flow.flows(arcs[: len(tails)]))
    member_ids = list(member_node)
    supporter_ids = list(capacities)
    return [(member_ids[tails[i]], supporter_ids[heads[i]]) for i in used]
