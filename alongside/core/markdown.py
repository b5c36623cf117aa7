"""The one way text people write becomes HTML: Markdown rendered, then sanitised.

markdown-it runs with raw HTML disabled (so `<script>` in the input stays text) and with
linkify off; nh3 then applies an allow-list of tags, attributes and URL schemes to whatever the
renderer produced, so that a renderer bug cannot become an XSS. Links get rel="nofollow noopener
noreferrer" and never a target. Templates use `{{ text|markdown }}` from core's template tags, or `|markdown_cached` where the
same texts are shown over and over (the posts of a busy thread).
"""

from functools import cache, lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_INPUT_CHARACTERS = 100_000


@cache
def _renderer() -> MarkdownIt:
    # "js-default" is the CommonMark preset with raw HTML off; headings are shifted down in
    # render_markdown so a post can never produce a page-level <h1>/<h2>.
    return MarkdownIt("js-default", {"breaks": True}).enable("strikethrough")


def _shift_headings(html: str) -> str:
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


def render_markdown(text: str) -> SafeString:
    """Render `text` as sanitised HTML that is safe to put on any page."""
    html = _shift_headings(_renderer().render(text[:MAX_INPUT_CHARACTERS]))
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just removed everything not on the allow-list


# Posts of a busy thread are rendered again for every reader; rendering is a third of such a
# page. Kept in this process's memory only (never in Redis: these are decrypted words), for short
# texts, and keyed by the text itself, so an edit can never show stale HTML.
CACHED_TEXTS = 2048
CACHED_TEXT_LIMIT = 8_000


@lru_cache(maxsize=CACHED_TEXTS)
def _render_markdown_cached(text: str) -> SafeString:
    return render_markdown(text)


def render_markdown_cached(text: str) -> SafeString:
    """`render_markdown`, remembered for the last CACHED_TEXTS short texts of this process."""
    if len(text) > CACHED_TEXT_LIMIT:
        return render_markdown(text)
    return _render_markdown_cached(text)
