"""The table of crisis lines and what a member is offered from it, program line first."""

import re
from types import SimpleNamespace

import pytest

from alongside.safety import resources
from alongside.safety.resources import (
    COUNTRIES,
    FALLBACK_URL,
    crisis_resources_for,
    parse_text_instruction,
    resources_for_country,
)


def a_program(**fields):
    values = {
        "name": "Riverside Recovery",
        "country": "US",
        "crisis_line_name": "",
        "crisis_line_phone": "",
        "crisis_line_text": "",
        **fields,
    }
    return SimpleNamespace(**values)


MEMBER = object()


@pytest.mark.parametrize("code", ["US", "CA", "GB", "IE", "AU", "NZ", "ES", "MX", "DE", "FR"])
def test_every_required_country_has_a_line_and_an_emergency_number(code):
    country = COUNTRIES[code]

    assert country.lines
    assert re.fullmatch(r"\d{3}", country.emergency_number)
    for line in country.lines:
        assert line.phone or line.text_number
        assert line.languages


def test_the_table_holds_the_well_known_numbers():
    def phones(code):
        return {line.phone for line in COUNTRIES[code].lines}

    def texts(code):
        return {(line.text_number, line.text_keyword) for line in COUNTRIES[code].lines}

    assert "988" in phones("US") and ("741741", "HOME") in texts("US")
    assert "988" in phones("CA")
    assert "116 123" in phones("GB") and ("85258", "SHOUT") in texts("GB")
    assert "116 123" in phones("IE") and ("50808", "HELLO") in texts("IE")
    assert "13 11 14" in phones("AU")
    assert "1737" in phones("NZ")
    assert "024" in phones("ES")
    assert "800 911 2000" in phones("MX")
    assert "3114" in phones("FR")
    assert [COUNTRIES[c].emergency_number for c in ("US", "GB", "AU", "NZ", "FR")] == [
        "911",
        "999",
        "000",
        "111",
        "112",
    ]


def test_links_are_digits_a_phone_can_dial():
    samaritans = COUNTRIES["GB"].lines[0]
    shout = COUNTRIES["GB"].lines[1]

    assert samaritans.phone_uri == "116123"
    assert shout.text_uri == "sms:85258?&body=SHOUT"
    assert COUNTRIES["US"].lines[0].text_uri == "sms:988"
    assert resources.CrisisLine("Intl", phone="+44 116 123").phone_uri == "+44116123"


def test_the_programs_own_line_comes_first_then_the_national_ones_then_emergency():
    program = a_program(
        country="GB",
        crisis_line_name="Riverside night line",
        crisis_line_phone="020 7946 0000",
        crisis_line_text="Text CALM to 60000",
    )

    offered = crisis_resources_for(MEMBER, program)

    assert [line.name for line in offered.lines] == ["Riverside night line", "Samaritans", "Shout"]
    assert offered.program_line is not None
    assert offered.program_line.text_uri == "sms:60000?&body=CALM"
    assert offered.emergency_number == "999"
    assert offered.program_name == "Riverside Recovery"


def test_a_program_pointing_at_the_national_line_gets_it_once_with_its_chat():
    program = a_program(crisis_line_name="988 Suicide & Crisis Lifeline", crisis_line_phone="988")

    offered = crisis_resources_for(MEMBER, program)

    assert [line.name for line in offered.lines] == [
        "988 Suicide & Crisis Lifeline",
        "Crisis Text Line",
    ]
    assert offered.program_line is not None
    assert offered.program_line.chat_url == "https://988lifeline.org/chat/"
    assert offered.program_line.text_number == "988"


def test_a_program_without_a_line_offers_the_national_ones():
    offered = crisis_resources_for(MEMBER, a_program(country="NZ"))

    assert offered.program_line is None
    assert [line.phone for line in offered.lines] == ["1737"]
    assert offered.emergency_number == "111"


def test_the_members_country_is_their_programs_for_now():
    assert resources.country_of(MEMBER, a_program(country="mx")) == "MX"
    assert resources.country_of(MEMBER, None) == resources.DEFAULT_COUNTRY


def test_a_country_missing_from_the_table_falls_back_to_findahelpline():
    offered = crisis_resources_for(
        MEMBER, a_program(country="JP", crisis_line_phone="0120 000 000")
    )

    assert offered.country is None
    assert [line.phone for line in offered.lines] == ["0120 000 000"]
    assert offered.emergency_number == ""
    assert offered.fallback_url == FALLBACK_URL


def test_resources_for_a_country_code_in_any_case():
    ireland = resources_for_country("ie").country
    assert ireland is not None and ireland.code == "IE"
    assert resources_for_country("").country is None
    assert resources_for_country(None).country is None


@pytest.mark.parametrize(
    ("instruction", "expected"),
    [
        ("Text HOME to 741741", ("741741", "HOME")),
        ("text 'talk' to 50 808", ("50 808", "talk")),
        ("Envía AYUDA al 741741", ("741741", "AYUDA")),
        ("741741", ("741741", "")),
        ("Text 988", ("988", "")),
        ("", ("", "")),
        ("Ask at the front desk", ("", "")),
    ],
)
def test_a_programs_texting_instruction_is_read(instruction, expected):
    assert parse_text_instruction(instruction) == expected


def test_an_unreadable_texting_instruction_gives_no_text_link():
    program = a_program(crisis_line_phone="555 0100", crisis_line_text="Ask at the front desk")

    line = crisis_resources_for(MEMBER, program).program_line
    assert line is not None and line.text_uri == ""


def test_resources_are_plain_json_data():
    import json

    data = crisis_resources_for(MEMBER, a_program(crisis_line_phone="988")).as_dict()

    assert json.loads(json.dumps(data)) == data
    assert data["country"] == "US"
    assert [(line["phone_uri"], line["from_program"]) for line in data["lines"]] == [
        ("988", True),
        ("", False),
    ]
    assert data["lines"][1]["text_uri"] == "sms:741741?&body=HOME"
