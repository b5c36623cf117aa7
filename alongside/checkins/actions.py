"""What members (and the site on their behalf) do with check-ins, questionnaires and reminders."""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.checkins import access, kinds, schedule, scoring, tracking
from alongside.checkins.models import (
    NOTE_LENGTH,
    CheckIn,
    CheckInPreference,
    CheckInSettings,
    CheckInSubmission,
    MissedStreakNotice,
    QuestionnaireResponse,
    QuestionnaireSchedule,
    TrackedItem,
)
from alongside.core.audit import record_list_access
from alongside.notifications.actions import notify
from alongside.pairing.access import supporters_of
from alongside.privacy.access import has_sharing_consent, members_of
from alongside.privacy.models import EMERGENCY_PURPOSE, Audience, Scope
from alongside.programs.access import has_role
from alongside.programs.models import Membership, MembershipRole, Program, Role
from alongside.safety.actions import Screened, open_escalation, screen_writing
from alongside.safety.models import Escalation, Origin

logger = logging.getLogger(__name__)

NOTE_PATH = "checkins.note"
# Why someone opened a member's check-ins or questionnaire answers, as the access log records it.
SHARED_CHECKINS_PURPOSE = "shared_checkins"
SHARED_QUESTIONNAIRES_PURPOSE = "shared_questionnaires"


def _require_member(actor, program: Program) -> None:
    if not has_role(actor, program, Role.MEMBER):
        raise Http404


def _lock_person(person) -> None:
    """Queue this person's writes on their own row: two taps at once are done one after the
    other, so the second finds what the first saved."""
    get_user_model().objects.select_for_update().filter(pk=person.pk).first()


def _lock_membership_as_member(actor, program: Program) -> None:
    """_require_member and a lock in one round trip, for the daily check-in: the actor's
    membership row in `program` is locked (only it: not the program's row, which every member
    shares), so two taps at once are done one after the other; Http404 unless the actor is an
    active member of the active program."""
    if not actor.is_authenticated:
        raise Http404
    locked = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(user=actor, program=program, is_active=True, program__is_active=True)
        .filter(roles__role=Role.MEMBER)
        .order_by()
        .values_list("pk", flat=True)[:1]
    )
    if not locked:
        raise Http404


# --- The daily check-in -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecordedCheckIn:
    """What recording a check-in did: `created` a new day, or replaced the day's; `replayed`
    when the idempotency key had been used already and nothing changed."""

    check_in: CheckIn
    created: bool
    replayed: bool
    screened: Screened | None = None

    @property
    def show_crisis_panel(self) -> bool:
        return self.screened is not None and self.screened.show_crisis_panel


def _value_message(problem: str, item: TrackedItem) -> str:
    label = _(item.label)
    messages = {
        tracking.NOT_A_CHOICE: _("Choose one of the answers for “%(item)s”."),
        tracking.NOT_A_WHOLE_NUMBER: _("Enter a whole number for “%(item)s”."),
        tracking.NOT_A_NUMBER: _("Enter a number for “%(item)s”."),
        tracking.BELOW_ZERO: _("“%(item)s” cannot be below 0."),
        tracking.ABOVE_TEN: _("“%(item)s” goes from 0 to 10."),
        tracking.MORE_THAN_A_DAY: _("“%(item)s” can be at most 24 hours."),
        tracking.TOO_MANY: _("“%(item)s” can be at most %(limit)d."),
        tracking.NOT_QUARTER_HOURS: _("Round “%(item)s” to a quarter of an hour."),
    }
    return messages[problem] % {"item": label, "limit": tracking.LARGEST_COUNT}


def _checked_values(program: Program, values: dict[str, Any], errors: dict) -> dict[str, Any]:
    items = {item.key: item for item in access.program_items_of(program)}
    unknown = sorted(set(values) - set(items))
    if unknown:
        errors["values"] = [
            _("This program does not track “%(key)s”.") % {"key": key} for key in unknown
        ]
    cleaned = {}
    for key, value in values.items():
        item = items.get(key)
        if item is None or value is None or value == "":
            continue
        problem = tracking.problem_with(item.kind, value)
        if problem is not None:
            errors[f"values.{key}"] = [_value_message(problem, item)]
        else:
            cleaned[key] = tracking.stored_value(item.kind, value)
    return cleaned


