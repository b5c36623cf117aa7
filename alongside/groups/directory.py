"""The meeting directory: its index of upcoming occurrences and the search over it.

Expanding every schedule for every search would not stay fast on a large directory, so each
meeting's occurrences in the next HORIZON are kept in `DirectoryEntry` rows with the filters
beside them. The index is rebuilt for a meeting in the same transaction that changes it, its
group, or its exceptions (so a search never shows a cancelled meeting), and extended every
night by `tasks.extend_directory`.

A search is one grouped query over the index (each meeting once, at its next matching time) and
a count, then one query for the page's meetings: a bounding box narrows by place before the exact
great-circle distance is computed in SQL, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, DateTimeField, F, FloatField, Min, Q, QuerySet, Value, Window
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt
from django.utils import timezone

from alongside.groups import access, windows
from alongside.groups.models import DirectoryEntry, Format, Group, Meeting

HORIZON = timedelta(days=35)  # a monthly meeting always has an occurrence within it
EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.0
RADIUS_CHOICES = (1, 5, 10, 25, 50)
DEFAULT_RADIUS = 25
MAX_RADIUS = 100
PAGE_SIZE = 25
_REFRESH_BATCH = 500

# A person choosing "in person" can go to a hybrid meeting too, and so can one choosing online.
FORMATS_FOR = {
    Format.IN_PERSON: (Format.IN_PERSON, Format.HYBRID),
    Format.ONLINE: (Format.ONLINE, Format.HYBRID),
    Format.HYBRID: (Format.HYBRID,),
}
SORTS = ("next", "distance")


def _codes(values: Iterable[object]) -> str:
    """A set of codes as "|a|b|", so that "has code a" is LIKE '%|a|%'."""
    items = [str(value) for value in values]
    return f"|{'|'.join(items)}|" if items else ""


def _has(column: str, code: object) -> Q:
    return Q(**{f"{column}__contains": f"|{code}|"})


# --- the index ---------------------------------------------------------------------------------


# The map in squares of CELL_DEGREES: a 25-mile circle touches about two dozen of them.
CELL_DEGREES = 0.25
_CELLS_PER_ROW = round(360 / CELL_DEGREES) + 1
_COLUMNS = (
    "meeting_id",
    "group_id",
    "program_id",
    "is_published",
    "scheduled_at",
    "starts_at",
    "ends_at",
    "latitude",
    "longitude",
    "cell",
    "is_next",
    "format",
    "is_free",
    "areas",
    "languages",
    "accessibility",
    "types",
)


def _row_of(latitude: float) -> int:
    return math.floor((latitude + 90) / CELL_DEGREES)


def _column_of(longitude: float) -> int:
    return math.floor((longitude + 180) / CELL_DEGREES)


def cell_of(latitude: float | None, longitude: float | None) -> int | None:
    """The number of the map square a place is in; squares along a row are numbered in order."""
    if latitude is None or longitude is None:
        return None
    return _row_of(latitude) * _CELLS_PER_ROW + _column_of(longitude)


def entry_rows(meeting: Meeting, *, now: datetime) -> list[tuple]:
    """The index rows of `meeting` as values in _COLUMNS order (group, its areas and the
    meeting's exceptions loaded): every occurrence from the one under way to HORIZON ahead."""
    # feeds imports this module to refresh what it imports.
    from alongside.groups.feeds import group_type_codes

    group = meeting.group
    areas = _codes(sorted(area.pk for area in group.areas_of_concern.all()))
    types = _codes(dict.fromkeys([*meeting.types, *group_type_codes(group)]))
    latitude = float(meeting.latitude) if meeting.latitude is not None else None
    longitude = float(meeting.longitude) if meeting.longitude is not None else None
    cell = cell_of(latitude, longitude)
    rows = []
    next_found = False
    for occurrence in meeting.occurrences(now - meeting.duration, now + HORIZON):
        start = occurrence.start_utc
        is_next = not next_found and start >= now
        next_found = next_found or is_next
        rows.append(
            (
                meeting.pk,
                group.pk,
                meeting.program_id,
                group.is_published,
                occurrence.scheduled_utc,
                start,
                start + meeting.duration,
                latitude,
                longitude,
                cell,
                is_next,
                group.format,
                group.is_free,
                areas,
                _codes(group.languages),
                _codes(group.accessibility),
                types,
            )
        )
    return rows


def _write(rows: list[tuple]) -> None:
    """Insert index rows: by COPY on PostgreSQL (several times faster for a whole rebuild)."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = DirectoryEntry._meta.db_table
        statement = f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    DirectoryEntry.objects.bulk_create(
        (DirectoryEntry(**dict(zip(_COLUMNS, row, strict=True))) for row in rows),
        batch_size=1000,
    )


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _REFRESH_BATCH):
        yield ids[start : start + _REFRESH_BATCH]


@transaction.atomic
def refresh_meetings(meeting_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Rebuild the index rows of these meetings (deleted meetings lose theirs); rows written."""
    now = now or timezone.now()
    written = 0
    for batch in _batches(sorted(set(meeting_ids))):
        meetings = (
            Meeting.objects.filter(pk__in=batch)
            .select_related("group")
            .prefetch_related("exceptions", "group__areas_of_concern")
        )
        rows = [row for meeting in meetings for row in entry_rows(meeting, now=now)]
        DirectoryEntry.objects.filter(meeting_id__in=batch).delete()
        _write(rows)
        written += len(rows)
    return written


def refresh_group(group: Group, *, now: datetime | None = None) -> int:
    """Rebuild the index rows of every meeting of `group`, after the group itself changed."""
    return refresh_meetings(group.meetings.values_list("pk", flat=True), now=now)


def rebuild_all(*, now: datetime | None = None) -> int:
    """Rebuild the whole index: every meeting's next HORIZON from `now`."""
    now = now or timezone.now()
    with transaction.atomic():
        DirectoryEntry.objects.all().delete()
        return refresh_meetings(Meeting.objects.values_list("pk", flat=True), now=now)


@transaction.atomic
def move_on(*, now: datetime | None = None) -> int:
    """Keep the index current as time passes: each meeting whose next occurrence has started gets
    its following one marked next, and meetings that have ended are removed. Run every few
    minutes; returns how many meetings moved on."""
    now = now or timezone.now()
    started = list(
        DirectoryEntry.objects.filter(is_next=True, starts_at__lt=now).values_list(
            "meeting_id", flat=True
        )
    )
    for batch in _batches(started):
        DirectoryEntry.objects.filter(meeting_id__in=batch, is_next=True).update(is_next=False)
        firsts = (
            DirectoryEntry.objects.filter(meeting_id__in=batch, starts_at__gte=now)
            .values("meeting_id")
            .annotate(first=Min("starts_at"))
        )
        following = _any(Q(meeting_id=row["meeting_id"], starts_at=row["first"]) for row in firsts)
        if following:
            DirectoryEntry.objects.filter(following).update(is_next=True)
    DirectoryEntry.objects.filter(ends_at__lt=now).delete()
    return len(started)


# --- the search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryQuery:
    """What a person is looking for; every field optional. Validated by the form or serializer.

    `days` are weekdays (0 = Monday), `times` names from windows.TIME_SLOTS, `areas` area-of-
    concern ids (any of them), `accessibility` and `types` codes (all of them). `zone` is the
    viewer's time zone, in which "tonight" and "Tuesday mornings" are read.
    """

    latitude: float | None = None
    longitude: float | None = None
    radius_miles: float = DEFAULT_RADIUS
    areas: tuple[int, ...] = ()
    when: str = "any"
    days: tuple[int, ...] = ()
    times: tuple[str, ...] = ()
    zone: str = "UTC"
    format: str = ""
    language: str = ""
    accessibility: tuple[str, ...] = ()
    free_only: bool = False
    types: tuple[str, ...] = ()
    sort: str = "next"
    page: int = 1

    @property
    def has_place(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_any_time(self) -> bool:
        return self.when == "any" and not self.days and not self.times

    @property
    def uses_place(self) -> bool:
        """Online meetings have no place; a place narrows every other search."""
        return self.has_place and self.format != Format.ONLINE


@dataclass(frozen=True)
class DirectoryResult:
    meeting: Meeting
    starts_at: datetime
    scheduled_at: datetime
    distance_miles: float | None


@dataclass
class DirectoryPage:
    results: list[DirectoryResult] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_count: int = 1

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def visible_to(user) -> Q:
    """Index rows `user` may find: published groups, and for the signed-in also the unpublished
    groups they belong to, run or coordinate (the same groups access.groups_for lets them open)."""
    published = Q(is_published=True, program__is_active=True)
    if not user.is_authenticated:
        return published
    own = access.groups_for(user).filter(is_published=False).values("pk")
    return published | Q(group__in=own)


def _distance(latitude: float, longitude: float):
    """The haversine distance in miles from the point to each row, as an SQL expression."""
    lat0, lng0 = math.radians(latitude), math.radians(longitude)
    half_dlat = (Radians(F("latitude")) - Value(lat0)) / 2
    half_dlng = (Radians(F("longitude")) - Value(lng0)) / 2
    a = Power(Sin(half_dlat), 2) + Value(math.cos(lat0)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlng), 2
    )
    return Value(2 * EARTH_RADIUS_MILES) * ASin(Sqrt(a, output_field=FloatField()))


def _near(latitude: float, longitude: float, radius: float) -> Q:
    """The map squares around the circle (a range of cell numbers per row of squares, which the
    place index answers) and the box around it."""
    dlat = radius / MILES_PER_DEGREE_LATITUDE
    widest = max(abs(latitude) + dlat, 0.0)
    dlng = radius / (
        MILES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(min(widest, 89.9))), 0.01)
    )
    south, north = max(latitude - dlat, -90.0), min(latitude + dlat, 90.0)
    west, east = max(longitude - dlng, -180.0), min(longitude + dlng, 180.0)
    first, last = _column_of(west), _column_of(east)
    squares = _any(
        Q(cell__range=(row * _CELLS_PER_ROW + first, row * _CELLS_PER_ROW + last))
        for row in range(_row_of(south), _row_of(north) + 1)
    )
    return squares & Q(
        latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
    )


