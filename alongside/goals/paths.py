"""The writing paths of goals, registered from GoalsConfig.ready: every word a member writes here
is screened by `alongside.safety.actions.screen_writing` where it is saved."""

from django.utils.translation import gettext_lazy as _

from alongside.safety.writing import register_writing_path

GOAL = "goals.goal"
MILESTONE = "goals.milestone"
PROGRESS_UPDATE = "goals.progress_update"
COMMENT = "goals.comment"


def register() -> None:
    register_writing_path(
        GOAL,
        label=_("A goal"),
        fields=("goals.Goal.what", "goals.Goal.why", "goals.Goal.how_measured"),
    )
    register_writing_path(MILESTONE, label=_("A step of a goal"), fields=("goals.Milestone.title",))
    register_writing_path(
        PROGRESS_UPDATE, label=_("Progress on a goal"), fields=("goals.ProgressUpdate.text",)
    )
    register_writing_path(COMMENT, label=_("A comment on a goal"), fields=("goals.Comment.text",))