def _checked_mood(mood, errors: dict) -> None:
    if mood is None or mood == "":
        errors["mood"] = [_("Choose how you feel, from 1 to 10.")]
    elif tracking.mood_problem(mood) is not None:
        errors["mood"] = [_("Mood goes from 1 (awful) to 10 (excellent).")]


@transaction.atomic
def record_check_in(
    actor,
    *,
    program: Program,
    mood: int | None,
    values: dict[str, Any] | None = None,
    note: str = "",
    idempotency_key: uuid.UUID | None = None,
    now: datetime | None = None,
) -> RecordedCheckIn:
    """Save the actor's check-in for today (their own time zone's day) in `program`, replacing
    one already saved today; a note is screened for signs of crisis.

    `values` maps the program's item keys to answers (None or "" for unanswered). The same
    `idempotency_key` again returns the check-in it saved and changes nothing. Raises Http404
    unless the actor is a member of `program`, and ValidationError keyed by "mood", "note",
    "values" (unknown items) or "values.<key>" (nothing saved) for bad input.
    """
    _lock_membership_as_member(actor, program)
    if idempotency_key is not None:
        earlier = (
            CheckInSubmission.objects.filter(member=actor, key=idempotency_key)
            .select_related("check_in")
            .first()
        )
        if earlier is not None:
            return RecordedCheckIn(earlier.check_in, created=False, replayed=True)
    errors: dict[str, list[str]] = {}
    _checked_mood(mood, errors)
    cleaned = _checked_values(program, values or {}, errors)
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        errors["note"] = [
            _("Keep the note to %(limit)d characters; it has %(count)d.")
            % {"limit": NOTE_LENGTH, "count": len(note)}
        ]
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    day = schedule.local_day(now, access.zone_of(actor))
    check_in = access.check_in_on(actor, program, day)
    created = check_in is None
    if check_in is None:
        check_in = CheckIn(member=actor, program=program, day=day, created_at=now)
        note_changed = True
    else:
        note_changed = note != check_in.note
    check_in.mood = cast(int, mood)
    check_in.values = cleaned
    check_in.note = note
    check_in.updated_at = now
    check_in.save()
    CheckInSubmission.objects.create(
        member=actor, key=idempotency_key or uuid.uuid4(), check_in=check_in, submitted_at=now
    )
    screened = None
    if note and note_changed:
        screened = screen_writing(actor, program=program, path=NOTE_PATH, text=note, item=check_in)
    return RecordedCheckIn(check_in, created=created, replayed=False, screened=screened)


@transaction.atomic
def set_check_in_preferences(
    actor, *, program: Program, remind_at: time | None, item_keys: list[str] | None = None
) -> CheckInPreference:
    """Set when the actor is reminded to check in in `program` (None: never) and, when
    `item_keys` is given, which of the program's items they track.

    Raises Http404 unless the actor is a member of `program`, and ValidationError keyed by
    "items" for a key the program does not track.
    """
    _require_member(actor, program)
    preference, _created = CheckInPreference.objects.select_for_update().get_or_create(
        member=actor, program=program
    )
    if remind_at != preference.remind_at:
        # A new time may still come today: today's reminder has not been dealt with at it.
        preference.reminder_handled_on = None
    preference.remind_at = remind_at
    if item_keys is not None:
        offered = {item.key: item for item in access.program_items_of(program)}
        unknown = sorted(set(item_keys) - set(offered))
        if unknown:
            raise ValidationError(
                {"items": [_("This program does not track “%(key)s”.") % {"key": unknown[0]}]}
            )
        preference.chose_items = True
        preference.save()
        preference.items.set([offered[key] for key in item_keys])
    else:
        preference.save()
    return preference


# --- Questionnaires -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmittedQuestionnaire:
    response: QuestionnaireResponse
    score: scoring.Score
    escalation: Escalation | None

    @property
    def show_crisis_panel(self) -> bool:
        return self.escalation is not None


def _answer_errors(questionnaire: scoring.Questionnaire, error: scoring.AnswerError) -> dict:
    errors: dict[str, list[str]] = {}
    for index in error.missing:
        errors[f"q{index + 1}"] = [_("Please answer this question.")]
    for index in error.invalid:
        errors[f"q{index + 1}"] = [_("Choose one of the answers.")]
    if error.extra:
        errors["answers"] = [
            _("%(name)s has %(count)d questions.")
            % {"name": questionnaire.name, "count": len(questionnaire.items)}
        ]
    if error.missing:
        errors.setdefault("answers", []).append(
            ngettext(
                "Nothing was saved: %(count)d question is not answered yet.",
                "Nothing was saved: %(count)d questions are not answered yet.",
                len(error.missing),
            )
            % {"count": len(error.missing)}
        )
    return errors


