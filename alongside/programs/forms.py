"""Forms of the programs pages; they validate input, the actions in actions.py do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.models import AreaOfConcern
from alongside.programs.actions import SETTINGS_FIELDS
from alongside.programs.models import Program, Role

# Paths under /programs/ that are pages, not programs.
# Also the fixed first parts of other apps' program addresses (/community/reveals/<program>/).
RESERVED_SLUGS = frozenset(
    {
        "new",
        "join",
        "invitations",
        # Fixed paths of the community, before its "<program>/" pages.
        "preferences",
        "reveals",
        "report",
        "moderation",
        "settings",
        "notices",
    }
)


class AreasField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: AreaOfConcern) -> str:
        return obj.localized_name


def _areas_field() -> AreasField:
    return AreasField(
        queryset=AreaOfConcern.objects.active(),
        required=False,
        label=_("Areas of concern"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )


class ProgramSettingsForm(forms.ModelForm):
    """What a coordinator edits on the settings page."""

    areas_of_concern = _areas_field()

    class Meta:
        model = Program
        fields = [*SETTINGS_FIELDS, "areas_of_concern"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "crisis_line_phone": forms.TextInput(attrs={"type": "tel"}),
        }


class NewProgramForm(ProgramSettingsForm):
    """What a site admin fills in to create a program."""

    class Meta(ProgramSettingsForm.Meta):
        fields = ["name", "slug", "country", *SETTINGS_FIELDS, "areas_of_concern"]
        help_texts = {"slug": _("Used in web addresses: lowercase letters, digits and hyphens.")}

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved. Choose another."))
        return slug


class JoinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        max_length=20,
        help_text=_("The code your program gave you, like K7QM-3XPA."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        initial=[Role.MEMBER],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        error_messages={"required": _("Choose at least one role.")},
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class PeopleFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("Everyone")), *Role.choices],
        required=False,
    )
