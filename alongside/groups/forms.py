"""Forms of groups and meetings; the rules live in the models' clean and in the actions, whose
errors the views put next to the same fields."""

import re
from datetime import UTC, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from alongside.accounts.models import SPOKEN_LANGUAGES, time_zone_choices, time_zone_names
from alongside.accounts.places import Place, resolve_zip_code
from alongside.core.models import AreaOfConcern
from alongside.groups import directory, meetingguide, recurrence
from alongside.groups.actions import GROUP_FIELDS
from alongside.groups.models import ANNOUNCEMENT_LENGTH, Accessibility, Format, Group, Meeting

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
TIME_INPUT = forms.TimeInput(attrs={"type": "time"})
TYPE_CODE = re.compile(r"[A-Z0-9-]{1,10}")
OCCURRENCE_FORMAT = "%Y%m%dT%H%M%SZ"


def occurrence_key(instant: datetime) -> str:
    """The compact UTC form of an occurrence's scheduled start used in URLs and forms."""
    return instant.astimezone(UTC).strftime(OCCURRENCE_FORMAT)


def meeting_type_names(codes) -> list[str]:
    """Meeting Guide type codes in words, in the reader's language; unknown codes as they are."""
    return [
        str(_(meetingguide.TYPE_CODES[code])) if code in meetingguide.TYPE_CODES else code
        for code in codes
    ]


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


FEED_LIMIT_MB = meetingguide.MAX_FEED_BYTES // 1024 // 1024


class MeetingImportForm(forms.Form):
    """A Meeting Guide feed to import: a file, or the https address of one."""

    feed_file = forms.FileField(
        label=_("Feed file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    url = forms.URLField(
        label=_("Or the feed's address"),
        required=False,
        assume_scheme="https",
        help_text=_("An address starting with https://, like a 12 Step Meeting List feed."),
    )
    publish = forms.BooleanField(
        label=_("Publish the new groups"),
        required=False,
        help_text=_(
            "Groups this import creates are listed publicly. Existing groups stay as they are."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["feed_file"].help_text = _(
            "A Meeting Guide JSON file, at most %(limit)s MB."
        ) % {"limit": FEED_LIMIT_MB}

    def clean_feed_file(self):
        upload = self.cleaned_data.get("feed_file")
        if upload is not None and upload.size > meetingguide.MAX_FEED_BYTES:
            raise forms.ValidationError(
                _("This file is larger than %(limit)s MB.") % {"limit": FEED_LIMIT_MB}
            )
        return upload

    def clean(self):
        data = super().clean() or {}
        if not self.errors and bool(data.get("feed_file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Choose a file or give an address, one of the two."))
        return data

    @property
    def source_field(self) -> str:
        """The field the feed came from, where a problem with the feed is shown."""
        return "feed_file" if self.cleaned_data.get("feed_file") else "url"

    def feed_bytes(self) -> bytes:
        """The uploaded feed, at most one byte past the limit (parse_feed refuses more)."""
        upload = self.cleaned_data["feed_file"]
        return upload.read(meetingguide.MAX_FEED_BYTES + 1)


class DirectorySearchForm(forms.Form):
    """The directory's search, read from the query string: every field may be left out.

    A place comes from a US ZIP code or from the browser's location (rounded by the page's script
    and never stored); without one, meetings are found anywhere. The viewer's time zone, in which
    "tonight" is read, is the signed-in person's, else the browser's, else the ZIP code's.
    """

    zip = forms.CharField(
        label=_("ZIP code"),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    tz = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    radius = forms.TypedChoiceField(
        label=_("Within"),
        required=False,
        coerce=int,
        choices=[
            (
                miles,
                ngettext_lazy("%(miles)s mile", "%(miles)s miles", miles) % {"miles": miles},
            )
            for miles in directory.RADIUS_CHOICES
        ],
        empty_value=None,
    )
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[
            ("any", _("Any time")),
            ("today", _("Today")),
            ("tonight", _("Tonight")),
            ("tomorrow", _("Tomorrow")),
            ("weekend", _("This weekend")),
            ("week", _("Next 7 days")),
        ],
    )
    day = forms.TypedMultipleChoiceField(
        label=_("Days"),
        required=False,
        coerce=int,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    time = forms.MultipleChoiceField(
        label=_("Time of day"),
        required=False,
        choices=[
            ("morning", _("Morning (5 to 12)")),
            ("afternoon", _("Afternoon (12 to 17)")),
            ("evening", _("Evening (17 to 21)")),
            ("night", _("Night (21 to 5)")),
        ],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    area = forms.ModelMultipleChoiceField(
        label=_("Areas of concern"),
        required=False,
        queryset=AreaOfConcern.objects.active(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("In person or online")),
            (Format.IN_PERSON, _("In person")),
            (Format.ONLINE, _("Online")),
            (Format.HYBRID, _("Hybrid only")),
        ],
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *SPOKEN_LANGUAGES]
    )
    access = forms.MultipleChoiceField(
        label=_("Accessibility"),
        required=False,
        choices=Accessibility.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    free = forms.BooleanField(label=_("Free meetings only"), required=False)
    type = forms.MultipleChoiceField(
        label=_("Meeting types"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("next", _("Next meeting first")), ("distance", _("Nearest first"))],
    )
    page = forms.IntegerField(
        required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput
    )

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None and not data.get("radius"):
            # So the list shows the distance searched rather than its first choice.
            data = data.copy()
            data["radius"] = str(directory.DEFAULT_RADIUS)
        super().__init__(data, *args, **kwargs)
        type_field = cast(forms.MultipleChoiceField, self.fields["type"])
        type_field.choices = sorted(
            ((code, _(label)) for code, label in meetingguide.TYPE_CODES.items()),
            key=lambda choice: str(choice[1]),
        )
        self.place: Place | None = None

    def clean_zip(self) -> str:
        zip_code = self.cleaned_data["zip"].strip()
        if zip_code:
            self.place = resolve_zip_code(zip_code)
            if self.place is None:
                raise forms.ValidationError(_("Enter a 5-digit US ZIP code we know, like 10027."))
        return zip_code

    def clean_tz(self) -> str:
        zone = self.cleaned_data["tz"].strip()
        return zone if zone in time_zone_names() else ""

    def clean(self) -> dict:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Your location came through incomplete; try again."))
        if data.get("sort") == "distance" and not (self.place or data.get("lat") is not None):
            self.add_error("sort", _("Give a ZIP code or your location to sort by distance."))
        return data

    def query(self, *, viewer_zone: str | None) -> directory.DirectoryQuery:
        """The search the valid form asks for; `viewer_zone` is the signed-in person's zone."""
        data = self.cleaned_data
        latitude, longitude = data.get("lat"), data.get("lng")
        if self.place is not None:
            latitude, longitude = self.place.latitude, self.place.longitude
        zone = (
            viewer_zone
            or data.get("tz")
            or (self.place.time_zone if self.place else "")
            or settings.TIME_ZONE
        )
        return directory.DirectoryQuery(
            latitude=latitude,
            longitude=longitude,
            radius_miles=data.get("radius") or directory.DEFAULT_RADIUS,
            areas=tuple(area.pk for area in data.get("area") or ()),
            when=data.get("when") or "any",
            days=tuple(data.get("day") or ()),
            times=tuple(data.get("time") or ()),
            zone=zone,
            format=data.get("format") or "",
            language=data.get("language") or "",
            accessibility=tuple(data.get("access") or ()),
            free_only=bool(data.get("free")),
            types=tuple(data.get("type") or ()),
            sort=data.get("sort") or "next",
            page=data.get("page") or 1,
        )
