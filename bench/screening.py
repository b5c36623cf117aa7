"""Crisis screening: quality on the held-out tweets, flag rates on recovery wording, and speed.

    python -m bench.screening [--data PATH] [--long-posts 20]

Quality is measured on the test split of the twitter suicidal-intention data (the part that
training never saw, neither for weights nor for thresholds), for the rules alone, the classifier
alone and the combined `screen()`; "detected" means level concern or urgent. The flag rates on the
hand-written suites in alongside/safety/tests/cases/ show what the on-call roster would receive
from ordinary recovery talk. Speed is per text on one core, over the test split plus long posts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

from alongside.safety.screening import Level, rules, screen
from alongside.safety.screening import classifier as crisis_classifier
from alongside.safety.screening.dataset import (
    DATA_PATH_VARIABLE,
    REPO_ROOT,
    Example,
    data_path,
    file_sha256,
    load_examples,
    split,
)

TARGET_RECALL = 0.95
TARGET_PRECISION = 0.85
TARGET_P99_MS = 5.0
TARGET_TEXTS_PER_SECOND = 500
RUNS = 3
CASES_DIR = REPO_ROOT / "alongside/safety/tests/cases"
# Long posts are built from consecutive test tweets, from a short story to a long one.
LONG_POST_CHARS = (2_000, 8_000)

Detector = Callable[[str, str], Level]


def rules_level(text: str, language: str) -> Level:
    # The rules of every language run on every text, whatever its language setting.
    return rules.evaluate(text).level


def classifier_level(text: str, language: str) -> Level:
    probability = crisis_classifier.suicidal_probability(text)
    if probability >= crisis_classifier.URGENT_THRESHOLD:
        return Level.URGENT
    if probability >= crisis_classifier.CONCERN_THRESHOLD:
        return Level.CONCERN
    return Level.NONE


def screen_level(text: str, language: str) -> Level:
    return screen(text, language=language).level


DETECTORS: dict[str, Detector] = {
    "rules alone": rules_level,
    "classifier alone": classifier_level,
    "combined screen()": screen_level,
}


@dataclass(frozen=True)
class Counts:
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int

    @classmethod
    def of(cls, labels: Sequence[bool], flags: Sequence[bool]) -> Counts:
        pairs = list(zip(labels, flags, strict=True))
        return cls(
            true_positives=sum(label and flag for label, flag in pairs),
            false_positives=sum(flag and not label for label, flag in pairs),
            false_negatives=sum(label and not flag for label, flag in pairs),
            true_negatives=sum(not label and not flag for label, flag in pairs),
        )

    @property
    def recall(self) -> float:
        return self.true_positives / max(self.true_positives + self.false_negatives, 1)

    @property
    def precision(self) -> float:
        return self.true_positives / max(self.true_positives + self.false_positives, 1)

    @property
    def f1(self) -> float:
        total = self.recall + self.precision
        return 2 * self.recall * self.precision / total if total else 0.0


def pass_fail(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def quality(test: Sequence[Example]) -> None:
    labels = [example.suicidal for example in test]
    print(f"\n## Held-out test split: {len(test)} texts, {sum(labels)} suicidal")
    print(
        f"{'detector':<20} {'level':<8} {'TP':>5} {'FP':>5} {'FN':>5} {'TN':>5}"
        f" {'recall':>7} {'precis.':>7} {'F1':>6}  target"
    )
    for name, detector in DETECTORS.items():
        levels = [detector(example.text, "en") for example in test]
        for floor in (Level.CONCERN, Level.URGENT):
            counts = Counts.of(labels, [level >= floor for level in levels])
            target = ""
            if name == "combined screen()" and floor == Level.CONCERN:
                met = counts.recall >= TARGET_RECALL and counts.precision >= TARGET_PRECISION
                target = (
                    f"recall >= {TARGET_RECALL}, precision >= {TARGET_PRECISION}: {pass_fail(met)}"
                )
            print(
                f"{name:<20} {'>=' + floor.value:<8} {counts.true_positives:>5}"
                f" {counts.false_positives:>5} {counts.false_negatives:>5}"
                f" {counts.true_negatives:>5} {counts.recall:>7.3f} {counts.precision:>7.3f}"
                f" {counts.f1:>6.3f}  {target}"
            )


def suite_groups(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Return a suite's (text, language) cases grouped by their expected level, if the file gives one.

    A .jsonl file holds objects with "text" and optionally "language" and "level"; a .txt file
    holds one text per line (lines starting with # are comments).
    """
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if path.suffix != ".jsonl":
        return {"": [(line, "en") for line in lines]}
    groups: dict[str, list[tuple[str, str]]] = {}
    for case in map(json.loads, lines):
        # "level" is one level or a list of acceptable ones.
        level = case.get("level", [])
        levels = [level] if isinstance(level, str) else level
        expected = f"expected {'/'.join(levels)}" if levels else ""
        groups.setdefault(expected, []).append((case["text"], case.get("language", "en")))
    return dict(sorted(groups.items()))


