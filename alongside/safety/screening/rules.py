"""The rules half of crisis screening: lexicon phrases found in a text, each read in its context.

The lexicon (files under lexicon/, written in the phrase language of `phrases.py`) lists, per
category, phrases of four kinds:

- urgent: explicit intent, a plan or means, a goodbye, imminent self-harm, an overdose happening,
  a threat to others, current abuse of the writer;
- concern: passive wishes to die, hopelessness, self-harm without immediacy, ambiguous phrases;
- escalates: details that make a crisis urgent only next to a current phrase of the same category
  ("I have a plan", "I picked a date"); alone they are crisis words, nothing more;
- watch: crisis words ("die", "kill", "overdose") that flag nothing themselves but tell the
  combination (see combine.py) whether the classifier's alarm can be explained away.

Each phrase found is then read in its context, first rule that applies wins:

1. idiom: it overlaps an idiom ("dying to see you", "me muero de risa") -> nothing. Idioms of
   the section [idiom hyperbole] explain a phrase by a trivial cause or by laughter ("this song
   makes me want to die", "so cringe I want to die", "kill me now lol"); they are not trusted
   in a text that also has a suicide or self-harm plan or means detail (an `escalates` phrase)
   at face value ("homework makes me want to die and I have the pills ready" stays urgent).
2. negated: a negation governs it ("I don't want to die", "no quiero morir"): scanning back from
   the phrase over filler words only (pronouns, auxiliaries, "really"), at most five of them;
   "why not", or "until"/"than" just after the phrase ("never wanted to die until tonight"),
   undo the negation -> nothing.
3. hyperbole (suicide and self-harm only): laughter right after it ("I want to die lol"), or
   right before it in the same clause ("haha I want to die") -> not flagged by the rules, but
   left to the classifier like a crisis word; not in a text with a plan or means detail (as 1).
4. reported: someone else's words, a reporting verb whose subject is not "I" just before it or
   before the quotation it sits in ("my sponsor said 'I wanted to die'") -> nothing when past,
   at most concern otherwise (someone else may be at risk).
5. hypothetical: a conditional or a question about others earlier in its clause ("what should I
   do if a friend says they want to die?", "if I relapse I'll kill myself") -> at most concern:
   a person should look, nobody needs paging.
6. past: a past-time marker in its clause, no recency marker ("I used to want to die", "in 2019")
   -> nothing when the text also frames recovery ("2 years clean now"), at most concern
   otherwise. A past verb in the phrase itself ("I overdosed") counts only with recovery framing
   and no mention of a relapse, since "I took all my pills" is as likely tonight as years ago.

A clause here is a sentence cut at contrast words ("but", "and", "now", "pero"), so "I used to
think it would pass, but now I want to die" keeps its present wish.

Language: the rules of every language run on every text. Members switch languages mid-sentence
and a wrong language setting must not hide a crisis; the phrases of one language do not fire on
the other's everyday text (the tests check the recovery-wording suite for that).
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Generic, Literal, TypeVar, cast, get_args

from alongside.safety.screening.assessment import Category, Level, Reason
from alongside.safety.screening.phrases import (
    CLAUSE_ENDS,
    SENTENCE_ENDS,
    CompiledPhrase,
    Normalised,
    PhraseError,
    Piece,
    compile_macro,
    compile_phrase,
    normalise,
    normalise_word,
)

LEXICON_DIR = Path(__file__).parent / "lexicon"
LEXICON_FILES = ("en.txt", "es.txt", "suicide-risk-lexicon.txt")

Severity = Literal["urgent", "concern", "escalates", "watch"]
MarkerKind = Literal[
    "past",
    "recent",
    "recovery",
    "relapse",
    "hypothetical",
    "not_hypothetical",
    "reported",
    "hyperbole",
]
WordKind = Literal["negator", "filler", "past_verb", "contrast", "not_after_no", "undoes_negation"]
Mitigation = Literal[
    "idiom",
    "negated",
    "hyperbole",
    "reported",
    "reported_past",
    "hypothetical",
    "past",
    "past_recovered",
]

_BASE_LEVEL = {
    "urgent": Level.URGENT,
    "concern": Level.CONCERN,
    "escalates": Level.NONE,
    "watch": Level.NONE,
}
_MITIGATED_TO_NONE = frozenset({"idiom", "negated", "reported_past", "past_recovered"})
# Hyperbole is read only in these categories: "I'm going to kill him lol" is still a threat.
_HYPERBOLE_CATEGORIES = frozenset({Category.SUICIDE, Category.SELF_HARM})
MAX_NEGATION_DISTANCE = 5
# How many tokens before a phrase laughter may end to read it as hyperbole ("haha i want to die").
HYPERBOLE_BEFORE = 2
# Idioms of this section explain by a trivial cause or laughter, unless a plan is in the text.
HYPERBOLE_IDIOMS = "hyperbole"
# How many tokens either side of a phrase a recency marker may be to make it current.
NEAR = 3
# A reporting verb this many tokens before a phrase (or before its opening quote) reports it.
MAX_REPORTED_DISTANCE = 4


@dataclass(frozen=True)
class Phrase:
    compiled: CompiledPhrase
    category: Category
    severity: Severity
    code: str
    where: str  # file:line, for people tuning the lexicon


@dataclass(frozen=True)
class Finding:
    """One lexicon phrase found in a text, as its context leaves it."""

    category: Category
    level: Level
    code: str
    evidence: str
    mitigation: Mitigation | None
    first: int  # token indices, inclusive
    last: int
    where: str  # the lexicon line of the phrase, for people tuning the lexicon

    @property
    def current(self) -> bool:
        """True when the phrase flags the text at face value: first person, now, not negated."""
        return self.mitigation is None and self.level != Level.NONE

    def reason(self) -> Reason:
        """Return the finding as an assessment reason; its code names the mitigation, if any."""
        code = self.code if self.mitigation is None else f"{self.code}:{self.mitigation}"
        return Reason("rules", self.category, code, self.evidence)


@dataclass(frozen=True)
class RuleResult:
    """What the rules found in one text."""

    findings: tuple[Finding, ...] = ()
    # A crisis word the rules could neither flag nor explain away (see combine.py).
    open_crisis_words: bool = False
    # When `explained`: the text without the clauses that were explained away, so the classifier
    # can say whether the rest of it is alarming too.
    residual_text: str = ""

    @property
    def level(self) -> Level:
        """The highest level of any finding."""
        return max((finding.level for finding in self.findings), default=Level.NONE)

    @property
    def current(self) -> bool:
        """True when some finding flags the text at face value (see Finding.current)."""
        return any(finding.current for finding in self.findings)

    @property
    def explained(self) -> bool:
        """True when the text has crisis language and every piece of it was explained away."""
        return self.level == Level.NONE and bool(self.findings) and not self.open_crisis_words

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories of the findings that raise the level, in the order Category lists them."""
        raised = {finding.category for finding in self.findings if finding.level != Level.NONE}
        return tuple(category for category in Category if category in raised)


