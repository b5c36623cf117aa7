"""What people do in one-on-one pairing: offer and ask for support, propose, accept, pause,
close, ask for a new supporter, block, and log sessions.

Every illegal step raises ValidationError with a message a person can act on, and nothing is saved
half-way. Whoever may not take the step at all gets Http404, as from the access functions.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.audit import record_access, record_list_access
from alongside.notifications.actions import notify
from alongside.pairing import access, kinds, profiles
from alongside.pairing.models import (
    LIVE_STATES,
    WEIGHT_NAMES,
    Block,
    BoundariesAgreement,
    CloseReason,
    MemberMatchRequest,
    Pairing,
    PairingSettings,
    SessionLog,
    State,
    SupporterMatchProfile,
    SupporterStatus,
)
from alongside.programs.access import can_manage, has_role
from alongside.programs.models import MembershipRole, Program, Role
from alongside.safety.actions import Screened, screen_writing
from alongside.safety.models import Flag, FlagLevel

# A member who closes for these reasons is not put back among those waiting for a supporter.
DONE_REASONS = (CloseReason.COMPLETED, CloseReason.LEFT_PROGRAM)
SETTINGS_FIELDS = (*WEIGHT_NAMES, "top_k", "allow_self_selection")


# --- Profiles and requests ---------------------------------------------------------------------


@transaction.atomic
def save_supporter_profile(
    actor,
    *,
    program: Program,
    areas: Iterable,
    experiences: list[str],
    years_in_recovery: Decimal | float,
    availability: list[int],
    modalities: list[str],
    identities: list[str],
    capacity: int,
) -> SupporterMatchProfile:
    """Create or update what the actor, a supporter of `program`, offers for matching; a new
    profile waits for a coordinator's approval, an approved one stays approved.

    Raises Http404 unless the actor holds the supporter role there, ValidationError keyed by field.
    """
    if not has_role(actor, program, Role.SUPPORTER):
        raise Http404
    membership = access.own_membership(actor, program)
    profile = access.own_supporter_profile(actor, program) or SupporterMatchProfile(
        membership=membership
    )
    profile.experiences = sorted(set(experiences))
    profile.years_in_recovery = Decimal(str(years_in_recovery))
    profile.availability = sorted(set(availability))
    profile.modalities = sorted(set(modalities))
    profile.identities = sorted(set(identities))
    profile.capacity = capacity
    profile.full_clean(exclude=["membership"])
    profile.save()
    profile.areas.set(areas)
    return profile


@transaction.atomic
def set_supporter_status(
    actor, *, profile: SupporterMatchProfile, status: str
) -> SupporterMatchProfile:
    """Approve, pause or return to pending a supporter's match profile, as a coordinator of its
    program. Pausing takes no one away: it only stops new matches."""
    if not can_manage(actor, profile.membership.program):
        raise Http404
    if status not in SupporterStatus.values:
        raise ValidationError({"status": _("Choose approved, paused or waiting for approval.")})
    profile.status = status
    profile.status_changed_by = actor
    profile.status_changed_at = timezone.now()
    profile.save(update_fields=["status", "status_changed_by", "status_changed_at", "updated_at"])
    return profile


@transaction.atomic
def save_match_request(
    actor,
    *,
    program: Program,
    areas: Iterable,
    experiences: list[str],
    languages: list[str],
    availability: list[int],
    modalities: list[str],
    modality_required: bool,
    identity_preferences: dict[str, str],
    wants_supporter: bool = True,
) -> MemberMatchRequest:
    """Create or update what the actor, a member of `program`, wants from a peer supporter.

    Raises Http404 unless the actor holds the member role there, ValidationError keyed by field.
    """
    if not has_role(actor, program, Role.MEMBER):
        raise Http404
    membership = access.own_membership(actor, program)
    request = access.own_match_request(actor, program) or MemberMatchRequest(membership=membership)
    request.experiences = sorted(set(experiences))
    request.languages = sorted(set(languages))
    request.availability = sorted(set(availability))
    request.modalities = sorted(set(modalities))
    request.modality_required = modality_required
    request.identity_preferences = dict(identity_preferences)
    request.wants_supporter = wants_supporter
    errors: dict[str, list[str]] = {}
    if not request.languages:
        errors["languages"] = [_("Choose at least one language you can talk in.")]
    if modality_required and not request.modalities:
        errors["modalities"] = [_("Choose the ways of meeting that you require.")]
    try:
        request.full_clean(exclude=["membership"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    request.save()
    request.areas.set(areas)
    return request


# --- Proposals ---------------------------------------------------------------------------------


def _page_of(user, pairing: Pairing) -> str:
    view = "pairing:member" if pairing.member_id == user.pk else "pairing:supporter"
    return reverse(view, args=[pairing.program.slug])


def _tell(user, pairing: Pairing, *, kind: str, title: str, body: str = "") -> None:
    notify(
        user,
        kind=kind,
        title=title,
        body=body,
        url=_page_of(user, pairing),
        program=pairing.program,
    )


@transaction.atomic
def update_pairing_settings(actor, *, program: Program, **values) -> PairingSettings:
    """Change how `program` matches (weights, top K, self-selection), as its coordinator.

    Raises Http404 for anyone else, ValidationError keyed by field for a value out of range.
    """
    if not can_manage(actor, program):
        raise Http404
    pairing_settings = access.settings_of(program)
    for name, value in values.items():
        if name not in SETTINGS_FIELDS:
            raise ValueError(f"Unknown pairing setting: {name!r}")
        setattr(pairing_settings, name, value)
    pairing_settings.full_clean(exclude=["program"])
    pairing_settings.save()
    return pairing_settings


def _waiting_request(program: Program, member) -> MemberMatchRequest:
    request = access.own_waiting_request(member, program)
    if request is None:
        raise ValidationError(
            _("%(member)s is not waiting for a supporter.") % {"member": member.display_name}
        )
    return request


def _create_proposal(
    actor, *, program: Program, request: MemberMatchRequest, supporter, score: float | None
) -> Pairing:
    """Check the pair against the database and save the proposal; the caller tells people."""
    member = request.membership.user
    check = profiles.check_pair(program, request, supporter)
    if check.refusal is not None:
        raise ValidationError(
            _("%(member)s cannot be matched with %(supporter)s: %(why)s")
            % {
                "member": member.display_name,
                "supporter": supporter.display_name,
                "why": check.refusal,
            }
        )
    return Pairing.objects.create(
        program=program,
        member=member,
        supporter=supporter,
        created_by=actor,
        score=check.total if score is None else score,
    )


def _propose(actor, *, program: Program, member, supporter, score: float | None = None) -> Pairing:
    request = _waiting_request(program, member)
    pairing = _create_proposal(
        actor, program=program, request=request, supporter=supporter, score=score
    )
    _tell(
        member,
        pairing,
        kind=kinds.PROPOSED,
        title=_("A peer supporter has been proposed for you"),
        body=_("Read why you were matched with %(supporter)s, and accept if it feels right.")
        % {"supporter": supporter.display_name},
    )
    _tell(
        supporter,
        pairing,
        kind=kinds.PROPOSED,
        title=_("A member has been proposed to you"),
        body=_("Read why you were matched with %(member)s, and accept if you have the room.")
        % {"member": member.display_name},
    )
    return pairing


@transaction.atomic
def propose_pairing(
    actor, *, program: Program, member, supporter, score: float | None = None
) -> Pairing:
    """Propose `supporter` to `member`, as a coordinator of `program`, and tell both.

    Raises Http404 for anyone else, ValidationError when the member is not waiting for a
    supporter or a hard filter forbids the pair (blocked, no place left, no common language ...).
    """
    if not can_manage(actor, program):
        raise Http404
    return _propose(actor, program=program, member=member, supporter=supporter, score=score)


def _propose_all(actor, program: Program, pairs: list[tuple[int, int]]) -> list[Pairing]:
    people = {
        user.pk: user
        for user in access.people_of_program(program, {i for pair in pairs for i in pair})
    }
    proposed = []
    for member_id, supporter_id in pairs:
        if member_id not in people or supporter_id not in people:
            raise ValidationError(_("Someone in this batch is no longer in the program."))
        proposed.append(
            _propose(
                actor, program=program, member=people[member_id], supporter=people[supporter_id]
            )
        )
    return proposed


@transaction.atomic
def propose_pairings(actor, *, program: Program, pairs: Iterable[tuple[int, int]]) -> list[Pairing]:
    """Propose each (member id, supporter id) pair the coordinator kept from a batch, all or none.

    Each pair is checked again against the database, so a block, a place taken since the batch
    was computed, or two swaps onto the supporter's last place are refused with a message
    naming the pair.
    """
    if not can_manage(actor, program):
        raise Http404
    return _propose_all(actor, program, list(pairs))


@transaction.atomic
def propose_pairings_from_command(
    *, program: Program, pairs: Iterable[tuple[int, int]]
) -> list[Pairing]:
    """Propose a batch on behalf of the operator running `manage.py match`, all or none, with the
    same checks as `propose_pairings`; no coordinator is named as the proposer."""
    return _propose_all(None, program, list(pairs))


@transaction.atomic
def choose_supporter(actor, *, program: Program, supporter, boundaries_accepted: bool) -> Pairing:
    """As a waiting member of a program that lets members choose, pick one of the supporters
    your instant match offers; it becomes a proposal you have already accepted, with the
    boundaries agreement, and the supporter is asked to accept (their places checked as ever).

    Raises Http404 unless the actor holds the member role and the program allows choosing,
    ValidationError when the supporter is not among the offered matches now.
    """
    if (
        not has_role(actor, program, Role.MEMBER)
        or not access.settings_of(program).allow_self_selection
    ):
        raise Http404
    if not boundaries_accepted:
        raise ValidationError(
            {"boundaries": _("Read and accept the boundaries agreement to start.")}
        )
    request = _waiting_request(program, actor)
    offered = {p.supporter.pk: p for p in profiles.instant_matches(program, request)}
    if supporter.pk not in offered:
        raise ValidationError(
            _("%(supporter)s is not among your matches any more; choose from the list again.")
            % {"supporter": supporter.display_name}
        )
    pairing = _create_proposal(
        actor, program=program, request=request, supporter=supporter, score=None
    )
    now = timezone.now()
    pairing.member_accepted_at = now
    pairing.save(update_fields=["member_accepted_at"])
    BoundariesAgreement.objects.create(
        pairing=pairing, side="member", person=actor, accepted_at=now
    )
    _tell(
        supporter,
        pairing,
        kind=kinds.PROPOSED,
        title=_("A member has chosen you as their peer supporter"),
        body=_("Read why %(member)s chose you, and accept if you have the room.")
        % {"member": actor.display_name},
    )
    return pairing


# --- The lifecycle -----------------------------------------------------------------------------


def _side_or_404(actor, pairing: Pairing) -> str:
    side = pairing.side_of(actor)
    if side is None:
        raise Http404
    return side


def _lock(pairing: Pairing) -> None:
    """Lock the pairing's row and refresh the fields a transition reads from it."""
    locked = Pairing.objects.select_for_update().get(pk=pairing.pk)
    for field in (
        "state",
        "member_accepted_at",
        "supporter_accepted_at",
        "started_at",
        "paused_at",
        "closed_at",
    ):
        setattr(pairing, field, getattr(locked, field))


