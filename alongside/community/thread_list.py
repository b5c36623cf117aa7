"""The threads of a space page as HTML, built in Python.

The space page is the community's second busiest page: 25 thread cards, each with a plural, a
"time since", up to five tags and a link. As a template loop they were about a third of the
page's time. Everything here is escaped or a number; the words are the template's own msgids,
so translations carry over.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.community.models import Space, Thread


def render(threads: Iterable[Thread], *, space: Space, signed_in: bool) -> SafeString:
    """The `<li>` card of each thread of `threads` (all of `space`, from `reading.with_reading`
    when the reader is `signed_in`), in order."""
    base = space.get_absolute_url()  # a thread's address is its space's and its number
    tags = {
        "following": _tag(_("Following")),
        "pending": _tag(_("Waiting for approval")),
        "locked": _tag(_("Locked")),
        "hidden": _tag(_("Hidden"), warning=True),
        "not_read": _tag(_("Not read yet"), new=True),
    }
    cards = []
    for thread in threads:
        url = f"{base}{thread.pk}/"
        unread = thread.unread_count
        href = url + thread.unread_anchor() if unread else url
        replies = thread.post_count - 1
        replies_text = ngettext("%(counter)s reply", "%(counter)s replies", replies) % {
            "counter": replies
        }
        active = _("active %(when)s ago") % {"when": timesince(thread.last_post_at)}
        meta = [
            f"<span>{escape(thread.author.shown_name)}</span>",
            f"<span>{escape(replies_text)}</span>",
            f"<span>{escape(active)}</span>",
        ]
        if unread:
            new = ngettext("%(counter)s new", "%(counter)s new", unread) % {"counter": unread}
            meta.append(_tag(new, new=True))
        elif unread is None and signed_in:
            meta.append(tags["not_read"])
        if getattr(thread, "is_following", False):
            meta.append(tags["following"])
        if thread.is_pending:
            meta.append(tags["pending"])
        if thread.is_locked:
            meta.append(tags["locked"])
        if thread.is_hidden:
            meta.append(tags["hidden"])
        cards.append(
            f'<li class="thread-card"><h3 class="thread-card__title">'
            f'<a href="{escape(href)}">{escape(thread.title)}</a></h3>'
            f'<p class="muted thread-card__meta">{" ".join(meta)}</p></li>'
        )
    return mark_safe("".join(cards))  # noqa: S308 - every value above is escaped or a number


def _tag(text: str, *, new: bool = False, warning: bool = False) -> str:
    modifier = " tag--new" if new else " tag--warning" if warning else ""
    return f'<span class="tag{modifier}">{escape(text)}</span>'
