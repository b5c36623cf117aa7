import csv
import io

import pytest

from alongside.core.csv import escape_cell, write_rows


@pytest.mark.parametrize("dangerous", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x"])
def test_formula_like_cells_are_neutralised(dangerous):
    assert escape_cell(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["hello", "1 = 1", 42, None, "e=mc2"])
def test_other_cells_are_unchanged(harmless):
    assert escape_cell(harmless) == harmless


def test_written_csv_reads_back_escaped():
    stream = io.StringIO()
    write_rows(
        stream, [["name", "note"], ["Steady Heron", '=HYPERLINK("http://evil.example","x")']]
    )
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[1][1].startswith("'=")