NOTHING = RuleResult()

T = TypeVar("T")


class PhraseSet(Generic[T]):
    """Compiled phrases, each with its item, found in a text by their trigger words.

    A regular expression scanning a whole post for each of hundreds of phrases would be slow, so
    a phrase is tried only where one of its trigger words occurs, at the few token starts its
    `lead` allows before it, and only when the text has a word of each of the word sets every
    match of it contains (`CompiledPhrase.required`).
    """

    def __init__(self, items: Iterable[tuple[CompiledPhrase, T]]):
        # Phrases are numbered in lexicon order, and a text's phrases are tried in that order,
        # so that of two phrases matching the same words the same one is kept on every run.
        self.entries: list[tuple[CompiledPhrase, T]] = list(items)
        self.words: dict[str, list[int]] = {}
        prefixes: dict[str, list[int]] = {}
        for number, (compiled, _) in enumerate(self.entries):
            for trigger in compiled.triggers:
                bucket = prefixes if trigger.prefix else self.words
                bucket.setdefault(trigger.word, []).append(number)
        self.prefixes = sorted(prefixes.items())

    def find(self, norm: Normalised) -> list[tuple[T, int, int]]:
        """Return (item, first token, last token) for every match in `norm`, without repeats."""
        positions = norm.positions
        present = positions.keys()
        # phrase number -> the token indices of its trigger words in the text
        anchored: dict[int, list[int]] = {}
        # Two dict views intersect by looking up the smaller one's words in the larger.
        for word in self.words.keys() & present:
            indices = positions[word]
            for number in self.words[word]:
                if number in anchored:
                    anchored[number] = anchored[number] + indices
                else:
                    anchored[number] = indices
        for prefix, numbers in self.prefixes:
            for token in norm.starting_with(prefix):
                indices = positions[token]
                for number in numbers:
                    if number in anchored:
                        anchored[number] = anchored[number] + indices
                    else:
                        anchored[number] = indices
        if not anchored:
            return []
        tokens, token_starts, text = norm.tokens, norm.token_starts, norm.text
        entries = self.entries
        found: dict[tuple[int, int, int], tuple[T, int, int]] = {}
        for number in sorted(anchored):
            compiled, item = entries[number]
            if any(map(present.isdisjoint, compiled.required)):
                continue  # a word every match needs is missing
            # Each phrase once, at the union of the token starts its trigger occurrences allow,
            # where a match of it can start.
            indices, lead, firsts = anchored[number], compiled.lead, compiled.firsts
            if firsts is None:
                starts = {s for i in indices for s in range(max(i - lead, 0), i + 1)}
            elif lead:
                starts = {
                    s
                    for i in indices
                    for s in range(max(i - lead, 0), i + 1)
                    if tokens[s] in firsts
                }
            else:
                starts = {i for i in indices if tokens[i] in firsts}
            match_at = compiled.regex.match
            for start in starts:
                match = match_at(text, token_starts[start])
                if match is not None:
                    first, last = norm.token_range(*match.span())
                    found[(id(item), first, last)] = (item, first, last)
        return list(found.values())


