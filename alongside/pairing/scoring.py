"""How well a member and a supporter fit: hard filters, a weighted score and the reasons for it.

Plain data in, plain data out, no Django: the Django layer builds the profiles from the database and
translates the reason sentences. `score()` explains one pair; `SupporterIndex` computes the same totals
for many members against every supporter at once with NumPy, for batch candidates and instant match.
The two must agree to the last bit, which the tests check.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

Id: TypeAlias = Hashable
Preference: TypeAlias = Literal["required", "nice"]

HOURS_PER_WEEK = 168
# Overlap beyond this many free hours a week adds nothing: a weekly call needs only a few.
FULL_AVAILABILITY_HOURS = 10
# Offsets this far apart or more share no waking hours worth counting.
MAX_TIME_ZONE_GAP_HOURS = 12.0
# Recovery time beyond this adds nothing more to a supporter's score.
FULL_RECOVERY_YEARS = 5.0

# Reason sentences, keyed by factor. These are the only English strings in this module: the Django
# layer translates them (mark each with gettext_noop there) and formats them with the same keys.
SENTENCES: dict[str, str] = {
    "language": "You both speak {languages}",
    "areas": "Your supporter has lived experience with {areas}, which you want help with",
    "experience": "You both are in recovery from {experiences} use",
    "availability": "Your free times overlap {hours} h a week",
    "time_zone_same": "You are in the same time zone",
    "time_zone_near": "Your time zones are {hours} h apart",
    "modality": "You both can meet by {modalities}",
    "identity": "You both identify as {identities}",
    "recovery_time": "Your supporter has {years} years in recovery",
}


@dataclass(frozen=True, slots=True)
class SupporterProfile:
    id: Id
    program_id: Id
    areas: frozenset[str] = frozenset()
    experiences: frozenset[str] = frozenset()
    years_in_recovery: float = 0.0
    languages: frozenset[str] = frozenset()
    utc_offset_hours: float = 0.0
    # Hours of the UTC week, 0 (Monday 00:00 UTC) to 167, in the first reference week.
    availability: frozenset[int] = frozenset()
    modalities: frozenset[str] = frozenset()
    identities: frozenset[str] = frozenset()
    capacity_left: int = 1
    active: bool = True
    # The same free times in UTC in each further reference week (see overlap_hours).
    seasons: tuple[frozenset[int], ...] = ()

    def __post_init__(self) -> None:
        for slots in (self.availability, *self.seasons):
            _check_availability(slots, self.id)
        if not self.years_in_recovery >= 0:
            raise ValueError(f"supporter {self.id!r}: years_in_recovery must be 0 or more")


@dataclass(frozen=True, slots=True)
class MemberProfile:
    id: Id
    program_id: Id
    wants_help_with: frozenset[str] = frozenset()
    experiences: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    utc_offset_hours: float = 0.0
    availability: frozenset[int] = frozenset()
    modalities: frozenset[str] = frozenset()
    identity_preferences: Mapping[str, Preference] = field(default_factory=dict)
    modality_required: bool = False
    blocked_supporters: frozenset[Id] = frozenset()
    bad_past_pairings: frozenset[Id] = frozenset()
    seasons: tuple[frozenset[int], ...] = ()
    # Derived from identity_preferences once, because scoring asks for them for every pair.
    required_identities: frozenset[str] = field(init=False, repr=False, compare=False)
    nice_identities: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for slots in (self.availability, *self.seasons):
            _check_availability(slots, self.id)
        for identity, preference in self.identity_preferences.items():
            if preference not in ("required", "nice"):
                raise ValueError(
                    f"member {self.id!r}: preference for {identity!r} must be "
                    f"'required' or 'nice', not {preference!r}"
                )
        wanted = self.identity_preferences.items()
        object.__setattr__(
            self, "required_identities", frozenset(k for k, v in wanted if v == "required")
        )
        object.__setattr__(self, "nice_identities", frozenset(k for k, v in wanted if v == "nice"))


def _season(profile: MemberProfile | SupporterProfile, week: int) -> frozenset[int]:
    """The profile's free UTC hours in reference week `week` (0 is `availability`)."""
    if 0 < week <= len(profile.seasons):
        return profile.seasons[week - 1]
    return profile.availability


