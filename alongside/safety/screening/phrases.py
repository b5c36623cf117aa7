"""The text form that screening rules read, and the small phrase language the lexicon is written in.

`normalise()` turns what a member wrote into a string of tokens separated by single spaces, with a
space at each end: words lower-cased, accents and apostrophes dropped ("Don't" -> "dont", "sí" ->
"si"), every run of a repeated letter squeezed to one ("diiiie" -> "die", but also "kill" ->
"kil": the lexicon is squeezed the same way, so the two always agree), punctuation that ends a
sentence or a clause kept as its own token, line breaks read as full stops, everything else
(emoji, hyphens, symbols) read as a space, except the laughing emoji, read as the word "lol"
(so "I'm dead 😂" reads like "I'm dead lol"; not the skull or the crying face, which are also
meant literally). Token positions are kept, so a match can be quoted from the original text.

A lexicon phrase is words separated by spaces, matched against that form:

    word        the word, written naturally ("don't", "también"); it is normalised like the text,
                and a word written with an apostrophe also matches its split form ("don t")
    word*       any word that starts with `word`
    _           any one word          #   any number          ##   a year (1900-2099)
    ...         up to three tokens, never across . ! ? ;
    (a b|c)     one of the alternatives, each itself a phrase
    x?          x may be left out (x is a word, a group or a macro)
    !(a|b)      what follows is not one of the alternatives (consumes nothing)
    $name       a macro, defined in the lexicon file as `$name = a | b c`
    $           the end of a clause: , . ! ? ; : " ( ) or the end of the text

Every phrase must contain a word that any match of it contains (its trigger): the rules run only
the phrases whose triggers occur in a text, which is what keeps screening fast.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import accumulate

from alongside.safety.screening import word_cache

SENTENCE_ENDS = frozenset({".", "!", "?", ";"})
# Tokens that stop a clause: negation and hypothetical markers never reach across them.
CLAUSE_ENDS = SENTENCE_ENDS | frozenset({",", ":", '"', "(", ")"})

# Face with tears of joy, rolling on the floor laughing, cat with tears of joy, grinning squinting.
LAUGHING_EMOJI = "\U0001f602\U0001f923\U0001f639\U0001f606"
_TOKEN = re.compile(rf"[a-z0-9]+(?:'[a-z0-9]+)*|[.!?;:,\"()']|[{LAUGHING_EMOJI}]")
_LAUGHING = frozenset(LAUGHING_EMOJI)
_SQUEEZE = re.compile(r"([a-z])\1+")
_FULL_STOP = re.compile(r"\.")
# Past this many tokens from the last full stop, quoting finds every token's place once instead.
_MAX_REREAD_TOKENS = 200
_WORD_SOURCE = re.compile(r"[a-z0-9']+")


def _fold_table() -> dict[int, str]:
    """Map each character to one lower-case, unaccented character, keeping the text's length.

    Keeping the length is what lets a match be quoted from the original text.
    """
    table: dict[int, str] = {}
    for code in range(0x41, 0x250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        lower = base.lower()
        if len(lower) == 1 and lower != char:
            table[code] = lower
    for quote in "\u2018\u2019\u02bc\u0060\u00b4\u2032":
        table[ord(quote)] = "'"
    for quote in "\u201c\u201d\u201e\u00ab\u00bb\u2033":
        table[ord(quote)] = '"'
    for stop in "\n\r\u2028\u2029":
        table[ord(stop)] = "."
    # Spanish opening marks carry no information the closing ones do not.
    table[ord("\u00bf")] = " "
    table[ord("\u00a1")] = " "
    table[ord("\u2026")] = "."
    return table


_FOLD = _fold_table()


def normalise_word(word: str) -> str:
    """Return `word` as it appears in the normalised text (folded, no apostrophes, squeezed)."""
    return _SQUEEZE.sub(r"\1", word.translate(_FOLD).replace("'", ""))


@dataclass
class Normalised:
    """A text in the form the rules read, able to quote its tokens back from the original."""

    original: str
    folded: str
    text: str  # " tok tok . tok ": tokens joined by single spaces, a space at each end
    _spans: list[tuple[int, int]] | None = field(default=None, repr=False)
    _tokens: list[str] | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _positions: dict[str, list[int]] | None = field(default=None, repr=False)
    _vocabulary: list[str] | None = field(default=None, repr=False)

    @property
    def tokens(self) -> list[str]:
        """The normalised tokens, in order."""
        if self._tokens is None:
            self._tokens = self.text.split()
        return self._tokens

    @property
    def positions(self) -> dict[str, list[int]]:
        """The indices at which each distinct token occurs."""
        if self._positions is None:
            positions: dict[str, list[int]] = {}
            for index, token in enumerate(self.tokens):
                positions.setdefault(token, []).append(index)
            self._positions = positions
        return self._positions

    @property
    def vocabulary(self) -> list[str]:
        """The distinct tokens, sorted."""
        if self._vocabulary is None:
            self._vocabulary = sorted(self.positions)
        return self._vocabulary

    def starting_with(self, prefix: str) -> list[str]:
        """Return the distinct tokens that start with `prefix`."""
        vocabulary = self.vocabulary
        tokens = []
        for index in range(bisect.bisect_left(vocabulary, prefix), len(vocabulary)):
            if not vocabulary[index].startswith(prefix):
                break
            tokens.append(vocabulary[index])
        return tokens

    @property
    def token_starts(self) -> list[int]:
        """Where each token starts in `text`."""
        if self._starts is None:
            # `text` is " " + " ".join(tokens) + " ": each token starts one space after the last.
            lengths = map((1).__add__, map(len, self.tokens))
            self._starts = list(accumulate(lengths, initial=1))[:-1]
        return self._starts

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        """Return the first and last token index of the match `text[start:end]`."""
        starts = self.token_starts
        return bisect.bisect_right(starts, start) - 1, bisect.bisect_left(starts, end) - 1

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Where each token starts and ends in the original text."""
        if self._spans is None:
            self._spans = [match.span() for match in _TOKEN.finditer(self.folded)]
        return self._spans

    def char_range(self, first: int, last: int) -> tuple[int, int]:
        """Return where tokens `first` to `last` (inclusive) start and end in the original text."""
        # Finding where every token of a long post is costs more than the rest of its reading:
        # read the tokens again from the full stop before `first` instead. Each "." character of
        # the folded text is a "." token and each "." token one such character (a word never
        # holds a full stop), so the k-th full-stop token is at the k-th "." character.
        stops = self.positions.get(".", ())
        before = bisect.bisect_right(stops, first) - 1
        token = stops[before] if before >= 0 else 0
        if self._spans is not None or last - token > _MAX_REREAD_TOKENS:
            return self.spans[first][0], self.spans[last][1]
        position = self._full_stop_offsets[before] if before >= 0 else 0
        start = 0
        for index, match in enumerate(_TOKEN.finditer(self.folded, position), start=token):
            if index == first:
                start = match.start()
            if index == last:
                return start, match.end()
        raise IndexError(f"no token {last} in the text")

    @functools.cached_property
    def _full_stop_offsets(self) -> list[int]:
        return [match.start() for match in _FULL_STOP.finditer(self.folded)]

    def quote(self, first: int, last: int) -> str:
        """Return the original words of tokens `first` to `last`, inclusive."""
        start, end = self.char_range(first, last)
        return self.original[start:end]

    def without(self, ranges: list[tuple[int, int]]) -> str:
        """Return the original text with the token ranges (first, last; inclusive) cut out."""
        kept, position = [], 0
        for first, last in sorted(ranges):
            start, end = self.char_range(first, last)
            if start >= position:
                kept.append(self.original[position:start])
            position = max(position, end)
        kept.append(self.original[position:])
        return " ".join(part.strip() for part in kept if part.strip())


