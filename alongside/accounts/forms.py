"""Forms of the accounts domain: they check input and leave the saving to actions."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import SPOKEN_LANGUAGES, Profile, time_zone_choices
from alongside.accounts.places import is_zip_code_format, resolve_zip_code
from alongside.core.models import AreaOfConcern


class GroupedCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group, so each group has a real legend."""

    template_name = "accounts/widgets/grouped_checkboxes.html"


def area_of_concern_choices() -> list:
    """Active areas grouped under their parent; a parent without children is its own group."""
    areas = list(AreaOfConcern.objects.active().select_related("parent"))
    children: dict[int, list[AreaOfConcern]] = {}
    for area in areas:
        if area.parent_id is not None:
            children.setdefault(area.parent_id, []).append(area)
    groups = []
    for area in areas:
        if area.parent_id is None:
            members = children.get(area.pk) or [area]
            groups.append((area.localized_name, [(str(m.pk), m.localized_name) for m in members]))
    return groups


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=Profile._meta.get_field("display_name").max_length,
        help_text=_("How others see you. It need not be your real name."),
    )
    pronouns = forms.CharField(
        label=_("Pronouns"),
        required=False,
        max_length=Profile._meta.get_field("pronouns").max_length,
        help_text=_("For example: she/her, he/him, they/them."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        required=False,
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    areas_of_concern = forms.MultipleChoiceField(
        label=_("Areas of concern"),
        required=False,
        help_text=_("Used to suggest groups and peers; only you and your program staff see them."),
        widget=GroupedCheckboxSelectMultiple,
    )
    zip_code = forms.CharField(
        label=_("ZIP code"),
        required=False,
        max_length=5,
        help_text=_("Others only ever see your city, never your ZIP code."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of the site"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        areas = self.fields["areas_of_concern"]
        assert isinstance(areas, forms.MultipleChoiceField)
        areas.choices = area_of_concern_choices()

    @classmethod
    def for_profile(cls, profile: Profile, data=None) -> "ProfileForm":
        initial = {
            "display_name": profile.display_name,
            "pronouns": profile.pronouns,
            "languages": profile.languages,
            "time_zone": profile.time_zone,
            "areas_of_concern": [
                str(pk) for pk in profile.areas_of_concern.values_list("pk", flat=True)
            ],
            "zip_code": profile.zip_code,
            "preferred_language": profile.preferred_language,
        }
        return cls(data, initial=initial)

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_zip_code(self) -> str:
        return clean_zip_code(self.cleaned_data["zip_code"])

    def clean_areas_of_concern(self):
        return AreaOfConcern.objects.active().filter(pk__in=self.cleaned_data["areas_of_concern"])


def clean_zip_code(value: str) -> str:
    """A ZIP code that exists, or "" for none; otherwise a ValidationError saying what is wrong."""
    value = value.strip()
    if not value:
        return ""
    if not is_zip_code_format(value):
        raise forms.ValidationError(_("Enter a 5-digit US ZIP code."), code="zip_format")
    if resolve_zip_code(value) is None:
        raise forms.ValidationError(
            _("We could not find ZIP code %(zip)s."), code="zip_unknown", params={"zip": value}
        )
    return value
