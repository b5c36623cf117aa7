"""The exact solver's CLI against greedy and SciPy's dense assignment, and instant-match latency.

    python -m bench.matching [--sizes 1000x300,10000x3000,100000x30000] [--seed 1]

Each instance is seeded: capacities 1 to 5, 50 distinct candidates per member drawn with popular
supporters more likely (weight 1/sqrt(rank)), scores in thousandths from 0 to 1. The exact solver
runs as `python -m alongside.pairing.solve` on the instance's CSV files (whole CLI: reading,
solving, writing), and SciPy in a process of its own, so each peak RSS belongs to one size and one
solver (os.wait4 of that child). The speed-up compares like with like: in SciPy's process both
solvers start from the same candidate arrays in memory and end with the chosen pairs, each timed
with the model it needs (our flow graph, SciPy's dense seat matrix); the call alone is shown too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SIZES = "1000x300,10000x3000,100000x30000"
CANDIDATES_PER_MEMBER = 50
DENSE_LIMIT_BYTES = 4 * 2**30
TARGET_SECONDS = 30.0
TARGET_PEAK_GIB = 3.0
TARGET_SPEED_UP = 5.0
TARGET_INSTANT_P95_MS = 50.0
INSTANT_SUPPORTERS = 30_000
INSTANT_NEWCOMERS = 200
# Runs of each solver on the same arrays, the median reported: more where a run takes milliseconds.
REPEATS_SMALL = 9
REPEATS = 3


@dataclass(frozen=True)
class Instance:
    members: np.ndarray  # member index of each candidate row
    supporters: np.ndarray  # supporter index of each candidate row
    scores: np.ndarray  # thousandths
    capacities: np.ndarray


def generate(n_members: int, n_supporters: int, seed: int) -> Instance:
    """A seeded random instance: 50 distinct candidates per member, popular supporters likelier."""
    rng = np.random.default_rng(seed)
    popularity = 1 / np.sqrt(np.arange(1, n_supporters + 1))
    cumulative = np.cumsum(popularity / popularity.sum())
    per_member = min(CANDIDATES_PER_MEMBER, n_supporters)

    def draw(shape: int | tuple[int, int]) -> np.ndarray:
        picks = np.searchsorted(cumulative, rng.random(shape), side="right")
        return np.minimum(picks, n_supporters - 1)

    picks = draw((n_members, per_member))
    while True:
        order = np.argsort(picks, axis=1, kind="stable")
        ordered = np.take_along_axis(picks, order, axis=1)
        rows, columns = np.nonzero(ordered[:, 1:] == ordered[:, :-1])
        if not len(rows):
            break
        picks[rows, order[rows, columns + 1]] = draw(len(rows))
    return Instance(
        members=np.repeat(np.arange(n_members), per_member),
        supporters=picks.ravel(),
        scores=rng.integers(0, 1001, n_members * per_member),
        capacities=rng.integers(1, 6, n_supporters),
    )


def write_files(instance: Instance, directory: Path) -> tuple[Path, Path]:
    candidates, capacities = directory / "C.csv", directory / "S.csv"
    with open(candidates, "w") as file:
        file.write("member_id,supporter_id,score\n")
        step = 500_000
        for start in range(0, len(instance.members), step):
            part = slice(start, start + step)
            file.writelines(
                f"m{m},s{s},{c / 1000:.3f}\n"
                for m, s, c in zip(
                    instance.members[part].tolist(),
                    instance.supporters[part].tolist(),
                    instance.scores[part].tolist(),
                    strict=True,
                )
            )
    with open(capacities, "w") as file:
        file.write("supporter_id,capacity\n")
        file.writelines(f"s{s},{c}\n" for s, c in enumerate(instance.capacities.tolist()))
    return candidates, capacities


def run_measured(
    command: list[str], env: dict[str, str] | None = None
) -> tuple[str, float, float, float]:
    """The child's stdout, its wall and CPU seconds, and its own peak RSS in MiB."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO, env=env)  # noqa: S603
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode:
            raise SystemExit(f"{' '.join(command)} failed:\n{err.read()}")
        # ru_maxrss is in KiB on Linux.
        cpu = usage.ru_utime + usage.ru_stime
        return out.read(), wall, cpu, usage.ru_maxrss / 1024