@word_cache.word_cache(maxsize=50_000)
def _token_form(raw: str) -> str:
    """Return a token of the folded text as the rules read it.

    A laughing emoji is spelled "lol"; a lone apostrophe is a single quote mark, one inside a word
    was a contraction and goes ("don't" -> "dont"); a run of one letter is squeezed to one. Each
    token on its own, cached (see word_cache).
    """
    if raw in _LAUGHING:
        return "lol"
    if raw == "'":
        return '"'
    return _SQUEEZE.sub(r"\1", raw.replace("'", ""))


def normalise(text: str) -> Normalised:
    """Return `text` in the form the rules read (see the module docstring)."""
    folded = text.translate(_FOLD)
    tokens = word_cache.each(_token_form, _TOKEN.findall(folded))
    return Normalised(
        original=text, folded=folded, text=" " + " ".join(tokens) + " ", _tokens=tokens
    )


# --- The phrase language -------------------------------------------------------------------------

_LEXEME = re.compile(r"\s*(!\(|\(|\)|\||\?|\.\.\.|\$[a-z_]+|\$|_|##|#|[^\s()|?!$]+)")
_WORD_RE = r"[a-z0-9]+ "
_NUMBER_RE = r"[0-9]+ "
_YEAR_RE = r"(?:19|20)[0-9]{2} "
_GAP_TOKENS = 3
_GAP_RE = rf"(?:[^ .!?;]+ ){{0,{_GAP_TOKENS}}}"
_CLAUSE_END_RE = r"(?=[,.!?;:\"()] |$)"

