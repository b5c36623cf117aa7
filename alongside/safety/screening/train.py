"""Train the crisis classifier and write the committed model file.

    python -m alongside.safety.screening.train [--data PATH] [--output PATH] [--seed N]

Reads the twitter suicidal-intention data (default ../shared/data/..., or $ALONGSIDE_CRISIS_DATA),
splits it with a fixed seed, picks the regularisation strength and the three thresholds on the
out-of-fold probabilities of cross-validation over the train and validation parts, then fits the
model on both; the test part is left for `python -m bench.screening`. The same data and seed give
the same file, byte for byte, on the same kind of CPU; on another, a few weights may differ in their
last stored digit (the BLAS kernels add in another order) and the thresholds by about 1e-7.
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
# The model is fitted on train + validation (more data: over folds of that part, average precision
# rose from 0.967 to 0.972 to 0.975 as the texts fitted on grew from 3,000 to 4,500 to 6,000);
# C and the thresholds are chosen on the out-of-fold probabilities of FOLDS-fold cross-validation
# over the same texts, so every choice still sees only texts its model was not fitted on.
FOLDS = 5
# Concern: the highest recall in this list whose precision reaches the floor (the target is
# recall 0.95 at precision 0.85). When none does, the floor wins: the lowest threshold that keeps
# it. Below that point the classifier's extra flags were mostly wrong: over the folds, at the
# recall-0.95 point screen() flagged 6 more suicidal texts and 27 more others.
CONCERN_RECALLS = (0.97, 0.96, 0.95)
CONCERN_PRECISION_FLOOR = 0.85
# Uncorroborated: a text without crisis words is flagged on the classifier's word alone from this
# precision up (combine.py, rule 4). Chosen over the folds, by screen()'s recall and precision
# there, with the share of the recovery-wording suite it flags kept within that suite's 5 % bound
# (test_screening_rules.py): 0.97 (the urgent point) 0.907 / 0.851, 2.7 %; 0.96 0.914 / 0.850,
# 4.9 %; 0.955 0.919 / 0.850, 4.9 %; 0.95 0.923 / 0.848, 6.5 %.
UNCORROBORATED_PRECISION = 0.955
# Urgent: a point where nearly every flag is right.
URGENT_PRECISION = 0.97
# A precision is only trusted when measured over this many flags.
MIN_FLAGGED = 50
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
    """Round to the stored precision, so that refits differing only in the solver's last bits write the same bytes."""
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


def precision_threshold(labels: np.ndarray, probabilities: np.ndarray, target: float) -> float:
    """Return the lowest threshold whose precision reaches `target` over at least MIN_FLAGGED flags."""
    thresholds, flagged, _, precision = precision_recall_steps(labels, probabilities)
    reaching = np.flatnonzero((precision >= target) & (flagged >= MIN_FLAGGED))
    if not len(reaching):
        raise ValueError(f"no threshold reaches precision {target}")
    return float(thresholds[reaching[-1]])


def concern_threshold(labels: np.ndarray, probabilities: np.ndarray) -> float:
    """Return the highest threshold reaching the first recall target whose precision meets the floor, else the floor's."""
    thresholds, _, recall, precision = precision_recall_steps(labels, probabilities)
    for target in CONCERN_RECALLS:
        first = int(np.argmax(recall >= target))
        if precision[first] >= CONCERN_PRECISION_FLOOR:
            return float(thresholds[first])
    return precision_threshold(labels, probabilities, CONCERN_PRECISION_FLOOR)


def uncorroborated_threshold(labels: np.ndarray, probabilities: np.ndarray) -> float:
    """Return the lowest threshold whose precision reaches UNCORROBORATED_PRECISION."""
    return precision_threshold(labels, probabilities, UNCORROBORATED_PRECISION)


def urgent_threshold(labels: np.ndarray, probabilities: np.ndarray) -> float:
    """Return the lowest threshold whose precision reaches URGENT_PRECISION."""
    return precision_threshold(labels, probabilities, URGENT_PRECISION)


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


