"""From database rows to the pure matching core and back: profiles in, proposals with reasons out.

Member and supporter ids in the pure profiles are user ids; area ids are AreaOfConcern slugs.
Reasons come from `scoring.score`, and their sentences are rebuilt here in the viewer's language
from the same template keys, with names instead of codes.
"""

import functools
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alongside.accounts.models import SPOKEN_LANGUAGES
from alongside.core.models import AreaOfConcern
from alongside.pairing import access
from alongside.pairing.models import (
    HOURS_PER_WEEK,
    OPEN_STATES,
    Block,
    CloseReason,
    Experience,
    Identity,
    MemberMatchRequest,
    Modality,
    Pairing,
    State,
    SupporterMatchProfile,
    SupporterStatus,
)
from alongside.pairing.scoring import (
    MemberProfile,
    Reason,
    Score,
    SupporterIndex,
    SupporterProfile,
    hard_filter,
    score,
)
from alongside.pairing.solve import candidate_edges, solve
from alongside.programs.models import Program

INSTANT_MATCHES = 3
# Other supporters shown for each proposal in the batch review, to swap to.
ALTERNATIVES_SHOWN = 3

# The reason sentences of scoring.SENTENCES, marked for translation (a test keeps them equal).
REASON_SENTENCES = {
    "language": gettext_noop("You both speak {languages}"),
    "areas": gettext_noop(
        "Your supporter has lived experience with {areas}, which you want help with"
    ),
    "experience": gettext_noop("You both are in recovery from {experiences} use"),
    "availability": gettext_noop("Your free times overlap {hours} h a week"),
    "time_zone_same": gettext_noop("You are in the same time zone"),
    "time_zone_near": gettext_noop("Your time zones are {hours} h apart"),
    "modality": gettext_noop("You both can meet by {modalities}"),
    "identity": gettext_noop("You both identify as {identities}"),
    "recovery_time": gettext_noop("Your supporter has {years} years in recovery"),
}

HARD_FILTER_MESSAGES = {
    "other_program": gettext_noop("They are not in the same program."),
    "inactive": gettext_noop("The supporter is not approved for new matches."),
    "no_capacity": gettext_noop("The supporter has no place left."),
    "blocked": gettext_noop("The member has blocked this supporter."),
    "ended_badly": gettext_noop("An earlier pairing of these two ended badly."),
    "no_common_language": gettext_noop("They share no language."),
    "required_preference": gettext_noop(
        "The supporter does not meet a preference the member marked as required."
    ),
}


# How far ahead reference weeks are looked for: a whole year of clock changes, day by day, so even
# the one week of autumn when Europe has turned its clocks back and North America has not is seen.
REFERENCE_DAYS = 366


