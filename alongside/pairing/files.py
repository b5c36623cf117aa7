"""The solver's CSV files: candidates and capacities read and checked, the assignment written whole.

Candidates are `member_id,supporter_id,score` with the score a number from 0 to 1; capacities are
`supporter_id,capacity` with a whole number 0 or more; the assignment is `member_id,supporter_id`.
Columns may come in any order. Anything else is refused with a FileProblem naming the file and the
line (the header is line 1), before anything is written. No Django: `solve.main` uses this.
"""

from __future__ import annotations

import csv
import os
import tempfile
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

CANDIDATE_COLUMNS = ("member_id", "supporter_id", "score")
CAPACITY_COLUMNS = ("supporter_id", "capacity")
ASSIGNMENT_COLUMNS = ("member_id", "supporter_id")


class FileProblem(ValueError):
    """A solver file that cannot be used: which file, which line (None for the whole file) and why."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line is not None else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Candidates:
    """The candidate rows as columns, in file order, with members and supporters as codes.

    `member_codes[i]` is the position in `member_names` (first appearance order) of row i's member,
    `supporter_codes[i]` the position of its supporter in the capacities file; no pair repeats.
    """

    member_codes: npt.NDArray[np.int64]
    supporter_codes: npt.NDArray[np.int64]
    scores: npt.NDArray[np.float64]
    member_names: list[str]
    supporter_names: list[str]

    @property
    def member_ids(self) -> list[str]:
        return list(map(self.member_names.__getitem__, self.member_codes.tolist()))

    @property
    def supporter_ids(self) -> list[str]:
        return list(map(self.supporter_names.__getitem__, self.supporter_codes.tolist()))


def read_capacities(path: Path | str) -> dict[str, int]:
    """Each supporter's capacity, in file order; FileProblem for any bad line or a repeated supporter."""
    capacities: dict[str, int] = {}
    first_line: dict[str, int] = {}
    with _csv_rows(path, CAPACITY_COLUMNS) as (columns, rows):
        supporter_column, capacity_column = columns
        for line, row in rows:
            if len(row) != len(CAPACITY_COLUMNS):
                raise FileProblem(path, _count_problem(len(row), CAPACITY_COLUMNS), line)
            supporter_id, text = row[supporter_column], row[capacity_column]
            if not supporter_id:
                raise FileProblem(path, "supporter_id is empty", line)
            if supporter_id in first_line:
                raise FileProblem(
                    path,
                    f"supporter {supporter_id!r} is listed again "
                    f"(first on line {first_line[supporter_id]})",
                    line,
                )
            try:
                capacity = int(text)
            except ValueError:
                raise FileProblem(path, f"capacity {text!r} is not a whole number", line) from None
            if capacity < 0:
                raise FileProblem(path, f"capacity {text!r} is negative", line)
            capacities[supporter_id] = capacity
            first_line[supporter_id] = line
    return capacities


def read_candidates(
    path: Path | str, capacities: Mapping[str, int], capacities_path: Path | str
) -> Candidates:
    """Every candidate row, checked against the supporters in capacities; FileProblem at the first bad one.

    Malformed rows are found in file order; a pair given twice is reported at its second line once
    every row is known to be well formed. On millions of rows, run it with the cycle collector
    paused (gc.disable()): the rows are many short-lived lists that otherwise trigger collection
    after collection, which tripled the time of 5M rows.
    """
    supporter_code = {s: i for i, s in enumerate(capacities)}
    member_code: dict[str, int] = {}
    # Codes as C longs: 8 bytes a row instead of a Python int each.
    member_codes = array("q")
    supporter_codes = array("q")
    scores = array("d")
    with _csv_rows(path, CANDIDATE_COLUMNS) as (columns, rows):
        member_column, supporter_column, score_column = columns
        for line, row in rows:
            if len(row) != len(CANDIDATE_COLUMNS):
                raise FileProblem(path, _count_problem(len(row), CANDIDATE_COLUMNS), line)
            member_id, supporter_id, text = (
                row[member_column],
                row[supporter_column],
                row[score_column],
            )
            if not member_id:
                raise FileProblem(path, "member_id is empty", line)
            code = supporter_code.get(supporter_id)
            if code is None:
                problem = (
                    f"supporter {supporter_id!r} is not in {capacities_path}"
                    if supporter_id
                    else "supporter_id is empty"
                )
                raise FileProblem(path, problem, line)
            try:
                score = float(text)
            except ValueError:
                raise FileProblem(path, f"score {text!r} is not a number", line) from None
            # NaN fails this comparison too.
            if not 0 <= score <= 1:
                raise FileProblem(path, f"score {text!r} is not a number from 0 to 1", line)
            member_codes.append(member_code.setdefault(member_id, len(member_code)))
            supporter_codes.append(code)
            scores.append(score)
    member_names = list(member_code)
    supporter_names = list(capacities)
    _refuse_repeated_pairs(path, member_codes, supporter_codes, member_names, supporter_names)
    return Candidates(
        member_codes=np.frombuffer(member_codes, dtype=np.int64),
        supporter_codes=np.frombuffer(supporter_codes, dtype=np.int64),
        scores=np.frombuffer(scores, dtype=np.float64),
        member_names=member_names,
        supporter_names=supporter_names,
    )


