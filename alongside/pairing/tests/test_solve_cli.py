import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from alongside.pairing.solve import main
from alongside.pairing.tests.test_solve import assert_feasible, brute_force, instances, value

REPO = Path(__file__).resolve().parents[3]
CANDIDATES = "member_id,supporter_id,score\nm1,s1,0.9\nm1,s2,0.4\nm2,s1,0.8\nm3,s2,0.1\n"
CAPACITIES = "supporter_id,capacity\ns1,1\ns2,1\n"


def write(directory, name, text, encoding="utf-8"):
    path = Path(directory) / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def arguments(directory, candidates=CANDIDATES, capacities=CAPACITIES):
    return [
        "--candidates",
        str(write(directory, "C.csv", candidates)),
        "--capacities",
        str(write(directory, "S.csv", capacities)),
        "--output",
        str(Path(directory) / "A.csv"),
    ]


def read_assignment(path):
    with open(path, newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["member_id", "supporter_id"]
    return [tuple(row) for row in rows[1:]]


def test_the_module_run_as_a_program_writes_the_assignment_and_reports_json(tmp_path):
    finished = subprocess.run(
        [sys.executable, "-m", "alongside.pairing.solve", *arguments(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    report = json.loads(finished.stdout)
    assert set(report) == {"matched", "total_score", "seconds"}
    # Only two places: m1 gives s1 up to m2 and takes s2 (0.4 + 0.8 beats 0.9 + 0.1).
    assert report["matched"] == 2
    assert report["total_score"] == pytest.approx(1.2)
    assert report["seconds"] >= 0
    assert read_assignment(tmp_path / "A.csv") == [("m1", "s2"), ("m2", "s1")]


def test_one_row_per_matched_member_in_candidate_order(tmp_path, capsys):
    capacities = "supporter_id,capacity\ns1,1\ns2,2\n"

    assert main(arguments(tmp_path, capacities=capacities)) == 0

    assert read_assignment(tmp_path / "A.csv") == [("m1", "s2"), ("m2", "s1"), ("m3", "s2")]
    assert json.loads(capsys.readouterr().out)["matched"] == 3


def test_columns_may_come_in_any_order_with_a_byte_order_mark_and_windows_line_ends(
    tmp_path, capsys
):
    candidates = "\ufeffscore,supporter_id,member_id\r\n0.5,s1,m1\r\n0.25,s2,m1\r\n"

    assert main(arguments(tmp_path, candidates=candidates)) == 0

    assert read_assignment(tmp_path / "A.csv") == [("m1", "s1")]
    assert json.loads(capsys.readouterr().out)["total_score"] == 0.5


@pytest.mark.parametrize(
    ("name", "text", "line", "problem"),
    [
        ("C.csv", "", 1, "the file is empty"),
        ("S.csv", "", 1, "the file is empty"),
        ("C.csv", "member_id,score\nm1,0.5\n", 1, "missing column 'supporter_id'"),
        ("S.csv", "supporter_id\ns1\n", 1, "missing column 'capacity'"),
        ("C.csv", "member_id,supporter_id,score,note\n", 1, "unexpected column 'note'"),
        ("C.csv", "member_id,supporter_id,score,score\n", 1, "column 'score' appears twice"),
        ("C.csv", "member_id,supporter_id,score\nm1,s1,0.5\nm2,s1\n", 3, "expected 3 values"),
        ("C.csv", "member_id,supporter_id,score\nm1,s1,0.5\n\n", 3, "found 0"),
        (
            "C.csv",
            "member_id,supporter_id,score\nm1,s1,0.5\nm2,s1,high\n",
            3,
            "score 'high' is not a number",
        ),
        ("C.csv", "member_id,supporter_id,score\nm1,s1,\n", 2, "score '' is not a number"),
        (
            "C.csv",
            "member_id,supporter_id,score\nm1,s1,1.5\n",
            2,
            "score '1.5' is not a number from 0 to 1",
        ),
        ("C.csv", "member_id,supporter_id,score\nm1,s1,-0.1\n", 2, "not a number from 0 to 1"),
        (
            "C.csv",
            "member_id,supporter_id,score\nm1,s1,nan\n",
            2,
            "score 'nan' is not a number from 0 to 1",
        ),
        ("C.csv", "member_id,supporter_id,score\nm1,s1,inf\n", 2, "not a number from 0 to 1"),
        (
            "C.csv",
            "member_id,supporter_id,score\nm1,s1,0.5\nm1,ghost,0.5\n",
            3,
            "supporter 'ghost' is not in",
        ),
        ("C.csv", "member_id,supporter_id,score\nm1,,0.5\n", 2, "supporter_id is empty"),
        ("C.csv", "member_id,supporter_id,score\n,s1,0.5\n", 2, "member_id is empty"),
        (
            "C.csv",
            "member_id,supporter_id,score\nm1,s1,0.5\nm2,s1,0.5\nm1,s1,0.7\n",
            4,
            "pair ('m1', 's1') is listed again (first on line 2)",
        ),
        ("C.csv", 'member_id,supporter_id,score\nm1,s1,0.5\n"m\n2",s1,0.5\n', 3, "line break"),
        ("C.csv", b"member_id,supporter_id,score\nm1,s1,0.5\nm\xe9,s1,0.5\n", 3, "not UTF-8"),
        ("S.csv", "supporter_id,capacity\ns1,1\ns2,-1\n", 3, "capacity '-1' is negative"),
        ("S.csv", "supporter_id,capacity\ns1,2.5\n", 2, "capacity '2.5' is not a whole number"),
        ("S.csv", "supporter_id,capacity\ns1,\n", 2, "capacity '' is not a whole number"),
        (
            "S.csv",
            "supporter_id,capacity\ns1,1\ns1,2\n",
            3,
            "supporter 's1' is listed again (first on line 2)",
        ),
        ("S.csv", "supporter_id,capacity\n,1\n", 2, "supporter_id is empty"),
    ],
)
def test_a_bad_file_is_refused_naming_file_and_line_and_nothing_is_written(
    tmp_path, capsys, name, text, line, problem
):
    args = arguments(tmp_path)
    write(tmp_path, name, text)

    assert main(args) == 1

    error = capsys.readouterr().err
    assert f"{tmp_path / name}, line {line}: " in error
    assert problem in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["C.csv", "S.csv"]


def test_a_missing_file_is_named(tmp_path, capsys):
    args = arguments(tmp_path)
    (tmp_path / "S.csv").unlink()

    assert main(args) == 1

    assert (
        f"{tmp_path / 'S.csv'}: cannot be read (No such file or directory)"
        in capsys.readouterr().err
    )
    assert not (tmp_path / "A.csv").exists()


def test_a_failed_run_leaves_an_earlier_output_as_it_was(tmp_path, capsys):
    args = arguments(tmp_path, candidates="member_id,supporter_id,score\nm1,s1,x\n")
    write(tmp_path, "A.csv", "member_id,supporter_id\nold,run\n")

    assert main(args) == 1

    assert read_assignment(tmp_path / "A.csv") == [("old", "run")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.csv", "C.csv", "S.csv"]


def test_an_output_in_a_missing_directory_is_refused(tmp_path, capsys):
    args = arguments(tmp_path)
    args[-1] = str(tmp_path / "missing" / "A.csv")

    assert main(args) == 1

    assert f"{tmp_path / 'missing' / 'A.csv'}: cannot be written" in capsys.readouterr().err


def test_a_bad_file_run_as_a_program_exits_non_zero_naming_file_and_line(tmp_path):
    args = arguments(tmp_path, capacities="supporter_id,capacity\ns1,1\ns2,-3\n")

    finished = subprocess.run(
        [sys.executable, "-m", "alongside.pairing.solve", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert finished.returncode == 1
    assert finished.stdout == ""
    assert f"{tmp_path / 'S.csv'}, line 3: capacity '-3' is negative" in finished.stderr
    assert not (tmp_path / "A.csv").exists()


@settings(max_examples=60, deadline=None)
@given(instances())
def test_the_written_assignment_is_as_good_as_brute_force(instance):
    edges, capacities = instance
    candidates = "member_id,supporter_id,score\n" + "".join(
        f"{e.member_id},{e.supporter_id},{e.total}\n" for e in edges
    )
    capacity_rows = "supporter_id,capacity\n" + "".join(f"{s},{c}\n" for s, c in capacities.items())

    with tempfile.TemporaryDirectory() as directory:
        assert main(arguments(directory, candidates, capacity_rows)) == 0
        assignment = read_assignment(Path(directory) / "A.csv")

    assert_feasible(assignment, capacities)
    assert set(assignment) <= {(e.member_id, e.supporter_id) for e in edges}
    assert value(assignment, edges) == brute_force(edges, capacities)