# Words too common to be worth indexing on when a phrase offers a rarer one: a phrase is tried
# at every occurrence of its trigger, so "have" or "que" as a trigger costs time on every post.
_COMMON = frozenset(
    normalise_word(word)
    for word in """
    i i'm im a an the to my me of and or is it it's its be am are was were you your he she they
    we that this these those not no don't dont do does did so just all in on at for with about
    from by up out as if like what when how why who have has had get got go going want feel
    think know now then there here more one some any can can't cant will would could should
    really very much never ever again still even also too way people de el la los las que y a
    mi me no en lo se es un una yo por con para su al del le te ya
    """.split()  # noqa: SIM905 - a list literal would take a line per word
)


class PhraseError(ValueError):
    """A lexicon phrase that cannot be compiled; the message says which and why."""


@dataclass(frozen=True)
class Trigger:
    """A word every match contains: exact, or (prefix=True) a word starting with it."""

    word: str
    prefix: bool = False


@dataclass(frozen=True)
class Piece:
    """A compiled part of a phrase (a macro, a group, a word) and what is known of its matches."""

    regex: str
    # None: the piece can match without any particular word, so it cannot anchor the phrase.
    triggers: frozenset[Trigger] | None
    span: int  # the most tokens a match of the piece covers
    lead: int = 0  # the most tokens a match covers before its trigger word
    # Word sets of which every match contains a word of each, as whole tokens: a phrase whose
    # set has no word in a text cannot match there and is not tried (prefix words never count).
    clauses: tuple[frozenset[str], ...] = ()
    # The words a match can start with (None: any), so that a start is tried only at one of them.
    firsts: frozenset[str] | None = None


def _cost(piece: Piece) -> float:
    # Fewer, rarer, longer words make a better trigger, and one near the start of the phrase
    # needs fewer tries.
    triggers = piece.triggers or frozenset()
    words = sum(1 + 20 * (t.word in _COMMON) + 5 * t.prefix + 1 / len(t.word) for t in triggers)
    return words + 0.5 * piece.lead


class _Parser:
    def __init__(self, source: str, macros: Mapping[str, Piece]):
        self.source = source
        self.macros = macros
        self.lexemes = _LEXEME.findall(source)
        self.position = 0
        if "".join(self.lexemes) != re.sub(r"\s+", "", source):
            raise PhraseError(f"cannot read {source!r}")

    def peek(self) -> str | None:
        return self.lexemes[self.position] if self.position < len(self.lexemes) else None

    def take(self) -> str:
        lexeme = self.peek()
        if lexeme is None:
            raise PhraseError(f"{self.source!r} ends too early")
        self.position += 1
        return lexeme

    def alternatives(self) -> Piece:
        options = [self.sequence()]
        while self.peek() == "|":
            self.take()
            options.append(self.sequence())
        if len(options) == 1:
            return options[0]
        triggers: frozenset[Trigger] | None = frozenset()
        clauses: tuple[frozenset[str], ...] = ()
        if all(option.clauses for option in options):
            # Each match matches one option, so contains a word of that option's smallest set.
            clauses = (frozenset().union(*(min(o.clauses, key=len) for o in options)),)
        for option in options:
            triggers = (
                None if triggers is None or option.triggers is None else triggers | option.triggers
            )
        return Piece(
            "(?:" + "|".join(option.regex for option in options) + ")",
            triggers,
            span=max(option.span for option in options),
            lead=max(option.lead for option in options),
            clauses=clauses,
            firsts=(
                None
                if any(option.firsts is None for option in options)
                else frozenset().union(*(option.firsts or () for option in options))
            ),
        )

    def sequence(self) -> Piece:
        pieces: list[Piece] = []
        while self.peek() not in (None, "|", ")"):
            pieces.append(self.element())
        if not pieces:
            raise PhraseError(f"empty alternative in {self.source!r}")
        regex = "".join(piece.regex for piece in pieces)
        span = sum(piece.span for piece in pieces)
        clauses = tuple(clause for piece in pieces for clause in piece.clauses)
        firsts = pieces[0].firsts
        anchors = [index for index, piece in enumerate(pieces) if piece.triggers]
        if not anchors:
            return Piece(regex, None, span, clauses=clauses, firsts=firsts)
        leads = [
            sum(piece.span for piece in pieces[:index]) + pieces[index].lead for index in anchors
        ]
        costs = [
            _cost(Piece(pieces[index].regex, pieces[index].triggers, 0, lead))
            for index, lead in zip(anchors, leads, strict=True)
        ]
        best = costs.index(min(costs))
        anchor, lead = anchors[best], leads[best]
        return Piece(regex, pieces[anchor].triggers, span, lead, clauses, firsts)

    def group(self) -> Piece:
        piece = self.alternatives()
        if self.take() != ")":
            raise PhraseError(f"unclosed group in {self.source!r}")
        return piece

    def element(self) -> Piece:
        lexeme = self.take()
        piece: Piece
        if lexeme == "(":
            piece = self.group()
        elif lexeme == "!(":
            return Piece(f"(?!{self.group().regex})", None, 0)
        elif lexeme == "_":
            piece = Piece(_WORD_RE, None, 1)
        elif lexeme == "##":
            piece = Piece(_YEAR_RE, None, 1)
        elif lexeme == "#":
            piece = Piece(_NUMBER_RE, None, 1)
        elif lexeme == "...":
            return Piece(_GAP_RE, None, _GAP_TOKENS)
        elif lexeme == "$":
            return Piece(_CLAUSE_END_RE, None, 0)
        elif lexeme.startswith("$"):
            if lexeme[1:] not in self.macros:
                raise PhraseError(f"unknown macro {lexeme} in {self.source!r}")
            piece = self.macros[lexeme[1:]]
        else:
            piece = _word(lexeme, self.source)
        if self.peek() == "?":
            self.take()
            return Piece(f"(?:{piece.regex})?", None, piece.span)
        return piece


