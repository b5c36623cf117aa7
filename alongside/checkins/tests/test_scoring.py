"""Questionnaire scoring against the published scoring rules and their worked examples."""

import pytest

from alongside.checkins import scoring


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
        ([1, 1, 1, 1, 1, 1, 1, 1, 1], 9, "mild"),
        ([2, 2, 2, 2, 1, 1, 0, 0, 0], 10, "moderate"),
        ([2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate"),
        ([3, 3, 3, 2, 2, 2, 0, 0, 0], 15, "moderately_severe"),
        ([3, 3, 3, 3, 3, 2, 2, 0, 0], 19, "moderately_severe"),
        ([3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
        ([3, 3, 3, 3, 3, 3, 3, 3, 3], 27, "severe"),
    ],
)
def test_phq9_sums_nine_items_into_kroenkes_bands(answers, total, band):
    result = scoring.score(scoring.PHQ9, answers)

    assert (result.raw, result.score, result.band.code) == (total, total, band)


def test_phq9_manual_example_of_moderately_severe_depression():
    # The PHQ-9 instruction manual's example: 3 "several days", 4 "more than half", 2 "nearly
    # every day" answers give 3 + 8 + 6 = 17, moderately severe.
    result = scoring.score(scoring.PHQ9, [1, 1, 1, 2, 2, 2, 2, 3, 3])

    assert result.score == 17
    assert result.band.label == "Moderately severe"


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([0] * 7, 0, "minimal"),
        ([1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
        ([1, 1, 1, 1, 1, 0, 0], 5, "mild"),
        ([2, 2, 2, 1, 1, 1, 0], 9, "mild"),
        ([2, 2, 2, 2, 1, 1, 0], 10, "moderate"),
        ([2, 2, 2, 2, 2, 2, 2], 14, "moderate"),
        ([3, 3, 3, 2, 2, 2, 0], 15, "severe"),
        ([3] * 7, 21, "severe"),
    ],
)
def test_gad7_sums_seven_items_into_spitzers_bands(answers, total, band):
    result = scoring.score(scoring.GAD7, answers)

    assert (result.score, result.band.code) == (total, band)


@pytest.mark.parametrize(
    ("answers", "raw", "percentage", "band"),
    [
        ([5, 5, 5, 5, 5], 25, 100, "good_wellbeing"),
        ([3, 3, 3, 3, 3], 15, 60, "good_wellbeing"),
        ([3, 3, 3, 2, 2], 13, 52, "good_wellbeing"),
        ([3, 3, 2, 2, 2], 12, 48, "poor_wellbeing"),
        ([2, 2, 2, 1, 1], 8, 32, "poor_wellbeing"),
        ([2, 2, 1, 1, 1], 7, 28, "likely_depression"),
        ([0, 0, 0, 0, 0], 0, 0, "likely_depression"),
    ],
)
def test_who5_raw_score_times_four_is_the_percentage_with_topps_cut_offs(
    answers, raw, percentage, band
):
    result = scoring.score(scoring.WHO5, answers)

    assert (result.raw, result.score, result.band.code) == (raw, percentage, band)


def test_partial_answers_are_refused_naming_the_missing_items():
    with pytest.raises(scoring.AnswerError) as refused:
        scoring.score(scoring.PHQ9, [1, 1, None, 1, 1, 1, 1])

    assert refused.value.missing == (2, 7, 8)


@pytest.mark.parametrize("answer", [4, -1, "2", 1.5, True])
def test_an_answer_the_scale_does_not_have_is_refused(answer):
    with pytest.raises(scoring.AnswerError) as refused:
        scoring.score(scoring.GAD7, [answer, 0, 0, 0, 0, 0, 0])

    assert refused.value.invalid == (0,)


def test_more_answers_than_items_are_refused():
    with pytest.raises(scoring.AnswerError) as refused:
        scoring.score(scoring.WHO5, [1] * 6)

    assert refused.value.extra


@pytest.mark.parametrize(("item9", "follow_up"), [(0, False), (1, True), (3, True)])
def test_phq9_item_9_above_zero_asks_for_a_safety_follow_up_whatever_the_total(item9, follow_up):
    result = scoring.score(scoring.PHQ9, [0, 0, 0, 0, 0, 0, 0, 0, item9])

    assert result.needs_safety_follow_up is follow_up


def test_other_questionnaires_never_ask_for_a_safety_follow_up():
    assert not scoring.score(scoring.GAD7, [3] * 7).needs_safety_follow_up


def test_every_band_table_covers_its_scale_without_gaps():
    for questionnaire in scoring.QUESTIONNAIRES.values():
        covered = [
            score for band in questionnaire.bands for score in range(band.low, band.high + 1)
        ]
        assert covered == list(range(questionnaire.max_score + 1)), questionnaire.code