def _state_error(pairing: Pairing, message: str) -> ValidationError:
    return ValidationError(message % {"state": pairing.get_state_display().lower()})


@transaction.atomic
def accept_pairing(actor, *, pairing: Pairing, boundaries_accepted: bool) -> Pairing:
    """Accept a proposed pairing for the actor's side, together with the boundaries agreement;
    the second side's acceptance makes it active, if the supporter still has a place.

    The supporter's match profile row is locked first, so two acceptances at once can never put
    the supporter over their capacity. Raises Http404 for anyone but the two sides.
    """
    side = _side_or_404(actor, pairing)
    if not boundaries_accepted:
        raise ValidationError(
            {"boundaries": _("Read and accept the boundaries agreement to start.")}
        )
    supporter_profile = (
        SupporterMatchProfile.objects.select_for_update()
        .filter(membership__user_id=pairing.supporter_id, membership__program=pairing.program)
        .first()
    )
    _lock(pairing)
    if pairing.state != State.PROPOSED:
        raise _state_error(pairing, _("This pairing is %(state)s: only a proposal is accepted."))
    if pairing.accepted_by(side):
        raise ValidationError(_("You have already accepted this pairing."))
    now = timezone.now()
    setattr(pairing, f"{side}_accepted_at", now)
    BoundariesAgreement.objects.create(pairing=pairing, side=side, person=actor, accepted_at=now)
    other_side = "supporter" if side == "member" else "member"
    if pairing.accepted_by(other_side):
        _check_place(pairing, supporter_profile)
        pairing.state = State.ACTIVE
        pairing.started_at = now
    pairing.save()
    other = pairing.supporter if side == "member" else pairing.member
    if pairing.state == State.ACTIVE:
        title = _("Your pairing with %(name)s has started") % {"name": actor.display_name}
    else:
        title = _("%(name)s accepted the pairing") % {"name": actor.display_name}
    _tell(other, pairing, kind=kinds.CHANGED, title=title)
    return pairing


