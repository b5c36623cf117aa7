"""Crisis lines by country, and the lines a member is offered: their program's first.

Pure data and computation, no Django: the panel, the help page and the API all read it.

Maintenance: every number here was checked against the service's own website; a line whose
number is not certain is left out rather than guessed, and people elsewhere are pointed to
findahelpline.com (run by ThroughLine, which keeps helplines of many countries current). Review
the table at least once a year and whenever a service announces a change.

Names stay in the service's own language (they are names); everything a person reads around them
is translated in the templates. Country names are given in the country's own language, like the
site's language switcher, so the list needs no translation either.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

FALLBACK_URL = "https://findahelpline.com"
DEFAULT_COUNTRY = "US"


@dataclass(frozen=True)
class CrisisLine:
    """One service a person can call, text or chat with; empty strings for what it does not offer."""

    name: str
    phone: str = ""
    text_number: str = ""
    # What to write in the first text message, when the service asks for a keyword.
    text_keyword: str = ""
    chat_url: str = ""
    # True when someone answers at any hour; otherwise `hours` says when (in English: rare).
    always_open: bool = True
    hours: str = ""
    # ISO 639-1 codes of the languages people are answered in.
    languages: tuple[str, ...] = ()

    @property
    def phone_uri(self) -> str:
        """The phone number for a tel: link: digits and a leading +, nothing else."""
        return _dial_string(self.phone)

    @property
    def text_uri(self) -> str:
        """The sms: link opening a message to the service, the keyword already typed."""
        if not self.text_number:
            return ""
        uri = f"sms:{_dial_string(self.text_number)}"
        return f"{uri}?&body={self.text_keyword}" if self.text_keyword else uri

    def as_dict(self) -> dict[str, Any]:
        """The line as JSON-able plain data, links included."""
        return {
            **asdict(self),
            "languages": list(self.languages),
            "phone_uri": self.phone_uri,
            "text_uri": self.text_uri,
        }


@dataclass(frozen=True)
class Country:
    """The crisis lines of one country, in the order to offer them, and its emergency number."""

    code: str
    name: str
    emergency_number: str
    lines: tuple[CrisisLine, ...] = field(default_factory=tuple)


COUNTRIES: dict[str, Country] = {
    country.code: country
    for country in (
        Country(
            "US",
            "United States",
            "911",
            (
                CrisisLine(
                    "988 Suicide & Crisis Lifeline",
                    phone="988",
                    text_number="988",
                    chat_url="https://988lifeline.org/chat/",
                    languages=("en", "es"),
                ),
                CrisisLine(
                    "Crisis Text Line",
                    text_number="741741",
                    text_keyword="HOME",
                    languages=("en",),
                ),
            ),
        ),
        Country(
            "CA",
            "Canada",
            "911",
            (
                CrisisLine(
                    "9-8-8 Suicide Crisis Helpline",
                    phone="988",
                    text_number="988",
                    languages=("en", "fr"),
                ),
            ),
        ),
        Country(
            "GB",
            "United Kingdom",
            "999",
            (
                CrisisLine("Samaritans", phone="116 123", languages=("en",)),
                CrisisLine(
                    "Shout",
                    text_number="85258",
                    text_keyword="SHOUT",
                    languages=("en",),
                ),
            ),
        ),
        Country(
            "IE",
            "Éire / Ireland",
            "112",
            (
                CrisisLine("Samaritans", phone="116 123", languages=("en",)),
                CrisisLine(
                    "50808",
                    text_number="50808",
                    text_keyword="HELLO",
                    languages=("en",),
                ),
            ),
        ),
        Country(
            "AU",
            "Australia",
            "000",
            (
                CrisisLine(
                    "Lifeline",
                    phone="13 11 14",
                    chat_url="https://www.lifeline.org.au/crisis-chat/",
                    languages=("en",),
                ),
            ),
        ),
        Country(
            "NZ",
            "Aotearoa / New Zealand",
            "111",
            (
                CrisisLine(
                    "1737, Need to talk?",
                    phone="1737",
                    text_number="1737",
                    languages=("en",),
                ),
            ),
        ),
        Country(
            "ES",
            "España",
            "112",
            (
                CrisisLine(
                    "024, Línea de atención a la conducta suicida",
                    phone="024",
                    languages=("es",),
                ),
            ),
        ),
        Country(
            "MX",
            "México",
            "911",
            (CrisisLine("Línea de la Vida", phone="800 911 2000", languages=("es",)),),
        ),
        Country(
            "DE",
            "Deutschland",
            "112",
            (
                CrisisLine(
                    "TelefonSeelsorge",
                    phone="0800 111 0 111",
                    chat_url="https://www.telefonseelsorge.de/",
                    languages=("de",),
                ),
                CrisisLine("TelefonSeelsorge", phone="0800 111 0 222", languages=("de",)),
            ),
        ),
        Country(
            "FR",
            "France",
            "112",
            (
                CrisisLine(
                    "3114, numéro national de prévention du suicide",
                    phone="3114",
                    languages=("fr",),
                ),
            ),
        ),
    )
}


@dataclass(frozen=True)
class CrisisResources:
    """What a person is offered, in order: their program's line, the country's, emergency.

    `country` is None when the table has no lines for the country asked about: then
    `national_lines` is empty and the person is sent to FALLBACK_URL and their local emergency
    number (`emergency_number` empty).
    """

    program_line: CrisisLine | None
    program_name: str
    country: Country | None
    national_lines: tuple[CrisisLine, ...]
    emergency_number: str
    fallback_url: str = FALLBACK_URL

    @property
    def lines(self) -> tuple[CrisisLine, ...]:
        """Every line to offer, the program's first."""
        first = (self.program_line,) if self.program_line is not None else ()
        return first + self.national_lines

    def as_dict(self) -> dict[str, Any]:
        """The resources as JSON-able plain data: `lines` in the order to offer them, the
        program's own (if any) first and marked `from_program`."""
        return {
            "country": self.country.code if self.country else None,
            "program_name": self.program_name,
            "lines": [
                {**line.as_dict(), "from_program": line is self.program_line} for line in self.lines
            ],
            "emergency_number": self.emergency_number,
            "fallback_url": self.fallback_url,
        }


