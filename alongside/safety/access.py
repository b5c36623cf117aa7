"""The one gate to crisis-safety objects. Missing and forbidden answer the same 404."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from alongside.pairing.access import is_supporter_of, members_supported_by
from alongside.privacy.access import (
    active_emergency_access,
    consents_in_force,
    get_sharing_program_for,
    has_sharing_consent,
    members_of,
    sharing_memberships_of,
)
from alongside.privacy.models import Audience, Scope, SharingConsent
from alongside.programs.access import can_manage, has_role, is_site_admin, memberships_of
from alongside.programs.models import MembershipRole, Program, Role
from alongside.safety import roster
from alongside.safety.models import (
    Channel,
    Escalation,
    Flag,
    FlagLevel,
    OnCallShift,
    Origin,
    OutboxMessage,
    SafetyPlan,
    SafetySettings,
    State,
)

# --- Staff side: escalations, on-call roster, concern queue, settings -------------------------
#
# need="respond": a clinician or coordinator of the program, or a site admin (escalations, roster).
# need="manage": a coordinator of the program, or a site admin (roster changes, safety settings).
# need="concerns": a moderator, clinician or coordinator of the program, or a site admin.
# Anyone else gets the same 404 as for a program that does not exist.

RESPONDER_ROLES = (Role.CLINICIAN, Role.COORDINATOR)
CONCERN_ROLES = (Role.MODERATOR, Role.CLINICIAN, Role.COORDINATOR)
STAFF_NEEDS = ("respond", "manage", "concerns")


def can_respond(user, program: Program) -> bool:
    """True when the user may take on escalations of `program`: clinician, coordinator, site admin."""
    return is_site_admin(user) or has_role(user, program, *RESPONDER_ROLES)


def can_review_concerns(user, program: Program) -> bool:
    """True when the user may work the concern queue of `program`."""
    return is_site_admin(user) or has_role(user, program, *CONCERN_ROLES)


def staff_role_of(user, program: Program) -> str:
    """The role the user acts in on safety pages of `program`, for the access log."""
    for role in (Role.CLINICIAN, Role.COORDINATOR, Role.MODERATOR):
        if has_role(user, program, role):
            return role
    return "admin"


def get_staff_program_for(user, slug: str, need: str) -> Program:
    """The active program with `slug` if the user may `need` its safety pages, else Http404."""
    if need not in STAFF_NEEDS:
        raise ValueError(f"Unknown need: {need!r}")
    program = Program.objects.filter(slug=slug).filter(is_active=True).first()
    if program is None:
        raise Http404
    if need == "respond" and can_respond(user, program):
        return program
    if need == "manage" and can_manage(user, program):
        return program
    if need == "concerns" and can_review_concerns(user, program):
        return program
    raise Http404


def settings_of(program: Program) -> SafetySettings:
    """The program's safety settings, created with the defaults on first use."""
    safety_settings, _created = SafetySettings.objects.get_or_create(program=program)
    return safety_settings


