"""@mentions in posts: "@Sam Lee" or "@Gentle Cedar 11" (an anonymous name) written in a post
tells that person, through `identity`, without the writer learning who stands behind a name.

Names have spaces, so a mention is read as the longest run of up to MAX_WORDS words after "@"
that is the display name of an author who wrote in the same thread or, for a member's own
name, anywhere in the program. Only the first MAX_MENTIONS names of a post count.
"""

import re

from django.db.models import Q

from alongside.community.models import DISPLAY_NAME_LENGTH, Author, Post, Thread

MAX_WORDS = 5
MAX_MENTIONS = 10
_AT = re.compile(r"(?:^|(?<=[\s(>]))@(\S[^\n@]*)")


def candidate_names(body: str) -> list[list[str]]:
    """For each "@" in `body`, the names it may stand for, longest first (pure)."""
    candidates = []
    for match in _AT.finditer(body):
        words = match.group(1).split()[:MAX_WORDS]
        names = []
        for count in range(len(words), 0, -1):
            name = " ".join(words[:count]).rstrip(".,:;!?)")
            if name and len(name) <= DISPLAY_NAME_LENGTH:
                names.append(name)
        if names:
            candidates.append(names)
    return candidates[:MAX_MENTIONS]


def mentioned_authors(thread: Thread, body: str) -> list[Author]:
    """The authors `body` mentions: anonymous names of this thread's writers, members' own names
    in the program; one query."""
    candidates = candidate_names(body)
    if not candidates:
        return []
    wanted = {name for names in candidates for name in names}
    in_thread = Post.objects.filter(thread=thread).values("author_id")
    authors = Author.objects.filter(
        program_id=thread.space.program_id, display_name__in=wanted
    ).filter(Q(is_anonymous=False) | Q(pk__in=in_thread))
    by_name: dict[str, list[Author]] = {}
    for author in authors:
        by_name.setdefault(author.display_name, []).append(author)
    found: list[Author] = []
    for names in candidates:
        for name in names:  # the longest known name wins
            if name in by_name:
                found.extend(a for a in by_name[name] if a not in found)
                break
    return found