def _check_place(pairing: Pairing, supporter_profile: SupporterMatchProfile | None) -> None:
    if supporter_profile is None or supporter_profile.status != SupporterStatus.APPROVED:
        raise ValidationError(_("This supporter is not taking new members right now."))
    taken = (
        Pairing.objects.filter(program=pairing.program, supporter_id=pairing.supporter_id)
        .filter(state__in=LIVE_STATES)
        .exclude(pk=pairing.pk)
        .count()
    )
    if taken >= supporter_profile.capacity:
        raise ValidationError(
            _(
                "%(name)s already supports as many members as they can (%(capacity)d). "
                "The coordinator will find another match."
            )
            % {"name": pairing.supporter.display_name, "capacity": supporter_profile.capacity}
        )


@transaction.atomic
def decline_pairing(actor, *, pairing: Pairing) -> Pairing:
    """Decline a proposal for the actor's side; the member waits for another match and whoever
    proposed it is told (a member who chose the supporter themselves, on their own page)."""
    side = _side_or_404(actor, pairing)
    _lock(pairing)
    if pairing.state != State.PROPOSED:
        raise _state_error(pairing, _("This pairing is %(state)s: only a proposal is declined."))
    _close(pairing, actor, reason=CloseReason.DECLINED)
    if pairing.created_by_id == pairing.member_id:
        if side == "supporter":
            _tell(
                pairing.member,
                pairing,
                kind=kinds.CHANGED,
                title=_("%(name)s cannot take you on right now")
                % {"name": pairing.supporter.display_name},
                body=_("You can choose another peer supporter from your matches."),
            )
    elif pairing.created_by is not None:
        notify(
            pairing.created_by,
            kind=kinds.CHANGED,
            title=_("A proposed pairing was declined by the %(side)s")
            % {"side": _("member") if side == "member" else _("supporter")},
            url=reverse("pairing:coordinator", args=[pairing.program.slug]),
            program=pairing.program,
        )
    return pairing


