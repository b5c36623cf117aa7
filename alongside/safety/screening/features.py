"""Text to sparse features for the crisis classifier, shared by training and inference.

`text_features()` is the only way text becomes numbers: the training script builds its matrix from
it and `classifier.py` scores with it, so the two cannot drift apart. A change here changes what
the model sees, which `FEATURE_FINGERPRINT` detects: retrain (`make train-screening`) after it.

The training tweets are lower-cased with punctuation stripped and contractions split or glued
("don t", "dont", "i am"), while members write "I DON'T want to be here anymore!!!"; both are
brought to the same canonical words first, so the model learns words, not the tweets' typography.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, compress, count, islice

from alongside.safety.screening import word_cache

WORD_NGRAMS = (1, 2)  # word_counts() counts words and word pairs: change the two together
CHAR_NGRAMS = (3, 5)
# Each block is scaled to this share of the unit-length vector (squares sum to one), so the far more
# numerous character n-grams do not drown the words.
WORD_BLOCK_WEIGHT = math.sqrt(0.5)
CHAR_BLOCK_WEIGHT = math.sqrt(0.5)

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u0060\u00b4]")
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_TOKEN = re.compile(r"[^\W_]+")
# "soooo tired" and "sooo tired" are the same word; two letters keep "too" and "feel" intact.
_REPEATS = re.compile(r"(\w)\1{2,}")

# Contractions whose apostrophe was lost ("dont") or became a space ("don t"), expanded so that
# "I don't", "i dont", "i don t" and "i do not" are one phrase. Ambiguous forms (ill, id, its,
# were, well, hell, shell) are left alone.
_EXPANSIONS = {
    "aint": "am not",
    "arent": "are not",
    "cant": "can not",
    "cannot": "can not",
    "couldnt": "could not",
    "didnt": "did not",
    "doesnt": "does not",
    "dont": "do not",
    "hadnt": "had not",
    "hasnt": "has not",
    "havent": "have not",
    "im": "i am",
    "isnt": "is not",
    "ive": "i have",
    "mustnt": "must not",
    "neednt": "need not",
    "shouldnt": "should not",
    "theyre": "they are",
    "theyve": "they have",
    "wasnt": "was not",
    "werent": "were not",
    "weve": "we have",
    "wont": "will not",
    "wouldnt": "would not",
    "youll": "you will",
    "youre": "you are",
    "youve": "you have",
    # Chat shorthand common in both the tweets and peer-support messages.
    "cuz": "because",
    "coz": "because",
    "gonna": "going to",
    "gotta": "got to",
    "imma": "i am going to",
    "kms": "kill myself",
    "kys": "kill yourself",
    "u": "you",
    "ur": "your",
    "wanna": "want to",
}
# With its apostrophe a contraction is unambiguous ("I'll" is "I will", "ill" may not be).
_APOSTROPHE_SUFFIX = re.compile(r"'(m|re|ve|ll|d)\b")
_SUFFIX_WORDS = {"m": " am", "re": " are", "ve": " have", "ll": " will", "d": " would"}
# The tweets lost their apostrophes to spaces: "don t", "it s", "i m", "you ll".
_SPLIT_SUFFIXES = frozenset({"t", "s", "m", "re", "ve", "ll", "d"})
_SUBJECTS = frozenset({"i", "you", "he", "she", "it", "we", "they", "that", "there", "who", "what"})


def _join_split_contractions(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    done = 0
    # Only the split suffixes need a look; the words between them are copied as they are.
    for index in compress(count(), map(_SPLIT_SUFFIXES.__contains__, pieces)):
        joined.extend(pieces[done:index])
        done = index + 1
        piece = pieces[index]
        previous = joined[-1] if joined else ""
        if not previous:
            joined.append(piece)
        elif piece in ("t", "s"):
            # "don t" -> "dont", "it s" -> "its"; "plan b t shirt" stays apart.
            glues = previous.endswith("n") if piece == "t" else previous.isalpha()
            if glues:
                joined[-1] = previous + piece
            else:
                joined.append(piece)
        elif previous == "i" or (piece != "m" and previous in _SUBJECTS):
            joined.append(_SUFFIX_WORDS[piece].strip())
        else:
            joined.append(piece)
    joined.extend(pieces[done:])
    return joined


# Both caches hold the everyday vocabulary, which is most of any text; sized for memory, since each
# cached word's n-grams take a few kilobytes. Called through word_cache, which keeps long words out.
@word_cache.word_cache(maxsize=50_000)
def _canonical(word: str) -> tuple[str, ...]:
    word = _REPEATS.sub(r"\1\1", word)
    return tuple(map(sys.intern, _EXPANSIONS.get(word, word).split()))


def normalize(text: str) -> list[str]:
    """Return the canonical lower-case words of `text`: no punctuation, URLs or mentions, contractions expanded."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    text = _APOSTROPHES.sub("'", text)
    if "'" in text:
        text = _APOSTROPHE_SUFFIX.sub(lambda match: _SUFFIX_WORDS[match[1]], text)
        text = text.replace("'", "")
    # Most texts hold neither a link nor a mention: skip the two passes over a long post then.
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    tokens = _TOKEN.findall(text)
    if not _SPLIT_SUFFIXES.isdisjoint(tokens):
        tokens = _join_split_contractions(tokens)
    canonical: list[tuple[str, ...]] = word_cache.each(_canonical, tokens)
    return list(chain.from_iterable(canonical))


