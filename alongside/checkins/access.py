"""The one gate to check-ins, questionnaires and trends. Missing and forbidden answer the same 404.

- A member's own check-ins, questionnaires, reminders and trends: theirs, in the programs where
  they hold the member role.
- Another member's trends: a clinician or coordinator of the program while the member shares
  check-ins or questionnaires with program staff (each part only with its own consent), or a
  clinician with emergency access to the member in force; the member's peer supporter (an active
  or paused pairing) while the member shares those parts with their supporter. Consent is read
  from the database on every request, so a revocation hides the trends at the very next one.
- How a program runs check-ins (its tracked items, questionnaire schedule, missed-streak
  threshold): the program's coordinators and site admins.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.http import Http404

from alongside.checkins import schedule, scoring, tracking
from alongside.checkins.models import (
    CheckIn,
    CheckInPreference,
    CheckInSettings,
    QuestionnaireResponse,
    QuestionnaireSchedule,
    TrackedItem,
)
from alongside.pairing.access import is_supporter_of
from alongside.privacy.access import (
    active_emergency_access,
    get_sharing_program_for,
    has_sharing_consent,
    members_of,
    sharing_memberships_of,
)
from alongside.privacy.models import Audience, Scope
from alongside.programs.access import has_role
from alongside.programs.models import Program, Role

# --- The member's own ---------------------------------------------------------------------------


def zone_of(user) -> str:
    """The IANA time zone the user's days are counted in."""
    profile = getattr(user, "profile", None)
    return getattr(profile, "time_zone", "") or settings.TIME_ZONE


def checkin_programs_of(user) -> list[Program]:
    """The programs where the user checks in: where they hold the member role."""
    return [membership.program for membership in sharing_memberships_of(user)]


def get_checkin_program_for(user, slug: str) -> Program:
    """The program with `slug` if the user holds the member role there, else Http404."""
    return get_sharing_program_for(user, slug)


def settings_of(program: Program) -> CheckInSettings:
    """The program's check-in settings, created with the defaults on first use."""
    checkin_settings, _created = CheckInSettings.objects.get_or_create(program=program)
    return checkin_settings


def every_item_of(program: Program) -> list[TrackedItem]:
    """Every item `program` has, offered or turned off, in order; a program that never set any
    starts with tracking.DEFAULT_ITEMS."""
    items = list(TrackedItem.objects.filter(program=program))
    if not items:
        TrackedItem.objects.bulk_create(
            [
                TrackedItem(
                    program=program, key=item.key, label=item.label, kind=item.kind, position=i
                )
                for i, item in enumerate(tracking.DEFAULT_ITEMS)
            ],
            ignore_conflicts=True,
        )
        items = list(TrackedItem.objects.filter(program=program))
    return items


def program_items_of(program: Program) -> list[TrackedItem]:
    """The items `program` offers to track now, in order (see every_item_of)."""
    return [item for item in every_item_of(program) if item.is_active]


def preference_of(member, program: Program) -> CheckInPreference | None:
    """The member's check-in choices in `program`, or None while they have made none."""
    return (
        CheckInPreference.objects.filter(member=member, program=program)
        .prefetch_related("items")
        .first()
    )


def items_tracked_by(
    member, program: Program, preference: CheckInPreference | None = None, offered=None
) -> list[TrackedItem]:
    """The items the member tracks in `program`: those they chose, or all the program offers
    (`offered`, when the caller has read them already)."""
    offered = program_items_of(program) if offered is None else offered
    if preference is None or not preference.chose_items:
        return offered
    chosen = {item.pk for item in preference.items.all()}
    return [item for item in offered if item.pk in chosen]


def check_in_on(member, program: Program, day: date) -> CheckIn | None:
    """The member's check-in for `day` in `program`, or None."""
    return CheckIn.objects.filter(member=member, program=program, day=day).first()


def last_submission_key(check_in: CheckIn | None) -> str:
    """The idempotency key that last saved `check_in`, as text; empty without one."""
    if check_in is None:
        return ""
    submission = check_in.submissions.order_by("-submitted_at", "-id").first()
    return str(submission.key) if submission else ""


def check_ins_between(member, program: Program, first_day: date, last_day: date):
    """The member's check-ins in `program` from `first_day` to `last_day`, oldest first."""
    return (
        CheckIn.objects.filter(member=member, program=program)
        .between(first_day, last_day)
        .order_by("day")
    )


def check_ins_of(member) -> QuerySet[CheckIn]:
    """The member's own check-ins in every program, newest first, program loaded."""
    return CheckIn.objects.filter(member=member).select_related("program")


# --- Questionnaires -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueQuestionnaire:
    """A questionnaire on the program's schedule, and where the member stands with it."""

    definition: scoring.Questionnaire
    every_days: int
    last_day: date | None
    next_day: date
    is_due: bool

    @property
    def code(self) -> str:
        return self.definition.code


def every_schedule_of(program: Program) -> list[QuestionnaireSchedule]:
    """Every questionnaire of `program`'s schedule, asked or turned off; a program that never
    set any asks for all three, every 14 days."""
    schedules = list(QuestionnaireSchedule.objects.filter(program=program))
    if not schedules:
        QuestionnaireSchedule.objects.bulk_create(
            [
                QuestionnaireSchedule(program=program, questionnaire=code)
                for code in scoring.QUESTIONNAIRES
            ],
            ignore_conflicts=True,
        )
        schedules = list(QuestionnaireSchedule.objects.filter(program=program))
    return schedules