def matching_entries(query: DirectoryQuery, *, user, now: datetime) -> QuerySet[DirectoryEntry]:
    """The index rows that match `query` for `user`: at any time, each meeting's next one;
    otherwise every occurrence in the spans asked for, to be grouped by meeting."""
    entries = DirectoryEntry.objects.filter(visible_to(user))
    if query.is_any_time:
        entries = entries.filter(is_next=True)
    else:
        spans = windows.search_spans(
            now, query.zone, when=query.when, days=query.days, times=query.times, horizon=HORIZON
        )
        if not spans:
            return DirectoryEntry.objects.none()
        entries = entries.filter(
            _any(Q(starts_at__gte=start, starts_at__lt=end) for start, end in spans)
        )
    if query.uses_place:
        assert query.latitude is not None and query.longitude is not None
        entries = entries.filter(_near(query.latitude, query.longitude, query.radius_miles))
    if query.areas:
        entries = entries.filter(_any(_has("areas", area) for area in query.areas))
    if query.format:
        entries = entries.filter(format__in=FORMATS_FOR[Format(query.format)])
    if query.language:
        entries = entries.filter(_has("languages", query.language))
    for code in query.accessibility:
        entries = entries.filter(_has("accessibility", code))
    for code in query.types:
        entries = entries.filter(_has("types", code))
    if query.free_only:
        entries = entries.filter(is_free=True)
    return entries


