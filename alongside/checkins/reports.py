"""One member's trends over a window of days, as the trends pages and the API show them: the
chart geometry from `trends`, and the words and table rows that go with each chart."""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from alongside.checkins import access, scoring, tracking, trends
from alongside.checkins.models import CheckIn, QuestionnaireResponse
from alongside.programs.models import Program

MOOD_WORDS = {
    1: gettext_lazy("Awful"),
    2: gettext_lazy("Very bad"),
    3: gettext_lazy("Bad"),
    4: gettext_lazy("Low"),
    5: gettext_lazy("So-so"),
    6: gettext_lazy("OK"),
    7: gettext_lazy("Good"),
    8: gettext_lazy("Very good"),
    9: gettext_lazy("Great"),
    10: gettext_lazy("Excellent"),
}
CHOICE_WORDS = {
    tracking.YES: gettext_lazy("Yes"),
    tracking.PARTLY: gettext_lazy("Partly"),
    tracking.NO: gettext_lazy("No"),
}
# The top of the scale a chart starts with; a larger value widens it.
SCALE_TOP = {tracking.SCALE_0_10: 10, tracking.HOURS: 12, tracking.COUNT: 5}


@dataclass(frozen=True)
class TableRow:
    """One row of a chart's data table, its day already written out for the page."""

    day: date
    day_label: str
    value: str


@dataclass
class TrendChart:
    """One chart: what it shows, its geometry, a sentence describing it and its data table."""

    key: str
    title: str
    description: str
    chart: trends.Chart
    rows: list[TableRow]
    value_heading: str

    # The page's repeated markup, written here once rather than by a template loop: a 90-day
    # page has about 1,500 points and table rows, and rendering each through the template
    # language was most of the page's time. Numbers are written with a dot in every language.

    @cached_property
    def points_svg(self) -> SafeString:
        """The chart's points as SVG circles."""
        return mark_safe(  # noqa: S308 - numbers only
            "".join(
                f'<circle class="trend-chart__point" cx="{point.x:g}" cy="{point.y:g}" r="3">'
                "</circle>"
                for point in self.chart.points
            )
        )

    @cached_property
    def rows_html(self) -> SafeString:
        """The data table's body rows, newest first, every text escaped."""
        return mark_safe(  # noqa: S308 - each part escaped
            "".join(
                f'<tr><th scope="row"><time datetime="{row.day.isoformat()}">'
                f"{escape(row.day_label)}</time></th><td>{escape(row.value)}</td></tr>"
                for row in self.rows
            )
        )


@dataclass
class Trends:
    program: Program
    member: Any
    days: int
    first_day: date
    last_day: date
    check_ins: list[CheckIn] = field(default_factory=list)
    responses: list[QuestionnaireResponse] = field(default_factory=list)
    charts: list[TrendChart] = field(default_factory=list)


@lru_cache(maxsize=4096)
def _day_label(day: date, language: str | None) -> str:
    """ "Mon 3 Mar" in `language`: the same for every member, so written once per process."""
    return date_format(day, "D j M")


class _DayLabels(dict):
    """Each day written out once per page: the same days recur in every chart's table, and
    formatting a date in the template for each row was most of a 90-day page's time."""

    def __missing__(self, day: date) -> str:
        label = self[day] = _day_label(day, get_language())
        return label

    def row(self, day: date, value: str) -> TableRow:
        return TableRow(day, self[day], value)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _numeric_description(chart: trends.Chart, days: int) -> str:
    if not chart.count:
        return _("Nothing recorded in these %(days)d days.") % {"days": days}
    return _(
        "Recorded on %(count)d of %(days)d days: average %(average)s, lowest %(lowest)s, "
        "highest %(highest)s, latest %(latest)s."
    ) % {
        "count": chart.count,
        "days": days,
        "average": _number(chart.average or 0),
        "lowest": _number(chart.lowest or 0),
        "highest": _number(chart.highest or 0),
        "latest": _number(chart.latest.value if chart.latest else 0),
    }


def _choice_description(answers: list[str], days: int) -> str:
    if not answers:
        return _("Nothing recorded in these %(days)d days.") % {"days": days}
    return _(
        "Recorded on %(count)d of %(days)d days: yes on %(yes)d, partly on %(partly)d, "
        "no on %(no)d."
    ) % {
        "count": len(answers),
        "days": days,
        "yes": answers.count(tracking.YES),
        "partly": answers.count(tracking.PARTLY),
        "no": answers.count(tracking.NO),
    }


