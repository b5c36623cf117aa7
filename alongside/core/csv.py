"""CSV exports that a spreadsheet cannot turn into formulas."""

import csv
from collections.abc import Iterable
from typing import Any

# Cells beginning with these are evaluated as formulas by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Prefix a quote to text that a spreadsheet would read as a formula (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_rows(stream, rows: Iterable[Iterable[Any]]) -> None:
    """Write `rows` to `stream` as CSV, every cell escaped."""
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow([escape_cell(cell) for cell in row])
