"""Forms of the community; every error is shown next to its field.

The forms check the shape of what was typed; the actions check the rest (a locked thread, a
quote from elsewhere) and the views put those errors next to the same fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.community.models import BODY_LENGTH, REVEAL_REASON_LENGTH, TITLE_LENGTH

ANONYMOUS_HELP = _(
    "Other members, supporters and staff see an anonymous name instead of yours. For safety, "
    "a moderator can find out who wrote an anonymous post, only by recording a reason."
)


class BodyField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Message"))
        super().__init__(
            max_length=BODY_LENGTH,
            widget=forms.Textarea(attrs={"rows": 6}),
            help_text=_("You can use Markdown: **bold**, *italic*, > quote, - lists."),
            **kwargs,
        )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_LENGTH)
    body = BodyField()
    anonymous = forms.BooleanField(
        label=_("Post anonymously"), required=False, help_text=ANONYMOUS_HELP
    )


class ReplyForm(forms.Form):
    body = BodyField(label=_("Your reply"))
    anonymous = forms.BooleanField(
        label=_("Post anonymously"), required=False, help_text=ANONYMOUS_HELP
    )
    quote = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EditPostForm(forms.Form):
    body = BodyField()


class PreferenceForm(forms.Form):
    persistent_pseudonym = forms.BooleanField(
        label=_("Keep one anonymous name in this program"),
        required=False,
        help_text=_(
            "Off: each anonymous post gets a new name, so nobody can tell two of them come from "
            "the same person. On: your anonymous posts share one name (still not yours)."
        ),
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to know who wrote this?"),
        max_length=REVEAL_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The program's coordinators are told and read your reason. Reveal a writer only "
            "for someone's safety or a serious breach of the rules."
        ),
    )
