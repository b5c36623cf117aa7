"""Recovery stories: a member's story, published by a moderator on the program's public story
page only while the member's consent is in force.

A story belongs to its member (`member`), but who wrote an anonymous story must not reach anyone
who reads it: pages, serializers and notifications show `shown_name` (the member's display name,
or an anonymous name generated for the story), and only `alongside.community.stories` reads
`member` to decide anything. The words are about someone's health, so they are encrypted.

Imported at the end of community/models.py, so the models belong to the community app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from alongside.core.encryption import EncryptedTextField

STORY_TITLE_LENGTH = 150
# About five thousand words: a whole story, and still one page to read.
STORY_BODY_LENGTH = 30_000
STORY_NAME_LENGTH = 60
STORY_NOTE_LENGTH = 1000
CONSENT_TEXT_LENGTH = 2000


class PublishAs(models.TextChoices):
    NAME = "name", _("Under my display name")
    ANONYMOUS = "anonymous", _("Anonymously, under a generated name")


class StoryState(models.TextChoices):
    # "story" context: a story is feminine in Spanish, a group ("Not published") masculine.
    DRAFT = "draft", pgettext_lazy("story", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("story", "Waiting for a moderator")
    PUBLISHED = "published", pgettext_lazy("story", "Published")
    DECLINED = "declined", pgettext_lazy("story", "Not published")
    WITHDRAWN = "withdrawn", pgettext_lazy("story", "Withdrawn")


class StoryQuerySet(models.QuerySet["Story"]):
    def with_consent_in_force(self) -> "StoryQuerySet":
        return self.filter(Exists(StoryConsent.objects.in_force().filter(story=OuterRef("pk"))))

    def public(self) -> "StoryQuerySet":
        """Published, with the member's consent in force now: what anyone may read."""
        return self.filter(state=StoryState.PUBLISHED).with_consent_in_force()


class Story(models.Model):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="stories"
    )
    # Read by alongside.community.stories alone: never shown, never serialized.
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = EncryptedTextField(_("title"), max_length=STORY_TITLE_LENGTH)
    body = EncryptedTextField(_("your story"), max_length=STORY_BODY_LENGTH)
    publish_as = models.CharField(
        _("publish as"), max_length=10, choices=PublishAs.choices, default=PublishAs.NAME
    )
    # The name readers see: the member's display name when written, or the generated anonymous
    # name (kept across edits, so the story keeps its name).
    display_name = models.CharField(max_length=STORY_NAME_LENGTH)
    state = models.CharField(max_length=10, choices=StoryState.choices, default=StoryState.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Who published or declined it last, and when: the story's own moderation record.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Why it was not published, in the moderator's words, shown to the member.
    moderator_note = EncryptedTextField(_("note to the writer"), blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["program", "state", "-published_at"], name="community_story_state")
        ]

    def __str__(self) -> str:
        return f"story {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("stories:public_story", args=[self.program.slug, self.pk])

    @property
    def is_anonymous(self) -> bool:
        return self.publish_as == PublishAs.ANONYMOUS

    @property
    def shown_name(self) -> str:
        """The name in the reader's language, like community.Author.shown_name."""
        if self.is_anonymous:
            return gettext("Anonymous %(name)s") % {"name": self.display_name}
        return self.display_name


class StoryConsentQuerySet(models.QuerySet["StoryConsent"]):
    def in_force(self) -> "StoryConsentQuerySet":
        return self.filter(withdrawn_at__isnull=True, replaced_at__isnull=True)


class StoryConsent(models.Model):
    """The member's consent to publishing one story: the exact words they agreed to, when; it
    ends when they withdraw it, or when they agree again to a changed story."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="consents")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=CONSENT_TEXT_LENGTH)
    version = models.PositiveSmallIntegerField()
    publish_as = models.CharField(max_length=10, choices=PublishAs.choices)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(null=True, blank=True)

    objects = StoryConsentQuerySet.as_manager()

    class Meta:
        ordering = ["given_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["story"],
                condition=models.Q(withdrawn_at__isnull=True, replaced_at__isnull=True),
                name="community_story_one_consent_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"consent {self.pk} to story {self.story_id}"
