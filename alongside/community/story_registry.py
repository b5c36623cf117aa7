"""The writing path and notification kinds of recovery stories.

Registered when the story models load (community/models.py imports them), so they exist wherever
the models do; both registries accept the same definition twice.
"""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.registry import register_kind
from alongside.safety.writing import register_writing_path

STORY_PATH = "community.story"
STORY_TO_REVIEW = "community.story_to_review"
STORY_DECIDED = "community.story_decided"


def register() -> None:
    register_writing_path(
        STORY_PATH,
        label=_("A recovery story"),
        fields=("community.Story.title", "community.Story.body"),
    )
    register_kind(
        STORY_TO_REVIEW,
        label=_("Stories to review"),
        description=_("When a member of a program you moderate submits a recovery story."),
        email_default=True,
    )
    register_kind(
        STORY_DECIDED,
        label=_("Your stories"),
        description=_("When your recovery story is published, not published, or taken down."),
        email_default=True,
    )