class ProgramLike(Protocol):
    name: str
    country: str
    crisis_line_name: str
    crisis_line_phone: str
    crisis_line_text: str


def country_for(code: str | None) -> Country | None:
    """The table's entry for an ISO 3166 alpha-2 code (any case), or None when it has none."""
    return COUNTRIES.get((code or "").strip().upper())


def country_of(member: object, program: ProgramLike | None) -> str:
    """The country whose lines `member` is offered.

    Profiles do not record a country yet, so it is the country of the program the member is in
    (programs serve a place), or DEFAULT_COUNTRY without one. `member` is taken so that callers
    need not change when profiles gain a country.
    """
    if program is not None and program.country:
        return program.country.upper()
    return DEFAULT_COUNTRY


def resources_for_country(code: str | None) -> CrisisResources:
    """The national lines and emergency number of one country, without a program's line."""
    return _combine(None, "", country_for(code))


def crisis_resources_for(member: object, program: ProgramLike | None) -> CrisisResources:
    """The program's own crisis line first, then the national lines of the member's country
    (see `country_of`), then that country's emergency number."""
    country = country_for(country_of(member, program))
    if program is None:
        return _combine(None, "", country)
    return _combine(program_line_of(program), program.name, country)


def program_line_of(program: ProgramLike) -> CrisisLine | None:
    """The program's own crisis line from its settings, or None when it has set none."""
    text_number, text_keyword = parse_text_instruction(program.crisis_line_text)
    if not (program.crisis_line_phone.strip() or text_number):
        return None
    return CrisisLine(
        name=program.crisis_line_name.strip() or program.name,
        phone=program.crisis_line_phone.strip(),
        text_number=text_number,
        text_keyword=text_keyword,
        languages=(),
    )


_TEXT_KEYWORD_TO_NUMBER = re.compile(
    r"^\s*(?:text|txt|envía|envia|manda)\s+[\"“']?(?P<keyword>\w+)[\"”']?\s+"
    r"(?:to|al|a)\s+(?P<number>\+?[\d][\d\s-]*\d)\s*$",
    re.IGNORECASE,
)
_PLAIN_NUMBER = re.compile(
    r"^\s*(?:(?:text|txt)\s+)?(?P<number>\+?\d[\d\s-]*\d)\s*$", re.IGNORECASE
)


def parse_text_instruction(instruction: str) -> tuple[str, str]:
    """(number, keyword) from a program's texting instruction: "Text HOME to 741741" gives
    ("741741", "HOME"), "741741" gives ("741741", ""); anything else ("", "")."""
    match = _TEXT_KEYWORD_TO_NUMBER.match(instruction)
    if match:
        return match["number"].strip(), match["keyword"]
    match = _PLAIN_NUMBER.match(instruction)
    if match:
        return match["number"].strip(), ""
    return "", ""


def _dial_string(number: str) -> str:
    digits = re.sub(r"[^\d]", "", number)
    return f"+{digits}" if number.strip().startswith("+") else digits


def _combine(
    program_line: CrisisLine | None, program_name: str, country: Country | None
) -> CrisisResources:
    national = country.lines if country else ()
    if program_line is not None:
        same_phone = [
            line
            for line in national
            if program_line.phone_uri and line.phone_uri == program_line.phone_uri
        ]
        if same_phone:
            # The program points at the national line: offer it once, first, with its text and
            # chat options, under the program's name for it.
            program_line = _enriched(program_line, same_phone[0])
            national = tuple(line for line in national if line is not same_phone[0])
    return CrisisResources(
        program_line=program_line,
        program_name=program_name,
        country=country,
        national_lines=national,
        emergency_number=country.emergency_number if country else "",
    )


def _enriched(program_line: CrisisLine, national_line: CrisisLine) -> CrisisLine:
    texting = program_line if program_line.text_number else national_line
    return CrisisLine(
        name=program_line.name,
        phone=program_line.phone,
        text_number=texting.text_number,
        text_keyword=texting.text_keyword,
        chat_url=national_line.chat_url,
        always_open=national_line.always_open,
        hours=national_line.hours,
        languages=national_line.languages,
    )
