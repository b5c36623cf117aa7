from django import forms

from alongside.notifications import access, registry


class EmailPreferencesForm(forms.Form):
    """One choice per registered kind of notification; mandatory ones are shown but locked, and
    the daily summary is offered only for kinds that may wait for it."""

    def __init__(self, *args, choices: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for kind in registry.all_kinds():
            self.fields[kind.kind] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=access.email_choices_for(kind),
                widget=forms.RadioSelect,
                initial=choices[kind.kind],
                disabled=kind.mandatory_email,
            )

    def changeable_choices(self) -> dict[str, str]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not self.fields[name].disabled
        }
