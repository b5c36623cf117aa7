"""Forms of groups and meetings; the rules live in the models' clean and in the actions, whose
errors the views put next to the same fields."""

import re
from datetime import UTC, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import SPOKEN_LANGUAGES, time_zone_choices
from alongside.core.models import AreaOfConcern
from alongside.groups import recurrence
from alongside.groups.actions import GROUP_FIELDS
from alongside.groups.models import ANNOUNCEMENT_LENGTH, Accessibility, Group, Meeting

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
TIME_INPUT = forms.TimeInput(attrs={"type": "time"})
TYPE_CODE = re.compile(r"[A-Z0-9-]{1,10}")
OCCURRENCE_FORMAT = "%Y%m%dT%H%M%SZ"


def occurrence_key(instant: datetime) -> str:
    """The compact UTC form of an occurrence's scheduled start used in URLs and forms."""
    return instant.astimezone(UTC).strftime(OCCURRENCE_FORMAT)


def parse_occurrence_key(text: str) -> datetime | None:
    """The instant an occurrence key names, or None when it is not one."""
    try:
        return datetime.strptime(text, OCCURRENCE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


class GroupForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=SPOKEN_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = Group
        fields = [*GROUP_FIELDS, "areas_of_concern", "facilitators"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 2}),
            "areas_of_concern": forms.CheckboxSelectMultiple,
            "facilitators": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, facilitator_choices, may_choose_facilitators: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["areas_of_concern"]
        ).queryset = AreaOfConcern.objects.active()
        if may_choose_facilitators:
            cast(
                forms.ModelMultipleChoiceField, self.fields["facilitators"]
            ).queryset = facilitator_choices
        else:
            del self.fields["facilitators"]

    def group_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in GROUP_FIELDS}


class MeetingForm(forms.ModelForm):
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=5, max_value=720, initial=60
    )
    conference_url = forms.URLField(
        label=_("Video meeting link"), required=False, assume_scheme="https"
    )
    types = forms.CharField(
        label=_("Meeting types"),
        required=False,
        help_text=_("Meeting Guide codes separated by commas, like O, D, BE."),
    )

    class Meta:
        model = Meeting
        fields = [
            "name",
            "slug",
            "starts_on",
            "start_time",
            "rule",
            "location_name",
            "address",
            "city",
            "state",
            "postal_code",
            "country",
            "latitude",
            "longitude",
            "room_notes",
            "conference_url",
            "conference_phone",
            "notes",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "start_time": TIME_INPUT,
            "room_notes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["duration_minutes"].initial = int(
                self.instance.duration.total_seconds() // 60
            )
            self.fields["types"].initial = ", ".join(self.instance.types)

    def clean_types(self) -> list[str]:
        codes = [code.strip().upper() for code in self.cleaned_data["types"].split(",")]
        codes = [code for code in codes if code]
        if not all(TYPE_CODE.fullmatch(code) for code in codes):
            raise forms.ValidationError(_("Type codes are letters and digits, like O or BE."))
        return list(dict.fromkeys(codes))

    def meeting_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["types"] = self.cleaned_data["types"]
        fields["duration"] = timedelta(minutes=self.cleaned_data["duration_minutes"])
        return fields


class ExceptionForm(forms.Form):
    CANCEL = "cancel"
    MOVE = "move"

    day = forms.DateField(label=_("Date of the meeting"), widget=DATE_INPUT)
    change = forms.ChoiceField(
        label=_("Change"),
        choices=[(CANCEL, _("Cancel it")), (MOVE, _("Move it"))],
        widget=forms.RadioSelect,
        initial=CANCEL,
    )
    moved_to_date = forms.DateField(label=_("New date"), widget=DATE_INPUT, required=False)
    moved_to_time = forms.TimeField(label=_("New time"), widget=TIME_INPUT, required=False)

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean(self):
        data = super().clean() or {}
        if data.get("change") == self.MOVE and not (
            data.get("moved_to_date") and data.get("moved_to_time")
        ):
            raise forms.ValidationError(_("Give the new date and time to move the meeting."))
        return data

    def moved_to(self) -> datetime | None:
        """The aware new start, read as wall-clock time in the group's zone."""
        data = self.cleaned_data
        if data["change"] != self.MOVE:
            return None
        local = datetime.combine(data["moved_to_date"], data["moved_to_time"])
        return recurrence.attach_zone(local, ZoneInfo(self.zone)).astimezone(UTC)


class AnnouncementForm(forms.Form):
    body = forms.CharField(
        label=_("Announcement"),
        max_length=ANNOUNCEMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=6,
        help_text=_("The six digits the facilitator reads out."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
