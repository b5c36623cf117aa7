"""`manage.py screen`: JSON lines in, one assessment or error per line out, bad lines never stop the run."""

import io
import json

from django.core.management import call_command

from alongside.safety.screening.jsonl import screen_lines


def run_screen(stdin) -> list[dict]:
    out = io.StringIO()
    call_command("screen", stdin=stdin, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_screen_command_writes_one_assessment_per_line_in_order():
    lines = [
        {"id": 1, "text": "I'm going to kill myself tonight", "language": "en"},
        {"id": "b", "text": "Me muero de risa con ustedes", "language": "es"},
        {"id": None, "text": "My husband hits me"},
    ]
    results = run_screen(io.StringIO("".join(json.dumps(line) + "\n" for line in lines)))
    assert [result["id"] for result in results] == [1, "b", None]
    assert [result["level"] for result in results] == ["urgent", "none", "urgent"]
    assert results[0]["categories"] == ["suicide"]
    assert results[2]["categories"] == ["abuse"]
    assert set(results[0]) == {"id", "level", "categories", "reasons"}
    assert {"source", "category", "code", "evidence"} <= set(results[0]["reasons"][0])


def test_bad_lines_get_an_error_with_their_line_number_and_the_run_continues():
    stdin = io.StringIO(
        "\n".join(
            [
                "{not json",
                "[1, 2]",
                '"just a string"',
                '{"id": 7}',
                '{"id": 8, "text": 42}',
                "",
                '{"id": 9, "text": "I want to die", "language": 5}',
                "   ",
                '{"id": 10, "text": "I want to die"}',
            ]
        )
        + "\n"
    )
    results = run_screen(stdin)
    assert results[:6] == [
        {"line": 1, "error": results[0]["error"]},
        {"line": 2, "error": "not a JSON object"},
        {"line": 3, "error": "not a JSON object"},
        {"line": 4, "error": "text is missing", "id": 7},
        {"line": 5, "error": "text is not a string", "id": 8},
        {"line": 7, "error": "language is not a string", "id": 9},
    ]
    assert results[0]["error"].startswith("not valid JSON")
    assert results[6]["id"] == 10
    assert results[6]["level"] in ("concern", "urgent")
    assert len(results) == 7


def test_language_defaults_to_english_and_unknown_languages_are_read_as_english():
    results = list(
        screen_lines(
            [
                '{"id": 1, "text": "I want to kill myself"}',
                '{"id": 2, "text": "I want to kill myself", "language": null}',
                '{"id": 3, "text": "I want to kill myself", "language": "xx"}',
            ]
        )
    )
    assert [result["level"] for result in results] == ["urgent", "urgent", "urgent"]


def test_a_line_that_is_not_utf8_is_reported_and_the_next_one_screened():
    stdin = io.TextIOWrapper(
        io.BytesIO(b'\xff\xfe{"id": 1}\n{"id": 2, "text": "Quiero morirme", "language": "es"}\n'),
        encoding="utf-8",
    )
    results = run_screen(stdin)
    assert results[0] == {"line": 1, "error": "not UTF-8 text"}
    assert results[1]["id"] == 2
    assert results[1]["level"] == "concern"


def test_empty_input_writes_nothing():
    assert run_screen(io.StringIO("")) == []
