"""Forms of goals and recovery counters; every error is shown next to its field.

The forms check the shape of what was typed; the rules (a target date not in the past, a start
not in the future) live in the actions, whose errors the views put next to the same fields.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.goals.models import (
    COMMENT_LENGTH,
    HOW_LENGTH,
    MILESTONE_LENGTH,
    UPDATE_LENGTH,
    WHAT_LENGTH,
    WHY_LENGTH,
    OwnerKind,
    Status,
    Visibility,
)
from alongside.groups.models import Group

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


# The value of "Whose goal is it?" for the person's own goal; others are "pair:<id>", "group:<id>".
OWN = "me"


class GoalForm(forms.Form):
    owner = forms.ChoiceField(
        label=_("Whose goal is it?"),
        choices=(),
        widget=forms.RadioSelect,
        help_text=_(
            "A goal for a pair or a group is seen by that pair or group, who can all add "
            "progress, comment and cheer."
        ),
    )
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
            "goals on the privacy page. Only for your own goals."
        ),
    )
    program = forms.ChoiceField(label=_("Program"), choices=(), help_text=_("For your own goals."))

    def __init__(self, *args, programs=(), pairs=(), groups=(), editing=None, **kwargs) -> None:
        """`programs` where the person may set their own goals, `pairs` and `groups` for which
        they may set one; `editing` the goal being changed (then only its own fields show)."""
        super().__init__(*args, **kwargs)
        self.programs = {program.slug: program for program in programs}
        self.owners: dict[str, Any] = {f"pair:{pairing.pk}": pairing for pairing in pairs}
        self.owners |= {f"group:{group.pk}": group for group in groups}
        choices: list[tuple[str, Any]] = [(OWN, _("My own goal"))] if self.programs else []
        choices += [(key, owner_label(owner)) for key, owner in self.owners.items()]
        self.only_choice = choices[0][0] if len(choices) == 1 else None
        if editing is not None or not self.owners:
            del self.fields["owner"]
        else:
            self.fields["owner"].choices = choices  # type: ignore[attr-defined]
            self.fields["owner"].initial = OWN if self.programs else choices[0][0]
            # Visibility and program matter for one's own goal only: the action checks them.
            self.fields["visibility"].required = False
            self.fields["program"].required = False
        own_goal = editing.owner_kind == OwnerKind.MEMBER if editing else bool(self.programs)
        if not own_goal:
            del self.fields["visibility"]
        if editing is not None or len(self.programs) < 2:
            del self.fields["program"]
        else:
            self.fields["program"].choices = [(p.slug, p.name) for p in programs]  # type: ignore[attr-defined]

    def chosen_owner(self):
        """What the new goal is for: OWN, a Pairing or a Group."""
        key = self.cleaned_data.get("owner") or self.only_choice or OWN
        return OWN if key == OWN else self.owners[key]

    def chosen_program(self):
        """The program picked, or the only one there is."""
        if "program" in self.fields and self.cleaned_data.get("program"):
            return self.programs[self.cleaned_data["program"]]
        return next(iter(self.programs.values()))

    def chosen_visibility(self) -> str:
        return self.cleaned_data.get("visibility") or Visibility.PRIVATE


def owner_label(owner) -> str:
    """How a pairing or a group is offered as the owner of a new goal."""
    if isinstance(owner, Group):
        return _("A goal for the group %(group)s") % {"group": owner.name}
    return _("A goal for %(member)s and %(supporter)s") % {
        "member": owner.member.display_name,
        "supporter": owner.supporter.display_name,
    }


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