def assignment_value(instance: Instance, path: Path) -> tuple[int, int]:
    """(matched, total thousandths) of the written assignment, checking it is feasible."""
    with open(path, newline="") as file:
        rows = list(csv.reader(file))[1:]
    members = np.array([int(m[1:]) for m, _ in rows], dtype=np.int64)
    supporters = np.array([int(s[1:]) for _, s in rows], dtype=np.int64)
    assert len(set(members.tolist())) == len(members), "a member was matched twice"
    assert (
        np.bincount(supporters, minlength=len(instance.capacities)) <= instance.capacities
    ).all()
    n_supporters = len(instance.capacities)
    cells = instance.members * n_supporters + instance.supporters
    order = np.argsort(cells)
    wanted = members * n_supporters + supporters
    found = order[np.searchsorted(cells, wanted, sorter=order)]
    assert (cells[found] == wanted).all(), "a pair that is not a candidate"
    return len(rows), int(instance.scores[found].sum())


def greedy(instance: Instance) -> tuple[int, int]:
    """(matched, total thousandths) taking edges best score first while both sides are free."""
    left = instance.capacities.tolist()
    taken: set[int] = set()
    total = 0
    order = np.argsort(-instance.scores, kind="stable")
    for m, s, c in zip(
        instance.members[order].tolist(),
        instance.supporters[order].tolist(),
        instance.scores[order].tolist(),
        strict=True,
    ):
        if left[s] and m not in taken:
            left[s] -= 1
            taken.add(m)
            total += c
    return len(taken), total


def seat_matrix(
    members: np.ndarray, supporters: np.ndarray, points: np.ndarray, capacities: np.ndarray
) -> np.ndarray:
    """SciPy's input: one row per member, one column per unit of capacity (seat), built in one
    scatter. A candidate costs -(bonus + its thousandths) on each of its supporter's seats, a
    non-candidate 0; the bonus makes matching one more member outweigh any difference in total
    score, which is the exact solver's first objective."""
    n_members = int(members.max(initial=-1)) + 1
    first_seat = np.concatenate([[0], np.cumsum(capacities)[:-1]])
    seats = capacities[supporters]
    rows = np.repeat(members, seats)
    columns = np.repeat(first_seat[supporters] - np.cumsum(seats) + seats, seats) + np.arange(
        int(seats.sum())
    )
    cost = np.zeros((n_members, int(capacities.sum())))
    cost[rows, columns] = -(1000.0 * n_members + 1 + np.repeat(points, seats))
    return cost


def compare(candidates: str, capacities: str, repeats: int) -> None:
    """Child process: the exact solver and SciPy's dense assignment on the same arrays in memory.

    Both start from the candidate rows as codes (read once, not timed) and end with the chosen
    pairs. The exact solver's time is solve_indexed: building the flow graph, solving, reading the
    flows. SciPy's is building its seat matrix and linear_sum_assignment, and the call alone is
    reported too. Each is the median of `repeats` runs, the two taking turns.
    """
    from scipy.optimize import linear_sum_assignment

    from alongside.pairing import files
    from alongside.pairing.solve import solve_indexed

    capacity = files.read_capacities(capacities)
    rows = files.read_candidates(candidates, capacity, capacities)
    members, supporters = rows.member_codes, rows.supporter_codes
    points = np.rint(rows.scores * 1000).astype(np.int64)
    units = np.fromiter(capacity.values(), dtype=np.int64, count=len(capacity))

    # Interleaved, so a busy moment on the machine falls on both solvers alike.
    exact_seconds, lsa_seconds, call_seconds = [], [], []
    for _ in range(repeats):
        started = time.perf_counter()
        chosen = solve_indexed(
            members, supporters, rows.scores, units, n_members=len(rows.member_names)
        )
        exact_seconds.append(time.perf_counter() - started)

        started = time.perf_counter()
        cost = seat_matrix(members, supporters, points, units)
        called = time.perf_counter()
        row, column = linear_sum_assignment(cost)
        chosen_cost = cost[row, column]
        lsa_seconds.append(time.perf_counter() - started)
        call_seconds.append(time.perf_counter() - called)
        del cost
    exact = (len(chosen), int(points[chosen].sum()))
    matched = int((chosen_cost < 0).sum())
    bonus = 1000.0 * len(rows.member_names) + 1
    lsa = (matched, round(float(-chosen_cost.sum() - bonus * matched)))
    print(
        json.dumps(
            {
                "exact_seconds": float(np.median(exact_seconds)),
                "lsa_seconds": float(np.median(lsa_seconds)),
                "lsa_call_seconds": float(np.median(call_seconds)),
                "same_optimum": exact == lsa,
            }
        )
    )


