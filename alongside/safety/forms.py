"""Forms of crisis safety; every error is shown next to its field."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from alongside.safety import clinical_advice, roster
from alongside.safety.models import SAFETY_PLAN_SECTIONS, Outcome, SafetyPlan, SafetySettings

# --- Staff side: escalations, on-call roster, concern queue, settings -------------------------

NOTE_LENGTH = 4000


def _note_field(*, required: bool, label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


class EscalationNoteForm(forms.Form):
    note = _note_field(
        required=True,
        label=_("Note"),
        help_text=_("Only the program's clinicians and coordinators see notes."),
    )


class ContactForm(forms.Form):
    note = _note_field(required=False, label=_("How you reached them (optional)"))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = _note_field(required=False, label=_("What happened (optional)"))


class CloseForm(forms.Form):
    note = _note_field(required=False, label=_("Closing note (optional)"))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ShiftForm(forms.Form):
    """A shift typed in the coordinator's own time zone, turned into UTC when valid."""

    person = PersonChoiceField(label=_("Who"), queryset=None, empty_label=_("Choose a person"))
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_date = forms.DateField(label=_("End date"), widget=forms.DateInput(attrs={"type": "date"}))
    end_time = forms.TimeField(label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}))
    position = forms.IntegerField(
        label=_("Order"),
        min_value=1,
        max_value=20,
        initial=1,
        help_text=_("1 is alerted first, then 2, and so on."),
    )

    def __init__(self, *args, people, zone: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["person"].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data
        for prefix in ("start", "end"):
            day, at = cleaned.get(f"{prefix}_date"), cleaned.get(f"{prefix}_time")
            if day is None or at is None:
                continue
            try:
                cleaned[f"{prefix}s_at"] = roster.local_to_utc(day, at, self.zone)
            except roster.NonexistentLocalTime:
                self.add_error(
                    f"{prefix}_time",
                    _(
                        "Clocks skip this hour on that day (daylight saving time). Choose another time."
                    ),
                )
        return cleaned


class FlagReviewForm(forms.Form):
    note = _note_field(required=False, label=_("Review note (optional)"))


class SafetySettingsForm(forms.ModelForm):
    webhook_url = forms.URLField(
        label=_("Paging webhook"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("Optional: an HTTPS address that relays escalations by SMS or pager."),
    )
    webhook_secret = forms.CharField(
        label=_("Webhook signing secret"),
        required=False,
        strip=True,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Each alert is signed with it (HMAC-SHA256) so the relay can check it came from us. "
            "Leave blank to keep the current secret."
        ),
    )

    class Meta:
        model = SafetySettings
        fields = ["hold_flagged_for_review", "acknowledge_within_minutes", "webhook_url"]


# --- Member side: help now, safety plan ---------------------------------------------------------

# Typing stops here in the browser; the server keeps whatever arrives, since a message from a
# person asking for help is never refused.
HELP_MESSAGE_TYPING_LIMIT = 4000


class HelpNowForm(forms.Form):
    """Consent to alert the on-call team, which program's, and an optional message.

    The only error it can show is a missing consent tick (or, with several programs, no choice):
    a person asking for help is never turned away over what they wrote.
    """

    program = forms.ChoiceField(
        label=_("Which program's team should contact you?"), widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _(
                "Tick this box so we can alert the team. If you would rather not, the lines "
                "above are there for you at any time."
            )
        },
    )
    message = forms.CharField(
        label=_("Anything you want them to know (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": HELP_MESSAGE_TYPING_LIMIT}),
        help_text=_("Only the people on call read it, and it is stored encrypted."),
    )

    def __init__(self, *args, programs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.programs = {program.slug: program for program in programs}
        if len(programs) == 1:
            # Nothing to choose: whatever a stale or forged form says, it is their one program.
            del self.fields["program"]
            self.fields["consent"].label = _(
                "Alert the on-call team of %(program)s now; someone will contact you."
            ) % {"program": programs[0].name}
        else:
            field = self.fields["program"]
            field.choices = [(program.slug, program.name) for program in programs]  # type: ignore[attr-defined]
            field.initial = programs[0].slug
            self.fields["consent"].label = _(
                "Alert the on-call team of the program I chose now; someone will contact you."
            )

    def chosen_program(self):
        """The program chosen (their only one, when they have one), once the form is valid."""
        if "program" not in self.fields:
            return next(iter(self.programs.values()))
        return self.programs[self.cleaned_data["program"]]


class SafetyPlanForm(forms.ModelForm):
    """All seven sections at once, each with its own limit and errors beside it."""

    class Meta:
        model = SafetyPlan
        fields = list(SAFETY_PLAN_SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in SAFETY_PLAN_SECTIONS}


# --- Supporters: a pause before sending what reads like clinical advice -------------------------

CONFIRM_FIELD = "confirmed"
CLINICAL_ADVICE_CODE = "clinical_advice"
CLINICAL_ADVICE_EXPLANATIONS = {
    clinical_advice.DOSING: _("It mentions how much of a medicine to take."),
    clinical_advice.STOPPING_MEDICATION: _("It suggests stopping or skipping a medicine."),
    clinical_advice.DIAGNOSIS: _("It reads like a diagnosis."),
}


class ConfirmClinicalAdviceMixin:
    """For any form in which a supporter writes to someone: when the text in
    `clinical_advice_field` reads like clinical advice, the form is invalid once, with a gentle
    prompt, until it comes back with confirmed=1 (the "Send anyway" button of
    safety/_clinical_advice_prompt.html). Nothing is refused: the prompt is a pause, not a rule.

    Put it before forms.Form in the bases; `clinical_advice_language` follows the active language
    unless the form sets it.
    """

    clinical_advice_field = "message"
    clinical_advice_language: str | None = None

    def clean(self):
        cleaned = super().clean()  # type: ignore[misc]
        self.clinical_advice_reasons: list[str] = []
        text = cleaned.get(self.clinical_advice_field) or ""
        if text and self.data.get(CONFIRM_FIELD) != "1":  # type: ignore[attr-defined]
            language = self.clinical_advice_language or get_language() or "en"
            self.clinical_advice_reasons = clinical_advice.looks_like_clinical_advice(
                text, language
            )
            if self.clinical_advice_reasons:
                self.add_error(  # type: ignore[attr-defined]
                    None,
                    forms.ValidationError(
                        _(
                            "Before you send this: it may read as medical advice. Questions "
                            "about medicines and diagnoses are best taken to a doctor, "
                            "pharmacist or the program's clinician; you could suggest that "
                            "instead. You can still send it as it is."
                        ),
                        code=CLINICAL_ADVICE_CODE,
                    ),
                )
        return cleaned

    @property
    def asks_to_confirm_clinical_advice(self) -> bool:
        """True when the form stopped only to ask about clinical advice."""
        errors = self.errors.as_data()  # type: ignore[attr-defined]
        codes = [error.code for field_errors in errors.values() for error in field_errors]
        return bool(codes) and set(codes) == {CLINICAL_ADVICE_CODE}

    def clinical_advice_explanations(self) -> list[str]:
        """Why the prompt was shown, one sentence per reason."""
        return [str(CLINICAL_ADVICE_EXPLANATIONS[r]) for r in self.clinical_advice_reasons]
