"""Forms of recovery stories; every error is shown next to its field.

The forms check the shape of what was typed; `stories` checks the rest (consent to submit, the
story's state) and the views put those errors next to the same fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.community.story_models import (
    STORY_BODY_LENGTH,
    STORY_NOTE_LENGTH,
    STORY_TITLE_LENGTH,
    PublishAs,
)


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=STORY_TITLE_LENGTH)
    body = forms.CharField(
        label=_("Your story"),
        max_length=STORY_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("You can use Markdown: **bold**, *italic*, > quote, - lists."),
    )
    publish_as = forms.ChoiceField(
        label=_("Sign it"),
        choices=PublishAs.choices,
        initial=PublishAs.NAME,
        widget=forms.RadioSelect,
        help_text=_(
            "Anonymously: readers and moderators see a generated name, never yours. The crisis "
            "team can still reach you if what you wrote worries them."
        ),
    )
    # Required to submit, not to keep a draft: `stories` decides, the label is the consent text.
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, consent_text: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text

    @property
    def submitting(self) -> bool:
        return self.data.get("intent") != "draft"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("decline", _("Do not publish"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Why not, for the writer"),
        max_length=STORY_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to decline: the writer reads it and can change their story."),
    )
