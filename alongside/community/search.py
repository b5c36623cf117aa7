"""Search over the community posts a member may see, without a readable index.

Thread titles and posts are encrypted at rest (they are about people's health), so a plaintext
search index would hand their words to anyone who copies the database. The index is blind:

1. A post is reduced to words: Markdown rendered and stripped to plain text, casefolded, accents
   removed, common words dropped, and each word cut to a stem by a light suffix stripper (so
   "sleeping", "sleeps" and "sleep" meet).
2. Each stem is replaced by a keyed hash: HMAC-SHA256 under a key derived from the newest field
   encryption key and the program's id, written as 20 letters a-p (80 bits). The key is derived
   from the encryption key and not from SECRET_KEY, because settings keep the two apart so a
   leaked SECRET_KEY exposes no health data; a stolen SECRET_KEY must not allow a dictionary
   attack on the index either. The program's id in the key makes the same word hash differently
   in each program, so frequencies cannot be pooled across programs.
3. The hashes of a post are stored in sorted order (`SearchEntry`): word order is not kept.
   A query goes through the same steps and must match every one of its words.

PostgreSQL finds and ranks rows with `to_tsvector('simple', ...)` over the hashes (a GIN
expression index) and `ts_rank`; SQLite with an FTS5 table and `bm25()`. The title counts four
times as much as the body. Relevance is combined with recency as

    score = relevance / (1 + age in days / RECENCY_DAYS)

so a post a month old needs twice the relevance of today's to rank level with it; ties go to the
newer post. Only posts the viewer may see are ranked (`access.spaces_for` and `access.shown_to`
on both the post and its thread); moderators also find hidden posts, marked as such.

What a database thief learns: for each post, which hashed stems it holds and how often, and the
post's time. Not the words, but term frequencies: with enough posts and outside knowledge of
word frequencies they could guess the commonest stems (frequency analysis), which is why common
words are not indexed at all and why the key differs per program. What is lost: phrase and prefix
search (word order and the words are gone), and ranking by proximity.

Keys: after `manage.py rotate_field_keys` the newest key changes, so run `manage.py
reindex_community`; until then search finds nothing written before the rotation. Changing the
normalisation (a better stemmer, more stop words) also needs a reindex.
"""

import hashlib
import hmac
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import nh3
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

from alongside.community import access
from alongside.community.models import Post, Thread
from alongside.community.search_index import FTS_TABLE, SearchEntry

QUERY_LENGTH = 200
QUERY_TERMS = 12
RESULTS_PER_PAGE = 20
RECENCY_DAYS = 30
TITLE_WEIGHT = 4.0
EXCERPT_LENGTH = 240
_HASH_LETTERS = 20
_WORD = re.compile(r"\w+")

# Words too common to tell posts apart. They are not indexed: a query made only of them finds
# nothing, and their hashes would be the easiest anchors for frequency analysis.
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "had", "has", "have",
        "i", "if", "in", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "so", "that",
        "the", "their", "them", "they", "this", "to", "was", "we", "were", "what", "when", "which",
        "who", "will", "with", "you", "your",
        "al", "con", "de", "del", "el", "en", "es", "la", "las", "lo", "los", "mi",
        "para", "por", "que", "se", "su", "sus", "un", "una", "y", "yo",
    }
)  # fmt: skip


class QueryError(ValueError):
    """A query that cannot be searched; its message is shown next to the search field."""


@dataclass(frozen=True)
class Hit:
    """A post the viewer may see that matches, with what a result shows of it."""

    post: Post
    excerpt: str

    @property
    def thread(self) -> Thread:
        return self.post.thread

    @property
    def is_hidden(self) -> bool:
        return self.post.is_hidden or self.post.thread.is_hidden


# --- Words --------------------------------------------------------------------------------


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("js-default", {"breaks": True}).enable("strikethrough")