def _zone(time_zone: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def utc_offset_hours(time_zone: str, at: datetime | None = None) -> float:
    """The offset from UTC of `time_zone` at `at` (now), in hours; 0 for an unknown zone."""
    zone = _zone(time_zone)
    if zone is None:
        return 0.0
    offset = (at or timezone.now()).astimezone(zone).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def reference_instants(time_zones: Iterable[str], start: datetime | None = None) -> list[datetime]:
    """`start` (this hour), then the first moment of each other combination of clocks `time_zones`
    go through in the coming year: the weeks on which free times in UTC must be compared.

    New York and London give three: both on winter time; New York alone on summer time (three
    weeks in March, and again the week around the end of October when London has turned its
    clocks back first); both on summer time. Zones without daylight saving add none.
    """
    start = start or timezone.now().replace(minute=0, second=0, microsecond=0)
    columns = [_daily_offsets(name, start) for name in sorted(set(time_zones))]
    instants: list[datetime] = []
    seen: set[tuple] = set()
    for day, clocks in enumerate(zip(*columns, strict=True) if columns else [()]):
        if clocks not in seen:
            seen.add(clocks)
            instants.append(start + timedelta(days=day))
    return instants


@functools.lru_cache(maxsize=512)
def _daily_offsets(time_zone: str, start: datetime) -> tuple[timedelta | None, ...]:
    """The UTC offset of `time_zone` at `start` and at the same time on each of the next days
    (None for an unknown zone); cached, since every match in the hour asks again."""
    zone = _zone(time_zone)
    moments = (start + timedelta(days=day) for day in range(REFERENCE_DAYS))
    return tuple(
        None if zone is None else moment.astimezone(zone).utcoffset() for moment in moments
    )


def hours_in_utc(local_hours: Iterable[int], offset_hours: float) -> frozenset[int]:
    """Hours of the week in a zone `offset_hours` from UTC, as hours of the UTC week.

    Half-hour zones round to the nearest hour: the grid has whole hours only.
    """
    shift = round(offset_hours)
    return frozenset((hour - shift) % HOURS_PER_WEEK for hour in local_hours)


def free_hours(
    local_hours: Iterable[int], time_zone: str, instants: Sequence[datetime]
) -> tuple[frozenset[int], tuple[frozenset[int], ...]]:
    """Free hours of the local week as hours of the UTC week at each of `instants` (see
    `reference_instants`): the profile's `availability` and its `seasons`, which are left empty
    when they would all equal `availability` (a zone without daylight saving)."""
    hours = list(local_hours)
    first, *others = [hours_in_utc(hours, utc_offset_hours(time_zone, at)) for at in instants]
    return first, tuple(others) if any(other != first for other in others) else ()


def _instants_for(rows: Iterable[SupporterMatchProfile], requests: Iterable[MemberMatchRequest]):
    """The reference instants of everyone in `rows` and `requests`, matched together."""
    return reference_instants(
        [row.membership.user.profile.time_zone for row in rows]
        + [request.membership.user.profile.time_zone for request in requests]
    )


def _supporter_rows(program: Program):
    return (
        access.supporter_profiles_of(program)
        .filter(status=SupporterStatus.APPROVED)
        .filter(membership__user__is_active=True)
        .annotate(
            open_pairings=Count(
                "membership__user__pairings_as_supporter",
                filter=Q(membership__user__pairings_as_supporter__program=program)
                & Q(membership__user__pairings_as_supporter__state__in=OPEN_STATES),
                distinct=True,
            )
        )
        .prefetch_related("areas")
    )


def supporter_profile_of(
    row: SupporterMatchProfile, *, open_pairings: int, instants: Sequence[datetime]
) -> SupporterProfile:
    """The pure profile of one supporter row; their places already taken are `open_pairings`;
    free times at `instants`, the same for everyone matched together."""
    user_profile = row.membership.user.profile
    offset = utc_offset_hours(user_profile.time_zone, instants[0])
    availability, seasons = free_hours(row.availability, user_profile.time_zone, instants)
    return SupporterProfile(
        id=row.membership.user_id,
        program_id=row.membership.program_id,
        areas=frozenset(area.slug for area in row.areas.all()),
        experiences=frozenset(row.experiences),
        years_in_recovery=float(row.years_in_recovery),
        languages=frozenset(user_profile.languages),
        utc_offset_hours=offset,
        availability=availability,
        modalities=frozenset(row.modalities),
        identities=frozenset(row.identities),
        capacity_left=max(0, row.capacity - open_pairings),
        active=row.status == SupporterStatus.APPROVED,
        seasons=seasons,
    )


def supporters_for_matching(program: Program) -> list[SupporterProfile]:
    """Every approved supporter of `program` with places left counted against open pairings,
    with the reference weeks of the program's supporters and waiting members."""
    rows = list(_supporter_rows(program))
    instants = _instants_for(rows, access.waiting_requests_of(program))
    return [
        supporter_profile_of(row, open_pairings=row.open_pairings, instants=instants)
        for row in rows
    ]


def _past_of(program: Program, member_ids: Sequence[int]):
    blocked: dict[int, set[int]] = defaultdict(set)
    for member_id, supporter_id in Block.objects.filter(
        program=program, member_id__in=member_ids
    ).values_list("member_id", "supporter_id"):
        blocked[member_id].add(supporter_id)
    ended_badly: dict[int, set[int]] = defaultdict(set)
    for member_id, supporter_id in Pairing.objects.filter(
        program=program, member_id__in=member_ids, state=State.CLOSED, ended_badly=True
    ).values_list("member_id", "supporter_id"):
        ended_badly[member_id].add(supporter_id)
    return blocked, ended_badly


def member_profiles_of(
    program: Program, requests: Sequence[MemberMatchRequest], *, instants: Sequence[datetime]
) -> list[MemberProfile]:
    """The pure profiles of `program`'s match `requests`, with blocks and bad endings loaded;
    free times at `instants`, the same for everyone matched together."""
    member_ids = [request.membership.user_id for request in requests]
    blocked, ended_badly = _past_of(program, member_ids)
    profiles = []
    for request in requests:
        user_id = request.membership.user_id
        time_zone = request.membership.user.profile.time_zone
        offset = utc_offset_hours(time_zone, instants[0])
        availability, seasons = free_hours(request.availability, time_zone, instants)
        profiles.append(
            MemberProfile(
                id=user_id,
                program_id=program.pk,
                wants_help_with=frozenset(area.slug for area in request.areas.all()),
                experiences=frozenset(request.experiences),
                languages=frozenset(request.languages),
                utc_offset_hours=offset,
                availability=availability,
                modalities=frozenset(request.modalities),
                identity_preferences=dict(request.identity_preferences),
                modality_required=request.modality_required,
                blocked_supporters=frozenset(blocked[user_id]),
                bad_past_pairings=frozenset(ended_badly[user_id]),
                seasons=seasons,
            )
        )
    return profiles


@dataclass(frozen=True)
class PairCheck:
    """Whether a member may be matched with a supporter now: the refusal, or the score."""

    refusal: str | None
    total: float | None


def check_pair(program: Program, request: MemberMatchRequest, supporter_user) -> PairCheck:
    """The hard filters and score of `request`'s member with `supporter_user`, from the database."""
    row = _supporter_rows(program).filter(membership__user=supporter_user).first()
    if row is None:
        return PairCheck(_("This person is not an approved peer supporter of the program."), None)
    instants = _instants_for([row], [request])
    supporter = supporter_profile_of(row, open_pairings=row.open_pairings, instants=instants)
    (member,) = member_profiles_of(program, [request], instants=instants)
    code = hard_filter(member, supporter)
    if code is not None:
        return PairCheck(_(HARD_FILTER_MESSAGES[code]), None)
    return PairCheck(None, score(member, supporter, access.settings_of(program).weights).total)


@dataclass(frozen=True)
class ExplainedReason:
    factor: str
    contribution: float
    sentence: str


@dataclass(frozen=True)
class Proposal:
    """A member and a supporter the solver or instant match put together, with the reasons."""

    request: MemberMatchRequest
    supporter: Any  # the supporter's User, profile loaded
    total: float
    reasons: list[ExplainedReason]

    @property
    def member(self):
        return self.request.membership.user


def _listing(names: list[str]) -> str:
    names = sorted(names)
    if len(names) == 1:
        return names[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def _labels(codes: Iterable[str], choices: Mapping) -> list[str]:
    return [str(choices.get(code, code)) for code in codes]


def explain(
    member: MemberProfile, supporter: SupporterProfile, result: Score, *, area_names: dict
) -> list[ExplainedReason]:
    """`result`'s reasons as sentences in the active language, with names instead of codes."""
    names = {
        "languages": lambda: _labels(
            member.languages & supporter.languages, dict(SPOKEN_LANGUAGES)
        ),
        "areas": lambda: _labels(member.wants_help_with & supporter.areas, area_names),
        "experiences": lambda: _labels(
            member.experiences & supporter.experiences, dict(Experience.choices)
        ),
        "modalities": lambda: _labels(
            member.modalities & supporter.modalities, dict(Modality.choices)
        ),
        "identities": lambda: _labels(
            member.nice_identities & supporter.identities, dict(Identity.choices)
        ),
    }
    return [_explained(reason, names) for reason in result.reasons]


def _explained(reason: Reason, names: dict) -> ExplainedReason:
    params = {
        key: _listing(names[key]()) if key in names else value for key, value in reason.params
    }
    sentence = _(REASON_SENTENCES[reason.template]).format(**params)
    return ExplainedReason(reason.factor, reason.contribution, sentence)


def _area_names() -> dict[str, str]:
    return {area.slug: area.localized_name for area in AreaOfConcern.objects.all()}


def _proposal(request, supporter_user, member, supporter, weights, area_names) -> Proposal:
    result = score(member, supporter, weights)
    return Proposal(
        request,
        supporter_user,
        result.total,
        explain(member, supporter, result, area_names=area_names),
    )


@dataclass(frozen=True)
class BatchRow:
    """One proposal of a batch and the other supporters the coordinator may swap to."""

    proposal: Proposal
    alternatives: list[Proposal]


def _best_columns(totals: np.ndarray, limit: int, skip: int | None = None) -> list[int]:
    """The positions of the `limit` highest finite totals, best first, ties in input order."""
    order = np.argsort(-totals, kind="stable")
    return [int(i) for i in order if np.isfinite(totals[i]) and i != skip][:limit]


def batch_review(program: Program, alternatives: int = ALTERNATIVES_SHOWN) -> list[BatchRow]:
    """The exact best matching of `program`'s waiting members to its supporters with places left
    (the most members matched, then the highest total score, with the program's weights and
    top K), each proposal with its reasons and up to `alternatives` other allowed supporters."""
    pairing_settings = access.settings_of(program)
    weights = pairing_settings.weights
    requests = list(access.waiting_requests_of(program))
    rows = list(_supporter_rows(program))
    instants = _instants_for(rows, requests)
    supporters = [
        supporter_profile_of(row, open_pairings=row.open_pairings, instants=instants)
        for row in rows
    ]
    members = member_profiles_of(program, requests, instants=instants)
    edges = candidate_edges(members, supporters, weights, top_k=pairing_settings.top_k)
    chosen = dict(solve(edges, {s.id: s.capacity_left for s in supporters}))
    if not chosen:
        return []
    column_of = {s.id: position for position, s in enumerate(supporters)}
    matched = [
        (member, request)
        for member, request in zip(members, requests, strict=True)
        if member.id in chosen
    ]
    totals = SupporterIndex(supporters).totals([member for member, _r in matched], weights)
    area_names = _area_names()

    def proposal(request, member, column: int) -> Proposal:
        user = rows[column].membership.user
        return _proposal(request, user, member, supporters[column], weights, area_names)

    batch = []
    for position, (member, request) in enumerate(matched):
        column = column_of[chosen[member.id]]
        others = _best_columns(totals[position], alternatives, skip=column) if alternatives else []
        batch.append(
            BatchRow(
                proposal(request, member, column),
                [proposal(request, member, other) for other in others],
            )
        )
    return batch


def cohort_proposals(program: Program) -> list[Proposal]:
    """The proposals of `batch_review` without alternatives, in the order members asked."""
    return [row.proposal for row in batch_review(program, alternatives=0)]


def instant_matches(
    program: Program, request: MemberMatchRequest, limit: int = INSTANT_MATCHES
) -> list[Proposal]:
    """The `limit` best supporters with places left for one waiting member, best first, scored
    with the program's weights."""
    weights = access.settings_of(program).weights
    rows = list(_supporter_rows(program))
    if not rows:
        return []
    instants = _instants_for(rows, [request])
    supporters = [
        supporter_profile_of(row, open_pairings=row.open_pairings, instants=instants)
        for row in rows
    ]
    (member,) = member_profiles_of(program, [request], instants=instants)
    totals = SupporterIndex(supporters).totals([member], weights)[0]
    area_names = _area_names()
    return [
        _proposal(request, rows[i].membership.user, member, supporters[i], weights, area_names)
        for i in _best_columns(totals, limit)
    ]


def close_reason_for_supporter(pairing: Pairing) -> str:
    """What the supporter is told of why a pairing closed: a member's own reasons stay theirs."""
    if pairing.closed_by_id == pairing.member_id:
        return str(CloseReason.MEMBER_REQUEST.label)
    return pairing.get_close_reason_display()