@transaction.atomic
def submit_questionnaire(
    actor,
    *,
    program: Program,
    questionnaire: str,
    answers: list[int | None],
    now: datetime | None = None,
) -> SubmittedQuestionnaire:
    """Score and save the actor's complete answers to `questionnaire` in `program`; a PHQ-9
    item 9 answer above 0 opens an urgent escalation in the same transaction.

    Raises Http404 unless the actor is a member of `program` and the program asks for that
    questionnaire, and ValidationError keyed by "q<n>" and "answers" (nothing saved) for missing
    or impossible answers.
    """
    _require_member(actor, program)
    definition = access.get_questionnaire_for(actor, program, questionnaire)
    try:
        result = scoring.score(questionnaire, answers)
    except scoring.AnswerError as error:
        raise ValidationError(_answer_errors(definition, error)) from None
    now = now or timezone.now()
    response = QuestionnaireResponse.objects.create(
        member=actor,
        program=program,
        questionnaire=questionnaire,
        answers=list(result.answers),
        score=result.score,
        band=result.band.code,
        day=schedule.local_day(now, access.zone_of(actor)),
        submitted_at=now,
    )
    escalation = None
    if result.needs_safety_follow_up:
        escalation = open_escalation(
            actor, program=program, origin=Origin.QUESTIONNAIRE, categories=["suicide"]
        )
    return SubmittedQuestionnaire(response, result, escalation)


# --- How a program runs check-ins (its coordinators and site admins) ---------------------------

MISSED_STREAK_RANGE = (1, 60)
EVERY_DAYS_RANGE = (1, 365)
LABEL_LENGTH = 80
KEY_LENGTH = 40
LARGEST_POSITION = 999


def _require_manager(actor, program: Program) -> None:
    if not (actor.is_superuser or has_role(actor, program, Role.COORDINATOR)):
        raise Http404


@dataclass(frozen=True)
class ScheduleChoice:
    """Whether a program asks for one questionnaire, and how often."""

    questionnaire: str
    is_active: bool
    every_days: int | None


def _out_of(value: int | None, bounds: tuple[int, int]) -> bool:
    return value is None or not bounds[0] <= value <= bounds[1]


@transaction.atomic
def set_program_check_in_rules(
    actor, *, program: Program, missed_streak_days: int | None, schedules: list[ScheduleChoice]
) -> CheckInSettings:
    """Set after how many missed days in a row a member's sharers hear of it, and which
    questionnaires `program` asks for how often.

    Raises Http404 unless the actor coordinates `program` or is a site admin, and
    ValidationError keyed by "missed_streak_days", "<questionnaire>_every_days" or
    "schedules" (nothing saved) for values out of range or an unknown questionnaire.
    """
    _require_manager(actor, program)
    errors: dict[str, list[str]] = {}
    if _out_of(missed_streak_days, MISSED_STREAK_RANGE):
        errors["missed_streak_days"] = [
            _("Choose from %(low)d to %(high)d days.")
            % {"low": MISSED_STREAK_RANGE[0], "high": MISSED_STREAK_RANGE[1]}
        ]
    for choice in schedules:
        if choice.questionnaire not in scoring.QUESTIONNAIRES:
            errors["schedules"] = [
                _("“%(code)s” is not a questionnaire this site knows.")
                % {"code": choice.questionnaire}
            ]
        elif _out_of(choice.every_days, EVERY_DAYS_RANGE):
            errors[f"{choice.questionnaire}_every_days"] = [
                _("Choose every %(low)d to %(high)d days.")
                % {"low": EVERY_DAYS_RANGE[0], "high": EVERY_DAYS_RANGE[1]}
            ]
    if errors:
        raise ValidationError(errors)
    checkin_settings = access.settings_of(program)
    checkin_settings.missed_streak_days = cast(int, missed_streak_days)
    checkin_settings.save(update_fields=["missed_streak_days"])
    access.every_schedule_of(program)
    for choice in schedules:
        QuestionnaireSchedule.objects.update_or_create(
            program=program,
            questionnaire=choice.questionnaire,
            defaults={"is_active": choice.is_active, "every_days": choice.every_days},
        )
    return checkin_settings


