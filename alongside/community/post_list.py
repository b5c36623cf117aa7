"""The posts of a thread page as HTML, built in Python, each post's shared part kept in memory.

The page of a long thread is the busiest page of the community: 50 posts, read again and again
by everyone in the space. As a template loop it was half of the page's time, and decrypting the
50 bodies a good part of the rest. A post is made of two kinds of parts:

- what every reader sees alike: its heading (name, number, time, tags) and its body as sanitised
  HTML. Built once in this process and kept (`SHARED_PARTS` of them, `SHARED_PARTS_CHARS`
  characters at most), under a key that holds
  everything the part is made of: the post, a digest of its stored body (the ciphertext, so
  any change of the words, edit or erasure, is a new key), its flags, its author's shown name,
  the reader's language and time zone, and whether the reader moderates (then "edited" links
  to the history). A post shown before is not decrypted again: the page asks the database for
  the bodies of the posts it has not kept, in one query.
- what is the reader's own, built for each page: the unread divider, the reaction bar (their
  pressed buttons), and the actions (Edit on their own posts, Report on others', moderator tools
  with the request's CSRF token).

Kept in this process's memory only, never in Redis: the parts hold decrypted words.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from datetime import datetime

from django.db.models import CharField, QuerySet
from django.db.models.functions import MD5
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name, localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alongside.community import reactions
from alongside.community.models import Post, Thread
from alongside.core.markdown import render_markdown

SHARED_PARTS = 4096
# Posts may be 100 kB long: bounded by size too, so that a run of the longest cannot fill a worker.
SHARED_PARTS_CHARS = 8_000_000


class BoundedCache:
    """The most recently used values by key, at most `size` of them and `chars` characters in all;
    safe to share between threads."""

    def __init__(self, size: int, chars: int) -> None:
        self.size = size
        self.chars = chars
        self._values: OrderedDict[Hashable, str] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: str) -> None:
        if len(value) > self.chars:
            return
        with self._lock:
            replaced = self._values.get(key)
            if replaced is not None:
                self._held -= len(replaced)
            self._values[key] = value
            self._values.move_to_end(key)
            self._held += len(value)
            while len(self._values) > self.size or self._held > self.chars:
                _, dropped = self._values.popitem(last=False)
                self._held -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._held = 0


_shared_parts = BoundedCache(SHARED_PARTS, SHARED_PARTS_CHARS)


def for_page(posts: QuerySet[Post]) -> QuerySet[Post]:
    """`posts` as `render` needs them: bodies left in the database, a digest of each instead."""
    # A plain text digest: with the field's own type, the digest would be "decrypted" on reading.
    return posts.defer("body").annotate(body_digest=MD5("body", output_field=CharField()))


def render(
    posts: Sequence[Post],
    *,
    thread: Thread,
    page_number: int,
    own: Collection[int],
    first_unread: int | None,
    is_moderator: bool,
    bars: Mapping[int, list[dict]],
    csrf: str,
    next_url: str,
) -> SafeString:
    """The `<li>` of each post of `posts` (from `for_page`), in order, for one reader.

    `own`: the author ids that are the reader's; `bars`: each post's reactions
    for them (`reactions.reaction_bars`);
    `next_url`: where moderator actions return to (this page)."""
    links = _Links(thread, page_number)
    # The thread's path too: a moderator's "edited" link goes through it, and a thread can move.
    context = (get_language(), get_current_timezone_name(), is_moderator, links.posts)
    keys = [_key(post, context) for post in posts]
    shared = [_shared_parts.get(key) for key in keys]
    missing = [post.pk for post, part in zip(posts, shared, strict=True) if part is None]
    bodies = dict(Post.objects.filter(pk__in=missing).values_list("pk", "body")) if missing else {}
    labels = _Labels()
    html: list[str] = []
    for post, key, part in zip(posts, keys, shared, strict=True):
        if part is None:
            part = _shared_part(post, bodies[post.pk], links.posts, is_moderator, labels)
            _shared_parts.put(key, part)
        if post.number == first_unread:
            html.append(f'<li class="unread-divider" id="new"><span>{labels.new}</span></li>')
        html.append(part)
        html.append(
            reactions.bar_html(
                post,
                bars[post.pk],
                react_url=f"{links.posts}{post.pk}/react/",
                own=post.author_id in own,
                csrf=csrf,
            )
        )
        html.append(
            _actions(
                post,
                is_locked=thread.is_locked,
                is_own=post.author_id in own,
                is_moderator=is_moderator,
                csrf=csrf,
                next_url=next_url,
                links=links,
                labels=labels,
            )
        )
        html.append("</article></li>")
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped or sanitised


def forget_all() -> None:
    """Drop every kept part (tests; nothing else needs to: keys change with what they show)."""
    _shared_parts.clear()


def _key(post: Post, context: tuple) -> tuple:
    author = post.author
    return (
        post.pk,
        post.body_digest,  # type: ignore[attr-defined]
        post.number,
        post.created_at,
        post.edited_at,
        post.is_hidden,
        post.is_pending,
        author.display_name,
        author.is_anonymous,
        *context,
    )


class _Labels:
    """The words of a post's frame, translated once a page rather than once a post."""

    def __init__(self) -> None:
        self.anonymous = escape(_("Anonymous"))
        self.edited = escape(_("edited"))
        self.hidden = escape(_("Hidden"))
        self.waiting = escape(_("Waiting for approval"))
        self.new = escape(_("New since your last visit"))
        self.quote = escape(_("Quote"))
        self.edit = escape(_("Edit"))
        self.report = escape(_("Report"))
        self.approve = escape(_("Approve"))
        self.restore = escape(_("Restore"))
        self.hide = escape(_("Hide"))
        self.warn = escape(_("Warn or pause"))
        self.reveal = escape(_("Who wrote this?"))


