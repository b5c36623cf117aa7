"""What a daily check-in records: the mood scale, the kinds of tracked item and their values.

Pure: no Django. Values arrive already parsed (numbers, or the choice codes below); `problem_with`
names what is wrong with one, and the caller turns that into a message in the person's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MOOD_LOWEST = 1
MOOD_HIGHEST = 10

SCALE_0_10 = "scale0_10"
HOURS = "hours"
YES_NO_PARTLY = "yes_no_partly"
YES_NO = "yes_no"
COUNT = "count"
KINDS = (SCALE_0_10, HOURS, YES_NO_PARTLY, YES_NO, COUNT)

YES = "yes"
PARTLY = "partly"
NO = "no"
CHOICES_OF = {YES_NO_PARTLY: (YES, PARTLY, NO), YES_NO: (YES, NO)}
# How a choice is drawn on a chart: done is 1, not done 0.
CHOICE_LEVEL = {YES: 1.0, PARTLY: 0.5, NO: 0.0}

HOURS_IN_A_DAY = 24
# Nobody goes to more meetings, or has more cravings, in a day: a larger count is a typo.
LARGEST_COUNT = 100
HOURS_STEP = Decimal("0.25")

# Problems, named for the message the caller shows.
NOT_A_CHOICE = "not_a_choice"
NOT_A_WHOLE_NUMBER = "not_a_whole_number"
NOT_A_NUMBER = "not_a_number"
BELOW_ZERO = "below_zero"
ABOVE_TEN = "above_ten"
MORE_THAN_A_DAY = "more_than_a_day"
TOO_MANY = "too_many"
NOT_QUARTER_HOURS = "not_quarter_hours"
MOOD_OUT_OF_RANGE = "mood_out_of_range"


@dataclass(frozen=True)
class DefaultItem:
    key: str
    label: str
    kind: str


def _(text: str) -> str:
    """Marks text for the translation catalogue; it is translated where it is shown."""
    return text


# What a new program tracks until its coordinators change the list.
DEFAULT_ITEMS = (
    DefaultItem("cravings", _("Cravings"), SCALE_0_10),
    DefaultItem("pain", _("Pain"), SCALE_0_10),
    DefaultItem("sleep_hours", _("Hours of sleep"), HOURS),
    DefaultItem("routine_done", _("Exercise or rehab routine done"), YES_NO_PARTLY),
    DefaultItem("medication_taken", _("Medication taken"), YES_NO),
    DefaultItem("meetings_attended", _("Meetings attended"), COUNT),
)


def is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def mood_problem(mood) -> str | None:
    """What is wrong with a mood rating, or None for a whole number from 1 to 10."""
    if not is_whole(mood):
        return NOT_A_WHOLE_NUMBER
    if not MOOD_LOWEST <= mood <= MOOD_HIGHEST:
        return MOOD_OUT_OF_RANGE
    return None


def problem_with(kind: str, value) -> str | None:
    """What is wrong with `value` for an item of `kind`, or None when it may be saved.

    Raises ValueError for an unknown kind.
    """
    if kind in CHOICES_OF:
        return None if value in CHOICES_OF[kind] else NOT_A_CHOICE
    if kind in (SCALE_0_10, COUNT):
        if not is_whole(value):
            return NOT_A_WHOLE_NUMBER
        if value < 0:
            return BELOW_ZERO
        if kind == SCALE_0_10 and value > 10:
            return ABOVE_TEN
        if kind == COUNT and value > LARGEST_COUNT:
            return TOO_MANY
        return None
    if kind == HOURS:
        if not is_number(value):
            return NOT_A_NUMBER
        if value < 0:
            return BELOW_ZERO
        if value > HOURS_IN_A_DAY:
            return MORE_THAN_A_DAY
        if Decimal(str(value)) % HOURS_STEP:
            return NOT_QUARTER_HOURS
        return None
    raise ValueError(f"Unknown item kind: {kind!r}")


def stored_value(kind: str, value):
    """The JSON-friendly form of a valid value: hours as a float, the rest as they are."""
    return float(value) if kind == HOURS else value


def chart_level(kind: str, value) -> float | None:
    """Where a stored value sits on its item's chart, or None for a value it cannot draw."""
    if kind in CHOICES_OF:
        return CHOICE_LEVEL.get(value)
    return float(value) if is_number(value) else None