def _label_errors(label: str) -> list[str]:
    if not label:
        return [_("Give the item a name members will understand.")]
    if len(label) > LABEL_LENGTH:
        return [
            _("Keep the name to %(limit)d characters; it has %(count)d.")
            % {"limit": LABEL_LENGTH, "count": len(label)}
        ]
    return []


@transaction.atomic
def add_tracked_item(actor, *, program: Program, label: str, kind: str) -> TrackedItem:
    """Offer a new item for `program`'s members to track, after the items it has.

    Raises Http404 unless the actor coordinates `program` or is a site admin, and
    ValidationError keyed by "label" or "kind" (nothing saved) for a missing, over-long or
    already used name or an unknown kind.
    """
    _require_manager(actor, program)
    label = (label or "").strip()
    errors: dict[str, list[str]] = {}
    if label_errors := _label_errors(label):
        errors["label"] = label_errors
    if kind not in tracking.KINDS:
        errors["kind"] = [_("Choose what kind of answer the item takes.")]
    existing = access.every_item_of(program)
    key = slugify(label).replace("-", "_")[:KEY_LENGTH]
    if "label" not in errors and not key:
        errors["label"] = [_("Use at least one letter or digit in the name.")]
    elif "label" not in errors and any(
        item.key == key or item.label.casefold() == label.casefold() for item in existing
    ):
        errors["label"] = [
            _("The program has an item with this name already; turn it back on instead.")
        ]
    if errors:
        raise ValidationError(errors)
    position = max((item.position for item in existing), default=-1) + 1
    return TrackedItem.objects.create(
        program=program, key=key, label=label, kind=kind, position=min(position, LARGEST_POSITION)
    )


@transaction.atomic
def update_tracked_item(
    actor, *, item: TrackedItem, label: str, position: int | None, is_active: bool
) -> TrackedItem:
    """Rename, move or turn on or off an item of a program; its kind and key stay, so answers
    members already gave keep their meaning. A turned-off item leaves members' check-in forms
    and charts at once; their answers are kept.

    Raises Http404 unless the actor coordinates the item's program or is a site admin, and
    ValidationError keyed by "label" or "position" (nothing saved).
    """
    _require_manager(actor, item.program)
    label = (label or "").strip()
    errors: dict[str, list[str]] = {}
    if label_errors := _label_errors(label):
        errors["label"] = label_errors
    if _out_of(position, (0, LARGEST_POSITION)):
        errors["position"] = [_("Give a position from 0 to %(high)d.") % {"high": LARGEST_POSITION}]
    if errors:
        raise ValidationError(errors)
    item.label = label
    item.position = cast(int, position)
    item.is_active = is_active
    item.save(update_fields=["label", "position", "is_active"])
    return item


# --- Someone else's trends ------------------------------------------------------------------------


def record_trends_view(
    actor, *, shared: access.SharedTrends, check_ins, responses, request=None
) -> None:
    """Log that the actor saw these check-ins and questionnaire answers of `shared.member`,
    one row per record shown (emergency access marked as such)."""
    for records, purpose in (
        (check_ins, SHARED_CHECKINS_PURPOSE),
        (responses, SHARED_QUESTIONNAIRES_PURPOSE),
    ):
        if not records:
            continue
        record_list_access(
            actor,
            actor_role=shared.actor_role,
            records=[(shared.member, record) for record in records],
            purpose=EMERGENCY_PURPOSE if shared.emergency else purpose,
            program=shared.program,
            request=request,
            emergency=shared.emergency,
        )


# --- Reminders and missed streaks (the task queue's) ----------------------------------------------


def send_check_in_reminders(now: datetime | None = None) -> int:
    """Remind everyone whose chosen local time has come and who has not checked in today,
    once a day each; returns how many were reminded.

    Not atomic on purpose: each reminder is claimed and sent in its own transaction, so one
    failing notification does not hold back the others and two runs never send it twice.
    """
    now = now or timezone.now()
    sent = 0
    for zone in access.reminder_zones():
        local = schedule.local_time(now, zone)
        today = local.date()
        candidates = access.reminders_to_consider(zone, local.time(), today)
        for preference in candidates:
            if preference.remind_at is None:
                continue
            instant = schedule.reminder_instant(today, preference.remind_at, zone)
            if now < instant:
                continue  # a time skipped by the clocks going forward comes an hour later
            sent += _remind(preference, today, send=now < instant + schedule.REMINDER_GRACE)
    return sent