def plain_text(markdown: str) -> str:
    """`markdown` as the text a reader sees: no markup, no link targets."""
    rendered = _markdown().render(markdown)
    # Block ends become spaces so words of adjacent paragraphs do not run together.
    rendered = re.sub(r"</(p|li|h\d|blockquote|pre)>|<br\s*/?>", " ", rendered)
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return " ".join(text.split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """A light suffix stripper for English (and Spanish plurals), enough for "sleeping" to
    meet "sleep" and "meetings" to meet "meeting". A Snowball stemmer would do better; swapping
    it in needs `manage.py reindex_community`."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= 3 and re.search("[aeiouy]", base):
            word = base
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "running" -> "run"
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # "hope" and "hoping" both become "hop"
    return word


def words(text: str) -> list[str]:
    """The stems of `text` (plain text) that are indexed, in order."""
    stems = []
    for word in _WORD.findall(_fold(text)):
        if len(word) < 2 or len(word) > 40 or word in STOP_WORDS:
            continue
        stems.append(stem(word))
    return stems


# --- Hashing ------------------------------------------------------------------------------


@cache
def _master_key(encryption_key: str) -> bytes:
    return hmac.new(encryption_key.encode(), b"alongside.community.search", hashlib.sha256).digest()


def _program_key(program_id: int) -> bytes:
    master = _master_key(settings.FIELD_ENCRYPTION_KEYS[0])
    return hmac.new(master, f"program:{program_id}".encode(), hashlib.sha256).digest()


def hashed(program_id: int, stems: Iterable[str]) -> list[str]:
    """Each stem as its keyed hash in `program_id`: 20 letters a-p, a single token to both
    PostgreSQL's parser and FTS5's."""
    key = _program_key(program_id)
    letters = str.maketrans("0123456789abcdef", "abcdefghijklmnop")
    return [
        hmac.new(key, word.encode(), hashlib.sha256).hexdigest()[:_HASH_LETTERS].translate(letters)
        for word in stems
    ]


def terms_of(program_id: int, text: str) -> str:
    """The stored form of `text`: its hashed stems, sorted, so word order is not kept."""
    return " ".join(sorted(hashed(program_id, words(text))))


# --- Index --------------------------------------------------------------------------------


def _program_id(post: Post) -> int:
    return post.thread.space.program_id


def index_post(post: Post) -> SearchEntry:
    """Store `post` (and its thread's title, for the opening post) in the index; call it in the
    transaction that saves the post."""
    program_id = _program_id(post)
    title = post.thread.title if post.number == 1 else ""
    entry, _created = SearchEntry.objects.update_or_create(
        post=post,
        defaults={
            "title_terms": terms_of(program_id, title),
            "body_terms": terms_of(program_id, plain_text(post.body)),
            "posted_at": post.created_at,
        },
    )
    return entry


def index_thread(thread: Thread) -> SearchEntry:
    """Store a thread's title with its opening post (after it is started or its title changes)."""
    opening = Post.objects.select_related("thread__space").get(thread=thread, number=1)
    return index_post(opening)


def remove(post: Post) -> None:
    """Take `post` out of the index (deleting the post does it too)."""
    SearchEntry.objects.filter(post=post).delete()


def reindex(posts=None) -> int:
    """Rebuild the index of `posts` (all posts by default), a thousand at a time; returns how
    many were indexed."""
    posts = Post.objects.all() if posts is None else posts
    count = 0
    for post in posts.select_related("thread__space").order_by("pk").iterator(chunk_size=1000):
        index_post(post)
        count += 1
    return count


# --- Searching ----------------------------------------------------------------------------


def query_terms(viewer: access.Viewer, query: str) -> list[str]:
    """The hashed stems to look for; QueryError with a message for an empty, too long or
    wordless query."""
    query = query.strip()
    if not query:
        raise QueryError(_("Type a word or two to search for."))
    if len(query) > QUERY_LENGTH:
        raise QueryError(
            _("Keep your search to %(limit)d characters; it has %(count)d.")
            % {"limit": QUERY_LENGTH, "count": len(query)}
        )
    stems = list(dict.fromkeys(words(query)))
    if not stems:
        raise QueryError(_("Those words are too common to search for. Try a more specific one."))
    return hashed(viewer.program.pk, stems[:QUERY_TERMS])


def _table() -> str:
    return connection.ops.quote_name(SearchEntry._meta.db_table)


def _matching(terms: list[str]) -> tuple[Q, RawSQL]:
    """The condition that a row holds every term, and its relevance, for this database."""
    table = _table()
    if connection.vendor == "postgresql":
        vector = (
            f"(setweight(to_tsvector('simple'::regconfig, {table}.\"title_terms\"), 'A') || "
            f"setweight(to_tsvector('simple'::regconfig, {table}.\"body_terms\"), 'D'))"
        )
        tsquery = " & ".join(terms)
        # Weights {D, C, B, A}, each at most 1: the title (A) counts TITLE_WEIGHT times the
        # body (D).
        relevance = RawSQL(  # noqa: S611 - only constants and our own hashes, as parameters
            f"ts_rank('{{{1 / TITLE_WEIGHT}, 0, 0, 1}}', {vector}, to_tsquery('simple', %s))",
            [tsquery],
            output_field=FloatField(),
        )
        # On the row itself rather than through a subquery, so the planner can read the GIN
        # index that migration 0003 builds over this very expression.
        condition = Q(
            RawSQL(  # noqa: S611 - constants; the query is a parameter
                f"{vector} @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField()
            )
        )
        return condition, relevance
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{term}"' for term in terms)
        # bm25 is smaller for better matches; negated so that larger is better, as on PostgreSQL.
        relevance = RawSQL(  # noqa: S611 - constants; the match is a parameter
            f"(SELECT -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {table}.id)",
            [match],
            output_field=FloatField(),
        )
        condition = Q(
            pk__in=RawSQL(  # noqa: S611 - constants; the match is a parameter
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [match],
            )
        )
        return condition, relevance
    raise NotImplementedError(f"Community search does not support {connection.vendor}.")


def _age_in_days(now: datetime) -> RawSQL:
    table = _table()
    if connection.vendor == "postgresql":
        sql = f"EXTRACT(EPOCH FROM (%s - {table}.posted_at)) / 86400.0"
    else:
        sql = f"(julianday(%s) - julianday({table}.posted_at))"
    return RawSQL(sql, [now], output_field=FloatField())  # noqa: S611 - `now` is a parameter


def visible_posts(viewer: access.Viewer):
    """The posts the viewer may see: in a space they see, in a thread shown to them, and shown
    to them themselves."""
    threads = Thread.objects.filter(space__in=access.spaces_for(viewer))
    posts = Post.objects.filter(thread__in=access.shown_to(viewer, threads, Thread))
    return access.shown_to(viewer, posts, Post)


def ranked(viewer: access.Viewer, query: str):
    """The index rows of the posts the viewer may see that match `query`, best first; QueryError
    for a query that cannot be searched."""
    terms = query_terms(viewer, query)
    condition, relevance = _matching(terms)
    return (
        SearchEntry.objects.filter(condition, post__in=visible_posts(viewer))
        .annotate(relevance=relevance, age=_age_in_days(timezone.now()))
        .annotate(score=F("relevance") / (1.0 + F("age") / RECENCY_DAYS))
        .order_by("-score", "-posted_at", "-pk")
    )


def excerpt(body: str, stems: set[str], length: int = EXCERPT_LENGTH) -> str:
    """Plain text of `body` around the first word that matched, about `length` characters."""
    text = plain_text(body)
    if len(text) <= length:
        return text
    start = 0
    for found in _WORD.finditer(text):
        if stem(_fold(found.group())) in stems:
            start = max(0, found.start() - length // 4)
            break
    piece = text[start : start + length]
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(text) else ""
    return f"{prefix}{piece.strip()}{suffix}"


def search(viewer: access.Viewer, query: str, *, page: int | str | None = 1) -> Page:
    """A page of `Hit`s for `query` among the posts the viewer may see, best first;
    QueryError with a message for a query that cannot be searched."""
    entries = ranked(viewer, query).only("pk", "post_id")
    result = Paginator(entries, RESULTS_PER_PAGE).get_page(page)
    post_ids = [entry.post_id for entry in result.object_list]
    posts = Post.objects.select_related("author", "thread__space__program").in_bulk(post_ids)
    stems = set(words(query))
    result.object_list = [
        Hit(post=posts[post_id], excerpt=excerpt(posts[post_id].body, stems))
        for post_id in post_ids
        if post_id in posts
    ]
    return result
