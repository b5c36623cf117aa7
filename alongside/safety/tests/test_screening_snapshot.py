"""Screening gives exactly the outcomes it gave when the snapshot was taken.

Speed work on features.py, rules.py and combine.py must not change a single outcome: the features
the model sees (names, values and their order, which fixes the floating-point sum), the rules'
findings and residual text, the classifier's probability and the final assessment with its
reasons. screening_snapshot.json holds a short digest of all of that per text, for the
hand-written suites, the held-out tweets (validation and test split) and long posts built from
them. Regenerate it only when an outcome is meant to change, and say so in the commit:

    python -m alongside.safety.tests.test_screening_snapshot
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from itertools import cycle
from pathlib import Path
from typing import Any

import pytest

from alongside.safety.screening import classifier, dataset, rules, screen
from alongside.safety.screening.combine import CLASSIFIER_LANGUAGES, effective_language
from alongside.safety.screening.features import text_features

SNAPSHOT_PATH = Path(__file__).parent / "screening_snapshot.json"
CASES = Path(__file__).parent / "cases"
SUITES = ("tricky.jsonl", "recovery.jsonl")
# Long posts of 2,000 to 10,000 characters, joined from consecutive held-out tweets.
LONG_POSTS, LONG_POST_CHARS = 30, (2_000, 10_000)
# Texts at the edges of normalisation, written for this test.
EDGES = [
    ("", "en"),
    ("   \n\t ", "en"),
    ("!!! ... ???", "en"),
    ("I DON'T want to be here anymore!!! Sooooo tired... @friend https://example.org", "en"),
    ("i don t wanna live, im done. can\u2019t do this, kms \U0001f622", "en"),
    ('She said "I want to die" but I never wanted to die until tonight.', "en"),
    ("Ya no quiero vivir m\u00e1s, \u00bfpara qu\u00e9? No quiero morir.", "es"),
    ("Ya no quiero vivir m\u00e1s, \u00bfpara qu\u00e9?", "fr-CA"),
    ("\ufb01ne \u2460 \u00bd Stra\u00dfe \u0130stanbul caf\u00e9 na\u00efve \u212b", "en"),
]

needs_data = pytest.mark.skipif(
    not dataset.data_path().exists(), reason="the twitter data set is not in ../shared/data"
)


def digest(text: str, language: str) -> str:
    """Return a short digest of everything screening computes for `text`."""
    found = rules.evaluate(text)
    record: dict[str, object] = {
        "assessment": seed_independent(screen(text, language).as_dict()),
        "findings": sorted(
            [f.category.value, f.level.value, f.evidence, f.mitigation or "", f.first, f.last]
            for f in found.findings
        ),
        "open": found.open_crisis_words,
        "residual": found.residual_text,
        # In order: the order of the features is the order the decision sums them in.
        "features": [[name, repr(value)] for name, value in text_features(text).items()],
    }
    if effective_language(language) in CLASSIFIER_LANGUAGES and text.strip():
        # To 9 significant digits: the classifier sums with numpy, whose order of addition (and
        # so the last bits) may differ between builds and CPUs; no threshold is that close.
        record["probability"] = f"{classifier.suicidal_probability(text):.9g}"
    encoded = json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:10]


def seed_independent(assessment: dict[str, Any]) -> dict[str, Any]:
    """Drop what depends on Python's string hashing: which of two phrases of the same level
    matching the same words is reported (its code), and so the order of the reasons."""
    reasons = [
        (
            reason["source"],
            reason["category"] or "",
            # A rules code is the phrase's code and its mitigation, if any: keep the mitigation.
            reason["code"].partition(":")[2] if reason["source"] == "rules" else reason["code"],
            reason["evidence"],
        )
        for reason in assessment["reasons"]
    ]
    return {**assessment, "reasons": sorted(reasons)}


def suite_texts(name: str) -> list[tuple[str, str]]:
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    return [(case["text"], case.get("language", "en")) for case in cases]


def long_posts(texts: Sequence[str]) -> list[str]:
    low, high = LONG_POST_CHARS
    posts: list[str] = []
    source = cycle([text.strip() for text in texts if text.strip()])
    for index in range(LONG_POSTS):
        length = low + (high - low) * index // (LONG_POSTS - 1)
        sentences: list[str] = []
        while sum(map(len, sentences)) < length:
            sentence = next(source)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        posts.append(" ".join(sentences))
    return posts


def held_out_groups() -> dict[str, list[tuple[str, str]]]:
    seed = classifier.model().metadata["training"]["seed"]
    parts = dataset.split(dataset.load_examples(dataset.data_path()), seed)
    test = [example.text for example in parts["test"]]
    return {
        "validation split": [(example.text, "en") for example in parts["validation"]],
        "test split": [(text, "en") for text in test],
        "long posts": [(post, "en") for post in long_posts(test)],
    }


def groups(with_data: bool) -> dict[str, list[tuple[str, str]]]:
    texts = {"edges": EDGES} | {name: suite_texts(name) for name in SUITES}
    return texts | held_out_groups() if with_data else texts


SNAPSHOT: dict[str, list[str]] = (
    json.loads(SNAPSHOT_PATH.read_text(encoding="utf-8")) if SNAPSHOT_PATH.exists() else {}
)


def assert_group_matches(name: str, texts: list[tuple[str, str]]) -> None:
    expected = SNAPSHOT[name]
    assert len(texts) == len(expected), f"{name}: the texts changed, not screening"
    changed = [
        f"{index}: {text[:60]!r}"
        for index, ((text, language), frozen) in enumerate(zip(texts, expected, strict=True))
        if digest(text, language) != frozen
    ]
    assert not changed, f"{name}: {len(changed)} outcomes changed: {changed[:10]}"


@pytest.mark.parametrize("name", ["edges", *SUITES])
def test_hand_written_texts_screen_exactly_as_in_the_snapshot(name):
    assert_group_matches(name, groups(with_data=False)[name])


@needs_data
def test_held_out_tweets_and_long_posts_screen_exactly_as_in_the_snapshot():
    for name, texts in held_out_groups().items():
        assert_group_matches(name, texts)


def test_the_digest_notices_a_changed_outcome():
    text, language = EDGES[5]
    assert digest(text, language) == SNAPSHOT["edges"][5]
    assert digest(text + " I want to die.", language) != SNAPSHOT["edges"][5]


REPO_ROOT = Path(__file__).resolve().parents[3]
EVERY_FINDING = """
import json, sys
from alongside.safety.screening import rules, screen
from alongside.safety.tests.test_screening_snapshot import suite_texts
texts = suite_texts("tricky.jsonl") + suite_texts("recovery.jsonl")
print(json.dumps([
    [screen(text, language).as_dict(), [finding.where for finding in rules.evaluate(text).findings]]
    for text, language in texts
]))
"""


def test_every_process_reports_the_same_phrases_whatever_its_string_hashing():
    # Of two lexicon phrases matching the same words, the first in the lexicon is reported: the
    # reason codes must not depend on the order in which a set of strings happens to iterate.
    outputs = [
        subprocess.run(
            [sys.executable, "-c", EVERY_FINDING],
            capture_output=True,
            check=True,
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            text=True,
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert outputs[0] == outputs[1] == outputs[2]


def write_snapshot() -> None:
    snapshot = {
        name: [digest(text, language) for text, language in texts]
        for name, texts in groups(with_data=True).items()
    }
    SNAPSHOT_PATH.write_text(json.dumps(snapshot, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_snapshot()