def overlap_hours(member: MemberProfile, supporter: SupporterProfile) -> int:
    """The hours a week both are free, in the reference week where they overlap least.

    Free times are kept in each person's own zone and clock, so in UTC they move when daylight
    saving starts or ends, and zones change on different dates (New York three weeks before
    London in spring, Phoenix never). The caller converts them for a few reference weeks, one per
    combination of clocks the people matched together go through in a year: `availability` is
    the first, `seasons` the others, in the same order for everyone matched together. A profile
    with no `seasons` keeps the same UTC hours all year (a zone without daylight saving). A
    pairing lasts months, so the overlap promised is the one that holds in every week.
    """
    hours = len(member.availability & supporter.availability)
    for week in range(1, 1 + max(len(member.seasons), len(supporter.seasons))):
        hours = min(hours, len(_season(member, week) & _season(supporter, week)))
    return hours


def _check_availability(slots: frozenset[int], owner: Id) -> None:
    if any(not 0 <= slot < HOURS_PER_WEEK for slot in slots):
        raise ValueError(f"{owner!r}: availability slots must be hours of the week, 0 to 167")


@dataclass(frozen=True, slots=True)
class Weights:
    """What each soft factor is worth at most; a program can change them."""

    area_overlap: float = 3.0
    shared_experience: float = 2.0
    availability: float = 1.5
    time_zone: float = 1.0
    modality: float = 1.0
    identity_nice: float = 1.0
    recovery_time: float = 0.5

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"weight {name} must be a finite number, 0 or more")


@dataclass(frozen=True, slots=True)
class Reason:
    factor: str
    contribution: float
    sentence: str
    # SENTENCES[template].format(**dict(params)) is the sentence: what a translation rebuilds from.
    template: str = ""
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    reasons: tuple[Reason, ...]


def hard_filter(member: MemberProfile, supporter: SupporterProfile) -> str | None:
    """None when this supporter may be matched with this member, else a short code saying why not."""
    if member.program_id != supporter.program_id:
        return "other_program"
    if not supporter.active:
        return "inactive"
    if supporter.capacity_left <= 0:
        return "no_capacity"
    if supporter.id in member.blocked_supporters:
        return "blocked"
    if supporter.id in member.bad_past_pairings:
        return "ended_badly"
    if not member.languages & supporter.languages:
        return "no_common_language"
    if not member.required_identities <= supporter.identities:
        return "required_preference"
    if member.modality_required and not member.modalities & supporter.modalities:
        return "required_preference"
    return None


def _listing(items: frozenset[str] | set[str]) -> str:
    if len(items) == 1:
        return next(iter(items))
    ordered = sorted(items)
    return ", ".join(ordered[:-1]) + " and " + ordered[-1]


def _reason(factor: str, contribution: float, template: str = "", **params: str) -> Reason:
    template = template or factor
    sentence = SENTENCES[template].format(**params)
    return Reason(factor, contribution, sentence, template, tuple(params.items()))


