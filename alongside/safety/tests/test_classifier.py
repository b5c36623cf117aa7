"""The crisis classifier: features, the committed model file, and inference without scikit-learn."""

from __future__ import annotations

import functools
import math
import random
import time
from typing import Any

import numpy as np
import pytest

from alongside.safety.screening import classifier, dataset, features, phrases, screen, train
from alongside.safety.screening.classifier import Model, ModelMismatch, read_document
from alongside.safety.screening.features import normalize, text_features

# Written for these tests, not taken from the training data.
SENTENCES = [
    "I have the pills counted out and I'm saying goodbye to everyone tonight.",
    "Nobody would miss me if I was gone, I'm done trying.",
    "Made it to my meeting and had coffee with my sponsor afterwards.",
    "Cravings were rough today but I called a friend and went for a walk.",
    "",
]
CRISIS = "I want to kill myself tonight, I can't do this anymore."
ORDINARY = "We planted tomatoes in the community garden this morning."

needs_data = pytest.mark.skipif(
    not dataset.data_path().exists(), reason="the twitter data set is not in ../shared/data"
)


def test_contractions_with_and_without_apostrophes_give_the_same_words():
    expected = ["i", "do", "not", "want", "to", "be", "here", "i", "am", "done"]
    assert normalize("I DON'T want to be here!!! I\u2019m done.") == expected
    assert normalize("i don t want to be here i m done") == expected
    assert normalize("i dont want to be here im done") == expected


def test_repeated_letters_urls_and_mentions_do_not_change_the_words():
    assert normalize("Sooooo tiiiired @sam https://example.org/x") == normalize("soo tiired")


def test_features_have_unit_length_split_evenly_between_words_and_characters():
    features = text_features("I can't keep going like this, everything hurts")
    words = sum(value * value for key, value in features.items() if key.startswith("w:"))
    characters = sum(value * value for key, value in features.items() if key.startswith("c:"))
    assert words == pytest.approx(0.5)
    assert characters == pytest.approx(0.5)


def test_text_without_words_has_no_features():
    assert text_features(" ... !!! ") == {}


def test_inference_is_deterministic_and_independent_of_the_cache():
    fresh = Model.from_document(read_document())
    first = [classifier.suicidal_probability(text) for text in SENTENCES]
    assert first == [classifier.suicidal_probability(text) for text in SENTENCES]
    assert first == [fresh.probability(text) for text in SENTENCES]
    assert all(0.0 < probability < 1.0 for probability in first)


def test_thresholds_order_a_crisis_above_urgent_and_an_ordinary_day_below_concern():
    assert (
        0.0
        < classifier.CONCERN_THRESHOLD
        < classifier.UNCORROBORATED_THRESHOLD
        < classifier.URGENT_THRESHOLD
        < 1.0
    )
    assert classifier.suicidal_probability(CRISIS) >= classifier.URGENT_THRESHOLD
    assert classifier.suicidal_probability(ORDINARY) < classifier.CONCERN_THRESHOLD


def test_model_file_loads_in_well_under_a_second():
    started = time.perf_counter()
    Model.from_document(read_document())
    assert time.perf_counter() - started < 1.0


def test_model_trained_under_other_features_is_refused():
    document = read_document()
    document["features"]["fingerprint"] = "0" * 64
    with pytest.raises(ModelMismatch):
        Model.from_document(document)


def test_concern_threshold_is_the_highest_reaching_the_recall_target():
    labels = np.array([True] * 95 + [False] * 3 + [True] * 3 + [False] * 10 + [True] * 2)
    probabilities = np.linspace(0.99, 0.01, len(labels))
    # Recall 0.97 needs 97 of the 100 positives, down to the 100th text, at precision 0.97.
    assert train.concern_threshold(labels, probabilities) == probabilities[99]


def test_when_no_recall_target_keeps_the_precision_floor_the_floor_wins():
    labels = np.array([True] * 80 + [False] * 10 + [True] * 10 + [False] * 10 + [True] * 5)
    probabilities = np.linspace(0.99, 0.01, len(labels))
    # Recall 0.95 needs 91 of the 95 positives, down to the 111th text: precision 91/111 = 0.82.
    # The lowest threshold keeping 0.85 flags 105 texts, 90 of them suicidal (0.857); the 106th,
    # 107th (90/107 = 0.841) fall below it.
    assert train.concern_threshold(labels, probabilities) == probabilities[104]


def test_urgent_threshold_is_the_lowest_keeping_precision(monkeypatch):
    labels = np.array([True] * 60 + [False] + [True] * 10 + [False] * 20)
    probabilities = np.linspace(0.99, 0.01, len(labels))
    monkeypatch.setattr(train, "URGENT_PRECISION", 0.98)
    # 70 of the top 71 are suicidal (0.986); the 72nd is not (70 of 72 is 0.972).
    assert train.urgent_threshold(labels, probabilities) == probabilities[70]