class Lexicon:
    """Every phrase, idiom, marker and word list of the lexicon files, compiled."""

    def __init__(self, paths: Sequence[Path]):
        self.phrase_list: list[Phrase] = []
        self.idiom_list: list[CompiledPhrase] = []
        self.hyperbole_idiom_list: list[CompiledPhrase] = []
        self.marker_lists: dict[str, list[CompiledPhrase]] = {
            kind: [] for kind in get_args(MarkerKind)
        }
        self.words: dict[str, set[str]] = {kind: set() for kind in get_args(WordKind)}
        for path in paths:
            self._read(path)
        self.phrases = PhraseSet((phrase.compiled, phrase) for phrase in self.phrase_list)
        self.idioms = PhraseSet((idiom, idiom) for idiom in self.idiom_list)
        self.hyperbole_idioms = PhraseSet((idiom, idiom) for idiom in self.hyperbole_idiom_list)
        self.markers = {
            kind: PhraseSet((marker, marker) for marker in markers)
            for kind, markers in self.marker_lists.items()
        }

    def _read(self, path: Path) -> None:
        macros: dict[str, Piece] = {}
        section: tuple[str, ...] | None = None
        for number, raw_line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw_line.strip()
            where = f"{path.name}:{number}"
            if not line or line.startswith("#"):
                continue
            try:
                if line.startswith("$") and "=" in line:
                    name, body = (part.strip() for part in line.split("=", 1))
                    macros[name[1:]] = compile_macro(body, macros)
                elif line.startswith("["):
                    section = self._section(line)
                elif section is None:
                    raise PhraseError("a phrase before any [section]")
                elif section[0] == "words":
                    self.words[section[1]].update(normalise_word(word) for word in line.split())
                else:
                    compiled = compile_phrase(line, macros)
                    if section == ("idiom", HYPERBOLE_IDIOMS):
                        self.hyperbole_idiom_list.append(compiled)
                    elif section[0] == "idiom":
                        self.idiom_list.append(compiled)
                    elif section[0] == "marker":
                        self.marker_lists[section[1]].append(compiled)
                    else:
                        category, severity, code = section
                        self.phrase_list.append(
                            Phrase(
                                compiled, Category(category), cast(Severity, severity), code, where
                            )
                        )
            except (PhraseError, ValueError) as error:
                raise PhraseError(f"{where}: {error}") from error

    @staticmethod
    def _section(line: str) -> tuple[str, ...]:
        parts = tuple(line.strip("[]").split()) or ("",)
        if parts[0] == "idiom" and len(parts) == 2:
            return parts
        if parts[0] == "marker" and len(parts) == 2 and parts[1] in get_args(MarkerKind):
            return parts
        if parts[0] == "words" and len(parts) == 2 and parts[1] in get_args(WordKind):
            return parts
        categories = {category.value for category in Category}
        if len(parts) == 3 and parts[0] in categories and parts[1] in _BASE_LEVEL:
            return parts
        raise PhraseError(f"unknown section {line}")


