"""US ZIP codes resolved offline to a city and the centre of the ZIP area; no Django, no network."""

import re
from dataclasses import dataclass

import zipcodes

_FIVE_DIGITS = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Place:
    zip_code: str
    city: str
    state: str
    latitude: float
    longitude: float
    time_zone: str = ""


def is_zip_code_format(value: str) -> bool:
    return bool(_FIVE_DIGITS.fullmatch(value))


def resolve_zip_code(zip_code: str) -> Place | None:
    """The place a 5-digit US ZIP code stands for, or None if there is no such ZIP code."""
    if not is_zip_code_format(zip_code):
        return None
    matches = zipcodes.matching(zip_code)
    if not matches:
        return None
    match = matches[0]
    return Place(
        zip_code=zip_code,
        city=match["city"][:100],
        state=match["state"][:2],
        latitude=float(match["lat"]),
        longitude=float(match["long"]),
        time_zone=match.get("timezone") or "",
    )
