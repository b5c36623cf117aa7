"""The crisis classifier at run time: a logistic regression over `features.text_features`, scored with numpy.

The model file is plain data (gzip'd JSON of the non-zero weights, the intercept, the thresholds and how
it was trained), written by `python -m alongside.safety.screening.train`; scikit-learn is needed to
train it, never to use it. It was trained on English tweets only. The file is read once, on first
use, so importing this module costs nothing.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
import operator
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np

from alongside.safety.screening import features, word_cache
from alongside.safety.screening.features import (
    CHAR_BLOCK_WEIGHT,
    FEATURE_FINGERPRINT,
    WORD_BLOCK_WEIGHT,
    char_ngrams,
    normalize,
)

MODEL_PATH = Path(__file__).parent / "model" / "suicidal-intention.json.gz"
# 2: a third threshold, "uncorroborated" (see combine.py, rule 4).
MODEL_FORMAT = 2

# Set from the model file on first access (see __getattr__ below), so they stay in step with the
# weights they were chosen for; declared here for readers and type checkers.
CONCERN_THRESHOLD: float
UNCORROBORATED_THRESHOLD: float
URGENT_THRESHOLD: float


class ModelMismatch(RuntimeError):
    """The model file was trained under other features or another file format: retrain it."""


def decision(
    weights: Mapping[str, float], intercept: float, features: Mapping[str, float]
) -> float:
    """Return the log-odds of suicidal intention for a feature vector under these weights."""
    # map() keeps the loop in C: a long post has thousands of features.
    return intercept + sum(
        map(operator.mul, map(weights.get, features.keys(), repeat(0.0)), features.values())
    )


def sigmoid(log_odds: float) -> float:
    """Return the probability for log-odds, exact in both tails."""
    # exp() overflows past about 709, so only ever exponentiate a non-positive number.
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    odds = math.exp(log_odds)
    return odds / (1.0 + odds)


@dataclass(frozen=True)
class Model:
    weights: Mapping[str, float]
    intercept: float
    concern_threshold: float
    uncorroborated_threshold: float
    urgent_threshold: float
    metadata: Mapping[str, Any]

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Model:
        """Build a model from the decoded model file, refusing one that does not fit this code."""
        if document.get("format") != MODEL_FORMAT:
            raise ModelMismatch(
                f"model file format {document.get('format')!r}, expected {MODEL_FORMAT}"
            )
        if document["features"]["fingerprint"] != FEATURE_FINGERPRINT:
            raise ModelMismatch("features.py changed since the model was trained")
        return cls(
            weights=document["weights"],
            intercept=document["intercept"],
            concern_threshold=document["thresholds"]["concern"],
            uncorroborated_threshold=document["thresholds"]["uncorroborated"],
            urgent_threshold=document["thresholds"]["urgent"],
            metadata=document,
        )

    @functools.cached_property
    def _blocks(self) -> tuple[dict[str, float], dict[str, float], dict[tuple[str, str], float]]:
        """The weights keyed as `features.text_counts()` counts: char n-grams, words, word pairs."""
        chars: dict[str, float] = {}
        words: dict[str, float] = {}
        pairs: dict[tuple[str, str], float] = {}
        # Interned like the words and n-grams of features.py: a long post looks up thousands of
        # them in these large tables, and finding the identical string saves comparing it.
        for feature, weight in self.weights.items():
            kind, name = feature[:2], feature[2:]
            if kind == "c:":
                chars[sys.intern(name)] = weight
            elif " " in name:
                first, second = name.split(" ")
                pairs[sys.intern(first), sys.intern(second)] = weight
            else:
                words[sys.intern(name)] = weight
        return chars, words, pairs

    @functools.cached_property
    def _char_weights(self) -> np.ndarray:
        """The character n-gram weights as an array, in the column order of `_gram_columns`."""
        chars = self._blocks[0]
        return np.fromiter(chars.values(), dtype=np.float64, count=len(chars))

    @functools.cached_property
    def _gram_columns(self) -> functools._lru_cache_wrapper[np.ndarray]:
        """Return the function giving a word's character n-grams as column numbers, cached per word.

        An n-gram the model has a weight for is its column in `_char_weights`; one it has none for
        still counts towards the length of the vector, so it gets a column past the weights from a
        56-bit digest of its text: stable across processes, and two n-grams of one text sharing
        one (about 1 in 10^11 for a post with a thousand unseen n-grams) would only nudge the
        length. The arrays are read-only: they are shared by every text with the word.
        """
        columns = {gram: column for column, gram in enumerate(self._blocks[0])}
        known = len(columns)

        def unknown(gram: str) -> int:
            digest = hashlib.blake2b(gram.encode(), digest_size=7).digest()
            return known + int.from_bytes(digest, "big")

        # Sized like features._canonical's cache: the everyday vocabulary, which is most of a text.
        @word_cache.word_cache(maxsize=50_000)
        def gram_columns(word: str) -> np.ndarray:
            grams = word_cache.call(char_ngrams, word)
            numbers = np.array(
                [columns[gram] if gram in columns else unknown(gram) for gram in grams],
                dtype=np.int64,
            )
            numbers.flags.writeable = False
            return numbers

        return gram_columns

    def probability(self, text: str) -> float:
        """Return the probability in [0, 1] that `text` expresses suicidal intention."""
        words = normalize(text)
        if not words:
            return sigmoid(self.intercept)
        # decision(text_features(text)) without building the feature names or a vector of every
        # n-gram: the n-grams are counted as column numbers, in numpy, from each distinct word's
        # n-grams times the word's count. The same sum, added in another order (the screening
        # snapshot holds it to 9 digits).
        word_counts, pair_counts = features.word_counts(words)
        columns = word_cache.each(self._gram_columns, list(word_counts))
        repeats = np.repeat(
            np.fromiter(word_counts.values(), dtype=np.float64, count=len(word_counts)),
            np.fromiter(map(len, columns), dtype=np.int64, count=len(columns)),
        )
        grams, where = np.unique(np.concatenate(columns), return_inverse=True)
        values = 1.0 + np.log(np.bincount(where, weights=repeats))
        weighted = grams < len(self._char_weights)
        char_sum = float(values[weighted] @ self._char_weights[grams[weighted]])
        char_part = CHAR_BLOCK_WEIGHT * char_sum / math.sqrt(float(values @ values))

        _, word_weights, pair_weights = self._blocks
        size = len(word_counts) + len(pair_counts)
        counts = np.fromiter(
            chain(word_counts.values(), pair_counts.values()), dtype=np.float64, count=size
        )
        weights = np.fromiter(
            chain(
                map(word_weights.get, word_counts, repeat(0.0)),
                map(pair_weights.get, pair_counts, repeat(0.0)),
            ),
            dtype=np.float64,
            count=size,
        )
        values = 1.0 + np.log(counts)
        word_sum = float(values @ weights)
        word_part = WORD_BLOCK_WEIGHT * word_sum / math.sqrt(float(values @ values))
        return sigmoid(self.intercept + char_part + word_part)


def read_document(path: Path = MODEL_PATH) -> dict[str, Any]:
    """Return the decoded JSON document of a model file."""
    return json.loads(gzip.decompress(path.read_bytes()))


@functools.cache
def model() -> Model:
    """Return the committed model, read from disk on the first call only."""
    return Model.from_document(read_document())


def suicidal_probability(text: str) -> float:
    """Return the committed model's probability that `text` expresses suicidal intention."""
    return model().probability(text)


def __getattr__(name: str) -> float:
    """Return CONCERN_THRESHOLD, UNCORROBORATED_THRESHOLD or URGENT_THRESHOLD from the model file, loading it on first use."""
    if name == "CONCERN_THRESHOLD":
        return model().concern_threshold
    if name == "UNCORROBORATED_THRESHOLD":
        return model().uncorroborated_threshold
    if name == "URGENT_THRESHOLD":
        return model().urgent_threshold
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