def _refuse_repeated_pairs(
    path: Path | str,
    member_codes: array[int],
    supporter_codes: array[int],
    member_names: Sequence[str],
    supporter_names: Sequence[str],
) -> None:
    members = np.frombuffer(member_codes, dtype=np.int64)
    supporters = np.frombuffer(supporter_codes, dtype=np.int64)
    cells = members * max(len(supporter_names), 1) + supporters
    order = np.argsort(cells, kind="stable")
    # Stable sort: of two equal cells, the later row comes second.
    repeats = order[1:][cells[order[1:]] == cells[order[:-1]]]
    if not len(repeats):
        return
    row = int(repeats.min())
    first_row = int(np.flatnonzero(cells == cells[row])[0])
    pair = (member_names[members[row]], supporter_names[supporters[row]])
    # One row a line, the header on line 1.
    raise FileProblem(
        path, f"pair {pair!r} is listed again (first on line {first_row + 2})", row + 2
    )


def _count_problem(found: int, expected: Sequence[str]) -> str:
    return f"expected {len(expected)} values ({','.join(expected)}), found {found}"


def write_assignment(path: Path | str, pairs: Iterable[tuple[object, object]]) -> None:
    """Write the pairs as `member_id,supporter_id` to path, all at once: a failure leaves path untouched."""
    path = Path(path)
    with _replacing(path) as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(ASSIGNMENT_COLUMNS)
        writer.writerows(pairs)


@contextmanager
def _replacing(path: Path) -> Iterator[IO[str]]:
    """A new file beside path that replaces it only once the block has finished without error."""
    try:
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
    except OSError as error:
        raise FileProblem(path, f"cannot be written ({error.strerror})") from None
    try:
        # mkstemp makes the file private; the result should have the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with open(descriptor, "w", encoding="utf-8", newline="") as file:
            yield file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _csv_rows(
    path: Path | str, expected: Sequence[str]
) -> Iterator[tuple[tuple[int, ...], Iterator[tuple[int, list[str]]]]]:
    """The position of each expected column, and the rows after the header with their lines."""
    try:
        file = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 -- closed below
    except OSError as error:
        raise FileProblem(path, f"cannot be read ({error.strerror})") from None
    with file:
        reader = csv.reader(file)
        try:
            header = next(reader, None)
            if header is None:
                raise FileProblem(
                    path, f"the file is empty; expected the header {','.join(expected)}", 1
                )
            yield _columns(path, header, expected), _numbered(path, reader)
        except UnicodeDecodeError:
            raise FileProblem(path, "is not UTF-8 text", _first_undecodable_line(path)) from None
        except csv.Error as error:
            raise FileProblem(path, f"is not valid CSV ({error})", reader.line_num) from None


def _columns(path: Path | str, header: list[str], expected: Sequence[str]) -> tuple[int, ...]:
    names = [name.strip() for name in header]
    for name in names:
        if name not in expected:
            raise FileProblem(path, f"unexpected column {name!r}; expected {','.join(expected)}", 1)
        if names.count(name) > 1:
            raise FileProblem(path, f"column {name!r} appears twice", 1)
    for name in expected:
        if name not in names:
            raise FileProblem(path, f"missing column {name!r}; expected {','.join(expected)}", 1)
    return tuple(names.index(name) for name in expected)


def _numbered(path: Path | str, reader: Any) -> Iterator[tuple[int, list[str]]]:
    line = reader.line_num
    for row in reader:
        line += 1
        # A quoted value with a line break would shift the line of every later row.
        if reader.line_num != line:
            raise FileProblem(path, "a value contains a line break", line)
        yield line, row


def _first_undecodable_line(path: Path | str) -> int | None:
    # No byte of a multi-byte UTF-8 character is a newline, so lines can be checked one by one.
    with open(path, "rb") as file:
        for line, data in enumerate(file, start=1):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return line
    return None
