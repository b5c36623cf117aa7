"""Community spaces, threads and posts, written under author records.

A post or thread points to an `Author`, never to a user: an author is a display name in a
program, anonymous or not. Which user stands behind an author is kept in a table of its own
that only `alongside.community.identity` reads or writes, so no page, serializer or cache key built
from a post can reach the person who wrote it anonymously (Discourse's shadow users).

Titles and posts can be about someone's health, so their words are encrypted at rest.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.core.encryption import EncryptedTextField

TITLE_LENGTH = 150
BODY_LENGTH = 20_000
DISPLAY_NAME_LENGTH = 60
POSTS_PER_PAGE = 50


class SpaceKind(models.TextChoices):
    GENERAL = "general", _("General")
    INTRODUCTIONS = "introductions", _("Introductions")
    CELEBRATIONS = "celebrations", _("Celebrations")
    AREA = "area", _("Area of concern")


RESERVED_SPACE_SLUGS = ("search",)


class Space(models.Model):
    """A forum of a program: open to all its members, or to one group's members only."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="community_spaces"
    )
    slug = models.SlugField(_("address name"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=160, blank=True)
    kind = models.CharField(max_length=20, choices=SpaceKind.choices, default=SpaceKind.GENERAL)
    area = models.ForeignKey(
        "core.AreaOfConcern", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set: only the group's approved members, its facilitators, and the program's coordinators
    # and moderators see the space.
    group = models.ForeignKey(
        "groups.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="community_spaces",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "slug"], name="community_space_slug_unique"),
            # "/community/<program>/search/" is the search page: a space of that name would
            # never be reached.
            models.CheckConstraint(
                condition=~models.Q(slug__in=RESERVED_SPACE_SLUGS),
                name="community_space_slug_not_reserved",
                violation_error_message=_("This address name is reserved. Choose another."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:space", args=[self.program.slug, self.slug])


class Author(models.Model):
    """A name posts are shown under in one program: a member's own, or an anonymous one.

    There is deliberately no link to the user here: see alongside.community.identity."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    display_name = models.CharField(max_length=DISPLAY_NAME_LENGTH)
    is_anonymous = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """The name in the reader's language: "Anonymous" is added when shown, not stored, so
        the stored name says nothing of the language its writer uses."""
        if self.is_anonymous:
            return gettext("Anonymous %(name)s") % {"name": self.display_name}
        return self.display_name


class AuthorOwner(models.Model):
    """Who stands behind an author. Read and written only by alongside.community.identity."""

    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The member's one author of this kind in the program, used again for each post: their own
    # name, or the anonymous name they chose to keep.
    is_reused = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["user", "is_reused"], name="community_owner_reused")]

    def __str__(self) -> str:
        return f"owner of author {self.author_id}"


class CommunityPreference(models.Model):
    """A member's choices for the community of one program."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    persistent_pseudonym = models.BooleanField(
        _("Keep one anonymous name"),
        default=False,
        help_text=_(
            "Your anonymous posts in this program appear under one name, so readers can tell "
            "they come from the same person (but not who you are)."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="community_preference_unique")
        ]

    def __str__(self) -> str:
        return f"community preferences {self.pk}"


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible(self) -> "ThreadQuerySet":
        return self.filter(is_hidden=False, is_pending=False)


class Thread(models.Model):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    title = EncryptedTextField(_("title"), max_length=TITLE_LENGTH)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_post_at = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField(default=0)
    is_locked = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    # Its opening post waits for a moderator's approval (a new member's first post).
    is_pending = models.BooleanField(default=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["space", "-last_post_at"], name="community_thread_activity")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        space = self.space
        return reverse("community:thread", args=[space.program.slug, space.slug, self.pk])

    @property
    def page_count(self) -> int:
        return max(1, -(-self.post_count // POSTS_PER_PAGE))

    @property
    def unread_count(self) -> int | None:
        """Posts after the last one the reader saw (counting ones hidden from them), or None
        when they never opened the thread or nobody asked (`reading.with_reading` sets
        `last_read_number` on listed threads)."""
        last_read = getattr(self, "last_read_number", None)
        if last_read is None:
            return None
        return max(0, self.post_count - last_read)

    def unread_anchor(self) -> str:
        """The page and post of the first post the reader has not seen, to follow the thread's
        address (`reading.with_reading` sets `last_read_number`)."""
        number = min((getattr(self, "last_read_number", None) or 0) + 1, self.post_count)
        page = (number - 1) // POSTS_PER_PAGE + 1
        return f"?page={page}#post-{number}"


class PostQuerySet(models.QuerySet["Post"]):
    def visible(self) -> "PostQuerySet":
        return self.filter(is_hidden=False, is_pending=False)

    def on_page(self, page: int) -> "PostQuerySet":
        """The posts numbered for `page` (1-based): a range on the (thread, number) index, so a
        late page of a long thread is as quick as the first."""
        first = (page - 1) * POSTS_PER_PAGE + 1
        return self.filter(number__gte=first, number__lt=first + POSTS_PER_PAGE)


class Post(models.Model):
    """One post of a thread; number 1 opens it, replies follow without gaps."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("message"), max_length=BODY_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)
    # Waits for a moderator's approval: seen by its writer and the moderators only.
    is_pending = models.BooleanField(default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "number"], name="community_post_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}?page={self.page}#post-{self.number}"

    @property
    def page(self) -> int:
        return (self.number - 1) // POSTS_PER_PAGE + 1


class PostRevision(models.Model):
    """A post's words before an edit, kept for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = EncryptedTextField(max_length=BODY_LENGTH)
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["edited_at"]

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


REVEAL_REASON_LENGTH = 1000


class AuthorReveal(models.Model):
    """A moderator finding out who wrote an anonymous post, and why: shown to the program's
    coordinators, and written to the access log. Who was revealed is not stored here."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("community.Post", on_delete=models.CASCADE, related_name="reveals")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = EncryptedTextField(_("Why you need to know"), max_length=REVEAL_REASON_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"reveal of post {self.post_id} at {self.created_at}"


class CommunitySettings(models.Model):
    """How one program runs its community; created on first use with the defaults."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="community_settings"
    )
    approve_first_posts = models.BooleanField(
        _("Approve new members' first posts"),
        default=False,
        help_text=_(
            "A member's posts wait for a moderator until one of them has been approved; "
            "the writer sees theirs at once. Staff are never held."
        ),
    )

    class Meta:
        verbose_name = _("community settings")
        verbose_name_plural = _("community settings")

    def __str__(self) -> str:
        return f"community settings of {self.program_id}"


class ReportReason(models.TextChoices):
    AT_RISK = "at_risk", _("Someone may be at risk of harm")
    UNKIND = "unkind", _("Unkind, harassing or hateful")
    IDENTIFIES = "identifies", _("Shares who someone is or their private details")
    UNSAFE_ADVICE = "unsafe_advice", _("Unsafe advice (medication, using, stopping treatment)")
    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("In the wrong place")
    OTHER = "other", _("Something else")


NOTE_LENGTH = 1000


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> "ReportQuerySet":
        return self.filter(resolved_at__isnull=True)


class Report(models.Model):
    """A member telling the moderators a post needs a look. Moderators see the reason and the
    words, not who reported (so nobody is punished for it)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("What is wrong"), max_length=20, choices=ReportReason.choices)
    # Written about someone's post, and may say something about the reporter's health too.
    details = EncryptedTextField(_("Anything the moderators should know"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open report per person and post: reporting again adds nothing to the queue.
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="community_report_open_unique",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "post"], name="community_report_open")]

    def __str__(self) -> str:
        return f"report of post {self.post_id}"


class ActionKind(models.TextChoices):
    HIDE_POST = "hide_post", _("Hid a post")
    RESTORE_POST = "restore_post", _("Restored a post")
    APPROVE_POST = "approve_post", _("Approved a post")
    DISMISS_REPORTS = "dismiss_reports", _("Dismissed the reports of a post")
    HIDE_THREAD = "hide_thread", _("Hid a thread")
    RESTORE_THREAD = "restore_thread", _("Restored a thread")
    LOCK_THREAD = "lock_thread", _("Locked a thread")
    UNLOCK_THREAD = "unlock_thread", _("Unlocked a thread")
    MOVE_THREAD = "move_thread", _("Moved a thread")
    WARN = "warn", _("Warned a writer")
    SUSPEND = "suspend", _("Suspended a writer")
    END_SUSPENSION = "end_suspension", _("Ended a suspension")


# What the writer is told about, on their notices page and by a notification.
ACTIONS_TOLD_TO_WRITER = frozenset(
    {
        ActionKind.HIDE_POST,
        ActionKind.HIDE_THREAD,
        ActionKind.APPROVE_POST,
        ActionKind.WARN,
        ActionKind.SUSPEND,
        ActionKind.END_SUSPENSION,
    }
)


class ModerationAction(models.Model):
    """One thing a moderator did, for the log every moderator and coordinator reads. A writer
    is named by the author they wrote under, never by who they are."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Why, in the moderator's words; a warning's or suspension's note is shown to the writer.
    note = EncryptedTextField(_("Note"), blank=True)
    # Facts of the action: the spaces of a move, a suspension's days and end.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "-created_at"], name="community_action_log")]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at}"


class Suspension(models.Model):
    """A member kept from writing in a program's community until a time. It names the real
    person, so like the owners of authors it is read and written only by community.identity;
    moderators see the author it was imposed through (`action.author`)."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.OneToOneField(ModerationAction, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "program", "until"], name="community_suspended")]

    def __str__(self) -> str:
        return f"suspension {self.pk} until {self.until}"


class ReactionKind(models.TextChoices):
    ME_TOO = "me_too", _("Me too")
    SUPPORT = "support", _("Sending support")
    THANKS = "thanks", _("Thank you")


class Reaction(models.Model):
    """A member's "me too" or support on a post. Pages show counts only, never who reacted:
    a reaction tells the writer they are not alone without making the reader known."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user", "kind"], name="community_reaction_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


class ThreadReader(models.Model):
    """Where a member got to in a thread (unread markers) and whether they follow it (told of
    replies). Private to the member; a writer follows their own threads and replies."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="readers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_number = models.PositiveIntegerField(default=0)
    is_following = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="community_reader_unique")
        ]
        indexes = [
            models.Index(fields=["thread", "is_following"], name="community_reader_following")
        ]

    def __str__(self) -> str:
        return f"reader of thread {self.thread_id}"


from alongside.community.search_index import SearchEntry  # noqa: E402,F401  (registers the model)
from alongside.community.story_models import Story, StoryConsent  # noqa: E402,F401  (registers the models)
