"""The labelled tweets the classifier learns from, and their fixed train / validation / test split.

The data stays in ../shared/data (it is not ours to redistribute); training and the benchmark both
read it through `load_examples()` and `split()` here, so they see the same held-out texts.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
from dataclasses import dataclass
from pathlib import Path

from alongside.safety.screening.features import normalize

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA_PATH = (
    REPO_ROOT.parent / "shared/data/crisis/twitter-suicidal-intention/twitter-suicidal_data.csv"
)
DATA_PATH_VARIABLE = "ALONGSIDE_CRISIS_DATA"
SEED = 20240808
SHARES = {"train": 0.70, "validation": 0.15, "test": 0.15}


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    suicidal: bool


def data_path(override: str | None = None) -> Path:
    """Return the data file: `override`, else $ALONGSIDE_CRISIS_DATA, else the copy in ../shared/data."""
    return Path(override or os.environ.get(DATA_PATH_VARIABLE) or DEFAULT_DATA_PATH)


def file_sha256(path: Path) -> str:
    """Return the hex SHA-256 of the file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_examples(path: Path) -> list[Example]:
    """Read the CSV (columns tweet, intention) into examples, one per distinct normalised text.

    The file repeats some tweets up to 165 times ("i dont want to die"); keeping copies would let the
    same text sit in training and test and would weigh the figures towards a few sentences. A text
    labelled both ways counts as suicidal, since missing a crisis is the worse error.
    """
    by_text: dict[str, Example] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = " ".join(normalize(row["tweet"]))
            if not key:
                continue
            suicidal = row["intention"].strip() == "1"
            if key not in by_text or suicidal:
                kept = by_text[key].text if key in by_text else row["tweet"]
                by_text[key] = Example(text=kept, suicidal=suicidal)
    return list(by_text.values())


def split(examples: list[Example], seed: int = SEED) -> dict[str, list[Example]]:
    """Split stratified by label into train / validation / test with a seeded shuffle, the same on every machine."""
    parts: dict[str, list[Example]] = {name: [] for name in SHARES}
    for label in (True, False):
        members = sorted(
            (example for example in examples if example.suicidal == label),
            key=lambda example: example.text,
        )
        random.Random(f"{seed}-{label}").shuffle(members)
        train_end = round(len(members) * SHARES["train"])
        validation_end = train_end + round(len(members) * SHARES["validation"])
        parts["train"].extend(members[:train_end])
        parts["validation"].extend(members[train_end:validation_end])
        parts["test"].extend(members[validation_end:])
    return parts