def instant_match(seed: int) -> None:
    """Child process: the best three supporters with reasons for each newcomer, timed one by one."""
    from alongside.pairing.scoring import SupporterIndex, Weights, score
    from bench.pairing_solve import cohort

    newcomers, supporters = cohort(INSTANT_NEWCOMERS, INSTANT_SUPPORTERS, seed)
    index = SupporterIndex(supporters)
    weights = Weights()
    milliseconds = []
    for member in newcomers:
        started = time.perf_counter()
        totals = index.totals([member], weights)[0]
        top = np.argpartition(-totals, 3)[:3]
        best = top[np.argsort(-totals[top])]
        reasons = [score(member, supporters[j], weights) for j in best if np.isfinite(totals[j])]
        milliseconds.append((time.perf_counter() - started) * 1000)
        assert all(r.total == totals[j] for r, j in zip(reasons, best, strict=False))
    p50, p95 = np.percentile(milliseconds, [50, 95])
    print(json.dumps({"p50": p50, "p95": p95, "max": max(milliseconds)}))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def bench_size(n_members: int, n_supporters: int, seed: int) -> list[tuple[str, str, str]]:
    instance = generate(n_members, n_supporters, seed)
    python = sys.executable
    with tempfile.TemporaryDirectory() as directory:
        candidates, capacities = write_files(instance, Path(directory))
        output = Path(directory) / "A.csv"
        stdout, wall, cpu, peak_mib = run_measured(
            [python, "-m", "alongside.pairing.solve", "--candidates", str(candidates),
             "--capacities", str(capacities), "--output", str(output)]
        )  # fmt: skip
        report = json.loads(stdout)
        matched, total = assignment_value(instance, output)
        assert matched == report["matched"]
        assert abs(total / 1000 - report["total_score"]) < 1e-6
        greedy_matched, greedy_total = greedy(instance)

        units = int(instance.capacities.sum())
        dense_bytes = n_members * units * 8
        if dense_bytes <= DENSE_LIMIT_BYTES:
            repeats = REPEATS_SMALL if n_members <= 2_000 else REPEATS
            lsa_stdout, _, _, lsa_peak_mib = run_measured(
                [python, "-m", "bench.matching", "--compare", str(candidates), str(capacities),
                 str(repeats)]
            )  # fmt: skip
            lsa = json.loads(lsa_stdout)
        else:
            lsa = None

    big = (n_members, n_supporters) == (100_000, 30_000)
    rows = [
        ("candidate rows", f"{len(instance.members):,}", ""),
        ("capacity units", f"{units:,}", ""),
        ("exact: solve (JSON seconds)", f"{report['seconds']:.2f} s", ""),
        (
            "exact: whole CLI run, wall",
            f"{wall:.2f} s",
            f"< {TARGET_SECONDS:.0f} s {verdict(wall < TARGET_SECONDS)}" if big else "",
        ),
        ("exact: whole CLI run, CPU (user + system)", f"{cpu:.2f} s", ""),
        (
            "exact: peak RSS",
            f"{peak_mib / 1024:.2f} GiB",
            f"< {TARGET_PEAK_GIB:.0f} GiB {verdict(peak_mib / 1024 < TARGET_PEAK_GIB)}"
            if big
            else "",
        ),
        ("exact: matched", f"{matched:,}", ""),
        ("exact: total score", f"{total / 1000:,.3f}", ""),
        ("greedy: matched", f"{greedy_matched:,}", ""),
        ("greedy: total score", f"{greedy_total / 1000:,.3f}", ""),
        (
            "optimum over greedy: matched",
            f"+{matched - greedy_matched:,} ({(matched / greedy_matched - 1) * 100:+.2f} %)",
            "",
        ),
        (
            "optimum over greedy: total score",
            f"{(total / greedy_total - 1) * 100:+.2f} %",
            "",
        ),
    ]
    if lsa is None:
        rows.append(("SciPy dense LSA", f"skipped: would need {dense_bytes / 2**30:,.0f} GiB", ""))
    else:
        speed_up = lsa["lsa_seconds"] / lsa["exact_seconds"]
        call_speed_up = lsa["lsa_call_seconds"] / lsa["exact_seconds"]
        agrees = lsa["same_optimum"]
        rows += [
            (
                f"same arrays in memory, median of {repeats}: exact (best edges + proof, or full flow)",
                f"{lsa['exact_seconds'] * 1000:,.1f} ms",
                "",
            ),
            (
                "same arrays in memory: SciPy dense LSA (seat matrix + solve)",
                f"{lsa['lsa_seconds'] * 1000:,.1f} ms",
                "",
            ),
            (
                "same arrays in memory: SciPy linear_sum_assignment call alone",
                f"{lsa['lsa_call_seconds'] * 1000:,.1f} ms",
                "",
            ),
            ("SciPy dense LSA: peak RSS", f"{lsa_peak_mib / 1024:.2f} GiB", ""),
            ("SciPy dense LSA: same optimum", "yes" if agrees else "NO", verdict(agrees)),
            (
                "speed-up of exact over dense LSA (matrix + solve)",
                f"{speed_up:,.1f}x",
                f">= {TARGET_SPEED_UP:.0f}x {verdict(speed_up >= TARGET_SPEED_UP)}",
            ),
            ("speed-up of exact over the LSA call alone", f"{call_speed_up:,.1f}x", ""),
        ]
    return rows