def folds(labels: np.ndarray) -> np.ndarray:
    """Return each text's cross-validation fold, stratified by label: the k-th text of a label goes to fold k mod FOLDS."""
    assignment = np.zeros(len(labels), dtype=int)
    for label in (True, False):
        members = np.flatnonzero(labels == label)
        assignment[members] = np.arange(len(members)) % FOLDS
    return assignment


def fit(
    rows: Sequence[Mapping[str, float]], labels: np.ndarray, strength: float
) -> tuple[dict[str, float], float]:
    """Fit a logistic regression on the feature rows; return its rounded non-zero weights and intercept."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    columns = vocabulary(rows, MIN_DOCUMENT_FREQUENCY)
    estimator = LogisticRegression(
        C=strength, solver="liblinear", tol=CONVERGENCE_TOLERANCE, max_iter=10_000
    )
    with threadpool_limits(limits=1):
        estimator.fit(matrix(rows, columns), labels)
    weights = {
        feature: rounded(weight)
        for feature, weight in zip(columns, estimator.coef_[0].tolist(), strict=True)
        if rounded(weight) != 0.0
    }
    return weights, rounded(float(estimator.intercept_[0]))


def out_of_fold_probabilities(
    rows: Sequence[Mapping[str, float]], labels: np.ndarray, fold: np.ndarray, strength: float
) -> np.ndarray:
    """Return each text's probability under the model fitted on the other folds, as inference computes it."""
    probabilities = np.zeros(len(rows))
    for held_out in range(FOLDS):
        fitted_on = np.flatnonzero(fold != held_out)
        fitted_rows = [rows[i] for i in fitted_on.tolist()]
        weights, intercept = fit(fitted_rows, labels[fitted_on], strength)
        for i in np.flatnonzero(fold == held_out).tolist():
            probabilities[i] = sigmoid(decision(weights, intercept, rows[i]))
    return probabilities


def train(
    data: Path, seed: int, strengths: Sequence[float] = INVERSE_REGULARISATION
) -> dict[str, Any]:
    """Choose C and the thresholds by cross-validation on train + validation, fit on both, return the model document."""
    import sklearn
    from sklearn.metrics import average_precision_score

    parts = dataset.split(dataset.load_examples(data), seed)
    development = parts["train"] + parts["validation"]
    rows = [text_features(example.text) for example in development]
    labels = np.array([example.suicidal for example in development])
    fold = folds(labels)

    best: tuple[float, float, np.ndarray] | None = None
    for strength in strengths:
        probabilities = out_of_fold_probabilities(rows, labels, fold, strength)
        score = float(average_precision_score(labels, probabilities))
        if best is None or score > best[0]:
            best = (score, strength, probabilities)
    assert best is not None
    score, strength, probabilities = best
    weights, intercept = fit(rows, labels, strength)

    thresholds = {
        "concern": concern_threshold(labels, probabilities),
        "uncorroborated": uncorroborated_threshold(labels, probabilities),
        "urgent": urgent_threshold(labels, probabilities),
    }
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
        "thresholds": thresholds,
        "cross_validation": {
            "folds": FOLDS,
            "texts": len(development),
            "average_precision": round(score, 4),
            **{
                level: operating_point(labels, probabilities >= threshold)
                for level, threshold in thresholds.items()
            },
        },
        "training": {
            "data_file": data.name,
            "data_sha256": dataset.file_sha256(data),
            "seed": seed,
            "fitted_on": ["train", "validation"],
            "split": {
                name: {"texts": len(part), "suicidal": sum(example.suicidal for example in part)}
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
    validation = document["cross_validation"]
    print(f"data      {data} (sha256 {document['training']['data_sha256'][:12]}...)")
    print(f"split     {json.dumps(document['training']['split'])}")
    print(f"estimator {document['training']['estimator']}, {len(document['weights'])} weights")
    print(
        "thresholds "
        + ", ".join(f"{level} {value:.4f}" for level, value in document["thresholds"].items())
    )
    print(f"{FOLDS}-fold average precision {validation['average_precision']}")
    for level in document["thresholds"]:
        print(f"{FOLDS}-fold {level:14s} {json.dumps(validation[level])}")
    print(f"wrote     {arguments.output} ({arguments.output.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
