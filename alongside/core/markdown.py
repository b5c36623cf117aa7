"""The one way text people write becomes HTML: Markdown rendered, then sanitised.

markdown-it runs with raw HTML disabled (so `<script>` in the input stays text) and with
linkify off; nh3 then applies an allow-list of tags, attributes and URL schemes to whatever the
renderer produced, so that a renderer bug cannot become an XSS. Links get rel="nofollow noopener
noreferrer" and never a target. Templates use `{{ text|markdown }}` from core's template tags;
the thread page keeps each post's rendered part in memory itself (community/post_list.py).
"""

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