def _any(conditions: Iterable[Q]) -> Q:
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


def _one_row_per_meeting(
    query: DirectoryQuery, entries: QuerySet[DirectoryEntry]
) -> QuerySet[Any, Any]:
    """Rows of meeting_id, next_start, scheduled (None when grouped) and distance (with a place)."""
    rows: QuerySet[Any, Any]
    distance = None
    if query.uses_place:
        assert query.latitude is not None and query.longitude is not None
        distance = _distance(query.latitude, query.longitude)
    if query.is_any_time:
        rows = entries.values("meeting_id", next_start=F("starts_at"), scheduled=F("scheduled_at"))
        if distance is not None:
            rows = rows.annotate(distance=distance)
    else:
        rows = entries.values("meeting_id").annotate(
            next_start=Min("starts_at"), scheduled=Value(None, output_field=DateTimeField())
        )
        if distance is not None:
            rows = rows.annotate(distance=Min(distance))
    if distance is not None:
        # The stubs cannot see an alias annotated after values(); Django can.
        rows = rows.filter(distance__lte=query.radius_miles)  # type: ignore[misc]
    if query.sort == "distance" and distance is not None:
        return rows.order_by("distance", "next_start", "meeting_id")
    return rows.order_by("next_start", "meeting_id")


def search(query: DirectoryQuery, *, user, now: datetime | None = None) -> DirectoryPage:
    """One page of meetings matching `query`, each at its next matching time, and how many there
    are: two queries at any time, three for a time of day (which finds the RSVP keys)."""
    now = now or timezone.now()
    rows_of = _one_row_per_meeting(query, matching_entries(query, user=user, now=now))
    page = max(1, query.page)
    rows = list(
        rows_of.annotate(total=Window(Count("meeting_id")))[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    total = rows[0]["total"] if rows else rows_of.count() if page > 1 else 0
    page_count = max(1, math.ceil(total / PAGE_SIZE))
    meeting_ids = [row["meeting_id"] for row in rows]
    meetings = Meeting.objects.select_related("group", "program").in_bulk(meeting_ids)
    if rows and rows[0]["scheduled"] is None:
        # Grouped by meeting: the RSVP key of each shown occurrence, where the schedule put it.
        scheduled = {
            (meeting_id, starts_at): scheduled_at
            for meeting_id, starts_at, scheduled_at in DirectoryEntry.objects.filter(
                meeting_id__in=meeting_ids, starts_at__in={row["next_start"] for row in rows}
            ).values_list("meeting_id", "starts_at", "scheduled_at")
        }
        for row in rows:
            row["scheduled"] = scheduled.get((row["meeting_id"], row["next_start"]))
    results = [
        DirectoryResult(
            meeting=meetings[row["meeting_id"]],
            starts_at=row["next_start"],
            scheduled_at=row["scheduled"] or row["next_start"],
            distance_miles=row.get("distance"),
        )
        for row in rows
        if row["meeting_id"] in meetings
    ]
    return DirectoryPage(
        results=results, total=total, page=min(page, page_count), page_count=page_count
    )