def test_urgent_threshold_is_not_chosen_on_a_handful_of_flags():
    labels = np.array([True] * 20 + [False] * 40)
    probabilities = np.linspace(0.99, 0.01, len(labels))
    with pytest.raises(ValueError, match="no threshold"):
        train.urgent_threshold(labels, probabilities)


def test_inference_equals_scikit_learn_on_the_same_weights():
    linear_model = pytest.importorskip("sklearn.linear_model")
    model = classifier.model()
    columns = {feature: column for column, feature in enumerate(sorted(model.weights))}
    estimator = linear_model.LogisticRegression()
    estimator.classes_ = np.array([False, True])
    estimator.coef_ = np.array([[model.weights[feature] for feature in columns]])
    estimator.intercept_ = np.array([model.intercept])
    rows = train.matrix([text_features(text) for text in SENTENCES], columns)
    expected = estimator.predict_proba(rows)[:, 1]
    actual = [classifier.suicidal_probability(text) for text in SENTENCES]
    assert all(map(math.isclose, actual, expected))


def test_inference_counts_every_n_gram_of_a_long_text_with_repeats_and_unknown_words():
    # numpy counts each distinct word's n-grams times the word's count, and n-grams the model has
    # no weight for still lengthen the vector: the same value as the features spelled out.
    model = classifier.model()
    texts = [
        " ".join(SENTENCES * 40),
        "zxqvw zxqvw zxqvw blorptastic qqqq " * 30 + CRISIS,
        "Sooooo tired " * 200,
        "\u00c9l dijo: ya no quiero vivir \U0001f622 " * 10,
    ]
    for text in texts:
        spelled_out = classifier.sigmoid(
            classifier.decision(model.weights, model.intercept, text_features(text))
        )
        assert math.isclose(classifier.suicidal_probability(text), spelled_out, rel_tol=1e-12)


def test_an_enormous_word_is_screened_but_kept_in_no_cache():
    # A member posting one 20,000-letter "word" after another must not fill the worker's memory.
    giant = "".join(random.Random(7).choices("abcdefghij", k=20_000))
    ordinary = "I am so tired of all of this"
    with_giant = f"I am so tired {giant} of all of this"
    caches: list[functools._lru_cache_wrapper[Any]] = [
        phrases._token_form,
        features._canonical,
        features.char_ngrams,
        classifier.model()._gram_columns,
    ]
    screen(ordinary)
    sizes = [cache.cache_info().currsize for cache in caches]
    assessment = screen(with_giant)
    assert [cache.cache_info().currsize for cache in caches] == sizes
    assert assessment == screen(with_giant)
    model = classifier.model()
    spelled_out = classifier.sigmoid(
        classifier.decision(model.weights, model.intercept, text_features(with_giant))
    )
    assert math.isclose(classifier.suicidal_probability(with_giant), spelled_out, rel_tol=1e-12)


@needs_data
def test_model_metadata_matches_the_data_file_and_its_split():
    path = dataset.data_path()
    training = read_document()["training"]
    assert training["data_sha256"] == dataset.file_sha256(path)
    parts = dataset.split(dataset.load_examples(path), training["seed"])
    assert training["split"] == {
        name: {"texts": len(part), "suicidal": sum(example.suicidal for example in part)}
        for name, part in parts.items()
    }


# The solver's last digits depend on the CPU's BLAS kernels: refitted on another CPU, some weights
# land on the other side of a rounding step in their 6th significant digit.
WEIGHT_TOLERANCE = 2e-5


@needs_data
def test_retraining_reproduces_the_committed_model_to_its_stored_digits():
    sklearn = pytest.importorskip("sklearn")
    committed = read_document()
    training = committed["training"]
    if sklearn.__version__ != training["scikit_learn"]:
        pytest.skip(f"model trained with scikit-learn {training['scikit_learn']}")
    refitted = train.train(
        dataset.data_path(), training["seed"], strengths=[training["inverse_regularisation"]]
    )
    numeric = ("weights", "thresholds")
    assert {key: refitted[key] for key in refitted if key not in numeric} == {
        key: committed[key] for key in committed if key not in numeric
    }
    assert refitted["weights"].keys() == committed["weights"].keys()
    assert (
        max(
            abs(refitted["weights"][feature] - weight)
            for feature, weight in committed["weights"].items()
        )
        <= WEIGHT_TOLERANCE
    )
    assert refitted["thresholds"].keys() == committed["thresholds"].keys()
    for name, threshold in committed["thresholds"].items():
        assert math.isclose(refitted["thresholds"][name], threshold, rel_tol=1e-6)
