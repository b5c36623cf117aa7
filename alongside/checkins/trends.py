"""The geometry of the trend charts: points, lines and axis ticks of one series over a window of
days, for a server-rendered SVG.

Pure: no Django. The caller gives (day, value) pairs and the scale; it gets coordinates in an
SVG viewBox of WIDTH x HEIGHT and plain numbers for the chart's text description.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH = 320
HEIGHT = 160
LEFT = 34  # room for the value labels
RIGHT = 8
TOP = 10
BOTTOM = 26  # room for the day labels
WINDOWS = (7, 30, 90)


@dataclass(frozen=True)
class ChartPoint:
    day: date
    value: float
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    position: float
    value: float
    label: str


@dataclass(frozen=True)
class DayTick:
    x: float
    day: date


@dataclass(frozen=True)
class Chart:
    points: tuple[ChartPoint, ...]
    paths: tuple[str, ...]
    value_ticks: tuple[Tick, ...]
    day_ticks: tuple[DayTick, ...]
    first_day: date
    last_day: date
    low: float
    high: float
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def count(self) -> int:
        return len(self.points)

    @property
    def average(self) -> float | None:
        if not self.points:
            return None
        return round(sum(point.value for point in self.points) / len(self.points), 1)

    @property
    def lowest(self) -> float | None:
        return min((point.value for point in self.points), default=None)

    @property
    def highest(self) -> float | None:
        return max((point.value for point in self.points), default=None)

    @property
    def latest(self) -> ChartPoint | None:
        return self.points[-1] if self.points else None


def window(last_day: date, days: int) -> tuple[date, date]:
    """The first and last day of a window of `days` days ending on `last_day`."""
    return last_day - timedelta(days=days - 1), last_day


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _x(day: date, first_day: date, last_day: date) -> float:
    span = max((last_day - first_day).days, 1)
    return round(LEFT + (WIDTH - RIGHT - LEFT) * (day - first_day).days / span, 1)


def _y(value: float, low: float, high: float) -> float:
    span = (high - low) or 1
    return round(HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * (value - low) / span, 1)


def line_chart(
    series: Sequence[tuple[date, float]],
    *,
    first_day: date,
    last_day: date,
    low: float,
    high: float,
    value_labels: dict[float, str] | None = None,
    join_within_days: int | None = 1,
) -> Chart:
    """The chart of `series` (at most one value a day; days outside the window are left out)
    on a scale from `low` to `high`, widened to hold every value.

    Points of days at most `join_within_days` apart are joined by a line, so a missed day shows
    as a gap; None joins every point (questionnaires, answered every few weeks). `value_labels`
    replaces the numeric ticks (No / Partly / Yes).
    """
    shown = sorted((day, float(value)) for day, value in series if first_day <= day <= last_day)
    values = [value for _day, value in shown]
    low = float(min([low, *values]))
    high = float(max([high, *values]))
    points = tuple(
        ChartPoint(day, value, _x(day, first_day, last_day), _y(value, low, high))
        for day, value in shown
    )
    return Chart(
        points=points,
        paths=_paths(points, join_within_days),
        value_ticks=_value_ticks(low, high, value_labels),
        day_ticks=_day_ticks(first_day, last_day),
        first_day=first_day,
        last_day=last_day,
        low=low,
        high=high,
    )


def _paths(points: Sequence[ChartPoint], join_within_days: int | None) -> tuple[str, ...]:
    runs: list[list[ChartPoint]] = []
    for point in points:
        joined = runs and (
            join_within_days is None or (point.day - runs[-1][-1].day).days <= join_within_days
        )
        if joined:
            runs[-1].append(point)
        else:
            runs.append([point])
    return tuple("M" + " L".join(f"{p.x:g} {p.y:g}" for p in run) for run in runs if len(run) > 1)


def _value_ticks(low: float, high: float, labels: dict[float, str] | None) -> tuple[Tick, ...]:
    if labels:
        return tuple(
            Tick(_y(value, low, high), value, label) for value, label in sorted(labels.items())
        )
    middle = (low + high) / 2
    if low.is_integer() and high.is_integer() and high - low >= 2:
        middle = float(round(middle))
    return tuple(Tick(_y(value, low, high), value, _number(value)) for value in (low, middle, high))


def _day_ticks(first_day: date, last_day: date) -> tuple[DayTick, ...]:
    middle = first_day + (last_day - first_day) / 2
    days = sorted({first_day, middle, last_day})
    return tuple(DayTick(_x(day, first_day, last_day), day) for day in days)