def _word(lexeme: str, source: str) -> Piece:
    prefix = lexeme.endswith("*")
    raw = lexeme.removesuffix("*").translate(_FOLD)
    if not _WORD_SOURCE.fullmatch(raw) or raw.strip("'") != raw:
        raise PhraseError(f"{lexeme!r} in {source!r} is not a word")
    word = normalise_word(raw)
    tail = "[a-z0-9]* " if prefix else " "
    if "'" not in raw:
        clauses = () if prefix else (frozenset({word}),)
        firsts = None if prefix else frozenset({word})
        triggers = frozenset({Trigger(word, prefix)})
        return Piece(re.escape(word) + tail, triggers, 1, 0, clauses, firsts)
    # "don't" is "dont" in the text, or "don t" where the apostrophe became a space
    split = _SQUEEZE.sub(r"\1", raw.replace("'", " "))
    regex = f"(?:{re.escape(word)}|{re.escape(split)}){tail}"
    triggers = frozenset({Trigger(word, prefix), Trigger(split.split()[0])})
    # Either form starts with its first word; prefix words stay out of both (see Piece).
    firsts = None if prefix else frozenset({word, split.split()[0]})
    clauses = () if firsts is None else (firsts,)
    return Piece(regex, triggers, len(split.split()), 0, clauses, firsts)


def compile_macro(source: str, macros: Mapping[str, Piece]) -> Piece:
    """Compile a macro body (alternatives separated by |) for use in later phrases."""
    parser = _Parser(source, macros)
    piece = parser.alternatives()
    if parser.peek() is not None:
        raise PhraseError(f"unexpected {parser.peek()!r} in {source!r}")
    return Piece(
        f"(?:{piece.regex})", piece.triggers, piece.span, piece.lead, piece.clauses, piece.firsts
    )


@dataclass(frozen=True)
class CompiledPhrase:
    source: str
    regex: re.Pattern[str]
    triggers: frozenset[Trigger]
    lead: int  # a match starts at most this many tokens before the trigger word it contains
    # Word sets each of which has a word in every match (see Piece.clauses).
    required: tuple[frozenset[str], ...] = ()
    firsts: frozenset[str] | None = None  # the words a match can start with (None: any)


def compile_phrase(source: str, macros: Mapping[str, Piece]) -> CompiledPhrase:
    """Compile one lexicon phrase; raise PhraseError when it is malformed or has no trigger."""
    piece = compile_macro(source, macros)
    if not piece.triggers:
        raise PhraseError(f"{source!r} has no word that every match contains")
    required = tuple(sorted(set(piece.clauses), key=sorted))
    regex = re.compile("(?<= )" + piece.regex)
    return CompiledPhrase(source, regex, piece.triggers, piece.lead, required, piece.firsts)