def suites() -> None:
    print(f"\n## Flag rates on the hand-written suites in {CASES_DIR.relative_to(REPO_ROOT)}/")
    files = sorted(CASES_DIR.glob("*.jsonl")) + sorted(CASES_DIR.glob("*.txt"))
    if not files:
        print("no suite files (.jsonl or .txt) there yet: nothing to report")
        return
    print(f"{'suite':<38} {'texts':>5}  {'detector':<20} {'concern':>8} {'urgent':>8}")
    for path in files:
        for expected, cases in suite_groups(path).items():
            suite = f"{path.name} {expected}".strip()
            for name, detector in DETECTORS.items():
                levels = [detector(text, language) for text, language in cases]
                concern = levels.count(Level.CONCERN) / len(levels)
                urgent = levels.count(Level.URGENT) / len(levels)
                print(f"{suite:<38} {len(cases):>5}  {name:<20} {concern:>8.1%} {urgent:>8.1%}")


def long_posts(test: Sequence[Example], count: int) -> list[str]:
    """Join consecutive test tweets into `count` posts of growing length, written as people write."""
    low, high = LONG_POST_CHARS
    posts: list[str] = []
    source = cycle([example.text.strip() for example in test if example.text.strip()])
    for index in range(count):
        length = low + (high - low) * index // max(count - 1, 1)
        sentences: list[str] = []
        while sum(map(len, sentences)) < length:
            sentence = next(source)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        posts.append(" ".join(sentences))
    return posts


def latencies_ms(function: Callable[[str], object], texts: Iterable[str]) -> list[float]:
    timings = []
    for text in texts:
        started = time.perf_counter_ns()
        function(text)
        timings.append((time.perf_counter_ns() - started) / 1e6)
    return timings