def escalations_of(program: Program) -> QuerySet[Escalation]:
    """The program's escalations for its list: open ones first (overdue first), then newest."""
    now = timezone.now()
    return (
        Escalation.objects.filter(program=program)
        .select_related("member__profile", "acknowledged_by__profile", "program")
        .annotate(
            urgency=Case(
                When(Q(state=State.OPEN) & Q(acknowledge_by__lte=now), then=Value(0)),
                When(state=State.OPEN, then=Value(1)),
                When(~Q(state=State.CLOSED), then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "-created_at", "-id")
    )


def get_escalation_for(user, program: Program, escalation_id: int) -> Escalation:
    """The escalation `escalation_id` of `program` if the user may respond to it, else Http404."""
    escalation = (
        Escalation.objects.filter(pk=escalation_id)
        .filter(program=program)
        .select_related("program", "member__profile", "acknowledged_by__profile", "flag")
        .first()
    )
    if escalation is None:
        raise Http404
    if not can_respond(user, program):
        raise Http404
    return escalation


def timeline_of(escalation: Escalation):
    """The escalation's events in order, with the people named in them loaded."""
    return escalation.events.select_related("actor__profile", "recipient__profile")


def shifts_of(program: Program) -> QuerySet[OnCallShift]:
    """The program's shifts, with the person loaded, earliest first."""
    return OnCallShift.objects.filter(program=program).select_related("person__profile")


def upcoming_shifts_of(program: Program, now=None) -> QuerySet[OnCallShift]:
    """The shifts of `program` that have not ended yet, earliest first."""
    return shifts_of(program).filter(ends_at__gt=now or timezone.now())


def get_shift_for(user, program: Program, shift_id: int) -> OnCallShift:
    """The shift `shift_id` of `program` if the user may change the roster, else Http404."""
    shift = shifts_of(program).filter(pk=shift_id).first()
    if shift is None or not can_manage(user, program):
        raise Http404
    return shift


def responders_of(program: Program):
    """Who may be put on call in `program`: its active clinicians and coordinators, by name."""
    return (
        get_user_model()
        .objects.filter(
            memberships__program=program,
            memberships__is_active=True,
            memberships__roles__role__in=RESPONDER_ROLES,
        )
        .filter(is_active=True)
        .select_related("profile")
        .distinct()
        .order_by("profile__display_name", "pk")
    )


def _people_with_role(program: Program, roles) -> list[int]:
    return list(
        MembershipRole.objects.filter(membership__program=program)
        .filter(membership__is_active=True)
        .filter(membership__user__is_active=True)
        .filter(role__in=roles)
        .order_by("membership__user_id")
        .values_list("membership__user_id", flat=True)
        .distinct()
    )


def on_call_now(program: Program, now=None) -> list[int]:
    """The ids of who is on call in `program` at `now`, in alerting order; people who no longer
    hold the clinician or coordinator role there are skipped."""
    responders = set(_people_with_role(program, RESPONDER_ROLES))
    shifts = [
        roster.ShiftOnCall(person_id, position, starts_at)
        for person_id, position, starts_at in OnCallShift.objects.filter(program=program)
        .at(now or timezone.now())
        .values_list("person_id", "position", "starts_at")
        if person_id in responders
    ]
    return roster.on_call_order(shifts)


def coordinators_of(program: Program) -> list[int]:
    """The ids of the program's active coordinators."""
    return _people_with_role(program, [Role.COORDINATOR])


def site_admins() -> list[int]:
    """The ids of the active site admins, the last resort of every chain."""
    return list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def alert_recipients(program: Program, tier: int, now=None) -> tuple[int, ...]:
    """The ids of whom step `tier` of the program's chain alerts at `now`."""
    coordinators = coordinators_of(program)
    return roster.recipients_at(
        tier,
        on_call=on_call_now(program, now),
        coordinators=coordinators,
        site_admins=() if coordinators else site_admins(),
    )


def unreviewed_flags_of(program: Program) -> QuerySet[Flag]:
    """The program's flags nobody has reviewed yet, urgent first, newest first."""
    return (
        Flag.objects.filter(program=program)
        .unreviewed()
        .select_related("author__profile", "escalation")
        .order_by("-level", "-created_at", "-id")
    )


def get_flag_for(user, program: Program, flag_id: int) -> Flag:
    """The flag `flag_id` of `program` if the user may work its concern queue, else Http404."""
    flag = Flag.objects.filter(pk=flag_id).filter(program=program).first()
    if flag is None or not can_review_concerns(user, program):
        raise Http404
    return flag


def moderators_of(program: Program) -> list[int]:
    """The ids of who hears about concerns first: the moderators, else the coordinators."""
    return _people_with_role(program, [Role.MODERATOR]) or coordinators_of(program)


def with_current_alerts(escalations) -> QuerySet[Escalation]:
    """The escalations with `current_alerts`: their in-app alerts, recipients loaded, for the
    list to name who is alerted now without a query per row."""
    return escalations.prefetch_related(
        Prefetch(
            "outbox",
            queryset=OutboxMessage.objects.filter(channel=Channel.NOTIFICATION).select_related(
                "recipient__profile"
            ),
            to_attr="notification_alerts",
        )
    )


def currently_alerted(escalation: Escalation) -> list:
    """Who the escalation's latest step alerted (needs `with_current_alerts`)."""
    return [
        alert.recipient
        for alert in escalation.notification_alerts  # type: ignore[attr-defined]
        if alert.tier == escalation.tier and alert.recipient is not None
    ]


# --- Supporter side: concerns about the members they support ---------------------------------
#
# A peer supporter sees the unreviewed CONCERN flags (never urgent ones, which go to the people on
# call) of the members they support now: an active or paused pairing in the program. A pairing
# that closes or a role that is taken away shuts the list at once. Anyone else gets a 404.


def get_supporter_program_for(user, slug: str) -> Program:
    """The active program `slug` if the user holds the supporter role there, else Http404."""
    program = Program.objects.filter(slug=slug).filter(is_active=True).first()
    if program is None or not has_role(user, program, Role.SUPPORTER):
        raise Http404
    return program


def member_concerns_for(supporter, program: Program) -> QuerySet[Flag]:
    """The unreviewed concern flags of the members `supporter` supports now, newest first,
    but for what they wrote anonymously."""
    return (
        Flag.objects.filter(program=program)
        .filter(level=FlagLevel.CONCERN)
        .unreviewed()
        .filter(author__in=members_supported_by(supporter, program))
        # What a member wrote anonymously must not be tied to them, not even by their supporter.
        .filter(is_anonymous=False)
        .select_related("author__profile", "program")
        .order_by("-created_at", "-id")
    )


def get_member_concern_for(user, program: Program, flag_id: int) -> Flag:
    """The concern flag `flag_id` of a member the user supports now, else Http404."""
    flag = member_concerns_for(user, program).filter(pk=flag_id).first()
    if flag is None:
        raise Http404
    return flag


# --- Member side: help now, crisis resources, safety plans -----------------------------------
#
# A member's own safety plan is theirs alone. A coordinator or clinician of a program reads a
# member's plan while the member's consent to share it with program staff is in force; a
# clinician also with an emergency access to that member in force. Both are checked against the
# database on every request, so a revoked consent or an ended emergency access shuts the plan at
# once. The consent's peer-supporter audience needs the pairing relation, which does not exist
# yet: until it does, no supporter reads anyone's plan.

HELP_REQUEST_SHOWN_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class SharedPlan:
    """A member's plan a staff member was let in to read, and on what grounds."""

    program: Program
    member: Any
    plan: SafetyPlan | None
    actor_role: str
    emergency: bool


def own_safety_plan(user) -> SafetyPlan | None:
    """The user's own safety plan, or None before they start one."""
    return SafetyPlan.objects.filter(member=user).first()


def help_programs_of(user) -> list[Program]:
    """The programs whose on-call team the user may ask for help: where they are a member."""
    return [membership.program for membership in sharing_memberships_of(user)]


def get_help_program_for(user, slug: str) -> Program:
    """The program with `slug` if the user may ask its on-call team for help, else Http404."""
    return get_sharing_program_for(user, slug)


def recent_help_requests_of(user) -> QuerySet[Escalation]:
    """The user's own requests for help of the last day that are not closed, newest first."""
    return (
        Escalation.objects.filter(member=user)
        .filter(origin=Origin.HELP_NOW)
        .filter(created_at__gte=timezone.now() - HELP_REQUEST_SHOWN_FOR)
        .exclude(state=State.CLOSED)
        .select_related("program")
    )


def get_shared_plan_for(user, slug: str, member_id: int) -> SharedPlan:
    """`member_id`'s safety plan in program `slug` if the user may read it now, else Http404.

    A coordinator or clinician of the program while the member shares their safety plan with
    program staff; their peer supporter (an active or paused pairing) while the member shares it
    with their supporter; a clinician with emergency access to the member in force. Site admins
    are not let in: reading a plan is for the people who care for the member.
    """
    program = Program.objects.filter(slug=slug).filter(is_active=True).first()
    if program is None:
        raise Http404
    member = members_of(program).filter(pk=member_id).first()
    if member is None or member.pk == user.pk:
        raise Http404
    plan = own_safety_plan(member)
    role = _plan_reader_role(user, program)
    if role is not None and has_sharing_consent(
        member, program=program, audience=Audience.STAFF, scope=Scope.SAFETY_PLAN
    ):
        return SharedPlan(program, member, plan, role, emergency=False)
    if is_supporter_of(user, member, program) and has_sharing_consent(
        member, program=program, audience=Audience.SUPPORTER, scope=Scope.SAFETY_PLAN
    ):
        return SharedPlan(program, member, plan, Role.SUPPORTER, emergency=False)
    if active_emergency_access(user, member, program=program) is not None:
        return SharedPlan(program, member, plan, Role.CLINICIAN, emergency=True)
    raise Http404


def _plan_reader_role(user, program: Program) -> str | None:
    for role in (Role.CLINICIAN, Role.COORDINATOR):
        if has_role(user, program, role):
            return role
    return None


def may_read_supporter_guide(user) -> bool:
    """True when the user supports or facilitates in some program: the guide is written for them."""
    return any(
        membership.has_role(Role.SUPPORTER, Role.FACILITATOR) for membership in memberships_of(user)
    )


def plan_shared_with(user) -> list[SharingConsent]:
    """The user's consents in force that let others read their safety plan."""
    return [consent for consent in consents_in_force(user) if consent.scope == Scope.SAFETY_PLAN]
