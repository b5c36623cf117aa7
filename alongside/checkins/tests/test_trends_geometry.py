"""The chart geometry: points in the viewBox, gaps for missed days, ticks."""

from datetime import date

from alongside.checkins import trends

FIRST = date(2025, 6, 1)
LAST = date(2025, 6, 7)


def test_points_span_the_plot_from_first_to_last_day_and_low_to_high():
    chart = trends.line_chart(
        [(FIRST, 1), (LAST, 10)], first_day=FIRST, last_day=LAST, low=1, high=10
    )

    first, last = chart.points
    assert (first.x, first.y) == (chart.left, chart.bottom_edge)
    assert (last.x, last.y) == (chart.right_edge, chart.top)


def test_a_missed_day_breaks_the_line():
    series = [
        (date(2025, 6, 1), 5),
        (date(2025, 6, 2), 6),
        (date(2025, 6, 4), 7),
        (date(2025, 6, 5), 8),
    ]

    chart = trends.line_chart(series, first_day=FIRST, last_day=LAST, low=1, high=10)

    assert len(chart.paths) == 2
    assert all(path.startswith("M") and path.count("L") == 1 for path in chart.paths)


def test_questionnaire_points_weeks_apart_are_joined_when_asked():
    series = [(date(2025, 6, 1), 5), (date(2025, 6, 7), 9)]

    chart = trends.line_chart(
        series, first_day=FIRST, last_day=LAST, low=0, high=27, join_within_days=None
    )

    assert len(chart.paths) == 1


def test_days_outside_the_window_are_left_out_and_the_numbers_describe_the_rest():
    series = [(date(2025, 5, 31), 1), (date(2025, 6, 2), 4), (date(2025, 6, 3), 8)]

    chart = trends.line_chart(series, first_day=FIRST, last_day=LAST, low=1, high=10)

    assert (chart.count, chart.average, chart.lowest, chart.highest) == (2, 6.0, 4.0, 8.0)


def test_a_value_above_the_scale_widens_it():
    chart = trends.line_chart([(FIRST, 16)], first_day=FIRST, last_day=LAST, low=0, high=12)

    assert chart.high == 16
    assert chart.points[0].y == chart.top


def test_choice_items_label_their_ticks_in_words():
    chart = trends.line_chart(
        [], first_day=FIRST, last_day=LAST, low=0, high=1, value_labels={0.0: "No", 1.0: "Yes"}
    )

    assert [tick.label for tick in chart.value_ticks] == ["No", "Yes"]
    assert chart.average is None


def test_a_window_of_n_days_ends_on_the_last_day():
    assert trends.window(LAST, 7) == (FIRST, LAST)