def _side_or_manager_or_404(actor, pairing: Pairing) -> str | None:
    side = pairing.side_of(actor)
    if side is None and not can_manage(actor, pairing.program):
        raise Http404
    return side


def _tell_others(actor, pairing: Pairing, title: str) -> None:
    for person in (pairing.member, pairing.supporter):
        if person.pk != actor.pk:
            _tell(person, pairing, kind=kinds.CHANGED, title=title)


@transaction.atomic
def pause_pairing(actor, *, pairing: Pairing) -> Pairing:
    """Pause an active pairing, by either side or a coordinator; the supporter keeps the place."""
    _side_or_manager_or_404(actor, pairing)
    _lock(pairing)
    if pairing.state != State.ACTIVE:
        raise _state_error(pairing, _("This pairing is %(state)s: only an active one is paused."))
    pairing.state = State.PAUSED
    pairing.paused_at = timezone.now()
    pairing.save(update_fields=["state", "paused_at"])
    _tell_others(actor, pairing, _("Your peer-support pairing is paused"))
    return pairing


@transaction.atomic
def resume_pairing(actor, *, pairing: Pairing) -> Pairing:
    """Resume a paused pairing, by either side or a coordinator."""
    _side_or_manager_or_404(actor, pairing)
    _lock(pairing)
    if pairing.state != State.PAUSED:
        raise _state_error(pairing, _("This pairing is %(state)s: only a paused one is resumed."))
    pairing.state = State.ACTIVE
    pairing.paused_at = None
    pairing.save(update_fields=["state", "paused_at"])
    _tell_others(actor, pairing, _("Your peer-support pairing is active again"))
    return pairing


