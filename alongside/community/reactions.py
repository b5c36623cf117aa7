"""Reactions: a member says "me too", sends support or thanks on a post.

Readers see how many of each a post has and which ones they gave themselves, never who else
reacted. The writer is told (once while the news is unread), through `identity`, so reacting to
an anonymous post tells its writer without anyone learning who they are.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


def counts_for(post_ids) -> dict[int, dict[str, int]]:
    """How many reactions of each kind each post has, in one query."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Reaction.objects.filter(post_id__in=list(post_ids))
        .values("post_id", "kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["post_id"]][row["kind"]] = row["count"]
    return counts


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
    thread page and the API show under a post (two queries for a whole page)."""
    ids = [post.pk for post in posts]
    counts, mine = counts_for(ids), given_by(user, ids)
    labels = [(kind, str(label)) for kind, label in ReactionKind.choices]  # translated once
    return {
        post_id: [
            {
                "kind": kind,
                "label": label,
                "count": counts.get(post_id, {}).get(kind, 0),
                "mine": (post_id, kind) in mine,
            }
            for kind, label in labels
        ]
        for post_id in ids
    }


def url_for(post: Post) -> str:
    space = post.thread.space
    return reverse(
        "community:react", args=[space.program.slug, space.slug, post.thread_id, post.pk]
    )


def bar_html(post: Post, bar: list[dict], *, react_url: str, own: bool, csrf: str) -> SafeString:
    """The reaction bar under a post: counts only on your own post, else one form with a button
    per reaction (pressed when you gave it; pressing it again takes it back).

    Built here rather than in a template: a thread page has 50 of them, and as an included
    template they were a sixth of the page's time. The htmx answer uses the same function.
    `csrf` is the request's token (`get_token`, masked anew at each call: ask once a page)."""
    if own:
        counts = format_html_join(
            "",
            '<span class="reaction reaction--count">{} · {}</span>',
            ((item["label"], item["count"]) for item in bar if item["count"]),
        )
        return format_html('<div class="reactions" id="reactions-{}">{}</div>', post.pk, counts)
    buttons = format_html_join(
        "",
        '<button type="submit" name="kind" value="{}" class="reaction{}" aria-pressed="{}">'
        "{}{}</button>",
        (
            (
                item["kind"],
                " reaction--mine" if item["mine"] else "",
                "true" if item["mine"] else "false",
                item["label"],
                f" · {item['count']}" if item["count"] else "",
            )
            for item in bar
        ),
    )
    return format_html(
        '<div class="reactions" id="reactions-{pk}"><form method="post" action="{url}" '
        'hx-post="{url}" hx-target="#reactions-{pk}" hx-swap="outerHTML">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">{buttons}</form></div>',
        pk=post.pk,
        url=react_url,
        token=csrf,
        buttons=buttons,
    )