@dataclass(frozen=True)
class _Reading:
    phrase: Phrase
    first: int
    last: int
    mitigation: Mitigation | None

    @property
    def level(self) -> Level:
        base = _BASE_LEVEL[self.phrase.severity]
        if self.mitigation is None:
            return base
        if self.mitigation in _MITIGATED_TO_NONE or self.mitigation == "hyperbole":
            return Level.NONE
        return min(base, Level.CONCERN)

    @property
    def is_watch(self) -> bool:
        # A hyperbole is read like a crisis word: neither flagged nor explained away.
        return self.phrase.severity in ("watch", "escalates") or self.mitigation == "hyperbole"


_ANY = sys.maxsize


class _Spans:
    """Token spans (first, last) of one kind in a text, answering questions about a window.

    Sorted, so that a question looks only at the spans that could answer it: a long paste can
    hold thousands of markers, and asking each of its thousands of phrases about all of them
    took seconds.
    """

    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans = sorted(set(spans))
        # Most texts have none of a kind: nothing more to work out then.
        self.firsts = [first for first, _ in self.spans] if self.spans else []
        self.longest = max(last - first for first, last in self.spans) if self.spans else 0

    def __bool__(self) -> bool:
        return bool(self.spans)

    def any(
        self, first_from: int, first_to: int, last_from: int = -_ANY, last_to: int = _ANY
    ) -> bool:
        """Whether a span starts in first_from..first_to and ends in last_from..last_to."""
        if not self.spans:
            return False
        # A span ending at last_from or later starts at last_from - longest or later.
        low = bisect.bisect_left(self.firsts, max(first_from, last_from - self.longest))
        high = bisect.bisect_right(self.firsts, min(first_to, last_to))
        spans = self.spans
        # By index, not a slice: a wide window (a clause as long as the text) stops at its first
        # fitting span instead of copying them all.
        return any(last_from <= spans[index][1] <= last_to for index in range(low, high))

    def within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that lie within start..end, in order."""
        low = bisect.bisect_left(self.firsts, start)
        high = bisect.bisect_right(self.firsts, end)
        return [(first, last) for first, last in self.spans[low:high] if last <= end]

    def overlaps(self, first: int, last: int) -> bool:
        """Whether a span shares a token with first..last."""
        return self.any(-_ANY, last, first)

    def inside(self, start: int, end: int) -> bool:
        """Whether a span lies within start..end."""
        return self.any(start, end, -_ANY, end)


class _Context:
    """Reads one matched phrase in its text: negation, idiom, quotation, hypothesis, tense."""

    def __init__(self, norm: Normalised, lexicon: Lexicon, *, trust_hyperbole: bool = True):
        self.norm = norm
        self.lexicon = lexicon
        self.tokens = norm.tokens
        self.idioms = _Spans((first, last) for _, first, last in lexicon.idioms.find(norm))
        # Trivial causes and laughter, believed only in a text without a plan (see evaluate()).
        self.trust_hyperbole = trust_hyperbole
        self.hyperbole_idioms = _Spans(
            (first, last)
            for _, first, last in lexicon.hyperbole_idioms.find(norm)
            if trust_hyperbole
        )
        self._markers: dict[str, _Spans] = {}
        # clause -> (the last token of the earliest and the first token of the latest
        # hypothetical marker in it that no "not hypothetical" marker in it overlaps), or None
        self._hypotheses: dict[tuple[int, int], tuple[int, int] | None] = {}
        quotes = norm.positions.get('"', [])
        # Token indices of the sentence ends and of the clause stops, found on first use.
        self._sentence_ends: list[int] | None = None
        self._stop_indices: list[int] | None = None
        # Quotation marks pair up in order: the quotes never overlap, sorted by where they open.
        self.quotes = list(zip(quotes[::2], quotes[1::2], strict=False))
        self.quote_opens = [opened for opened, _ in self.quotes]
        self.clause_stops = SENTENCE_ENDS | lexicon.words["contrast"]

    def read(self, phrase: Phrase, first: int, last: int) -> _Reading:
        return _Reading(phrase, first, last, self._mitigation(phrase, first, last))

    def _mitigation(self, phrase: Phrase, first: int, last: int) -> Mitigation | None:
        if self.idioms.overlaps(first, last):
            return "idiom"
        if phrase.category in _HYPERBOLE_CATEGORIES and self.hyperbole_idioms.overlaps(first, last):
            return "idiom"
        if self._negated(first, last):
            return "negated"
        if phrase.category in _HYPERBOLE_CATEGORIES and self._hyperbole(first, last):
            return "hyperbole"
        clause = self.clause(first, last)
        recent = self._recent(first, last, clause)
        past_time = not recent and self._any("past", *clause)
        past_verb = not recent and not self.lexicon.words["past_verb"].isdisjoint(
            self.tokens[first : last + 1]
        )
        if self._reported(first, last):
            return "reported_past" if past_time or past_verb else "reported"
        if self._hypothetical(first, last, clause):
            return "hypothetical"
        if past_time:
            return "past_recovered" if self._recovery_framed() else "past"
        if past_verb and self._recovery_framed() and not self._text_has("relapse"):
            return "past_recovered"
        return None

    def _negated(self, first: int, last: int) -> bool:
        words = self.lexicon.words
        tokens = self.tokens
        # "I never wanted to die until tonight", "... more than now": the negation is undone.
        if not words["undoes_negation"].isdisjoint(
            tokens[last + 1 : last + 1 + MAX_NEGATION_DISTANCE]
        ):
            return False
        for index in range(first - 1, max(first - 1 - MAX_NEGATION_DISTANCE, -1), -1):
            word = tokens[index]
            # "don t", the tweets' split form of "don't"
            if word == "t" and index > 0:
                word = tokens[index - 1] + "t"
            if word in words["negator"]:
                # "no, I want to die" is not "no thoughts of suicide"; "why not" is no negation
                if word == "no" and tokens[index + 1] in words["not_after_no"]:
                    return False
                return not (word == "not" and index > 0 and tokens[index - 1] == "why")
            if word not in words["filler"]:
                return False
        return False

    def sentence_start(self, index: int) -> int:
        """The first token of the sentence that token `index` is in."""
        ends = self._sentence_ends
        if ends is None:
            positions = self.norm.positions
            ends = sorted(chain.from_iterable(positions.get(end, ()) for end in SENTENCE_ENDS))
            self._sentence_ends = ends
        before = bisect.bisect_left(ends, index)
        return ends[before - 1] + 1 if before else 0

    def clause(self, first: int, last: int) -> tuple[int, int]:
        """The first and last token of the clause around tokens first..last (see the module docstring)."""
        stops = self._stop_indices
        if stops is None:
            positions = self.norm.positions
            stops = sorted(chain.from_iterable(positions.get(w, ()) for w in self.clause_stops))
            self._stop_indices = stops
        before = bisect.bisect_left(stops, first)
        after = bisect.bisect_right(stops, last)
        start = stops[before - 1] + 1 if before else 0
        end = stops[after] - 1 if after < len(stops) else len(self.tokens) - 1
        return start, end

    def _recent(self, first: int, last: int, clause: tuple[int, int]) -> bool:
        """A recency marker in the clause, or touching the phrase across a contrast word
        ("Today I tried to kill myself", "I overdosed today"); never across punctuation, so
        "I tried to kill myself in 2015, today I'm sober" stays in the past."""
        recent = self._spans("recent")
        if recent.inside(*clause):
            return True
        before, after = first, last
        while before > 0 and first - before < NEAR and self.tokens[before - 1] not in CLAUSE_ENDS:
            before -= 1
        while (
            after < len(self.tokens) - 1
            and after - last < NEAR
            and self.tokens[after + 1] not in CLAUSE_ENDS
        ):
            after += 1
        return recent.any(before, first - 1) or recent.any(last + 1, after)

    def _spans(self, kind: str) -> _Spans:
        """The `kind` markers of the text, found once per text."""
        spans = self._markers.get(kind)
        if spans is None:
            found = self.lexicon.markers[kind].find(self.norm)
            spans = self._markers[kind] = _Spans((first, last) for _, first, last in found)
        return spans

    def _any(self, kind: str, start: int, end: int) -> bool:
        """Whether a `kind` marker lies within tokens start..end (inclusive)."""
        return self._spans(kind).inside(start, end)

    def _text_has(self, kind: str) -> bool:
        return bool(self._spans(kind))

    def _recovery_framed(self) -> bool:
        return self._text_has("recovery")

    def _reported(self, first: int, last: int) -> bool:
        reported = self._spans("reported")
        # A reporting marker ending at most MAX_REPORTED_DISTANCE tokens before the phrase, in
        # its sentence.
        start = self.sentence_start(first)
        if reported.any(start, _ANY, first - 1 - MAX_REPORTED_DISTANCE, first - 1):
            return True
        # The only quote that can hold the phrase is the last one opened before it.
        before = bisect.bisect_left(self.quote_opens, first) - 1
        if before < 0 or self.quotes[before][1] <= last:
            return False
        opened, closed = self.quotes[before]
        start = self.sentence_start(opened)
        if reported.any(start, _ANY, opened - 1 - MAX_REPORTED_DISTANCE, opened - 1):
            return True
        # '"I want to die," she said'
        return reported.any(closed + 1, closed + 2, -_ANY, min(closed + 4, len(self.tokens) - 1))

    def _hyperbole(self, first: int, last: int) -> bool:
        """Laughter just after the phrase ("I want to die lol") or just before it in its clause
        ("haha i want to die"): the classifier should decide. Not in a text with a plan."""
        if not self.trust_hyperbole:
            return False
        laughter = self._spans("hyperbole")
        # Starting within three tokens after it: "... in the best way" is four tokens long.
        if laughter.any(last + 1, last + 3):
            return True
        start = self.clause(first, last)[0]
        return laughter.any(start, _ANY, first - HYPERBOLE_BEFORE, first - 1)

    def _hypothetical(self, first: int, last: int, clause: tuple[int, int]) -> bool:
        hypotheses = self._clause_hypotheses(clause)
        if hypotheses is None:
            return False
        earliest_end, latest_start = hypotheses
        # A hypothetical marker in the clause before the phrase ("if I wanted to die ...")
        if earliest_end <= first - 1:
            return True
        # "I would kill myself if ...": a conditional whose condition follows
        phrase_tokens = set(self.tokens[first : last + 1])
        if phrase_tokens & {"would", "wod", "id", "could", "coud"}:
            return latest_start >= last + 1
        return False

    def _clause_hypotheses(self, clause: tuple[int, int]) -> tuple[int, int] | None:
        """For the hypothetical markers within `clause` that no "not hypothetical" marker within
        it overlaps: the last token of the earliest and the first token of the latest (None when
        there are none). Worked out once per clause."""
        if clause in self._hypotheses:
            return self._hypotheses[clause]
        start, end = clause
        exceptions = self._spans("not_hypothetical")
        standing = [
            (first, last)
            for first, last in self._spans("hypothetical").within(start, end)
            # an exception within the clause that shares a token with the marker
            if not exceptions.any(start, last, first, end)
        ]
        found = (
            (min(last for _, last in standing), max(first for first, _ in standing))
            if standing
            else None
        )
        self._hypotheses[clause] = found
        return found


def _settle(readings: list[_Reading], context: _Context) -> RuleResult:
    """Apply `escalates` phrases, drop phrases inside stronger ones, and summarise."""
    current_categories = {
        reading.phrase.category
        for reading in readings
        if not reading.is_watch and reading.mitigation is None
    }
    findings: list[Finding] = []
    # The spans kept so far, as the furthest last token of those starting at each first token,
    # and the longest of them: what is inside a kept span is found by looking at the few starts
    # it could have, not at every span kept (a long paste can hold thousands of matches).
    kept_ends: dict[int, int] = {}
    longest = 0
    open_crisis_words = False

    def order(reading: _Reading) -> tuple[int, bool, bool, int]:
        return (
            -level_of(reading).rank,
            reading.is_watch and not escalated(reading),
            reading.mitigation is not None,
            reading.first - reading.last,
        )

    def escalated(reading: _Reading) -> bool:
        return (
            reading.phrase.severity == "escalates"
            and reading.mitigation is None
            and reading.phrase.category in current_categories
        )

    def level_of(reading: _Reading) -> Level:
        return Level.URGENT if escalated(reading) else reading.level

    for reading in sorted(readings, key=order):
        first, last = reading.first, reading.last
        if any(
            kept_ends.get(start, -1) >= last for start in range(max(last - longest, 0), first + 1)
        ):
            continue
        kept_ends[first] = max(kept_ends.get(first, -1), last)
        longest = max(longest, last - first)
        level = level_of(reading)
        if (
            reading.is_watch
            and not escalated(reading)
            and reading.mitigation not in _MITIGATED_TO_NONE
        ):
            open_crisis_words = True
            # A bare crisis word is no reason; a hyperbole says what was not taken literally.
            if reading.mitigation != "hyperbole":
                continue
        findings.append(
            Finding(
                category=reading.phrase.category,
                level=level,
                code=reading.phrase.code,
                evidence=context.norm.quote(reading.first, reading.last),
                mitigation=reading.mitigation,
                first=reading.first,
                last=reading.last,
                where=reading.phrase.where,
            )
        )
    findings.sort(key=lambda finding: (finding.first, -finding.level.rank))
    result = RuleResult(tuple(findings), open_crisis_words)
    if not result.explained:
        return result
    clauses = [context.clause(finding.first, finding.last) for finding in findings]
    tokens = context.tokens
    # The full stop that ends an explained clause goes with it.
    clauses = [
        (start, end + 1 if end + 1 < len(tokens) and tokens[end + 1] in SENTENCE_ENDS else end)
        for start, end in clauses
    ]
    return RuleResult(result.findings, False, context.norm.without(clauses))


LEXICON = Lexicon([LEXICON_DIR / name for name in LEXICON_FILES])


def evaluate(text: str, lexicon: Lexicon = LEXICON) -> RuleResult:
    """Return what the crisis rules find in `text` (see the module docstring for how they read)."""
    norm = normalise(text)
    matches = lexicon.phrases.find(norm)
    if not matches:
        return NOTHING
    context = _Context(norm, lexicon)
    readings = [context.read(phrase, first, last) for phrase, first, last in matches]
    # A plan or means detail at face value ("... and I have the pills ready") means the trivial
    # cause or the laughter is not to be believed: read the text again without them, so the
    # detail can make the phrase urgent.
    if any(
        reading.phrase.severity == "escalates"
        and reading.mitigation is None
        and reading.phrase.category in _HYPERBOLE_CATEGORIES
        for reading in readings
    ) and any(
        reading.mitigation in ("idiom", "hyperbole")
        and reading.phrase.category in _HYPERBOLE_CATEGORIES
        for reading in readings
    ):
        context = _Context(norm, lexicon, trust_hyperbole=False)
        readings = [context.read(phrase, first, last) for phrase, first, last in matches]
    return _settle(readings, context)