@dataclass(frozen=True)
class Closed:
    pairing: Pairing
    # Screening of the feedback the actor wrote; None when they wrote none.
    screened: Screened | None


def _close(pairing: Pairing, actor, *, reason: str, ended_badly: bool = False) -> None:
    pairing.state = State.CLOSED
    pairing.closed_at = timezone.now()
    pairing.closed_by = actor
    pairing.close_reason = reason
    pairing.ended_badly = pairing.ended_badly or ended_badly
    pairing.save()


def _save_feedback(actor, side: str | None, pairing: Pairing, feedback: str) -> Screened | None:
    feedback = feedback.strip()
    if not feedback:
        return None
    if side is None:
        raise ValidationError({"feedback": _("Only the member and the supporter leave feedback.")})
    setattr(pairing, f"{side}_feedback", feedback)
    pairing.full_clean(exclude=["program", "member", "supporter", "created_by", "closed_by"])
    pairing.save(update_fields=[f"{side}_feedback"])
    return screen_writing(
        actor, program=pairing.program, path=kinds.FEEDBACK_PATH, text=feedback, item=pairing
    )


def _set_waiting(pairing: Pairing, waiting: bool) -> None:
    MemberMatchRequest.objects.filter(
        membership__user_id=pairing.member_id, membership__program=pairing.program
    ).update(wants_supporter=waiting)


@transaction.atomic
def close_pairing(
    actor, *, pairing: Pairing, reason: str, feedback: str = "", ended_badly: bool = False
) -> Closed:
    """End an active or paused pairing for `reason`, by either side or a coordinator, with the
    side's optional feedback (screened; the other side never sees it). A member who closes for
    good stops waiting; otherwise the member waits for a new match."""
    side = _side_or_manager_or_404(actor, pairing)
    _lock(pairing)
    if pairing.state == State.PROPOSED:
        raise ValidationError(_("This is still a proposal: decline it instead of closing it."))
    if pairing.state == State.CLOSED:
        raise ValidationError(_("This pairing is already closed."))
    allowed = set(CloseReason.values) - {CloseReason.DECLINED, CloseReason.MEMBER_REQUEST}
    if reason not in allowed:
        raise ValidationError({"reason": _("Choose why the pairing ends.")})
    _close(pairing, actor, reason=reason, ended_badly=ended_badly)
    screened = _save_feedback(actor, side, pairing, feedback)
    _set_waiting(pairing, reason not in DONE_REASONS)
    if side == "member":
        title = _("Your pairing was closed at the member's request")
    elif side == "supporter":
        title = _("Your peer supporter has closed your pairing")
    else:
        title = _("The program has closed your peer-support pairing")
    _tell_others(actor, pairing, title)
    return Closed(pairing, screened)


def _coordinators_of(program: Program):
    return (
        MembershipRole.objects.filter(membership__program=program)
        .filter(membership__is_active=True)
        .filter(membership__user__is_active=True)
        .filter(role=Role.COORDINATOR)
        .select_related("membership__user")
    )


def _end_at_members_request(actor, pairing: Pairing, feedback: str) -> Screened | None:
    """Close for a member who wants someone else: the supporter learns only that it was the
    member's wish, the member waits for a new match, and the coordinators are asked to find one."""
    _close(pairing, actor, reason=CloseReason.MEMBER_REQUEST, ended_badly=True)
    screened = _save_feedback(actor, "member", pairing, feedback)
    _set_waiting(pairing, True)
    _tell(
        pairing.supporter,
        pairing,
        kind=kinds.CHANGED,
        title=_("Your pairing was closed at the member's request"),
    )
    for role in _coordinators_of(pairing.program):
        notify(
            role.membership.user,
            kind=kinds.REMATCH_REQUESTED,
            title=_("%(member)s asked for a new peer supporter")
            % {"member": pairing.member.display_name},
            url=reverse("pairing:coordinator", args=[pairing.program.slug]),
            program=pairing.program,
        )
    return screened