def percentile(values: Sequence[float], share: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[round(share * 1000) - 1]


def speed(sample: Sequence[str], warm_up: Sequence[str], long_count: int = 0) -> None:
    """Time each function per text; the last `long_count` texts of `sample` are the long posts."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    lengths = sorted(map(len, sample))
    print(
        f"\n## Speed on one core, each text's fastest of {RUNS} runs (others share this machine):"
        f" {len(sample)} texts, {percentile(lengths, 0.5):.0f} characters median,"
        f" {percentile(lengths, 0.99):.0f} at p99, {lengths[-1]} longest"
    )
    print(
        f"{'function':<32} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'texts/s':>8}"
        f"  target p99 < {TARGET_P99_MS:g} ms, >= {TARGET_TEXTS_PER_SECOND} texts/s"
    )
    functions: dict[str, Callable[[str], object]] = {
        "screen()": lambda text: screen(text, language="en"),
        "classifier.suicidal_probability": crisis_classifier.suicidal_probability,
        "rules.evaluate": rules.evaluate,
    }
    long_rows = []
    for name, function in functions.items():
        runs = []
        for _ in range(RUNS):
            # Steady state: the model is loaded and the everyday words are cached (the validation
            # texts push the previous run's words out), but not these texts.
            for text in warm_up:
                function(text)
            runs.append(latencies_ms(function, sample))
        # Each text's fastest run: a pause of the shared machine in one run is not the code's.
        timings = [min(times) for times in zip(*runs, strict=True)]
        p99 = percentile(timings, 0.99)
        rate = len(timings) / (sum(timings) / 1000)
        met = p99 < TARGET_P99_MS and rate >= TARGET_TEXTS_PER_SECOND
        print(
            f"{name:<32} {percentile(timings, 0.5):>7.3f} {percentile(timings, 0.95):>7.3f}"
            f" {p99:>7.3f} {rate:>8.0f}  {pass_fail(met)}"
        )
        if long_count >= 2:
            long = timings[-long_count:]
            long_rows.append(
                f"{name:<32} {percentile(long, 0.5):>7.3f} {percentile(long, 0.95):>7.3f}"
                f" {max(long):>7.3f} {long_count / (sum(long) / 1000):>8.0f}"
            )
    if long_rows:
        # The p99 of the whole sample is set by the long posts: show them on their own.
        print(f"\nThe {long_count} long posts alone (same runs)")
        print(f"{'function':<32} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'texts/s':>8}")
        print("\n".join(long_rows))


# Pastes of the longest post allowed (100 kB) that are hard on the rules: thousands of matches,
# quotations, one clause, one enormous word. No target; each must stay well under a second, as
# the writer waits for it.
WORST_CASES = {
    "a crisis sentence, repeated": "I want to kill myself tonight, I have the pills ready. ",
    "a quotation, repeated": '"I want to die," she said. ',
    "a line, repeated": "i want to die\n",
    "a hypothetical sentence, repeated": "if I want to die. ",
    "words without punctuation": "if i would want to die lol i used to kill myself haha ",
    "one word": "abcdefghij",
}
WORST_CASE_CHARS = 100_000


def worst_cases() -> None:
    print(f"\n## Worst cases: {WORST_CASE_CHARS:,}-character pastes, screen() once each")
    print(f"{'paste':<32} {'ms':>8}  level")
    for name, piece in WORST_CASES.items():
        text = (piece * (WORST_CASE_CHARS // len(piece) + 1))[:WORST_CASE_CHARS]
        if name == "one word":
            text = "".join(random.Random(7).choices(piece, k=WORST_CASE_CHARS))
        started = time.perf_counter()
        level = screen(text, language="en").level
        print(f"{name:<32} {(time.perf_counter() - started) * 1000:>8.0f}  {level}")


def model_summary(data: Path) -> None:
    started = time.perf_counter()
    model = crisis_classifier.Model.from_document(crisis_classifier.read_document())
    load_seconds = time.perf_counter() - started
    training = model.metadata["training"]
    print("## Classifier model")
    print(
        f"{crisis_classifier.MODEL_PATH.relative_to(REPO_ROOT)}:"
        f" {crisis_classifier.MODEL_PATH.stat().st_size:,} bytes, {len(model.weights):,} weights,"
        f" loads in {load_seconds * 1000:.0f} ms (target < 1000 ms: {pass_fail(load_seconds < 1)})"
    )
    print(
        f"thresholds chosen by cross-validation on train + validation:"
        f" concern {model.concern_threshold:.4f},"
        f" uncorroborated {model.uncorroborated_threshold:.4f},"
        f" urgent {model.urgent_threshold:.4f}; {training['estimator']},"
        f" fitted on {' + '.join(training['fitted_on'])}, scikit-learn {training['scikit_learn']}"
    )
    if training["data_sha256"] != file_sha256(data):
        print(f"WARNING: {data} is not the file the model was trained on: retrain first")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", help=f"CSV file (default ${DATA_PATH_VARIABLE} or ../shared/data)"
    )
    parser.add_argument("--long-posts", type=int, default=20)
    arguments = parser.parse_args(argv)
    data = data_path(arguments.data)
    if not data.exists():
        sys.exit(f"no data at {data}: pass --data or set ${DATA_PATH_VARIABLE}")
    parts = split(load_examples(data), crisis_classifier.model().metadata["training"]["seed"])
    model_summary(data)
    quality(parts["test"])
    suites()
    sample = [example.text for example in parts["test"]]
    sample += long_posts(parts["test"], arguments.long_posts)
    warm_up = [example.text for example in parts["validation"]]
    speed(sample, warm_up=warm_up, long_count=arguments.long_posts)
    worst_cases()


if __name__ == "__main__":
    main()
