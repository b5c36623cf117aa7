"""Per-word caches for screening, bounded in memory as well as in entries.

Screening caches what it computes per word (a text repeats its everyday words, and a long post
would otherwise redo them), but only for words up to `LONGEST_CACHED_WORD` characters: entries
are counted, not weighed, so a member posting one enormous "word" after another could otherwise
fill a worker's memory with them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

LONGEST_CACHED_WORD = 64


def word_cache(maxsize: int) -> Callable[[Callable[[str], T]], functools._lru_cache_wrapper[T]]:
    """Cache a function of one word, like `functools.lru_cache`; call it through `call` or `each`."""
    return functools.lru_cache(maxsize=maxsize)


def call(function: functools._lru_cache_wrapper[T], word: str) -> T:
    """Return `function(word)`, from or into its cache only if `word` is short enough."""
    if len(word) <= LONGEST_CACHED_WORD:
        return function(word)
    return function.__wrapped__(word)  # type: ignore[no-any-return]


def each(function: functools._lru_cache_wrapper[T], words: Sequence[str]) -> list[T]:
    """Return `function` of each of `words`, caching only the words short enough."""
    if words and max(map(len, words)) > LONGEST_CACHED_WORD:
        return [call(function, word) for word in words]
    # The usual case, without a Python call per word.
    return list(map(function, words))