def _shared_part(
    post: Post, body: str, posts_path: str, is_moderator: bool, labels: _Labels
) -> str:
    """From the post's `<li>` to the end of its body: the same for every reader in `context`."""
    number = post.number
    classes = "post"
    if post.is_hidden:
        classes += " post--hidden"
    if post.is_pending:
        classes += " post--pending"
    created: datetime = localtime(post.created_at)
    parts = [
        f'<li id="post-{number}" class="{classes}">'
        f'<article aria-labelledby="post-{number}-author">'
        f'<header class="post__meta">'
        f'<strong id="post-{number}-author">{escape(post.author.shown_name)}</strong>'
    ]
    if post.author.is_anonymous:
        parts.append(f' <span class="tag">{labels.anonymous}</span>')
    parts.append(
        f' <a class="muted" href="#post-{number}">#{number}</a>'
        f' <time class="muted" datetime="{created.isoformat()}">'
        f"{escape(formats.date_format(created, 'DATETIME_FORMAT'))}</time>"
    )
    if post.edited_at:
        if is_moderator:
            parts.append(
                f' <a class="muted" href="{posts_path}{post.pk}/history/">{labels.edited}</a>'
            )
        else:
            parts.append(f' <span class="muted">{labels.edited}</span>')
    if post.is_hidden:
        parts.append(f' <span class="tag tag--warning">{labels.hidden}</span>')
    if post.is_pending:
        parts.append(f' <span class="tag">{labels.waiting}</span>')
    parts.append(f'</header><div class="post__body">{render_markdown(body)}</div>')
    return "".join(parts)


class _Links:
    """The URLs under a page's posts, each reversed once a page: `reverse` for every post of 50
    was a sizeable part of the page."""

    def __init__(self, thread: Thread, page_number: int) -> None:
        program_slug = thread.space.program.slug
        self.posts = thread.get_absolute_url() + "posts/"
        self.page_number = page_number
        self.report = _by_post("community:report", program_slug)
        self.moderate = _by_post("community:moderate_post", program_slug)
        self.moderate_writer = _by_post("community:moderate_writer", program_slug)
        self.reveal = _by_post("community:reveal", program_slug)


def _by_post(name: str, program_slug: str) -> Callable[[int], str]:
    """`reverse(name, args=[program_slug, post_id])` for any post id, reversed once."""
    head, tail = reverse(name, args=[program_slug, 0]).rsplit("/0/", 1)
    return lambda post_id: f"{head}/{post_id}/{tail}"


def _actions(
    post: Post,
    *,
    is_locked: bool,
    is_own: bool,
    is_moderator: bool,
    csrf: str,
    next_url: str,
    links: _Links,
    labels: _Labels,
) -> str:
    """The reader's links and buttons under a post."""
    parts = ['<p class="post__actions">']
    if not is_locked:
        parts.append(
            f'<a href="?page={links.page_number}&amp;quote={post.pk}#reply">{labels.quote}</a> '
        )
    if is_own:
        parts.append(f'<a href="{links.posts}{post.pk}/edit/">{labels.edit}</a> ')
    else:
        parts.append(f'<a href="{links.report(post.pk)}">{labels.report}</a> ')
    if is_moderator:
        buttons = []
        if post.is_pending:
            buttons.append(("approve", labels.approve))
        buttons.append(("restore", labels.restore) if post.is_hidden else ("hide", labels.hide))
        parts.append(
            f'<form method="post" action="{links.moderate(post.pk)}">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf)}">'
            f'<input type="hidden" name="next" value="{escape(next_url)}#post-{post.number}">'
        )
        parts.extend(
            f'<button type="submit" name="action" value="{action}" class="button--link">{label}</button>'
            for action, label in buttons
        )
        parts.append("</form>")
        if not is_own:
            parts.append(f' <a href="{links.moderate_writer(post.pk)}">{labels.warn}</a>')
        if post.author.is_anonymous:
            parts.append(f' <a href="{links.reveal(post.pk)}">{labels.reveal}</a>')
    parts.append("</p>")
    return "".join(parts)