@transaction.atomic
def request_rematch(actor, *, pairing: Pairing, feedback: str = "") -> Closed:
    """Close the member's active or paused pairing at their request, without them explaining
    anything to the supporter, and put them back among those waiting for a supporter."""
    if pairing.side_of(actor) != "member":
        raise Http404
    _lock(pairing)
    if pairing.state not in LIVE_STATES:
        raise _state_error(
            pairing,
            _(
                "This pairing is %(state)s: you can ask for a new supporter while your pairing "
                "is active or paused."
            ),
        )
    return Closed(pairing, _end_at_members_request(actor, pairing, feedback))


@transaction.atomic
def block_supporter(actor, *, pairing: Pairing) -> Block:
    """Never match the actor, the member of `pairing`, with its supporter again; an open pairing
    with them ends at the member's request. The supporter is not told of the block."""
    if pairing.side_of(actor) != "member":
        raise Http404
    block, _created = Block.objects.get_or_create(
        program=pairing.program, member=actor, supporter_id=pairing.supporter_id
    )
    _lock(pairing)
    if pairing.state == State.PROPOSED:
        _close(pairing, actor, reason=CloseReason.DECLINED)
    elif pairing.state in LIVE_STATES:
        _end_at_members_request(actor, pairing, "")
    return block


# --- Session logs ------------------------------------------------------------------------------


@transaction.atomic
def log_session(
    actor,
    *,
    pairing: Pairing,
    date: date_type,
    duration_minutes: int,
    modality: str,
    topics: list[str],
    notes: str = "",
) -> SessionLog:
    """Record one contact with the member, as the supporter of an active or paused pairing.

    The notes are the supporter's own working notes (encrypted). Raises ValidationError keyed by
    field for a date in the future or before the pairing started.
    """
    if pairing.side_of(actor) != "supporter":
        raise Http404
    if pairing.state not in LIVE_STATES:
        raise _state_error(
            pairing, _("This pairing is %(state)s: sessions are logged while it is active.")
        )
    errors: dict[str, list[str]] = {}
    if date > timezone.localdate():
        errors["date"] = [_("The date of a session cannot be in the future.")]
    elif pairing.started_at is not None and date < timezone.localdate(pairing.started_at):
        started = timezone.localdate(pairing.started_at).isoformat()
        errors["date"] = [
            _("The pairing started on %(date)s; choose that day or later.") % {"date": started}
        ]
    log = SessionLog(
        pairing=pairing,
        date=date,
        duration_minutes=duration_minutes,
        modality=modality,
        topics=sorted(set(topics)),
        notes=notes.strip(),
    )
    try:
        log.full_clean(exclude=["pairing"])
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    log.save()
    return log


# --- Concerns about the members a supporter supports -------------------------------------------

# Why a supporter sees a member's flagged writing, as the access log records it.
SUPPORTER_CONCERN_PURPOSE = "supporter_concern"


def record_member_concerns_view(actor, *, program: Program, flags, request=None) -> None:
    """Log that the supporter saw these concern flags of their members, one row per flag."""
    record_list_access(
        actor,
        actor_role=Role.SUPPORTER,
        records=[(flag.author, flag) for flag in flags],
        purpose=SUPPORTER_CONCERN_PURPOSE,
        program=program,
        request=request,
    )


@transaction.atomic
def mark_reached_out(actor, *, flag: Flag, request=None) -> Flag:
    """As the member's peer supporter now, mark a concern flag reviewed because you reached out
    to them; it leaves the staff concern queue too. Marking twice is refused.

    Raises Http404 unless the actor supports the flag's author now and the flag is a concern.
    """
    if flag.level != FlagLevel.CONCERN or not access.is_supporter_of(
        actor, flag.author, flag.program
    ):
        raise Http404
    reviewed = Flag.objects.filter(pk=flag.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(),
        reviewed_by=actor,
        review_note=_("Their peer supporter reached out."),
    )
    if not reviewed:
        raise ValidationError(_("Someone has already looked at this."))
    flag.refresh_from_db()
    record_access(
        actor,
        actor_role=Role.SUPPORTER,
        subject=flag.author,
        obj=flag,
        purpose=SUPPORTER_CONCERN_PURPOSE,
        program=flag.program,
        request=request,
    )
    return flag
