"""Reactions: a member says "me too", sends support or thanks on a post.

Readers see how many of each a post has and which ones they gave themselves, never who else
reacted. The writer is told (once while the news is unread), through `identity`, so reacting to
an anonymous post tells its writer without anyone learning who they are.
"""

from html import escape

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from alongside.community import access, identity, kinds, moderation
from alongside.community.models import Post, Reaction, ReactionKind


@transaction.atomic
def react(actor, *, post: Post, kind: str) -> bool:
    """Add the actor's reaction `kind` to `post` (again is harmless); False when it was already
    there. ValidationError for an unknown kind, your own post, or while your posting is paused."""
    program = post.thread.space.program
    viewer = access.viewer_in(actor, program.slug)
    access.get_post_by_id(viewer, post.pk)
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": _("Choose a reaction.")})
    if identity.is_owner(actor, post.author):
        raise ValidationError({"kind": _("You can't react to your own post.")})
    moderation.refuse_if_suspended(actor, program, field="kind")
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=actor, kind=kind)
    except IntegrityError:
        return False
    identity.tell_writer(
        post.author,
        kind=kinds.REACTION,
        title=_("Someone reacted to your post in the community"),
        url=post.get_absolute_url(),
        program=program,
        unless_unread=True,
    )
    return True


@transaction.atomic
def unreact(actor, *, post: Post, kind: str) -> bool:
    """Take back the actor's reaction `kind` on `post`; False when there was none."""
    viewer = access.viewer_in(actor, post.thread.space.program.slug)
    access.get_post_by_id(viewer, post.pk)
    deleted, _kinds = Reaction.objects.filter(post=post, user=actor, kind=kind).delete()
    return bool(deleted)


def given_by(user, post_ids) -> set[tuple[int, str]]:
    """The (post id, kind) reactions `user` gave among `post_ids`, in one query."""
    if not user.is_authenticated:
        return set()
    return set(
        Reaction.objects.filter(user=user, post_id__in=list(post_ids)).values_list(
            "post_id", "kind"
        )
    )


def reaction_bars(user, posts) -> dict[int, list[dict]]:
    """For each post, its reactions in order with count and whether `user` gave it: what the
    thread page and the API show under a post (one query for a whole page)."""
    ids = [post.pk for post in posts]
    # Counted together: a page is 50 posts, and a second query for the reader's own was a
    # twelfth of the thread page's queries.
    given = Q(user_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    rows = (
        Reaction.objects.filter(post_id__in=ids)
        .values("post_id", "kind")
        .annotate(count=Count("id"), mine=Count("id", filter=given))
        .order_by()
    )
    found = {(row["post_id"], row["kind"]): row for row in rows}
    labels = [(kind, str(label)) for kind, label in ReactionKind.choices]  # translated once
    none = {"count": 0, "mine": 0}
    return {
        post_id: [
            {
                "kind": kind,
                "label": label,
                "count": found.get((post_id, kind), none)["count"],
                "mine": bool(found.get((post_id, kind), none)["mine"]),
            }
            for kind, label in labels
        ]
        for post_id in ids
    }


def bar_html(post: Post, bar: list[dict], *, react_url: str, own: bool, csrf: str) -> SafeString:
    """The reaction bar under a post: counts only on your own post, else one form with a button
    per reaction (pressed when you gave it; pressing it again takes it back).

    Built here rather than in a template, and with plain string formatting rather than
    format_html: a thread page has 50 of them (as an included template they were a sixth of the
    page's time). Every value is escaped or a number. The htmx answer uses the same function.
    `csrf` is the request's token (`get_token`, masked anew at each call: ask once a page)."""
    if own:
        counts = "".join(
            f'<span class="reaction reaction--count">{escape(item["label"])} · {item["count"]}</span>'
            for item in bar
            if item["count"]
        )
        return mark_safe(f'<div class="reactions" id="reactions-{post.pk}">{counts}</div>')  # noqa: S308
    buttons = "".join(_button(item) for item in bar)
    url = escape(react_url)
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        f'<div class="reactions" id="reactions-{post.pk}"><form method="post" action="{url}" '
        f'hx-post="{url}" hx-target="#reactions-{post.pk}" hx-swap="outerHTML">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf)}">{buttons}</form></div>'
    )


def _button(item: dict) -> str:
    mine = item["mine"]
    count = f" · {item['count']}" if item["count"] else ""
    return (
        f'<button type="submit" name="kind" value="{escape(item["kind"])}"'
        f' class="reaction{" reaction--mine" if mine else ""}"'
        f' aria-pressed="{"true" if mine else "false"}">{escape(item["label"])}{count}</button>'
    )
