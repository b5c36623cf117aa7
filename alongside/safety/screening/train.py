"""Train the crisis classifier and write the committed model file.

    python -m alongside.safety.screening.train [--data PATH] [--output PATH] [--seed N]

Reads the twitter suicidal-intention data (default ../shared/data/..., or $ALONGSIDE_CRISIS_DATA),
splits it with a fixed seed, fits logistic regressions on the training part, and uses only the
validation part to pick the regularisation strength and the two thresholds; the test part is left
for `python -m bench.screening`. The same data and seed give the same file, byte for byte.
Needs scikit-learn (a development dependency); nothing at run time does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from alongside.safety.screening import dataset
from alongside.safety.screening.classifier import MODEL_FORMAT, MODEL_PATH, decision, sigmoid
from alongside.safety.screening.features import (
    CHAR_NGRAMS,
    FEATURE_FINGERPRINT,
    WORD_NGRAMS,
    text_features,
)

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

# A feature seen in a single training text is that text's fingerprint, not language: dropping those
# keeps 93k of 252k features at the same validation average precision (0.978).
MIN_DOCUMENT_FREQUENCY = 2
INVERSE_REGULARISATION = (10.0, 30.0, 100.0)
# Concern: the highest recall in this list whose validation precision reaches the floor; recall wins
# over precision when none does, at the last (the 0.95 target).
CONCERN_RECALLS = (0.97, 0.96, 0.95)
CONCERN_PRECISION_FLOOR = 0.85
# Urgent: a point where nearly every flag is right, measured over enough flags to mean something.
URGENT_PRECISION = 0.97
URGENT_MIN_FLAGGED = 50
SIGNIFICANT_DIGITS = 6
# Solved far past the stored digits, on one BLAS thread: otherwise the last stored digits depend on
# the order in which the BLAS threads add up, and refits on the same data differ.
CONVERGENCE_TOLERANCE = 1e-10


def vocabulary(rows: Sequence[Mapping[str, float]], min_count: int) -> dict[str, int]:
    """Return column numbers for the features present in at least `min_count` rows, in sorted order."""
    counts: dict[str, int] = {}
    for row in rows:
        for key in row:
            counts[key] = counts.get(key, 0) + 1
    kept = sorted(key for key, count in counts.items() if count >= min_count)
    return {key: column for column, key in enumerate(kept)}


def matrix(rows: Sequence[Mapping[str, float]], columns: Mapping[str, int]) -> csr_matrix:
    """Return the sparse matrix of feature rows over `columns`, ignoring features outside it."""
    from scipy.sparse import csr_matrix

    indptr, indices, values = [0], [], []
    for row in rows:
        for key, value in row.items():
            column = columns.get(key)
            if column is not None:
                indices.append(column)
                values.append(value)
        indptr.append(len(indices))
    return csr_matrix(
        (np.array(values, dtype=np.float64), np.array(indices), np.array(indptr)),
        shape=(len(rows), len(columns)),
    )


def rounded(value: float) -> float:
    """Round to the stored precision, so that refitting on another machine writes the same bytes."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def precision_recall_steps(
    labels: np.ndarray, probabilities: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return, for each distinct probability from the highest down, the texts flagged at or above it and their recall and precision."""
    order = np.argsort(-probabilities, kind="stable")
    ranked, hits = probabilities[order], labels[order]
    true_positives = np.cumsum(hits)
    flagged = np.arange(1, len(ranked) + 1)
    last_of_tie = np.append(ranked[1:] != ranked[:-1], True)
    true_positives, flagged = true_positives[last_of_tie], flagged[last_of_tie]
    return ranked[last_of_tie], flagged, true_positives / hits.sum(), true_positives / flagged


def concern_threshold(labels: np.ndarray, probabilities: np.ndarray) -> float:
    """Return the highest threshold reaching the first recall target whose precision meets the floor."""
    thresholds, _, recall, precision = precision_recall_steps(labels, probabilities)
    for target in CONCERN_RECALLS:
        first = int(np.argmax(recall >= target))
        if precision[first] >= CONCERN_PRECISION_FLOOR or target == CONCERN_RECALLS[-1]:
            return float(thresholds[first])
    raise AssertionError("CONCERN_RECALLS is empty")


def urgent_threshold(labels: np.ndarray, probabilities: np.ndarray) -> float:
    """Return the lowest threshold whose precision reaches URGENT_PRECISION over enough flags."""
    thresholds, flagged, _, precision = precision_recall_steps(labels, probabilities)
    reaching = np.flatnonzero((precision >= URGENT_PRECISION) & (flagged >= URGENT_MIN_FLAGGED))
    if not len(reaching):
        raise ValueError(f"no threshold reaches precision {URGENT_PRECISION} on validation")
    return float(thresholds[reaching[-1]])


def operating_point(labels: np.ndarray, flagged: np.ndarray) -> dict[str, float | int]:
    """Return the confusion counts, recall and precision of flags against labels."""
    true_positives = int((labels & flagged).sum())
    false_positives = int((~labels & flagged).sum())
    false_negatives = int((labels & ~flagged).sum())
    return {
        "true_positives": true_positives,
        "false_positives": false_positives,
        "false_negatives": false_negatives,
        "true_negatives": int((~labels & ~flagged).sum()),
        "recall": round(true_positives / (true_positives + false_negatives), 4),
        "precision": round(true_positives / max(true_positives + false_positives, 1), 4),
    }


def train(
    data: Path, seed: int, strengths: Sequence[float] = INVERSE_REGULARISATION
) -> dict[str, Any]:
    """Fit a classifier per regularisation strength, keep the best on validation, return its model document."""
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score
    from threadpoolctl import threadpool_limits

    parts = dataset.split(dataset.load_examples(data), seed)
    rows = {name: [text_features(example.text) for example in part] for name, part in parts.items()}
    labels = {
        name: np.array([example.suicidal for example in part]) for name, part in parts.items()
    }
    columns = vocabulary(rows["train"], MIN_DOCUMENT_FREQUENCY)
    features = list(columns)
    train_matrix = matrix(rows["train"], columns)

    best: tuple[float, float, dict[str, float], float, np.ndarray] | None = None
    for strength in strengths:
        estimator = LogisticRegression(
            C=strength, solver="liblinear", tol=CONVERGENCE_TOLERANCE, max_iter=10_000
        )
        with threadpool_limits(limits=1):
            estimator.fit(train_matrix, labels["train"])
        weights = {
            feature: rounded(weight)
            for feature, weight in zip(features, estimator.coef_[0].tolist(), strict=True)
            if rounded(weight) != 0.0
        }
        intercept = rounded(float(estimator.intercept_[0]))
        probabilities = np.array(
            [sigmoid(decision(weights, intercept, row)) for row in rows["validation"]]
        )
        score = float(average_precision_score(labels["validation"], probabilities))
        if best is None or score > best[0]:
            best = (score, strength, weights, intercept, probabilities)
    assert best is not None
    score, strength, weights, intercept, probabilities = best

    concern = concern_threshold(labels["validation"], probabilities)
    urgent = urgent_threshold(labels["validation"], probabilities)
    return {
        "format": MODEL_FORMAT,
        "features": {
            "fingerprint": FEATURE_FINGERPRINT,
            "word_ngrams": list(WORD_NGRAMS),
            "char_ngrams": list(CHAR_NGRAMS),
            "min_document_frequency": MIN_DOCUMENT_FREQUENCY,
        },
        "intercept": intercept,
        "weights": weights,
        "thresholds": {"concern": concern, "urgent": urgent},
        "validation": {
            "average_precision": round(score, 4),
            "concern": operating_point(labels["validation"], probabilities >= concern),
            "urgent": operating_point(labels["validation"], probabilities >= urgent),
        },
        "training": {
            "data_file": data.name,
            "data_sha256": dataset.file_sha256(data),
            "seed": seed,
            "split": {
                name: {"texts": len(part), "suicidal": int(labels[name].sum())}
                for name, part in parts.items()
            },
            "estimator": f"LogisticRegression(C={strength}, solver='liblinear', tol={CONVERGENCE_TOLERANCE})",
            "inverse_regularisation": strength,
            "scikit_learn": sklearn.__version__,
            "significant_digits": SIGNIFICANT_DIGITS,
        },
    }


def encode(document: Mapping[str, Any]) -> bytes:
    """Return the model file's bytes: sorted compact JSON, gzip'd without a timestamp."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode("ascii"), compresslevel=9, mtime=0)


def main(argv: Sequence[str] | None = None) -> None:
    """Train from the command line and write the model file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", help=f"CSV file (default ${dataset.DATA_PATH_VARIABLE} or ../shared/data)"
    )
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--seed", type=int, default=dataset.SEED)
    arguments = parser.parse_args(argv)
    data = dataset.data_path(arguments.data)
    if not data.exists():
        sys.exit(f"no data at {data}: pass --data or set ${dataset.DATA_PATH_VARIABLE}")
    document = train(data, arguments.seed)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    arguments.output.write_bytes(encode(document))
    validation = document["validation"]
    print(f"data      {data} (sha256 {document['training']['data_sha256'][:12]}...)")
    print(f"split     {json.dumps(document['training']['split'])}")
    print(f"estimator {document['training']['estimator']}, {len(document['weights'])} weights")
    print(
        f"thresholds concern {document['thresholds']['concern']:.4f}, urgent {document['thresholds']['urgent']:.4f}"
    )
    print(f"validation average precision {validation['average_precision']}")
    for level in ("concern", "urgent"):
        print(f"validation {level:8s} {json.dumps(validation[level])}")
    print(f"wrote     {arguments.output} ({arguments.output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
