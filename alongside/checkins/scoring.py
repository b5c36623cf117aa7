"""PHQ-9, GAD-7 and WHO-5: their items, answer scales, scoring and severity bands.

Pure: no Django. The wording is the published public-domain wording (PHQ-9 and GAD-7: Spitzer,
Williams, Kroenke and colleagues, developed with a grant from Pfizer, "no permission required to
reproduce, translate, display or distribute"; WHO-5: WHO Regional Office for Europe, 1998, free
to use). Scoring follows the instruction manuals: PHQ-9 sums nine items scored 0-3 (Kroenke,
Spitzer & Williams 2001), GAD-7 sums seven (Spitzer et al. 2006), WHO-5 sums five items scored
0-5 and multiplies by 4 for a percentage (Topp et al. 2015).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def _(text: str) -> str:
    """Marks text for the translation catalogue; it is translated where it is shown."""
    return text


PHQ9 = "phq9"
GAD7 = "gad7"
WHO5 = "who5"

# (value, label) of the answer choices, in the order they are shown.
OFTEN_CHOICES = (
    (0, _("Not at all")),
    (1, _("Several days")),
    (2, _("More than half the days")),
    (3, _("Nearly every day")),
)
WHO5_CHOICES = (
    (5, _("All of the time")),
    (4, _("Most of the time")),
    (3, _("More than half of the time")),
    (2, _("Less than half of the time")),
    (1, _("Some of the time")),
    (0, _("At no time")),
)


@dataclass(frozen=True)
class Band:
    """A severity band: scores from `low` to `high` inclusive (on the reported scale)."""

    code: str
    label: str
    low: int
    high: int


@dataclass(frozen=True)
class Questionnaire:
    code: str
    name: str
    title: str
    instructions: str
    items: tuple[str, ...]
    choices: tuple[tuple[int, str], ...]
    bands: tuple[Band, ...]
    # The reported score is the raw sum times this (WHO-5 reports a percentage).
    multiplier: int = 1

    @property
    def max_score(self) -> int:
        return max(value for value, _label in self.choices) * len(self.items) * self.multiplier

    @property
    def allowed_values(self) -> frozenset[int]:
        return frozenset(value for value, _label in self.choices)


QUESTIONNAIRES: dict[str, Questionnaire] = {
    PHQ9: Questionnaire(
        code=PHQ9,
        name="PHQ-9",
        title=_("Mood (PHQ-9)"),
        instructions=_(
            "Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems?"
        ),
        items=(
            _("Little interest or pleasure in doing things"),
            _("Feeling down, depressed, or hopeless"),
            _("Trouble falling or staying asleep, or sleeping too much"),
            _("Feeling tired or having little energy"),
            _("Poor appetite or overeating"),
            _(
                "Feeling bad about yourself — or that you are a failure or have let yourself or "
                "your family down"
            ),
            _(
                "Trouble concentrating on things, such as reading the newspaper or watching "
                "television"
            ),
            _(
                "Moving or speaking so slowly that other people could have noticed? Or the opposite "
                "— being so fidgety or restless that you have been moving around a lot more than "
                "usual"
            ),
            _("Thoughts that you would be better off dead or of hurting yourself in some way"),
        ),
        choices=OFTEN_CHOICES,
        bands=(
            Band("minimal", _("Minimal"), 0, 4),
            Band("mild", _("Mild"), 5, 9),
            Band("moderate", _("Moderate"), 10, 14),
            Band("moderately_severe", _("Moderately severe"), 15, 19),
            Band("severe", _("Severe"), 20, 27),
        ),
    ),
    GAD7: Questionnaire(
        code=GAD7,
        name="GAD-7",
        title=_("Anxiety (GAD-7)"),
        instructions=_(
            "Over the last 2 weeks, how often have you been bothered by the following problems?"
        ),
        items=(
            _("Feeling nervous, anxious, or on edge"),
            _("Not being able to stop or control worrying"),
            _("Worrying too much about different things"),
            _("Trouble relaxing"),
            _("Being so restless that it is hard to sit still"),
            _("Becoming easily annoyed or irritable"),
            _("Feeling afraid, as if something awful might happen"),
        ),
        choices=OFTEN_CHOICES,
        bands=(
            Band("minimal", _("Minimal"), 0, 4),
            Band("mild", _("Mild"), 5, 9),
            Band("moderate", _("Moderate"), 10, 14),
            Band("severe", _("Severe"), 15, 21),
        ),
    ),
    WHO5: Questionnaire(
        code=WHO5,
        name="WHO-5",
        title=_("Wellbeing (WHO-5)"),
        instructions=_(
            "Please indicate for each of the five statements which is closest to how you have "
            "been feeling over the last two weeks."
        ),
        items=(
            _("I have felt cheerful and in good spirits"),
            _("I have felt calm and relaxed"),
            _("I have felt active and vigorous"),
            _("I woke up feeling fresh and rested"),
            _("My daily life has been filled with things that interest me"),
        ),
        choices=WHO5_CHOICES,
        multiplier=4,
        # On the percentage scale: 50 or less suggests poor wellbeing, 28 or less likely depression.
        bands=(
            Band("likely_depression", _("Likely depression"), 0, 28),
            Band("poor_wellbeing", _("Poor wellbeing"), 29, 50),
            Band("good_wellbeing", _("Good wellbeing"), 51, 100),
        ),
    ),
}

# The PHQ-9 item asking about thoughts of death or self-harm (0-based): any answer above 0 needs a
# person to reach out, whatever the total.
PHQ9_SELF_HARM_ITEM = 8


class AnswerError(ValueError):
    """The answers cannot be scored: `missing` and `invalid` are 0-based item positions."""

    def __init__(self, *, missing: Sequence[int] = (), invalid: Sequence[int] = (), extra=False):
        self.missing = tuple(missing)
        self.invalid = tuple(invalid)
        self.extra = extra
        super().__init__(f"missing={self.missing} invalid={self.invalid} extra={extra}")


@dataclass(frozen=True)
class Score:
    questionnaire: str
    answers: tuple[int, ...]
    raw: int
    score: int
    band: Band

    @property
    def needs_safety_follow_up(self) -> bool:
        """True when the answers ask for a person to reach out now (PHQ-9 item 9 above 0)."""
        return self.questionnaire == PHQ9 and self.answers[PHQ9_SELF_HARM_ITEM] > 0


def get_questionnaire(code: str) -> Questionnaire:
    """The questionnaire called `code`; KeyError for an unknown one."""
    return QUESTIONNAIRES[code]


def band_for(questionnaire: Questionnaire, score: int) -> Band:
    """The band the reported `score` falls in; ValueError outside the scale."""
    for band in questionnaire.bands:
        if band.low <= score <= band.high:
            return band
    raise ValueError(f"{score} is outside the {questionnaire.name} scale")


def score(code: str, answers: Sequence[int | None]) -> Score:
    """Score a complete set of answers, one per item in order.

    Raises AnswerError naming the items left unanswered (None) or answered with a value the
    scale does not have, or when there are more answers than items; KeyError for an unknown
    questionnaire.
    """
    questionnaire = get_questionnaire(code)
    count = len(questionnaire.items)
    extra = len(answers) > count
    padded = list(answers[:count]) + [None] * (count - len(answers))
    missing = [i for i, answer in enumerate(padded) if answer is None]
    invalid = [
        i
        for i, answer in enumerate(padded)
        if answer is not None
        and (
            isinstance(answer, bool)
            or not isinstance(answer, int)
            or answer not in questionnaire.allowed_values
        )
    ]
    if missing or invalid or extra:
        raise AnswerError(missing=missing, invalid=invalid, extra=extra)
    values = tuple(int(answer) for answer in padded if answer is not None)
    raw = sum(values)
    reported = raw * questionnaire.multiplier
    return Score(code, values, raw, reported, band_for(questionnaire, reported))