def print_table(title: str, rows: list[tuple[str, str, str]]) -> None:
    print(f"\n{title}")
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for name, value, target in rows:
        print(f"| {name:<{widths[0]}} | {value:>{widths[1]}} | {target:<{widths[2]}} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=SIZES, help="members x supporters, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--compare", nargs=3, metavar=("C.csv", "S.csv", "REPEATS"), help=argparse.SUPPRESS
    )
    parser.add_argument("--instant-match", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare:
        candidates, capacities, repeats = args.compare
        compare(candidates, capacities, int(repeats))
        return
    if args.instant_match:
        instant_match(args.seed)
        return

    for size in args.sizes.split(","):
        n_members, n_supporters = (int(n) for n in size.split("x"))
        rows = bench_size(n_members, n_supporters, args.seed)
        print_table(
            f"{n_members:,} members x {n_supporters:,} supporters",
            rows,
        )
        sys.stdout.flush()

    # One BLAS thread, as in the web and worker processes.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    stdout, _, _, _ = run_measured(
        [sys.executable, "-m", "bench.matching", "--instant-match", "--seed", str(args.seed)], env
    )
    instant = json.loads(stdout)
    print_table(
        f"instant match: one newcomer against {INSTANT_SUPPORTERS:,} supporters, "
        f"top 3 with reasons, {INSTANT_NEWCOMERS} newcomers",
        [
            ("p50", f"{instant['p50']:.1f} ms", ""),
            (
                "p95",
                f"{instant['p95']:.1f} ms",
                f"< {TARGET_INSTANT_P95_MS:.0f} ms {verdict(instant['p95'] < TARGET_INSTANT_P95_MS)}",
            ),
            ("max", f"{instant['max']:.1f} ms", ""),
        ],
    )


if __name__ == "__main__":
    main()
