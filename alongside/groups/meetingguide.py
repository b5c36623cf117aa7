"""The Meeting Guide JSON feed (code4recovery's spec): parse, export, validate, map type codes.

Pure: no Django. The spec is at https://github.com/code4recovery/spec; a feed is a JSON list of
meetings, each an object of which only `name` and `slug` are required.

Parsing is lenient where real feeds commonly differ from the letter of the spec and strict where
a guess could mislead someone looking for a meeting:

- `day` is an integer 0 (Sunday) to 6 (Saturday) or a list of them; digit strings ("1") are
  accepted because many PHP feeds emit them. Day names ("Monday") are rejected: they are
  language-dependent and the spec never allows them.
- `time` and `end_time` are 24-hour "HH:MM" (a single-digit hour and ":SS" seconds are
  accepted); anything else ("25:00", "7pm") rejects the meeting, naming the field.
- `slug`, `postal_code`, `conference_phone` and `district` may be JSON numbers.
- `latitude` and `longitude` may be numeric strings; missing coordinates are only a warning.
- Type codes outside the table are kept apart in `unknown_types` with a warning, and exported
  again (the spec lets feeds add their own codes).
- A field holding the wrong kind of value rejects that one meeting, naming the field; unknown
  fields are ignored; `null` means the field is absent.

Messages are untranslated templates marked for extraction; call `.text(gettext)` to show them.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from datetime import time as TimeOfDay
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_FEED_BYTES = 50 * 1024 * 1024
MAX_NAME_LENGTH = 255
# The spec asks for 64 but the 12 Step Meeting List plugin publishes WordPress post slugs (up to
# 200 characters), and rejecting those would reject real feeds.
MAX_SLUG_LENGTH = 200
MAX_TEXT_LENGTH = 10_000

ATTENDANCE_OPTIONS = ("in_person", "hybrid", "online", "inactive")


def gettext_noop(message: str) -> str:
    """Mark `message` for translation without translating it (makemessages extracts this name)."""
    return message


def _identity(message: str) -> str:
    return message


# Code -> English name, from the spec's "Meeting Types" table, then its "Proposed New Types",
# then codes that other feeds publish: ONL from the 12 Step Meeting List plugin, HY ours.
TYPE_CODES: dict[str, str] = {
    "11": gettext_noop("11th Step Meditation"),
    "12x12": gettext_noop("12 Steps & 12 Traditions"),
    "A": gettext_noop("Secular"),
    "ABSI": gettext_noop("As Bill Sees It"),
    "AF": gettext_noop("Afrikaans"),
    "AL": gettext_noop("Concurrent with Alateen"),
    "AL-AN": gettext_noop("Concurrent with Al-Anon"),
    "AM": gettext_noop("Amharic"),
    "AR": gettext_noop("Arabic"),
    "ASL": gettext_noop("American Sign Language"),
    "B": gettext_noop("Big Book"),
    "BA": gettext_noop("Babysitting Available"),
    "BE": gettext_noop("Newcomer"),
    "BG": gettext_noop("Bulgarian"),
    "BI": gettext_noop("Bisexual"),
    "BRK": gettext_noop("Breakfast"),
    "C": gettext_noop("Closed"),
    "CAN": gettext_noop("Candlelight"),
    "CF": gettext_noop("Child-Friendly"),
    "D": gettext_noop("Discussion"),
    "DA": gettext_noop("Danish"),
    "DB": gettext_noop("Digital Basket"),
    "DD": gettext_noop("Dual Diagnosis"),
    "DE": gettext_noop("German"),
    "DR": gettext_noop("Daily Reflections"),
    "EL": gettext_noop("Greek"),
    "EN": gettext_noop("English"),
    "FA": gettext_noop("Persian"),
    "FI": gettext_noop("Finnish"),
    "FF": gettext_noop("Fragrance Free"),
    "FR": gettext_noop("French"),
    "G": gettext_noop("Gay"),
    "GR": gettext_noop("Grapevine"),
    "H": gettext_noop("Birthday"),
    "HE": gettext_noop("Hebrew"),
    "HI": gettext_noop("Hindi"),
    "HR": gettext_noop("Croatian"),
    "HU": gettext_noop("Hungarian"),
    "IS": gettext_noop("Icelandic"),
    "ITA": gettext_noop("Italian"),
    "JA": gettext_noop("Japanese"),
    "KA": gettext_noop("Georgian"),
    "KOR": gettext_noop("Korean"),
    "L": gettext_noop("Lesbian"),
    "LGBTQ": gettext_noop("LGBTQ"),
    "LIT": gettext_noop("Literature"),
    "LS": gettext_noop("Living Sober"),
    "LT": gettext_noop("Lithuanian"),
    "M": gettext_noop("Men"),
    "MED": gettext_noop("Meditation"),
    "ML": gettext_noop("Malayalam"),
    "MT": gettext_noop("Maltese"),
    "N": gettext_noop("Native American"),
    "NB": gettext_noop("Non-Binary"),
    "NDG": gettext_noop("Indigenous"),
    "NE": gettext_noop("Nepali"),
    "NL": gettext_noop("Dutch"),
    "NO": gettext_noop("Norwegian"),
    "O": gettext_noop("Open"),
    "OUT": gettext_noop("Outdoor"),
    "P": gettext_noop("Professionals"),
    "POA": gettext_noop("Proof of Attendance"),
    "POC": gettext_noop("People of Color"),
    "POL": gettext_noop("Polish"),
    "POR": gettext_noop("Portuguese"),
    "PUN": gettext_noop("Punjabi"),
    "RUS": gettext_noop("Russian"),
    "S": gettext_noop("Spanish"),
    "SEN": gettext_noop("Seniors"),
    "SK": gettext_noop("Slovak"),
    "SL": gettext_noop("Slovenian"),
    "SM": gettext_noop("Smoking Permitted"),
    "SP": gettext_noop("Speaker"),
    "ST": gettext_noop("Step Study"),
    "SV": gettext_noop("Swedish"),
    "T": gettext_noop("Transgender"),
    "TC": gettext_noop("Location Temporarily Closed"),
    "TH": gettext_noop("Thai"),
    "TL": gettext_noop("Tagalog"),
    "TR": gettext_noop("Tradition Study"),
    "TUR": gettext_noop("Turkish"),
    "UK": gettext_noop("Ukrainian"),
    "W": gettext_noop("Women"),
    "X": gettext_noop("Wheelchair Access"),
    "XB": gettext_noop("Wheelchair-Accessible Bathroom"),
    "XT": gettext_noop("Cross Talk Permitted"),
    "Y": gettext_noop("Young People"),
    "BV-I": gettext_noop("Blind / Visually Impaired"),
    "D-HOH": gettext_noop("Deaf / Hard of Hearing"),
    "LO-I": gettext_noop("Loners / Isolationists"),
    "QSL": gettext_noop("Quebec Sign Language"),
    "RSL": gettext_noop("Russian Sign Language"),
    "ONL": gettext_noop("Online"),
    "HY": gettext_noop("Hybrid"),
}

_CODES_BY_UPPER = {code.upper(): code for code in TYPE_CODES}

# Language type codes -> BCP 47 language tags, the directory's language filter.
LANGUAGE_BY_TYPE: dict[str, str] = {
    "AF": "af",
    "AM": "am",
    "AR": "ar",
    "BG": "bg",
    "DA": "da",
    "DE": "de",
    "EL": "el",
    "EN": "en",
    "FA": "fa",
    "FI": "fi",
    "FR": "fr",
    "HE": "he",
    "HI": "hi",
    "HR": "hr",
    "HU": "hu",
    "IS": "is",
    "ITA": "it",
    "JA": "ja",
    "KA": "ka",
    "KOR": "ko",
    "LT": "lt",
    "ML": "ml",
    "MT": "mt",
    "NE": "ne",
    "NL": "nl",
    "NO": "no",
    "POL": "pl",
    "POR": "pt",
    "PUN": "pa",
    "RUS": "ru",
    "S": "es",
    "SK": "sk",
    "SL": "sl",
    "SV": "sv",
    "TH": "th",
    "TL": "tl",
    "TUR": "tr",
    "UK": "uk",
    "ASL": "ase",
    "QSL": "fcs",
    "RSL": "rsl",
}
TYPE_BY_LANGUAGE = {language: code for code, language in LANGUAGE_BY_TYPE.items()}

# Type codes -> the directory's accessibility filter.
ACCESSIBILITY_BY_TYPE: dict[str, str] = {
    "X": "wheelchair",
    "XB": "wheelchair_bathroom",
    "ASL": "sign_language",
    "D-HOH": "deaf_hard_of_hearing",
    "BV-I": "blind_visually_impaired",
    "FF": "fragrance_free",
}
TYPE_BY_ACCESSIBILITY = {need: code for code, need in ACCESSIBILITY_BY_TYPE.items()}

# The directory's format filter, for codes that state it.
ATTENDANCE_BY_TYPE = {"ONL": "online", "HY": "hybrid"}
TYPE_BY_ATTENDANCE = {"online": "ONL", "hybrid": "HY"}

TEXT_FIELDS = (
    "time_formatted",
    "notes",
    "conference_url_notes",
    "conference_phone_notes",
    "location",
    "location_notes",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "region",
    "sub_region",
    "group",
    "group_notes",
    "district",
    "venmo",
    "square",
    "paypal",
    "homegroup_online",
    "entity",
    "entity_location",
    "entity_phone",
    "contact_1_name",
    "contact_1_phone",
    "contact_2_name",
    "contact_2_phone",
    "contact_3_name",
    "contact_3_phone",
)
URL_FIELDS = (
    "conference_url",
    "url",
    "edit_url",
    "feedback_url",
    "entity_logo",
    "entity_website_url",
)
EMAIL_FIELDS = ("entity_email", "contact_1_email", "contact_2_email", "contact_3_email")
NUMBER_AS_TEXT_FIELDS = frozenset({"slug", "postal_code", "conference_phone", "district"})
ENTITY_DETAIL_FIELDS = (
    "entity_email",
    "entity_location",
    "entity_logo",
    "entity_phone",
    "entity_website_url",
)
# The spec's own example writes entity_url for what its field list calls entity_website_url.
FIELD_ALIASES = {"entity_url": "entity_website_url"}

_CLOCK = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?")
_STRICT_CLOCK = re.compile(r"([01]?\d|2[0-3]):[0-5]\d")
_UPDATED = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_PHONE_SEPARATORS = re.compile(r"[\s().\-]")
_PHONE = re.compile(r"\+?\d[\d,*#]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_UPDATED_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True)
class MeetingRecord:
    """One meeting of a feed, normalised; empty strings and tuples stand for absent fields.

    `day` holds 0 (Sunday) to 6 (Saturday), sorted; `types` the known codes and `unknown_types`
    the others, both in feed order; `approximate` is None when the feed did not say.
    """

    name: str
    slug: str
    day: tuple[int, ...] = ()
    time: TimeOfDay | None = None
    end_time: TimeOfDay | None = None
    time_formatted: str = ""
    timezone: str = ""
    types: tuple[str, ...] = ()
    unknown_types: tuple[str, ...] = ()
    notes: str = ""
    conference_url: str = ""
    conference_url_notes: str = ""
    conference_phone: str = ""
    conference_phone_notes: str = ""
    location: str = ""
    location_notes: str = ""
    formatted_address: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    approximate: bool | None = None
    region: str = ""
    sub_region: str = ""
    regions: tuple[str, ...] = ()
    group: str = ""
    group_notes: str = ""
    district: str = ""
    venmo: str = ""
    square: str = ""
    paypal: str = ""
    homegroup_online: str = ""
    url: str = ""
    edit_url: str = ""
    feedback_url: str = ""
    feedback_emails: tuple[str, ...] = ()
    updated: datetime | None = None
    attendance_option: str = ""
    entity: str = ""
    entity_email: str = ""
    entity_location: str = ""
    entity_logo: str = ""
    entity_phone: str = ""
    entity_website_url: str = ""
    contact_1_name: str = ""
    contact_1_email: str = ""
    contact_1_phone: str = ""
    contact_2_name: str = ""
    contact_2_email: str = ""
    contact_2_phone: str = ""
    contact_3_name: str = ""
    contact_3_email: str = ""
    contact_3_phone: str = ""


RECORD_FIELDS = tuple(f.name for f in fields(MeetingRecord))


class _Translatable:
    message: str
    params: Mapping[str, object]

    def text(self, translate: Callable[[str], str] = _identity) -> str:
        """The message in the language `translate` gives (pass Django's gettext)."""
        return translate(self.message).format(**self.params)


@dataclass(frozen=True)
class Rejection(_Translatable):
    """Why the meeting at `index` (0-based) was left out: `field` names the offending field."""

    index: int
    slug_or_name: str
    field: str
    message: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class FeedWarning(_Translatable):
    """Something about an accepted meeting a coordinator may want to fix."""

    index: int
    slug_or_name: str
    field: str
    message: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


class FeedError(_Translatable, ValueError):
    """The feed as a whole cannot be read; no meeting of it should be imported."""

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(self.text())


@dataclass
class ParseResult:
    """The meetings accepted from a feed, and the problems found (several per meeting possible)."""

    records: list[MeetingRecord]
    rejections: list[Rejection]
    warnings: list[FeedWarning]
    total: int

    @property
    def rejected_indexes(self) -> list[int]:
        return sorted({rejection.index for rejection in self.rejections})


class _RecordProblems:
    """Collects the problems of one meeting while it is read."""

    def __init__(self, index: int, label: str) -> None:
        self.index = index
        self.label = label
        self.rejections: list[Rejection] = []
        self.warnings: list[FeedWarning] = []

    def reject(self, field_name: str, message: str, **params: object) -> None:
        self.rejections.append(Rejection(self.index, self.label, field_name, message, params))

    def warn(self, field_name: str, message: str, **params: object) -> None:
        self.warnings.append(FeedWarning(self.index, self.label, field_name, message, params))


def _label(item: Mapping[str, Any], index: int) -> str:
    """How problems name a meeting: its slug, else its name, else its position."""
    for key in ("slug", "name"):
        value = item.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()[:MAX_NAME_LENGTH]
    return f"#{index + 1}"


def parse_feed(data: bytes, *, max_bytes: int = MAX_FEED_BYTES) -> ParseResult:
    """Read a Meeting Guide feed: every valid meeting, and each invalid one's problems by field.

    Raises FeedError when the feed as a whole is unusable: larger than `max_bytes` (checked before
    parsing), not JSON, or not a list. One meeting's problems never reject another; a slug seen
    earlier in the feed rejects the later meeting, so an import can never duplicate a meeting.
    """
    if len(data) > max_bytes:
        raise FeedError(
            gettext_noop("The feed is {size} MB; the limit is {limit} MB."),
            size=math.ceil(len(data) / 1024 / 1024),
            limit=max_bytes // 1024 // 1024,
        )
    try:
        document = json.loads(data)
    except UnicodeDecodeError as error:
        raise FeedError(gettext_noop("The feed is not UTF-8 text.")) from error
    except json.JSONDecodeError as error:
        raise FeedError(
            gettext_noop("The feed is not valid JSON: {problem} at line {line}, column {column}."),
            problem=error.msg,
            line=error.lineno,
            column=error.colno,
        ) from error
    except (ValueError, RecursionError) as error:
        raise FeedError(gettext_noop("The feed is not valid JSON.")) from error
    if not isinstance(document, list):
        raise FeedError(
            gettext_noop("The feed must be a JSON list of meetings; this one is {kind}."),
            kind=_json_kind(document),
        )
    records: list[MeetingRecord] = []
    rejections: list[Rejection] = []
    warnings: list[FeedWarning] = []
    seen_slugs: dict[str, int] = {}
    for index, item in enumerate(document):
        record, problems = _parse_meeting(item, index)
        if record is not None and record.slug in seen_slugs:
            problems.reject(
                "slug",
                gettext_noop("The slug {slug} is already used by meeting #{other} of this feed."),
                slug=record.slug,
                other=seen_slugs[record.slug] + 1,
            )
        rejections.extend(problems.rejections)
        if problems.rejections or record is None:
            continue
        seen_slugs[record.slug] = index
        warnings.extend(problems.warnings)
        records.append(record)
    return ParseResult(records, rejections, warnings, total=len(document))


def _json_kind(value: object) -> str:
    if isinstance(value, dict):
        return gettext_noop("an object")
    if isinstance(value, str):
        return gettext_noop("a string")
    if value is None:
        return gettext_noop("null")
    if isinstance(value, bool):
        return gettext_noop("a true/false value")
    return gettext_noop("a number")


def _parse_meeting(item: object, index: int) -> tuple[MeetingRecord | None, _RecordProblems]:
    """One feed item as a record (None when it has problems), with its problems."""
    if not isinstance(item, dict):
        problems = _RecordProblems(index, f"#{index + 1}")
        problems.reject("", gettext_noop("Each meeting must be a JSON object."))
        return None, problems
    problems = _RecordProblems(index, _label(item, index))
    raw: dict[str, Any] = {
        FIELD_ALIASES.get(str(key), str(key)): value
        for key, value in item.items()
        if value is not None
    }
    values: dict[str, Any] = {}

    name = _text(raw, "name", problems, max_length=MAX_NAME_LENGTH)
    slug = _text(raw, "slug", problems, max_length=MAX_SLUG_LENGTH)
    for required, value in (("name", name), ("slug", slug)):
        if not value and required not in {r.field for r in problems.rejections}:
            problems.reject(required, gettext_noop("The {field} is required."), field=required)

    # Absent fields keep the record's defaults; most feeds fill few of the sixty.
    for text_field in TEXT_FIELDS:
        if text_field in raw:
            values[text_field] = _text(raw, text_field, problems)
    for url_field in URL_FIELDS:
        if url_field in raw:
            values[url_field] = _url(raw, url_field, problems)
    for email_field in EMAIL_FIELDS:
        if email_field in raw:
            values[email_field] = _email(raw[email_field], email_field, problems)
    values["conference_phone"] = _phone(raw, problems)
    values["day"] = _days(raw.get("day"), problems)
    values["time"] = _clock(raw.get("time"), "time", problems)
    values["end_time"] = _clock(raw.get("end_time"), "end_time", problems)
    values["timezone"] = _zone(raw.get("timezone"), problems)
    values["types"], values["unknown_types"] = _types(raw.get("types"), problems)
    values["latitude"], values["longitude"] = _coordinates(raw, problems)
    values["approximate"] = _approximate(raw.get("approximate"), problems)
    values["regions"] = _text_list(raw.get("regions"), "regions", problems)
    values["feedback_emails"] = tuple(
        _email(value, "feedback_emails", problems)
        for value in _text_list(raw.get("feedback_emails"), "feedback_emails", problems)
    )
    values["updated"] = _updated(raw.get("updated"), problems)
    values["attendance_option"] = _attendance(raw.get("attendance_option"), problems)

    _check_schedule(values, problems)
    if not values.get("entity") and any(values.get(f) for f in ENTITY_DETAIL_FIELDS):
        problems.reject("entity", gettext_noop("Entity details need the entity's name."))
    if problems.rejections:
        return None, problems
    return MeetingRecord(name=name, slug=slug, **values), problems


def _text(
    raw: Mapping[str, Any],
    name: str,
    problems: _RecordProblems,
    *,
    max_length: int = MAX_TEXT_LENGTH,
) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if name in NUMBER_AS_TEXT_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.reject(name, gettext_noop("The {field} must be text."), field=name)
        return ""
    value = value.strip()
    if len(value) > max_length:
        problems.reject(
            name,
            gettext_noop("The {field} is longer than {limit} characters."),
            field=name,
            limit=max_length,
        )
        return ""
    return value


def _url(raw: Mapping[str, Any], name: str, problems: _RecordProblems) -> str:
    value = _text(raw, name, problems)
    # Only web links: a javascript: or data: link in a listing would run in a reader's browser.
    if value and not value.lower().startswith(("https://", "http://")):
        problems.reject(
            name, gettext_noop("The {field} must be a web address (https://…)."), field=name
        )
        return ""
    return value


def _email(value: object, name: str, problems: _RecordProblems) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.reject(name, gettext_noop("The {field} must be text."), field=name)
        return ""
    value = value.strip()
    if value and not _EMAIL.fullmatch(value):
        problems.reject(
            name,
            gettext_noop("{value} in {field} is not an email address."),
            field=name,
            value=value,
        )
        return ""
    return value


def _phone(raw: Mapping[str, Any], problems: _RecordProblems) -> str:
    value = _PHONE_SEPARATORS.sub("", _text(raw, "conference_phone", problems))
    if value and not _PHONE.fullmatch(value):
        problems.reject(
            "conference_phone",
            gettext_noop(
                "The conference_phone must be digits, with an optional leading + and , * # for one-tap dialing."
            ),
        )
        return ""
    return value


def _day_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 0 <= value <= 6:
        return value
    return None


def _days(value: object, problems: _RecordProblems) -> tuple[int, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    days = [_day_number(item) for item in items]
    if any(day is None for day in days):
        problems.reject(
            "day",
            gettext_noop(
                "The day must be a number from 0 (Sunday) to 6 (Saturday), or a list of them; got {value}."
            ),
            value=json.dumps(value)[:40],
        )
        return ()
    return tuple(sorted({day for day in days if day is not None}))


def _clock(value: object, name: str, problems: _RecordProblems) -> TimeOfDay | None:
    if value is None or value == "":
        return None
    match = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        problems.reject(
            name,
            gettext_noop("The {field} must be a 24-hour time like 19:30; got {value}."),
            field=name,
            value=json.dumps(value)[:40],
        )
        return None
    # Seconds are accepted but dropped: the spec's times are minutes, and so are exports.
    hour, minute, _seconds = match.groups()
    return TimeOfDay(int(hour), int(minute))


def _zone(value: object, problems: _RecordProblems) -> str:
    if value is None or value == "":
        return ""
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        problems.reject(
            "timezone",
            gettext_noop("The timezone must be a tz database name like America/New_York."),
        )
        return ""
    return value.strip()


def _types(value: object, problems: _RecordProblems) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if not isinstance(value, list) or not all(
        isinstance(code, str) or (isinstance(code, int) and not isinstance(code, bool))
        for code in value
    ):
        problems.reject("types", gettext_noop("The types must be a list of type codes."))
        return (), ()
    known: dict[str, None] = {}
    unknown: dict[str, None] = {}
    for item in value:
        code = str(item).strip()
        if not code:
            continue
        canonical = code if code in TYPE_CODES else _CODES_BY_UPPER.get(code.upper())
        if canonical:
            known[canonical] = None
        else:
            unknown[code] = None
    if unknown:
        problems.warn(
            "types",
            gettext_noop("Unknown type codes kept but not used for search: {codes}."),
            codes=", ".join(unknown),
        )
    return tuple(known), tuple(unknown)


def _coordinate(value: object, name: str, limit: float, problems: _RecordProblems) -> float | None:
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or abs(number) > limit:
        problems.reject(
            name,
            gettext_noop("The {field} must be a number between -{limit} and {limit}."),
            field=name,
            limit=int(limit),
        )
        return None
    return number


def _coordinates(
    raw: Mapping[str, Any], problems: _RecordProblems
) -> tuple[float | None, float | None]:
    latitude, longitude = raw.get("latitude", ""), raw.get("longitude", "")
    if latitude == "" and longitude == "":
        problems.warn(
            "latitude",
            gettext_noop("No coordinates: the meeting will not appear in distance searches."),
        )
        return None, None
    if latitude == "" or longitude == "":
        missing = "latitude" if latitude == "" else "longitude"
        problems.reject(
            missing,
            gettext_noop("Latitude and longitude go together; the {field} is missing."),
            field=missing,
        )
        return None, None
    return (
        _coordinate(latitude, "latitude", 90, problems),
        _coordinate(longitude, "longitude", 180, problems),
    )


def _approximate(value: object, problems: _RecordProblems) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"yes", "no"}:
        return value.strip().lower() == "yes"
    problems.reject("approximate", gettext_noop('The approximate field must be "yes" or "no".'))
    return None


def _text_list(value: object, name: str, problems: _RecordProblems) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.reject(name, gettext_noop("The {field} must be a list of text."), field=name)
        return ()
    return tuple(item.strip() for item in value if item.strip())


def _updated(value: object, problems: _RecordProblems) -> datetime | None:
    if value is None or value == "":
        return None
    parsed: datetime | None = None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        problems.reject(
            "updated",
            gettext_noop("The updated field must be a UTC time like 2024-05-31 14:32:23."),
        )
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _attendance(value: object, problems: _RecordProblems) -> str:
    if value is None or value == "":
        return ""
    if value not in ATTENDANCE_OPTIONS:
        problems.reject(
            "attendance_option",
            gettext_noop("The attendance_option must be one of {options}."),
            options=", ".join(ATTENDANCE_OPTIONS),
        )
        return ""
    return str(value)


def _check_schedule(values: dict[str, Any], problems: _RecordProblems) -> None:
    failed = {rejection.field for rejection in problems.rejections}
    has_day = bool(values["day"]) or "day" in failed
    has_time = values["time"] is not None or "time" in failed
    if has_day and not has_time:
        problems.reject("time", gettext_noop("A meeting with a day needs a start time."))
    elif has_time and not has_day:
        problems.reject("day", gettext_noop("A meeting with a start time needs a day."))
    elif not has_day and not has_time:
        problems.warn("day", gettext_noop("No day and time: listed as by appointment."))


def export_feed(records: Iterable[MeetingRecord]) -> list[dict[str, Any]]:
    """The records as a spec-valid feed (a list of JSON-ready dicts), leaving out empty fields."""
    return [_export_meeting(record) for record in records]


def _export_meeting(record: MeetingRecord) -> dict[str, Any]:
    meeting: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = getattr(record, name)
        if name == "unknown_types" or value is None or value in ("", ()):
            continue
        if name == "day":
            meeting["day"] = value[0] if len(value) == 1 else list(value)
        elif name in {"time", "end_time"}:
            meeting[name] = value.strftime("%H:%M")
        elif name == "types":
            continue
        elif name == "approximate":
            meeting[name] = "yes" if value else "no"
        elif name == "updated":
            meeting[name] = value.astimezone(UTC).strftime(_UPDATED_FORMAT)
        elif isinstance(value, tuple):
            meeting[name] = list(value)
        else:
            meeting[name] = value
    codes = [*record.types, *record.unknown_types]
    if codes:
        meeting["types"] = codes
    return meeting


def validate_feed(feed: object) -> list[str]:
    """Ways `feed` (decoded JSON) breaks the Meeting Guide spec; empty when it is valid.

    Strict, unlike parse_feed: only the forms the spec itself allows (integer days, "HH:MM"
    times, "yes"/"no", numeric coordinates, web links).
    """
    if not isinstance(feed, list):
        return ["The feed must be a JSON list."]
    errors: list[str] = []
    slugs: set[str] = set()
    for index, meeting in enumerate(feed):
        where = f"meeting {index}"
        if not isinstance(meeting, dict):
            errors.append(f"{where}: not an object")
            continue
        errors.extend(f"{where}: {problem}" for problem in _meeting_violations(meeting))
        slug = meeting.get("slug")
        if isinstance(slug, str):
            if slug in slugs:
                errors.append(f"{where}: duplicate slug {slug!r}")
            slugs.add(slug)
    return errors


def _meeting_violations(meeting: Mapping[str, Any]) -> list[str]:
    problems = []
    for required in ("name", "slug"):
        if not isinstance(meeting.get(required), str) or not meeting[required]:
            problems.append(f"{required} is required and must be a non-empty string")
    text_fields = (*TEXT_FIELDS, *URL_FIELDS, *EMAIL_FIELDS, "conference_phone", "timezone")
    for name in text_fields:
        if name in meeting and not isinstance(meeting[name], str):
            problems.append(f"{name} must be a string")
    for name in URL_FIELDS:
        if isinstance(meeting.get(name), str) and not meeting[name].startswith(
            ("https://", "http://")
        ):
            problems.append(f"{name} must be an http(s) URL")
    day = meeting.get("day")
    if day is not None:
        days = day if isinstance(day, list) else [day]
        if not all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= 6 for d in days):
            problems.append("day must be an integer 0-6 or a list of them")
    for name in ("time", "end_time"):
        value = meeting.get(name)
        if value is not None and not (isinstance(value, str) and _STRICT_CLOCK.fullmatch(value)):
            problems.append(f"{name} must be HH:MM")
    if (day is None) != (meeting.get("time") is None):
        problems.append("day and time go together")
    for name in ("latitude", "longitude"):
        value = meeting.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            problems.append(f"{name} must be a number")
    for name in ("types", "regions", "feedback_emails"):
        value = meeting.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            problems.append(f"{name} must be a list of strings")
    if meeting.get("approximate", "no") not in ("yes", "no"):
        problems.append('approximate must be "yes" or "no"')
    updated = meeting.get("updated")
    if updated is not None and not (isinstance(updated, str) and _UPDATED.fullmatch(updated)):
        problems.append("updated must be YYYY-MM-DD HH:MM:SS")
    if meeting.get("attendance_option", "in_person") not in ATTENDANCE_OPTIONS:
        problems.append("attendance_option is not one of " + ", ".join(ATTENDANCE_OPTIONS))
    if any(name in meeting for name in ENTITY_DETAIL_FIELDS) and not meeting.get("entity"):
        problems.append("entity is required with other entity fields")
    return problems