def score(member: MemberProfile, supporter: SupporterProfile, weights: Weights) -> Score:
    """The soft-factor score of a pair that passed hard_filter, with one reason per factor that counted.

    The order of the reasons is the order of the additions in SupporterIndex.totals; keep them in step.
    """
    reasons = []
    # A common language is a hard requirement, not a soft factor: it explains, it adds nothing.
    languages = member.languages & supporter.languages
    if languages:
        reasons.append(_reason("language", 0.0, languages=_listing(languages)))

    areas = member.wants_help_with & supporter.areas
    if areas and weights.area_overlap:
        contribution = weights.area_overlap * len(areas) / len(member.wants_help_with)
        reasons.append(_reason("areas", contribution, areas=_listing(areas)))

    experiences = member.experiences & supporter.experiences
    if experiences and weights.shared_experience:
        contribution = weights.shared_experience * len(experiences) / len(member.experiences)
        reasons.append(_reason("experience", contribution, experiences=_listing(experiences)))

    hours = overlap_hours(member, supporter)
    if hours and weights.availability:
        contribution = (
            weights.availability * min(hours, FULL_AVAILABILITY_HOURS) / FULL_AVAILABILITY_HOURS
        )
        reasons.append(_reason("availability", contribution, hours=str(hours)))

    gap = abs(member.utc_offset_hours - supporter.utc_offset_hours)
    closeness = max(0.0, 1.0 - gap / MAX_TIME_ZONE_GAP_HOURS)
    if closeness and weights.time_zone:
        contribution = weights.time_zone * closeness
        if gap:
            reasons.append(_reason("time_zone", contribution, "time_zone_near", hours=f"{gap:g}"))
        else:
            reasons.append(_reason("time_zone", contribution, "time_zone_same"))

    modalities = member.modalities & supporter.modalities
    if modalities and weights.modality:
        reasons.append(_reason("modality", weights.modality, modalities=_listing(modalities)))

    wished = member.nice_identities
    identities = wished & supporter.identities
    if identities and weights.identity_nice:
        contribution = weights.identity_nice * len(identities) / len(wished)
        reasons.append(_reason("identity", contribution, identities=_listing(identities)))

    years = supporter.years_in_recovery
    if years and weights.recovery_time:
        contribution = weights.recovery_time * min(years, FULL_RECOVERY_YEARS) / FULL_RECOVERY_YEARS
        reasons.append(_reason("recovery_time", contribution, years=f"{years:g}"))

    # sum() in reason order, so total is exactly the sum of the contributions as listed.
    return Score(total=sum(r.contribution for r in reasons), reasons=tuple(reasons))


FloatMatrix: TypeAlias = npt.NDArray[np.float64]
_WORD = 64


