"""What screening says about a text: a level, the categories of crisis, and the reasons for both.

Plain values, no Django: `screen()` returns an `Assessment`, callers store `as_dict()` and compare
levels with `<` and `max()` (NONE < CONCERN < URGENT), never as strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal


class Level(StrEnum):
    NONE = "none"
    CONCERN = "concern"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """0 for none, 1 for concern, 2 for urgent."""
        return _RANKS[self]

    # StrEnum would compare the words alphabetically ("concern" < "none"): compare by rank,
    # accepting the plain strings too, so `level >= "concern"` means what it says.
    def __lt__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank < Level(other).rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank <= Level(other).rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank > Level(other).rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return self.rank >= Level(other).rank


_RANKS = {Level.NONE: 0, Level.CONCERN: 1, Level.URGENT: 2}


class Category(StrEnum):
    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    OVERDOSE = "overdose"
    HARM_TO_OTHERS = "harm_to_others"
    ABUSE = "abuse"  # abuse or violence against the writer


Source = Literal["rules", "classifier", "questionnaire", "screening"]


@dataclass(frozen=True)
class Reason:
    """One piece of evidence: which part of screening saw it, what it is, and the words or score."""

    source: Source
    category: Category | None
    code: str
    evidence: str

    def as_dict(self) -> dict[str, Any]:
        """Return the reason as JSON-ready plain data."""
        return {
            "source": self.source,
            "category": None if self.category is None else self.category.value,
            "code": self.code,
            "evidence": self.evidence,
        }


@dataclass(frozen=True)
class Assessment:
    """The level of a text, its crisis categories (empty when the level is none) and every reason.

    Reasons may be present at level none: they say why crisis words were not taken at face value
    (a negation, an idiom, a story of recovery), which the people tuning screening need to see.
    """

    level: Level
    categories: tuple[Category, ...] = ()
    reasons: tuple[Reason, ...] = ()

    @property
    def flagged(self) -> bool:
        """True when the text needs a person's attention (concern or urgent)."""
        return self.level != Level.NONE

    def as_dict(self) -> dict[str, Any]:
        """Return the assessment as JSON-ready plain data."""
        return {
            "level": self.level.value,
            "categories": [category.value for category in self.categories],
            "reasons": [reason.as_dict() for reason in self.reasons],
        }
