"""Time candidate generation and exact matching on a seeded random cohort.

    python -m bench.pairing_solve [--members 10000 --supporters 3000] [--top-k 20] [--seed 1]

Popular areas of concern are much more common than rare ones, so many members compete for the
same supporters, which is where pruning and greedy matching go wrong.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from alongside.pairing.scoring import MemberProfile, SupporterProfile, Weights, score
from alongside.pairing.solve import candidate_edges, solve

# Design note: OR-Tools SimpleMinCostFlow solved 100k members x 30k supporters in 5.8 s.
PEER_SIZE = (100_000, 30_000)
PEER_SOLVE_SECONDS = 5.8

AREAS = [f"area{i:02d}" for i in range(28)]
AREA_WEIGHTS = [1 / (rank + 1) for rank in range(len(AREAS))]
EXPERIENCES = ["alcohol", "opioids", "stimulants", "cannabis", "gambling", "nicotine", "eating"]
OFFSETS = [-5.0, -6.0, -7.0, -8.0, -10.0]
MODALITIES = ["chat", "phone", "video", "in_person"]
IDENTITIES = ["veteran", "lgbtq", "parent", "faith"]
PROGRAM = "bench"


def _areas(rng: random.Random, most: int) -> frozenset[str]:
    return frozenset(rng.choices(AREAS, AREA_WEIGHTS, k=rng.randint(1, most)))


def _languages(rng: random.Random) -> frozenset[str]:
    spoken = {
        code for code, share in (("en", 0.92), ("es", 0.25), ("vi", 0.04)) if rng.random() < share
    }
    return frozenset(spoken or {"en"})


def _availability(rng: random.Random) -> frozenset[int]:
    hours: set[int] = set()
    for _ in range(rng.randint(1, 4)):
        start = rng.randrange(168)
        hours.update(slot % 168 for slot in range(start, start + rng.randint(1, 4)))
    return frozenset(hours)


def _some(rng: random.Random, items: list[str], share: float) -> frozenset[str]:
    return frozenset(item for item in items if rng.random() < share)


def cohort(
    n_members: int, n_supporters: int, seed: int
) -> tuple[list[MemberProfile], list[SupporterProfile]]:
    rng = random.Random(seed)
    supporters = [
        SupporterProfile(
            id=i,
            program_id=PROGRAM,
            areas=_areas(rng, 4),
            experiences=frozenset(rng.sample(EXPERIENCES, rng.randint(1, 2))),
            years_in_recovery=round(rng.uniform(0.5, 15), 1),
            languages=_languages(rng),
            utc_offset_hours=rng.choice(OFFSETS),
            availability=_availability(rng),
            modalities=frozenset(rng.sample(MODALITIES, rng.randint(1, 3))),
            identities=_some(rng, IDENTITIES, 0.15),
            capacity_left=rng.randint(1, 5),
            active=rng.random() < 0.95,
        )
        for i in range(n_supporters)
    ]
    members = []
    for i in range(n_members):
        preferences: dict = dict.fromkeys(_some(rng, IDENTITIES, 0.05), "nice")
        if rng.random() < 0.02:
            preferences[rng.choice(IDENTITIES)] = "required"
        members.append(
            MemberProfile(
                id=n_supporters + i,
                program_id=PROGRAM,
                wants_help_with=_areas(rng, 3),
                experiences=frozenset(rng.sample(EXPERIENCES, 1)),
                languages=_languages(rng),
                utc_offset_hours=rng.choice(OFFSETS),
                availability=_availability(rng),
                modalities=frozenset(rng.sample(MODALITIES, rng.randint(1, 2))),
                identity_preferences=preferences,
                modality_required=rng.random() < 0.1,
                blocked_supporters=frozenset(),
                bad_past_pairings=frozenset(),
            )
        )
    return members, supporters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--supporters", type=int, default=3_000)
    parser.add_argument("--top-k", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    members, supporters = cohort(args.members, args.supporters, args.seed)
    weights = Weights()

    started = time.perf_counter()
    edges = candidate_edges(members, supporters, weights, top_k=args.top_k)
    candidate_seconds = time.perf_counter() - started

    capacities = {s.id: s.capacity_left for s in supporters if s.active}
    started = time.perf_counter()
    assignment = solve(edges, capacities)
    solve_seconds = time.perf_counter() - started

    total_by_pair = {(e.member_id, e.supporter_id): e.total for e in edges}
    total = sum(total_by_pair[pair] for pair in assignment)

    # Reasons are built only for the proposed pairs, which is what a coordinator reviews.
    member_by_id = {m.id: m for m in members}
    supporter_by_id = {s.id: s for s in supporters}
    started = time.perf_counter()
    explained = [score(member_by_id[m], supporter_by_id[s], weights) for m, s in assignment]
    reasons_seconds = time.perf_counter() - started
    assert all(
        e.total == total_by_pair[pair] for e, pair in zip(explained, assignment, strict=True)
    )
    # ru_maxrss is in KiB on Linux.
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = [
        ("members", f"{len(members):,}"),
        ("supporters", f"{len(supporters):,}"),
        ("capacity", f"{sum(capacities.values()):,}"),
        ("edges", f"{len(edges):,}"),
        ("candidate time", f"{candidate_seconds:.2f} s"),
        ("solve time", f"{solve_seconds:.2f} s"),
        ("reasons for proposals", f"{reasons_seconds:.2f} s"),
        ("matched", f"{len(assignment):,}"),
        ("total score", f"{total:,.1f}"),
        ("peak RSS", f"{peak_mib:,.0f} MiB"),
    ]
    if (args.members, args.supporters) == PEER_SIZE:
        rows.append(
            ("solve vs peer 5.8 s", f"{solve_seconds / PEER_SOLVE_SECONDS:.2f}x the peer's time")
        )
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"| {name:<{width}} | {value:>22} |")


if __name__ == "__main__":
    main()