class _Bitsets:
    """Sets of strings as rows of 64-bit words over one vocabulary, for fast intersection counts."""

    def __init__(self, vocabulary: set[str] | frozenset[str] | range) -> None:
        self.bit = {item: i for i, item in enumerate(sorted(vocabulary))}
        self.words = max(1, -(-len(self.bit) // _WORD))

    def encode(self, sets: Sequence[frozenset]) -> npt.NDArray[np.uint64]:
        out = np.zeros((len(sets), self.words), dtype=np.uint64)
        bit = self.bit
        for row, items in enumerate(sets):
            value = 0
            for item in items:
                if item in bit:
                    value |= 1 << bit[item]
            for word in range(self.words):
                out[row, word] = (value >> (_WORD * word)) & 0xFFFFFFFFFFFFFFFF
        return out


def _shared(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.int32]:
    """Sizes of the intersections of every row of a with every row of b."""
    counts = np.zeros((a.shape[0], b.shape[0]), dtype=np.int32)
    for word in range(a.shape[1]):
        counts += np.bitwise_count(a[:, None, word] & b[None, :, word])
    return counts


def _share_any(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.bool_]:
    return _shared(a, b) > 0


class SupporterIndex:
    """The supporters encoded once as arrays, to score members against all of them in one go."""

    def __init__(self, supporters: Sequence[SupporterProfile]) -> None:
        self.supporters = list(supporters)
        self.position = {s.id: i for i, s in enumerate(self.supporters)}
        if len(self.position) != len(self.supporters):
            raise ValueError("supporter ids must be unique")
        s = self.supporters
        self._programs = {p: i for i, p in enumerate(dict.fromkeys(x.program_id for x in s))}
        self.program = np.array([self._programs[x.program_id] for x in s], dtype=np.int64)
        self.open = np.array([x.active and x.capacity_left > 0 for x in s], dtype=np.bool_)
        self.offset = np.array([x.utc_offset_hours for x in s], dtype=np.float64)
        self.years = np.array([x.years_in_recovery for x in s], dtype=np.float64)
        self._sets: dict[str, _Bitsets] = {}
        self._bits: dict[str, npt.NDArray[np.uint64]] = {}
        for name in ("areas", "experiences", "languages", "modalities", "identities"):
            column = [getattr(x, name) for x in s]
            self._sets[name] = _Bitsets(frozenset().union(*column))
            self._bits[name] = self._sets[name].encode(column)
        self._sets["availability"] = _Bitsets(range(HOURS_PER_WEEK))
        self._bits["availability"] = self._sets["availability"].encode([x.availability for x in s])
        # Further reference weeks, each row its supporter's availability if they have no seasons.
        self._season_bits = [
            self._sets["availability"].encode([_season(x, week) for x in s])
            for week in range(1, 1 + max((len(x.seasons) for x in s), default=0))
        ]

    def totals(self, members: Sequence[MemberProfile], weights: Weights) -> FloatMatrix:
        """score().total for every member (rows) and supporter (columns); -inf where hard_filter fails."""
        bits = self._bits

        def encode(name: str, sets: Sequence[frozenset]) -> npt.NDArray[np.uint64]:
            return self._sets[name].encode(sets)

        def sizes(sets: Sequence[frozenset]) -> npt.NDArray[np.float64]:
            # A member with nothing listed shares nothing, so the divisor only has to be non-zero.
            return np.array([max(1, len(x)) for x in sets], dtype=np.float64)[:, None]

        m = members
        program = np.array([self._programs.get(x.program_id, -1) for x in m], dtype=np.int64)
        allowed = (program[:, None] == self.program[None, :]) & self.open[None, :]
        allowed &= _share_any(encode("languages", [x.languages for x in m]), bits["languages"])
        known_identities = self._sets["identities"].bit
        required = [x.required_identities for x in m]
        required_bits = encode("identities", required)
        for word in range(required_bits.shape[1]):
            missing = required_bits[:, None, word] & ~bits["identities"][None, :, word]
            allowed &= missing == 0
        modalities = encode("modalities", [x.modalities for x in m])
        shared_modality = _share_any(modalities, bits["modalities"])
        for row, member in enumerate(m):
            if not required[row] <= known_identities.keys():
                allowed[row, :] = False
            if member.modality_required:
                allowed[row, :] &= shared_modality[row]
            for supporter_id in member.blocked_supporters | member.bad_past_pairings:
                column = self.position.get(supporter_id)
                if column is not None:
                    allowed[row, column] = False

        w = weights
        total = np.zeros(allowed.shape, dtype=np.float64)
        areas = _shared(encode("areas", [x.wants_help_with for x in m]), bits["areas"])
        total += w.area_overlap * areas / sizes([x.wants_help_with for x in m])
        experiences = _shared(
            encode("experiences", [x.experiences for x in m]), bits["experiences"]
        )
        total += w.shared_experience * experiences / sizes([x.experiences for x in m])
        hours = _shared(encode("availability", [x.availability for x in m]), bits["availability"])
        member_weeks = max((len(x.seasons) for x in m), default=0)
        for week in range(1, 1 + max(member_weeks, len(self._season_bits))):
            theirs = (
                self._season_bits[week - 1]
                if week <= len(self._season_bits)
                else bits["availability"]
            )
            ours = encode("availability", [_season(x, week) for x in m])
            hours = np.minimum(hours, _shared(ours, theirs))
        total += (
            w.availability * np.minimum(hours, FULL_AVAILABILITY_HOURS) / FULL_AVAILABILITY_HOURS
        )
        member_offset = np.array([x.utc_offset_hours for x in m], dtype=np.float64)
        gap = np.abs(member_offset[:, None] - self.offset[None, :])
        total += w.time_zone * np.maximum(0.0, 1.0 - gap / MAX_TIME_ZONE_GAP_HOURS)
        total += np.where(shared_modality, w.modality, 0.0)
        wished = [x.nice_identities for x in m]
        identities = _shared(encode("identities", wished), bits["identities"])
        total += w.identity_nice * identities / sizes(wished)
        recovery = (
            w.recovery_time * np.minimum(self.years, FULL_RECOVERY_YEARS) / FULL_RECOVERY_YEARS
        )
        total += recovery[None, :]
        total[~allowed] = -np.inf
        return total