@transaction.atomic
def _remind(preference: CheckInPreference, today, *, send: bool) -> int:
    claimed = (
        CheckInPreference.objects.filter(pk=preference.pk)
        .filter(Q(reminder_handled_on__isnull=True) | Q(reminder_handled_on__lt=today))
        .update(reminder_handled_on=today)
    )
    member, program = preference.member, preference.program
    if not claimed or not send or not has_role(member, program, Role.MEMBER):
        return 0
    if CheckIn.objects.filter(member=member, program=program, day=today).exists():
        return 0
    try:
        with transaction.atomic():
            notify(
                member,
                kind=kinds.REMINDER,
                title=_("Time for your check-in"),
                body=_("It takes under a minute: how are you today?"),
                url=reverse("checkins:today", args=[program.slug]),
                program=program,
            )
    except Exception:
        logger.exception("Could not remind %s to check in", member.pk)
        return 0
    return 1


def _streak_recipients(member, program: Program) -> list:
    """Who hears about the member's missed days: the program's coordinators while the member
    shares check-ins with program staff, their peer supporters while they share with them."""
    recipients = []
    if has_sharing_consent(member, program=program, audience=Audience.STAFF, scope=Scope.CHECKINS):
        coordinators = (
            MembershipRole.objects.filter(membership__program=program)
            .filter(membership__is_active=True)
            .filter(role=Role.COORDINATOR)
            .values_list("membership__user_id", flat=True)
        )
        recipients += list(
            get_user_model()
            .objects.filter(pk__in=list(coordinators), is_active=True)
            .exclude(pk=member.pk)
            .order_by("pk")
        )
    if has_sharing_consent(
        member, program=program, audience=Audience.SUPPORTER, scope=Scope.CHECKINS
    ):
        recipients += [
            supporter
            for supporter in supporters_of(member, program).order_by("pk")
            if supporter not in recipients
        ]
    return recipients


def notify_missed_streaks(now: datetime | None = None) -> int:
    """Tell the coordinators and peer supporters a member shares check-ins with when the member
    has missed the program's number of days in a row (default 3): once per run of missed
    days, counted in the member's time zone. Returns how many runs were told about."""
    now = now or timezone.now()
    told = 0
    for program in Program.objects.filter(is_active=True).order_by("pk"):
        streak_days = access.settings_of(program).missed_streak_days
        # Every zone is within a day of UTC: anyone possibly `streak_days` behind is in here.
        cutoff = now.date().toordinal() - streak_days
        latest = (
            CheckIn.objects.filter(program=program)
            .values("member_id")
            .annotate(last_day=Max("day"))
            .filter(last_day__lte=date.fromordinal(cutoff))
        )
        last_days = {row["member_id"]: row["last_day"] for row in latest}
        if not last_days:
            continue
        members = members_of(program).filter(pk__in=list(last_days))
        for member in members:
            last_day = last_days[member.pk]
            today = schedule.local_day(now, access.zone_of(member))
            if schedule.missed_days(last_day, today) >= streak_days:
                told += _tell_missed_streak(member, program, last_day, streak_days)
    return told


@transaction.atomic
def _tell_missed_streak(member, program: Program, last_day, streak_days: int) -> int:
    recipients = _streak_recipients(member, program)
    if not recipients:
        return 0
    _notice, created = MissedStreakNotice.objects.get_or_create(
        member=member, program=program, first_missed_day=schedule.streak_start(last_day)
    )
    if not created:
        return 0
    url = reverse("checkins:member_trends", args=[program.slug, member.pk])
    for recipient in recipients:
        # No name in the title: it is also an email subject and a lock-screen line.
        notify(
            recipient,
            kind=kinds.MISSED_STREAK,
            title=ngettext(
                "A member has not checked in for %(days)d day",
                "A member has not checked in for %(days)d days",
                streak_days,
            )
            % {"days": streak_days},
            body=_("They share their check-ins with you. A kind word may help."),
            url=url,
            program=program,
        )
    return 1
