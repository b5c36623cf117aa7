"""Where each member got to in each thread, and which threads they follow.

- Opening a page of a thread marks it read up to the last post on that page; the thread page
  marks where the new posts start, and the space page says how many are new since.
- Following a thread brings a notification for each new reply (see `tasks`). Starting a thread
  or replying follows it; a member can stop following at any time.

Nothing here is shown to anyone but the member it is about.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone

from alongside.community.models import Thread, ThreadReader


def reader_of(user, thread: Thread) -> ThreadReader | None:
    if not user.is_authenticated:
        return None
    return ThreadReader.objects.filter(thread=thread, user=user).first()


def mark_read(user, thread: Thread, *, up_to: int, reader: ThreadReader | None) -> None:
    """Record that `user` has read `thread` up to post number `up_to` (never backwards).
    `reader` is their state as read before the page was built (None: not read yet)."""
    if not user.is_authenticated or up_to <= 0:
        return
    if reader is None:
        try:
            with transaction.atomic():
                ThreadReader.objects.create(thread=thread, user=user, last_read_number=up_to)
            return
        except IntegrityError:
            pass  # opened twice at once: the other request created it
    elif reader.last_read_number >= up_to:
        return
    ThreadReader.objects.filter(thread=thread, user=user).update(
        last_read_number=Greatest(F("last_read_number"), up_to), updated_at=timezone.now()
    )


def set_following(user, thread: Thread, *, following: bool) -> None:
    """Follow `thread` (be told of replies) or stop following it."""
    updated = ThreadReader.objects.filter(thread=thread, user=user).update(
        is_following=following, updated_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                ThreadReader.objects.create(thread=thread, user=user, is_following=following)
        except IntegrityError:
            ThreadReader.objects.filter(thread=thread, user=user).update(is_following=following)


def follow_what_you_write(user, thread: Thread, *, number: int) -> None:
    """A writer follows the thread they wrote in (again, if they had stopped: they are back in
    the conversation) and has read it up to their own post."""
    reader = ThreadReader.objects.filter(thread=thread, user=user).first()
    if reader is None:
        try:
            with transaction.atomic():
                ThreadReader.objects.create(
                    thread=thread, user=user, is_following=True, last_read_number=number
                )
        except IntegrityError:
            pass
        return
    ThreadReader.objects.filter(pk=reader.pk).update(
        is_following=True,
        last_read_number=Greatest(F("last_read_number"), number),
        updated_at=timezone.now(),
    )


def with_reading(threads: QuerySet[Thread], user) -> QuerySet[Thread]:
    """`threads` with `last_read_number` (None: never opened) and `is_following` for `user`,
    inside the same query."""
    if not user.is_authenticated:
        return threads
    mine = ThreadReader.objects.filter(thread=OuterRef("pk"), user=user)
    return threads.annotate(
        last_read_number=Subquery(mine.values("last_read_number")[:1]),
        is_following=Subquery(mine.values("is_following")[:1]),
    )


def followers_of(thread: Thread) -> QuerySet:
    """The ids of the users following `thread`."""
    return ThreadReader.objects.filter(thread=thread, is_following=True).values_list(
        "user_id", flat=True
    )
