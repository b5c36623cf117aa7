"""Screening of JSON lines, the format of `manage.py screen`.

Each input line is an object {"id": ..., "text": "...", "language": "en"} ("language" may be left
out: English); each output is {"id": ..., "level": ..., "categories": [...], "reasons": [...]}.
A line that cannot be screened (not UTF-8, not JSON, not an object, no text string, a language
that is not a string) gives {"line": N, "error": "..."} (with its "id" when it had one) and the
run goes on; blank lines are skipped. Line numbers count every line, blank ones included.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from alongside.safety.screening.combine import screen


def screen_lines(lines: Iterable[str | bytes]) -> Iterator[dict[str, Any]]:
    """Yield one result or error per non-blank JSON line of `lines`, in order."""
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            yield {"line": number, "error": "not UTF-8 text"}
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield {"line": number, "error": f"not valid JSON: {error.msg}"}
            continue
        if not isinstance(item, dict):
            yield {"line": number, "error": "not a JSON object"}
            continue
        problem = _problem(item)
        if problem:
            report = {"line": number, "error": problem}
            yield {**report, "id": item["id"]} if "id" in item else report
            continue
        assessment = screen(item["text"], item.get("language") or "en")
        yield {"id": item.get("id"), **assessment.as_dict()}


def _problem(item: dict[str, Any]) -> str:
    if "text" not in item:
        return "text is missing"
    if not isinstance(item["text"], str):
        return "text is not a string"
    language = item.get("language")
    if language is not None and not isinstance(language, str):
        return "language is not a string"
    return ""