def schedules_of(program: Program) -> list[QuestionnaireSchedule]:
    """The questionnaires `program` asks for now (see every_schedule_of)."""
    return [schedule for schedule in every_schedule_of(program) if schedule.is_active]


def questionnaires_for(member, program: Program, today: date) -> list[DueQuestionnaire]:
    """Each questionnaire of the program's schedule, with when the member last answered it and
    whether it is due `today` (the member's local day)."""
    last_days = dict(
        QuestionnaireResponse.objects.filter(member=member, program=program)
        .values("questionnaire")
        .annotate(last_day=Max("day"))
        .values_list("questionnaire", "last_day")
    )
    return [
        DueQuestionnaire(
            definition=scoring.get_questionnaire(row.questionnaire),
            every_days=row.every_days,
            last_day=last_days.get(row.questionnaire),
            next_day=schedule.next_due_day(
                last_days.get(row.questionnaire), every_days=row.every_days, today=today
            ),
            is_due=schedule.questionnaire_due(
                last_days.get(row.questionnaire), every_days=row.every_days, today=today
            ),
        )
        for row in schedules_of(program)
    ]


def get_questionnaire_for(user, program: Program, code: str) -> scoring.Questionnaire:
    """The questionnaire `code` if `program` asks its members for it, else Http404."""
    if not any(row.questionnaire == code for row in schedules_of(program)):
        raise Http404
    return scoring.get_questionnaire(code)


def responses_between(member, program: Program, first_day: date, last_day: date):
    """The member's questionnaire answers in `program` between the days, oldest first."""
    return QuestionnaireResponse.objects.filter(
        member=member, program=program, day__gte=first_day, day__lte=last_day
    ).order_by("day", "submitted_at")


# --- How a program runs check-ins (its coordinators and site admins) ---------------------------


def get_managed_program_for(user, slug: str) -> Program:
    """The program `slug` if the user sets how it runs check-ins: a coordinator of the (active)
    program or a site admin; else Http404."""
    program = Program.objects.filter(slug=slug).first()
    if program is None or not user.is_authenticated:
        raise Http404
    if user.is_superuser or has_role(user, program, Role.COORDINATOR):
        return program
    raise Http404


def get_tracked_item_for(program: Program, item_id: int) -> TrackedItem:
    """The tracked item `item_id` of a program already opened for managing, else Http404."""
    item = TrackedItem.objects.filter(program=program, pk=item_id).first()
    if item is None:
        raise Http404
    return item


# --- Someone else's trends ------------------------------------------------------------------------

READER_ROLES = (Role.CLINICIAN, Role.COORDINATOR)


@dataclass(frozen=True)
class SharedTrends:
    """A member's trends someone else was let in to see, which parts, and on what grounds."""

    program: Program
    member: Any
    actor_role: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    emergency: bool = False

    @property
    def shows_check_ins(self) -> bool:
        return Scope.CHECKINS in self.scopes

    @property
    def shows_questionnaires(self) -> bool:
        return Scope.QUESTIONNAIRES in self.scopes


def _reader_role(user, program: Program) -> str | None:
    for role in READER_ROLES:
        if has_role(user, program, role):
            return role
    return None


def _shared_scopes(member, program: Program, audience: str) -> frozenset[str]:
    return frozenset(
        scope
        for scope in (Scope.CHECKINS, Scope.QUESTIONNAIRES)
        if has_sharing_consent(member, program=program, audience=audience, scope=scope)
    )


def get_shared_trends_for(user, slug: str, member_id: int) -> SharedTrends:
    """`member_id`'s trends in program `slug` if the user may see them now, else Http404.

    A clinician or coordinator of the program sees the parts the member shares with program
    staff, a clinician with emergency access in force all of them; the member's peer supporter
    the parts the member shares with their supporter. Site admins are not let in: the trends are
    for the people who care for the member.
    """
    program = Program.objects.filter(slug=slug).filter(is_active=True).first()
    if program is None:
        raise Http404
    member = members_of(program).filter(pk=member_id).first()
    if member is None or member.pk == user.pk:
        raise Http404
    role = _reader_role(user, program)
    if role is not None:
        scopes = _shared_scopes(member, program, Audience.STAFF)
        if scopes:
            return SharedTrends(program, member, role, scopes)
        if active_emergency_access(user, member, program=program) is not None:
            every_part = frozenset({Scope.CHECKINS, Scope.QUESTIONNAIRES})
            return SharedTrends(program, member, Role.CLINICIAN, every_part, emergency=True)
    if is_supporter_of(user, member, program):
        scopes = _shared_scopes(member, program, Audience.SUPPORTER)
        if scopes:
            return SharedTrends(program, member, Role.SUPPORTER, scopes)
    raise Http404


# --- Reminders and missed streaks ---------------------------------------------------------------


def reminders_to_consider(zone: str, local_time, today: date) -> QuerySet[CheckInPreference]:
    """Reminders of members living in `zone` whose time has come by `local_time` and whose day
    `today` has not been dealt with yet, with member and program loaded."""
    return (
        CheckInPreference.objects.filter(remind_at__isnull=False, remind_at__lte=local_time)
        .filter(member__profile__time_zone=zone)
        .filter(Q(reminder_handled_on__isnull=True) | Q(reminder_handled_on__lt=today))
        .filter(member__is_active=True, program__is_active=True)
        .select_related("member__profile", "program")
    )


def reminder_zones() -> list[str]:
    """The time zones of everyone with a reminder set."""
    return sorted(
        set(
            CheckInPreference.objects.filter(remind_at__isnull=False)
            .values_list("member__profile__time_zone", flat=True)
            .distinct()
        )
        - {None}
    )