@word_cache.word_cache(maxsize=10_000)
def char_ngrams(word: str) -> tuple[str, ...]:
    """Return the character 3-5-grams of `word`, padded with a space each side, without prefix."""
    padded = f" {word} "
    low, high = CHAR_NGRAMS
    grams: list[str] = []
    for size in range(low, high + 1):
        if len(padded) <= size:
            grams.append(padded)
            break
        grams.extend(padded[start : start + size] for start in range(len(padded) - size + 1))
    # Interned, like the classifier's weight names, so that looking one up in the weights finds
    # the very same string and need not compare it: see classifier.Model.
    return tuple(map(sys.intern, grams))


@functools.lru_cache(maxsize=4096)
def _sublinear(count: int) -> float:
    return 1.0 + math.log(count)


@dataclass(frozen=True, slots=True)
class Counts:
    """How often each feature occurs in a text, each block in order of first occurrence.

    The order is that of `text_features()`, so a text's features come out the same on every run.
    Keys carry no "c:" / "w:" prefix, and bigrams are word pairs.
    """

    chars: dict[str, int]
    words: dict[str, int]
    pairs: dict[tuple[str, str], int]


def word_counts(words: list[str]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """How often each of the canonical `words` and each pair of neighbours occurs: the word block."""
    return Counter(words), Counter(zip(words, islice(words, 1, None), strict=False))


def text_counts(words: list[str]) -> Counts:
    """Return the feature counts of the canonical `words` (see `normalize`)."""
    grams: list[tuple[str, ...]] = word_cache.each(char_ngrams, words)
    return Counts(Counter(chain.from_iterable(grams)), *word_counts(words))


def scaled_values(counts: Iterable[int], block_weight: float) -> tuple[float, ...]:
    """Return sublinear counts scaled so that their squares sum to `block_weight` squared."""
    # Built with map() rather than a comprehension: this runs on every post, and a long post has
    # thousands of features.
    values = list(map(_sublinear, counts))
    scale = block_weight / math.hypot(*values)
    return tuple(map(scale.__mul__, values))


def text_features(text: str) -> dict[str, float]:
    """Return the unit-length sparse feature vector of `text`: word 1-2-grams and in-word char 3-5-grams, sublinear tf."""
    words = normalize(text)
    if not words:
        return {}
    counts = text_counts(words)
    # The character block first, then the words: unigrams, then bigrams.
    features = dict(
        zip(
            map("c:".__add__, counts.chars),
            scaled_values(counts.chars.values(), CHAR_BLOCK_WEIGHT),
            strict=True,
        )
    )
    word_keys = chain(counts.words, map(" ".join, counts.pairs))
    word_values = scaled_values(
        chain(counts.words.values(), counts.pairs.values()), WORD_BLOCK_WEIGHT
    )
    features.update(zip(map("w:".__add__, word_keys), word_values, strict=True))
    return features


# Texts whose features pin down this module's behaviour: any change in normalisation, n-grams or
# scaling changes the fingerprint, and a model trained under another fingerprint refuses to load.
_FINGERPRINT_TEXTS = (
    "I DON'T want to be here anymore!!! Sooooo tired... @friend https://example.org",
    "i don t wanna live, im done. can't do this, kms",
    "Relapsed after 2 years clean; it's killing me but I'll call my sponsor tomorrow.",
    "Ya no quiero vivir más, ¿para qué?",
)


def _fingerprint() -> str:
    probe = [
        {key: f"{value:.9f}" for key, value in sorted(text_features(text).items())}
        for text in _FINGERPRINT_TEXTS
    ]
    return hashlib.sha256(json.dumps(probe, sort_keys=True).encode()).hexdigest()


FEATURE_FINGERPRINT = _fingerprint()
