"""Forms of goals and recovery counters; every error is shown next to its field.

The forms check the shape of what was typed; the rules (a target date not in the past, a start
not in the future) live in the actions, whose errors the views put next to the same fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.goals.models import (
    COMMENT_LENGTH,
    HOW_LENGTH,
    MILESTONE_LENGTH,
    UPDATE_LENGTH,
    WHAT_LENGTH,
    WHY_LENGTH,
    Status,
    Visibility,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class GoalForm(forms.Form):
    what = forms.CharField(
        label=_("What do you want to do?"),
        max_length=WHAT_LENGTH,
        help_text=_("Specific and in your words, like “Walk 20 minutes, three days a week”."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what you want to do, in a few words.")},
    )
    why = forms.CharField(
        label=_("Why does it matter to you?"),
        max_length=WHY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    how_measured = forms.CharField(
        label=_("How will you know you are getting there?"),
        max_length=HOW_LENGTH,
        required=False,
        help_text=_("Something you can count or see, like “days walked each week”."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_date = forms.DateField(
        label=_("By when?"),
        widget=DATE_INPUT,
        error_messages={"required": _("Choose a date to aim for; you can change it later.")},
    )
    visibility = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Visibility.choices,
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
        help_text=_(
            "Staff and your peer supporter see a shared goal only while you let them see your "
            "goals on the privacy page."
        ),
    )
    program = forms.ChoiceField(label=_("Program"), choices=())

    def __init__(self, *args, programs=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.programs = {program.slug: program for program in programs}
        if len(self.programs) > 1:
            self.fields["program"].choices = [(p.slug, p.name) for p in programs]  # type: ignore[attr-defined]
        else:
            del self.fields["program"]

    def chosen_program(self):
        """The program picked, or the only one there is."""
        if "program" in self.fields:
            return self.programs[self.cleaned_data["program"]]
        return next(iter(self.programs.values()))


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label=_("Next step"),
        max_length=MILESTONE_LENGTH,
        error_messages={"required": _("Say what this step is.")},
    )
    due_date = forms.DateField(label=_("Date (optional)"), required=False, widget=DATE_INPUT)


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("What happened?"),
        max_length=UPDATE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what happened, even in a few words.")},
    )
    percent = forms.IntegerField(
        label=_("How far along, in percent (optional)"),
        required=False,
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Give a percentage from 0 to 100, or leave it empty."),
            "max_value": _("Give a percentage from 0 to 100, or leave it empty."),
        },
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write something first.")},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


class RecoveryStartForm(forms.Form):
    started_on = forms.DateField(
        label=_("The day my recovery started"),
        widget=DATE_INPUT,
        error_messages={"required": _("Choose the day your recovery started.")},
    )


class RecoveryShownForm(forms.Form):
    shown = forms.BooleanField(label=_("Show my days on my profile"), required=False)