@dataclass(frozen=True)
class DirectoryFacets:
    """What a meeting's type codes and fields mean for the directory's filters."""

    attendance: str
    languages: tuple[str, ...]
    is_open: bool | None
    accessibility: tuple[str, ...]


def attendance_of(record: MeetingRecord) -> str:
    """How people attend: the feed's attendance_option, else read from codes and fields.

    Follows the 12 Step Meeting List plugin: TC means the room is closed, so a meeting with a
    conference link is then online only, and without one inactive.
    """
    if record.attendance_option:
        return record.attendance_option
    codes = set(record.types)
    has_conference = bool(record.conference_url or record.conference_phone)
    has_room = bool(record.address or record.formatted_address) and not record.approximate
    if "TC" in codes:
        return "online" if has_conference else "inactive"
    if "HY" in codes or (has_conference and has_room):
        return "hybrid"
    if "ONL" in codes or has_conference:
        return "online"
    return "in_person"


def directory_facets(record: MeetingRecord) -> DirectoryFacets:
    """The directory filters a meeting matches: format, languages, open or closed, accessibility."""
    codes = record.types
    is_open = True if "O" in codes else False if "C" in codes else None
    return DirectoryFacets(
        attendance=attendance_of(record),
        languages=tuple(LANGUAGE_BY_TYPE[code] for code in codes if code in LANGUAGE_BY_TYPE),
        is_open=is_open,
        accessibility=tuple(
            ACCESSIBILITY_BY_TYPE[code] for code in codes if code in ACCESSIBILITY_BY_TYPE
        ),
    )


def type_codes_for(
    *,
    attendance: str,
    languages: Iterable[str] = (),
    is_open: bool | None = None,
    accessibility: Iterable[str] = (),
) -> tuple[str, ...]:
    """The type codes that state a meeting's directory filters, for export (the reverse mapping).

    Languages and needs with no code are left out; attendance "in_person" has no code.
    """
    codes: list[str] = []
    if is_open is not None:
        codes.append("O" if is_open else "C")
    if attendance in TYPE_BY_ATTENDANCE:
        codes.append(TYPE_BY_ATTENDANCE[attendance])
    codes.extend(TYPE_BY_LANGUAGE[tag] for tag in languages if tag in TYPE_BY_LANGUAGE)
    codes.extend(
        TYPE_BY_ACCESSIBILITY[need] for need in accessibility if need in TYPE_BY_ACCESSIBILITY
    )
    return tuple(dict.fromkeys(codes))
