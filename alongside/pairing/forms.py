import re

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import SPOKEN_LANGUAGES
from alongside.core.models import AreaOfConcern
from alongside.pairing.models import (
    FEEDBACK_MAX_LENGTH,
    MAX_CAPACITY,
    MAX_SESSION_MINUTES,
    MIN_CAPACITY,
    NOTES_MAX_LENGTH,
    WEIGHT_NAMES,
    CloseReason,
    Experience,
    Identity,
    Modality,
    PairingSettings,
    Preference,
    SupporterStatus,
    Topic,
)

DAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
# Parts of a day a person can offer, as (key, label, first hour, hour after the last).
PARTS_OF_DAY = [
    ("morning", _("morning (8-12)"), 8, 12),
    ("afternoon", _("afternoon (12-17)"), 12, 17),
    ("evening", _("evening (17-21)"), 17, 21),
    ("night", _("late evening (21-24)"), 21, 24),
]


def _block_hours(day: int, start: int, end: int) -> list[int]:
    return [day * 24 + hour for hour in range(start, end)]


class AvailabilityField(forms.MultipleChoiceField):
    """Parts of the week as checkboxes, cleaned to hours of the week in the person's own zone."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "availability-grid"})

    def __init__(self, **kwargs) -> None:
        choices = [
            (f"{day}-{key}", f"{DAYS[day]} {label}")
            for day in range(7)
            for key, label, _start, _end in PARTS_OF_DAY
        ]
        super().__init__(choices=choices, required=False, **kwargs)

    def clean(self, value) -> list[int]:  # type: ignore[override]
        chosen = super().clean(value)
        parts = {key: (start, end) for key, _label, start, end in PARTS_OF_DAY}
        hours: list[int] = []
        for item in chosen:
            day, key = item.split("-")
            hours += _block_hours(int(day), *parts[key])
        return sorted(hours)

    @staticmethod
    def initial_from(hours) -> list[str]:
        """The parts of the week wholly inside `hours`."""
        chosen = set(hours)
        return [
            f"{day}-{key}"
            for day in range(7)
            for key, _label, start, end in PARTS_OF_DAY
            if set(_block_hours(day, start, end)) <= chosen
        ]


def _checkboxes(choices, label, help_text="") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def _areas_field(program, label, help_text) -> forms.ModelMultipleChoiceField:
    areas = AreaOfConcern.objects.active()
    if program.areas_of_concern.exists():
        areas = program.areas_of_concern.filter(is_active=True)
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=areas,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class SupporterProfileForm(forms.Form):
    experiences = _checkboxes(
        Experience.choices,
        _("Specific experience"),
        _("What you are in recovery from, if you want to be matched on it."),
    )
    years_in_recovery = forms.DecimalField(
        label=_("Years in recovery"), min_value=0, max_value=80, decimal_places=1
    )
    availability = AvailabilityField(
        label=_("When you are usually free"), help_text=_("In your own time zone.")
    )
    modalities = _checkboxes(Modality.choices, _("Ways you can meet"))
    identities = _checkboxes(
        Identity.choices,
        _("Identities you are willing to be matched on"),
        _("Only ever used for matching members who ask for them; leave all unticked if you like."),
    )
    capacity = forms.TypedChoiceField(
        label=_("How many members you can support at once"),
        choices=[(n, str(n)) for n in range(MIN_CAPACITY, MAX_CAPACITY + 1)],
        coerce=int,
    )

    def __init__(self, *args, program, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "areas": _areas_field(
                program,
                _("Lived experience"),
                _("The areas you have lived through yourself and can talk about."),
            ),
            **self.fields,
        }


class MatchRequestForm(forms.Form):
    experiences = _checkboxes(
        Experience.choices,
        _("Specific experience"),
        _("Optional: what you are recovering from, to find someone who has been there."),
    )
    languages = _checkboxes(SPOKEN_LANGUAGES, _("Languages you can talk in"))
    availability = AvailabilityField(
        label=_("When you are usually free"), help_text=_("In your own time zone.")
    )
    modalities = _checkboxes(Modality.choices, _("Ways you would like to meet"))
    modality_required = forms.BooleanField(
        label=_("Only match me with someone who can meet in one of these ways"), required=False
    )

    def __init__(self, *args, program, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "areas": _areas_field(
                program, _("What you want help with"), _("Choose as many as you like.")
            ),
            **self.fields,
        }
        for identity in Identity:
            self.fields[self.identity_field(identity)] = forms.ChoiceField(
                label=identity.label,
                choices=[("", _("Does not matter")), *Preference.choices],
                required=False,
                widget=forms.RadioSelect,
            )

    @staticmethod
    def identity_field(identity: str) -> str:
        return f"identity_{identity}"

    def identity_fields(self):
        return [self[self.identity_field(identity)] for identity in Identity]

    def identity_preferences(self) -> dict[str, str]:
        return {
            identity.value: self.cleaned_data[self.identity_field(identity)]
            for identity in Identity
            if self.cleaned_data.get(self.identity_field(identity))
        }

    @classmethod
    def initial_identities(cls, preferences: dict[str, str]) -> dict[str, str]:
        return {cls.identity_field(key): value for key, value in preferences.items()}


class AcceptForm(forms.Form):
    boundaries = forms.BooleanField(
        label=_("I have read the boundaries agreement and accept it"),
        error_messages={"required": _("Read and accept the boundaries agreement to start.")},
    )


# Reasons anyone closing a pairing may give; "member's request" is the rematch's own.
CLOSE_REASONS = [
    (value, label)
    for value, label in CloseReason.choices
    if value not in (CloseReason.DECLINED, CloseReason.MEMBER_REQUEST)
]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why the pairing ends"), choices=CLOSE_REASONS)
    feedback = forms.CharField(
        label=_("Feedback for the program (optional)"),
        required=False,
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the program's coordinators read it; the other side never sees it."),
    )
    ended_badly = forms.BooleanField(
        label=_("Please never match us again"),
        required=False,
    )

    def __init__(self, *args, with_feedback: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_feedback:
            del self.fields["feedback"]


class RematchForm(forms.Form):
    feedback = forms.CharField(
        label=_("Anything you want the coordinators to know (optional)"),
        required=False,
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Your supporter will only be told that the pairing closed at your request. "
            "You do not have to explain anything to them."
        ),
    )


class SessionLogForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=MAX_SESSION_MINUTES
    )
    modality = forms.ChoiceField(label=_("How you met"), choices=Modality.choices)
    topics = _checkboxes(Topic.choices, _("Topics"))
    notes = forms.CharField(
        label=_("Private notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you can read them. They are stored encrypted."),
    )


class SupporterStatusForm(forms.Form):
    status = forms.ChoiceField(choices=SupporterStatus.choices)


def pair_value(proposal) -> str:
    """The value of one proposal's choice in the batch form: "member id:supporter id"."""
    return f"{proposal.member.pk}:{proposal.supporter.pk}"


