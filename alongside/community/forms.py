"""Forms of the community; every error is shown next to its field.

The forms check the shape of what was typed; the actions check the rest (a locked thread, a
quote from elsewhere) and the views put those errors next to the same fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.community.models import (
    BODY_LENGTH,
    NOTE_LENGTH,
    REVEAL_REASON_LENGTH,
    TITLE_LENGTH,
    CommunitySettings,
    ReportReason,
    Space,
)
from alongside.community.moderation import SUSPENSION_DAYS

ANONYMOUS_HELP = _(
    "Other members, supporters and staff see an anonymous name instead of yours. For safety, "
    "a moderator can find out who wrote an anonymous post, only by recording a reason; and if "
    "what you write suggests you are in danger, the people on call are told who you are so "
    "they can reach you."
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


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The writer is not told who reported the post."),
    )


class NoteField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Note for the log (optional)"))
        kwargs.setdefault("required", False)
        super().__init__(max_length=NOTE_LENGTH, widget=forms.Textarea(attrs={"rows": 2}), **kwargs)


POST_ACTIONS = {
    "hide": _("Hide"),
    "restore": _("Restore"),
    "approve": _("Approve"),
    "dismiss": _("Dismiss the reports"),
}


class PostActionForm(forms.Form):
    action = forms.ChoiceField(choices=list(POST_ACTIONS.items()), widget=forms.HiddenInput)
    note = NoteField(help_text=_("A hidden post's writer reads this note."))


THREAD_ACTIONS = {
    "hide": _("Hide the thread"),
    "restore": _("Restore the thread"),
    "lock": _("Lock the thread"),
    "unlock": _("Unlock the thread"),
    "move": _("Move the thread"),
}


class ThreadActionForm(forms.Form):
    # A blank first choice: hiding a thread is never what the form does by default.
    action = forms.ChoiceField(label=_("What to do"), choices=[("", "—"), *THREAD_ACTIONS.items()])
    space = forms.ModelChoiceField(
        label=_("Move to"), queryset=Space.objects.none(), required=False
    )
    note = NoteField()

    def __init__(self, *args, spaces=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if spaces is not None:
            space_field = self.fields["space"]
            assert isinstance(space_field, forms.ModelChoiceField)
            space_field.queryset = spaces

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("action") == "move" and not cleaned.get("space"):
            self.add_error("space", _("Choose the space to move the thread to."))
        return cleaned


WRITER_ACTIONS = {
    "warn": _("Send a warning"),
    "suspend": _("Pause their posting"),
    "end": _("Let them post again"),
}


def _suspension_choices() -> list[tuple[int | str, str]]:
    # A blank first choice: a pause's length is chosen on purpose, never by default.
    lengths = [(days, ngettext("%d day", "%d days", days) % days) for days in SUSPENSION_DAYS]
    return [("", "—"), *lengths]


class WriterActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("What to do"), choices=list(WRITER_ACTIONS.items()), widget=forms.RadioSelect
    )
    days = forms.TypedChoiceField(
        label=_("For how many days"),
        coerce=int,
        # A callable: the labels are built in the reader's language each time the form is shown.
        choices=_suspension_choices,
        required=False,
        empty_value=None,
    )
    note = NoteField(
        label=_("Your note to the writer"),
        help_text=_(
            "Kind and clear: what was wrong and what would be welcome. Required for a warning "
            "or a pause. You do not learn who they are."
        ),
    )

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("action") == "suspend" and not cleaned.get("days"):
            self.add_error("days", _("Choose how many days."))
        return cleaned


class CommunitySettingsForm(forms.ModelForm):
    class Meta:
        model = CommunitySettings
        fields = ["approve_first_posts"]
