"""Forms of check-ins and questionnaires; every error is shown next to its field.

The forms only turn text into numbers and choices: what may be saved is decided by the actions,
so the page and the API refuse the same things with the same words.
"""

import uuid
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.checkins import scoring, tracking
from alongside.checkins.models import NOTE_LENGTH, ItemKind, TrackedItem
from alongside.checkins.reports import CHOICE_WORDS, MOOD_WORDS

ITEM_PREFIX = "item_"


def _optional_int(value):
    return int(value) if value not in (None, "") else None


def _item_field(item: TrackedItem) -> forms.Field:
    label = _(item.label)
    if item.kind in tracking.CHOICES_OF:
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=[(c, CHOICE_WORDS[c]) for c in tracking.CHOICES_OF[item.kind]],
            widget=forms.RadioSelect,
            empty_value=None,
        )
    if item.kind == tracking.SCALE_0_10:
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=[(n, str(n)) for n in range(11)],
            coerce=int,
            widget=forms.RadioSelect,
            empty_value=None,
            help_text=_("0 is none, 10 the worst you can imagine."),
        )
    if item.kind == tracking.HOURS:
        return forms.DecimalField(
            label=label,
            required=False,
            widget=forms.NumberInput(
                attrs={"inputmode": "decimal", "step": "0.25", "min": "0", "max": "24"}
            ),
            help_text=_("For example 7.5"),
        )
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )


class CheckInForm(forms.Form):
    mood = forms.TypedChoiceField(
        label=gettext_lazy("How do you feel today?"),
        choices=[(n, f"{n} {MOOD_WORDS[n]}") for n in range(1, 11)],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Anything you want to add? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_LENGTH}),
        help_text=gettext_lazy("Stored encrypted. Only you see it unless you share check-ins."),
    )
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items: list[TrackedItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        note = self.fields.pop("note")
        key = self.fields.pop("idempotency_key")
        for item in items:
            self.fields[ITEM_PREFIX + item.key] = _item_field(item)
        self.fields["note"] = note
        self.fields["idempotency_key"] = key
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4()

    def mood_choices(self):
        """(radio, number, word) of each mood, for the page to show the number and word apart."""
        return [(radio, number, MOOD_WORDS[number]) for number, radio in enumerate(self["mood"], 1)]

    def item_fields(self):
        return [self[ITEM_PREFIX + item.key] for item in self.items]

    def values(self) -> dict:
        return {item.key: self.cleaned_data.get(ITEM_PREFIX + item.key) for item in self.items}

    def add_action_errors(self, error: ValidationError) -> None:
        """Put the action's errors next to the fields they are about."""
        for key, messages in error.message_dict.items():
            name = ITEM_PREFIX + key.removeprefix("values.") if key.startswith("values.") else key
            self.add_error(name if name in self.fields else None, messages)


def initial_for(check_in) -> dict:
    """The form's initial values from a saved check-in."""
    if check_in is None:
        return {}
    return {
        "mood": check_in.mood,
        "note": check_in.note,
        **{ITEM_PREFIX + key: value for key, value in check_in.values.items()},
    }


class QuestionnaireForm(forms.Form):
    def __init__(self, *args, questionnaire: scoring.Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for number, text in enumerate(questionnaire.items, start=1):
            self.fields[f"q{number}"] = forms.TypedChoiceField(
                label=_(text),
                required=False,
                choices=[(value, _(label)) for value, label in questionnaire.choices],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
            )

    def answers(self) -> list[int | None]:
        return [self.cleaned_data.get(f"q{n}") for n in range(1, len(self.questionnaire.items) + 1)]

    def add_action_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class PreferencesForm(forms.Form):
    remind_at = forms.TimeField(
        label=gettext_lazy("Remind me at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("In your own time zone. Leave empty for no reminder."),
    )
    items = forms.MultipleChoiceField(
        label=gettext_lazy("What I track"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, offered: list[TrackedItem], **kwargs):
        super().__init__(*args, **kwargs)
        items = cast(forms.MultipleChoiceField, self.fields["items"])
        items.choices = [(item.key, _(item.label)) for item in offered]


class ProgramRulesForm(forms.Form):
    """The missed-streak threshold and, for each questionnaire, whether and how often to ask."""

    missed_streak_days = forms.IntegerField(
        label=gettext_lazy("Tell a member's sharers after this many missed days in a row"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "max": "60"}),
        help_text=gettext_lazy(
            "Their coordinators and peer supporter hear once per run of missed days, only if "
            "the member shares check-ins with them."
        ),
    )

    def __init__(self, *args, questionnaires: list[scoring.Questionnaire], **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaires = questionnaires
        for questionnaire in questionnaires:
            self.fields[f"{questionnaire.code}_active"] = forms.BooleanField(
                label=_("Ask members to fill in %(name)s") % {"name": questionnaire.name},
                required=False,
            )
            self.fields[f"{questionnaire.code}_every_days"] = forms.IntegerField(
                label=_("Every how many days"),
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1", "max": "365"}),
            )

    def questionnaire_fields(self):
        """(questionnaire, its on/off field, its every-days field) for the page."""
        return [
            (q, self[f"{q.code}_active"], self[f"{q.code}_every_days"]) for q in self.questionnaires
        ]

    def schedule_choices(self) -> list[tuple[str, bool, int | None]]:
        """(questionnaire code, asked, every how many days) as typed."""
        return [
            (
                q.code,
                bool(self.cleaned_data.get(f"{q.code}_active")),
                self.cleaned_data.get(f"{q.code}_every_days"),
            )
            for q in self.questionnaires
        ]

    def add_action_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)


class TrackedItemForm(forms.Form):
    """A tracked item's name, and its kind when it is new or its place and state when it is not."""

    label = forms.CharField(label=gettext_lazy("Name members see"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of answer"),
        required=False,
        choices=ItemKind.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("It cannot change later, so answers keep their meaning."),
    )
    position = forms.IntegerField(
        label=gettext_lazy("Position in the list"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
        help_text=gettext_lazy("Smaller numbers come first."),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Offer this item to members"),
        required=False,
        help_text=gettext_lazy("Turned off, it leaves check-ins and charts; answers are kept."),
    )

    def __init__(self, *args, is_new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_new = is_new
        for name in ("position", "is_active") if is_new else ("kind",):
            del self.fields[name]

    def add_action_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)