def _mood_chart(
    check_ins: list[CheckIn], first_day: date, last_day: date, days: int, labels: _DayLabels
):
    chart = trends.line_chart(
        [(check_in.day, check_in.mood) for check_in in check_ins],
        first_day=first_day,
        last_day=last_day,
        low=tracking.MOOD_LOWEST,
        high=tracking.MOOD_HIGHEST,
    )
    mood_words = {number: str(word) for number, word in MOOD_WORDS.items()}  # once, not per day
    return TrendChart(
        key="mood",
        title=_("Mood"),
        description=_numeric_description(chart, days),
        chart=chart,
        rows=[
            labels.row(check_in.day, f"{check_in.mood} · {mood_words[check_in.mood]}")
            for check_in in reversed(check_ins)
        ],
        value_heading=_("Mood (1 to 10)"),
    )


def _item_chart(
    item, check_ins: list[CheckIn], first_day: date, last_day: date, days: int, labels: _DayLabels
):
    answered = [
        (check_in.day, check_in.values[item.key])
        for check_in in check_ins
        if check_in.values.get(item.key) is not None
    ]
    levels = [
        (day, level)
        for day, value in answered
        if (level := tracking.chart_level(item.kind, value)) is not None
    ]
    if item.kind in tracking.CHOICES_OF:
        words = {choice: str(CHOICE_WORDS[choice]) for choice in tracking.CHOICES_OF[item.kind]}
        chart = trends.line_chart(
            levels,
            first_day=first_day,
            last_day=last_day,
            low=0,
            high=1,
            value_labels={tracking.CHOICE_LEVEL[choice]: word for choice, word in words.items()},
        )
        description = _choice_description([value for _day, value in answered], days)
        rows = [labels.row(day, words.get(value, value)) for day, value in reversed(answered)]
    else:
        chart = trends.line_chart(
            levels, first_day=first_day, last_day=last_day, low=0, high=SCALE_TOP[item.kind]
        )
        description = _numeric_description(chart, days)
        rows = [labels.row(day, _number(float(value))) for day, value in reversed(answered)]
    return TrendChart(
        key=item.key,
        title=_(item.label),
        description=description,
        chart=chart,
        rows=rows,
        value_heading=_(item.label),
    )


def _questionnaire_chart(
    code: str, responses, first_day: date, last_day: date, days: int, labels: _DayLabels
):
    definition = scoring.get_questionnaire(code)
    answered = [response for response in responses if response.questionnaire == code]
    chart = trends.line_chart(
        [(response.day, response.score) for response in answered],
        first_day=first_day,
        last_day=last_day,
        low=0,
        high=definition.max_score,
        join_within_days=None,
    )
    return TrendChart(
        key=code,
        title=_(definition.title),
        description=_numeric_description(chart, days),
        chart=chart,
        rows=[
            labels.row(response.day, f"{response.score} · {_(response.band_label)}")
            for response in reversed(answered)
        ],
        value_heading=_("Score"),
    )


def trends_of(
    member,
    program: Program,
    *,
    days: int,
    today: date,
    check_ins: bool = True,
    questionnaires: bool = True,
) -> Trends:
    """`member`'s trends in `program` over the `days` days ending `today`: mood and each item
    they track or recorded, and each questionnaire scheduled or answered; parts not asked for
    are left out (and not read)."""
    first_day, last_day = trends.window(today, days)
    result = Trends(program, member, days, first_day, last_day)
    labels = _DayLabels()
    if check_ins:
        # The charts never show the note: deferring it saves decrypting up to 90 of them.
        result.check_ins = list(
            access.check_ins_between(member, program, first_day, last_day).defer("note")
        )
        result.charts.append(_mood_chart(result.check_ins, first_day, last_day, days, labels))
        offered = access.program_items_of(program)
        preference = access.preference_of(member, program)
        tracked = {
            item.key for item in access.items_tracked_by(member, program, preference, offered)
        }
        recorded = {key for check_in in result.check_ins for key in check_in.values}
        for item in offered:
            if item.key in tracked or item.key in recorded:
                result.charts.append(
                    _item_chart(item, result.check_ins, first_day, last_day, days, labels)
                )
    if questionnaires:
        result.responses = list(access.responses_between(member, program, first_day, last_day))
        scheduled = [row.questionnaire for row in access.schedules_of(program)]
        answered = {response.questionnaire for response in result.responses}
        for code in scoring.QUESTIONNAIRES:
            if code in scheduled or code in answered:
                result.charts.append(
                    _questionnaire_chart(code, result.responses, first_day, last_day, days, labels)
                )
    return result
