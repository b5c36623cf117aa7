"""The one way text people write becomes HTML: Markdown rendered, then sanitised.

markdown-it runs with raw HTML disabled (so `<script>` in the input stays text) and with
linkify off; nh3 then applies an allow-list of tags, attributes and URL schemes to whatever the
renderer produced, so that a renderer bug cannot become an XSS. Links get rel="nofollow noopener
noreferrer" and never a target. A text made mostly of one slow markup character (thousands
of "[", "*", "_" or "~") gets it literally, since markdown-it needs seconds for such a paste.
Templates use `{{ text|markdown }}` from core's template tags; the thread page keeps each
post's rendered part in memory itself (community/post_list.py).
"""

import re
from functools import cache

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
# markdown-it reads some markup slowly when a text is made of little else: each "[" looks ahead
# for the end of its link label, each "*", "_" or "~" run is weighed against the others. A paste
# of 100,000 of them took 2 to 11 s to render, on every page that shows it. Past this many of
# one of these characters, a text gets that character literally (escaped), so no link,
# emphasis or strike-through is made of it; no post written by hand comes near.
MOST_MARKUP_CHARACTERS = 2_000
SLOW_MARKUP_CHARACTERS = "[*_~"


@cache
def _renderer() -> MarkdownIt:
    # "js-default" is the CommonMark preset with raw HTML off; headings are shifted down in
    # render_markdown so a post can never produce a page-level <h1>/<h2>.
    return MarkdownIt("js-default", {"breaks": True}).enable("strikethrough")


def _shift_headings(html: str) -> str:
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return html


# A markup character with the backslashes before it: an odd number of them escapes it already.
_AFTER_BACKSLASHES = {
    character: re.compile(r"(\\*)" + re.escape(character)) for character in SLOW_MARKUP_CHARACTERS
}


def _escape(match: re.Match[str]) -> str:
    backslashes, character = match[1], match[0][-1]
    return backslashes + character if len(backslashes) % 2 else backslashes + "\\" + character


def _defused(text: str) -> str:
    """Return `text` with each slow markup character it holds too many of escaped."""
    for character, pattern in _AFTER_BACKSLASHES.items():
        if text.count(character) > MOST_MARKUP_CHARACTERS:
            text = pattern.sub(_escape, text)
    return text


def render_markdown(text: str) -> SafeString:
    """Render `text` as sanitised HTML that is safe to put on any page."""
    html = _shift_headings(_renderer().render(_defused(text[:MAX_INPUT_CHARACTERS])))
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just removed everything not on the allow-list
