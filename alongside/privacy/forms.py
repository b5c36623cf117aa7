from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alongside.privacy.models import (
    CONSENT_SENTENCES,
    EMERGENCY_REASON_MIN_LENGTH,
    Audience,
    Scope,
)


class SharingForm(forms.Form):
    """One checkbox per audience and scope for one program; unticked means not shared."""

    def __init__(self, *args, shared: set[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for audience in Audience:
            for scope in Scope:
                self.fields[self.field_name(audience, scope)] = forms.BooleanField(
                    label=CONSENT_SENTENCES[(audience, scope)],
                    required=False,
                    initial=(audience.value, scope.value) in shared,
                )

    @staticmethod
    def field_name(audience: str, scope: str) -> str:
        return f"{audience}__{scope}"

    def audience_groups(self):
        """The bound fields grouped by audience, for one fieldset each."""
        return [
            (audience.label, [self[self.field_name(audience, scope)] for scope in Scope])
            for audience in Audience
        ]

    def shared(self) -> set[tuple[str, str]]:
        return {
            (audience.value, scope.value)
            for audience in Audience
            for scope in Scope
            if self.cleaned_data[self.field_name(audience, scope)]
        }


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class EmergencyAccessForm(forms.Form):
    member = MemberChoiceField(
        label=_("Member"),
        queryset=None,
        empty_label=_("Choose a member"),
        help_text=_("Only members of this program are listed."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=EMERGENCY_REASON_MIN_LENGTH,
        max_length=2000,
        help_text=format_lazy(
            _(
                "Why you need this member's records now, outside the usual sharing rules. "
                "At least {count} characters; the program's coordinators will read it."
            ),
            count=EMERGENCY_REASON_MIN_LENGTH,
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter it again to confirm it is you."),
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What you checked and found, even if all was in order."),
    )