def batch_field(member_id: int) -> str:
    """The name of the batch form's choice for one member: whom to propose, or nobody."""
    return f"pair-{member_id}"


class BatchForm(forms.Form):
    """The pairs a coordinator keeps from a batch: for each member, the solver's supporter, a
    swapped one, or nobody (an empty value). The action checks each pair against the database,
    so any well-formed pair for that member is accepted here, whatever the batch showed."""

    def __init__(self, data, **kwargs) -> None:
        super().__init__(data, **kwargs)
        for key in data:
            if re.fullmatch(r"pair-[0-9]{1,18}", key):
                self.fields[key] = forms.RegexField(
                    regex=rf"^{key.removeprefix('pair-')}:[0-9]{{1,18}}$", required=False
                )

    def pairs(self) -> list[tuple[int, int]]:
        """The (member id, supporter id) pairs chosen, in the order of the form."""
        chosen = []
        for value in self.cleaned_data.values():
            if value:
                member_id, supporter_id = value.split(":")
                chosen.append((int(member_id), int(supporter_id)))
        return chosen


class PairingSettingsForm(forms.ModelForm):
    class Meta:
        model = PairingSettings
        fields = [*WEIGHT_NAMES, "top_k", "allow_self_selection"]


class ChooseSupporterForm(AcceptForm):
    """A waiting member's choice among their matches, with the boundaries agreement."""

    supporter = forms.IntegerField(widget=forms.HiddenInput)


class ProposeForm(forms.Form):
    supporter = forms.IntegerField(widget=forms.HiddenInput)
