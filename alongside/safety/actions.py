"""What people (and the site on their behalf) do in crisis safety."""

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.audit import record_access, record_list_access
from alongside.notifications.actions import notify, notify_each
from alongside.privacy.models import EMERGENCY_PURPOSE
from alongside.programs.access import can_manage, has_role
from alongside.programs.models import Program, Role
from alongside.safety import access, delivery, kinds, roster, support, tasks, writing
from alongside.safety.models import (
    SAFETY_PLAN_SECTIONS,
    Channel,
    Escalation,
    EscalationEvent,
    EventKind,
    Flag,
    FlagLevel,
    OnCallShift,
    Origin,
    OutboxMessage,
    Outcome,
    SafetyPlan,
    SafetySettings,
    State,
)
from alongside.safety.screening import Assessment, Level, Reason, screen

logger = logging.getLogger(__name__)

# --- Staff side: escalations, outbox delivery, screening hook, roster, settings ----------------

# A failed delivery is retried after 30 s, then 1, 2, 4 ... minutes, never more than 15 apart.
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(minutes=15)
OUTBOX_BATCH = 200
# Why staff opened a member's health data, as the access log records it.
ESCALATION_PURPOSE = "crisis_escalation"
CONCERN_PURPOSE = "concern_review"
# The reason recorded when the screening service itself failed on a text.
SCREENING_FAILED = "screening_failed"


def _outbox_key(escalation: Escalation, tier: int, channel: str, recipient_id: int | None) -> str:
    return f"escalation-{escalation.pk}-tier-{tier}-{channel}-{recipient_id or 'all'}"


def _write_alerts(escalation: Escalation, *, tier: int, now) -> list[OutboxMessage]:
    """Outbox rows alerting step `tier` of the chain; a row already written is not written again."""
    safety_settings = access.settings_of(escalation.program)
    messages = [
        OutboxMessage(
            escalation=escalation,
            recipient_id=recipient_id,
            channel=Channel.NOTIFICATION,
            key=_outbox_key(escalation, tier, Channel.NOTIFICATION, recipient_id),
            tier=tier,
            created_at=now,
            next_attempt_at=now,
        )
        for recipient_id in access.alert_recipients(escalation.program, tier, now)
    ]
    if safety_settings.webhook_url:
        messages.append(
            OutboxMessage(
                escalation=escalation,
                channel=Channel.WEBHOOK,
                key=_outbox_key(escalation, tier, Channel.WEBHOOK, None),
                tier=tier,
                created_at=now,
                next_attempt_at=now,
            )
        )
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    return messages


def _kick_delivery() -> None:
    # robust: the alert is committed in the outbox; if the queue is down the periodic sweep
    # delivers it, and the member's page must not fail because of it.
    transaction.on_commit(tasks.deliver_safety_outbox, robust=True)


@transaction.atomic
def open_escalation(
    member,
    *,
    program: Program,
    origin: str,
    categories=(),
    flag: Flag | None = None,
    message: str = "",
) -> Escalation:
    """Open an escalation about `member` in `program` and write its first alerts to the outbox,
    all in the caller's transaction; delivery starts after commit.

    Raises ValueError for an unknown origin.
    """
    if origin not in Origin.values:
        raise ValueError(f"Unknown origin: {origin!r}")
    now = timezone.now()
    safety_settings = access.settings_of(program)
    escalation = Escalation.objects.create(
        program=program,
        member=member,
        origin=origin,
        flag=flag,
        categories=list(categories),
        member_message=message,
        state=State.OPEN,
        tier=0,
        acknowledge_by=now + timedelta(minutes=safety_settings.acknowledge_within_minutes),
        created_at=now,
    )
    EscalationEvent.objects.create(
        escalation=escalation,
        kind=EventKind.FLAGGED,
        at=now,
        actor=member if origin == Origin.HELP_NOW else None,
        tier=0,
    )
    _write_alerts(escalation, tier=0, now=now)
    _kick_delivery()
    return escalation


def _escalation_url(escalation: Escalation) -> str:
    return escalation.get_absolute_url()


def _due_message_ids(now) -> list[int]:
    return list(
        OutboxMessage.objects.due(now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:OUTBOX_BATCH]
    )


def deliver_outbox(now=None) -> int:
    """Deliver every alert that is due, each in its own transaction, returning how many were
    delivered; a failed one is retried later with backoff, and one asking people to take on an
    escalation someone already acknowledged (or closed) is settled unsent, noted in its timeline.

    Not atomic on purpose: each message is claimed with a row lock that other workers skip, and
    marked delivered in the transaction that delivers it, so two sweeps never deliver it twice.
    """
    now = now or timezone.now()
    return sum(_deliver_one(message_id, now) for message_id in _due_message_ids(now))


@transaction.atomic
def _deliver_one(message_id: int, now) -> bool:
    message = (
        OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=message_id)
        .due(now)
        .select_related("escalation__program", "recipient")
        .first()
    )
    if message is None:
        return False
    if message.is_moot():
        _skip_moot_alert(message, now)
        return False
    try:
        # A savepoint: a failed notification leaves nothing behind but the failure record.
        with transaction.atomic():
            if message.channel == Channel.NOTIFICATION:
                _notify_recipient(message)
            else:
                _post_to_webhook(message)
            message.delivered_at = now
            message.save(update_fields=["delivered_at"])
    except Exception as error:
        logger.warning("Escalation alert %s not delivered: %s", message.key, error)
        _record_failure(message, error, now)
        return False
    return True


def _skip_moot_alert(message: OutboxMessage, now) -> None:
    """Settle an alert nobody needs any more (the escalation was taken on before it went out),
    and say so in the escalation's timeline, in the transaction that claimed it: exactly once."""
    escalation = message.escalation
    if escalation.state == State.CLOSED:
        reason = _("Alert not sent: the escalation was already closed.")
    else:
        reason = _("Alert not sent: someone had already acknowledged the escalation.")
    message.skip(now)
    EscalationEvent.objects.create(
        escalation=escalation,
        kind=EventKind.ALERT_SKIPPED,
        recipient=message.recipient,
        tier=message.tier,
        at=now,
        note=reason,
    )


def _notify_recipient(message: OutboxMessage) -> None:
    escalation = message.escalation
    # No health details and no name: the title is also an email subject and a lock-screen line.
    notify(
        message.recipient,
        kind=kinds.ESCALATION,
        title=_("A member may need urgent help"),
        body=_("Please open the escalation and acknowledge it, so others know you have it."),
        url=_escalation_url(escalation),
        program=escalation.program,
    )
    EscalationEvent.objects.create(
        escalation=escalation,
        kind=EventKind.NOTIFIED,
        recipient=message.recipient,
        tier=message.tier,
    )


def _post_to_webhook(message: OutboxMessage) -> None:
    escalation = message.escalation
    safety_settings = access.settings_of(escalation.program)
    if not safety_settings.webhook_url:
        raise delivery.WebhookFailed("The program no longer has a paging webhook.")
    body = delivery.webhook_body(
        escalation_id=escalation.pk,
        program=escalation.program.slug,
        tier=message.tier,
        url=django_settings.SITE_URL + _escalation_url(escalation),
    )
    delivery.post_webhook(
        safety_settings.webhook_url,
        body=body,
        key=message.key,
        secret=safety_settings.webhook_secret,
    )
    EscalationEvent.objects.create(
        escalation=escalation, kind=EventKind.NOTIFIED, tier=message.tier
    )


def _record_failure(message: OutboxMessage, error: Exception, now) -> None:
    message.attempts += 1
    message.last_error = str(error)[:500]
    delay = min(FIRST_RETRY * 2 ** (message.attempts - 1), LONGEST_RETRY)
    message.next_attempt_at = now + delay
    message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    if message.attempts == 1:
        EscalationEvent.objects.create(
            escalation=message.escalation,
            kind=EventKind.DELIVERY_FAILED,
            recipient=message.recipient,
            tier=message.tier,
            at=now,
        )


def re_escalate_overdue(now=None) -> int:
    """Pass every open escalation nobody acknowledged in time to the next step of its chain,
    returning how many moved; each moves in its own transaction, locked against other sweeps."""
    now = now or timezone.now()
    overdue = list(
        Escalation.objects.overdue(now).order_by("acknowledge_by").values_list("pk", flat=True)
    )
    moved = sum(_re_escalate_one(escalation_id, now) for escalation_id in overdue)
    return moved


@transaction.atomic
def _re_escalate_one(escalation_id: int, now) -> bool:
    escalation = (
        Escalation.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=escalation_id)
        .overdue(now)
        .select_related("program")
        .first()
    )
    if escalation is None:
        return False
    safety_settings = access.settings_of(escalation.program)
    escalation.tier += 1
    escalation.acknowledge_by = now + timedelta(minutes=safety_settings.acknowledge_within_minutes)
    escalation.save(update_fields=["tier", "acknowledge_by"])
    EscalationEvent.objects.create(
        escalation=escalation, kind=EventKind.RE_ESCALATED, tier=escalation.tier, at=now
    )
    _write_alerts(escalation, tier=escalation.tier, now=now)
    _kick_delivery()
    return True


def _require_responder(actor, escalation: Escalation) -> None:
    if not access.can_respond(actor, escalation.program):
        raise Http404


def _add_event(escalation: Escalation, kind: str, actor, note: str = "") -> EscalationEvent:
    return EscalationEvent.objects.create(
        escalation=escalation, kind=kind, actor=actor, tier=escalation.tier, note=note
    )


@transaction.atomic
def acknowledge_escalation(actor, *, escalation: Escalation) -> Escalation:
    """Take the escalation on: exactly one of several people pressing at once wins.

    Raises Http404 unless the actor may respond in its program, and ValidationError naming who
    acknowledged it when someone already has.
    """
    _require_responder(actor, escalation)
    now = timezone.now()
    won = Escalation.objects.filter(pk=escalation.pk, state=State.OPEN).update(
        state=State.ACKNOWLEDGED, acknowledged_by=actor, acknowledged_at=now, acknowledge_by=None
    )
    if not won:
        current = Escalation.objects.select_related("acknowledged_by__profile").get(
            pk=escalation.pk
        )
        if current.acknowledged_by_id == actor.pk:
            raise ValidationError(_("You have already acknowledged this escalation."))
        raise ValidationError(
            _("%(name)s already acknowledged this escalation at %(time)s.")
            % {
                "name": current.acknowledged_by.display_name
                if current.acknowledged_by
                else _("Someone"),
                "time": timezone.localtime(current.acknowledged_at).strftime("%H:%M")
                if current.acknowledged_at
                else "",
            }
        )
    escalation.state = State.ACKNOWLEDGED
    escalation.acknowledged_by = actor
    escalation.acknowledged_at = now
    escalation.acknowledge_by = None
    _add_event(escalation, EventKind.ACKNOWLEDGED, actor)
    return escalation


def _advance(
    actor, escalation: Escalation, *, from_states, to_state: str, refusal: str, **changes
) -> None:
    """Move the escalation forward with a conditional UPDATE, or raise ValidationError(refusal)."""
    _require_responder(actor, escalation)
    moved = Escalation.objects.filter(pk=escalation.pk, state__in=from_states).update(
        state=to_state, **changes
    )
    if not moved:
        raise ValidationError(refusal)
    escalation.state = to_state
    for name, value in changes.items():
        setattr(escalation, name, value)


@transaction.atomic
def record_contact(actor, *, escalation: Escalation, note: str = "") -> Escalation:
    """Record that someone reached the member; only after acknowledging and before an outcome."""
    _advance(
        actor,
        escalation,
        from_states=[State.ACKNOWLEDGED],
        to_state=State.CONTACTED,
        refusal=_("Contact can be recorded only after acknowledging and before the outcome."),
    )
    _add_event(escalation, EventKind.CONTACTED, actor, note.strip())
    return escalation


@transaction.atomic
def record_outcome(actor, *, escalation: Escalation, outcome: str, note: str = "") -> Escalation:
    """Record how it ended (after acknowledging, with or without contact), with a note."""
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose one of the outcomes.")})
    _advance(
        actor,
        escalation,
        from_states=[State.ACKNOWLEDGED, State.CONTACTED],
        to_state=State.OUTCOME,
        refusal=_("An outcome can be recorded once, after the escalation has been acknowledged."),
        outcome=outcome,
    )
    _add_event(escalation, EventKind.OUTCOME, actor, note.strip())
    return escalation


@transaction.atomic
def close_escalation(actor, *, escalation: Escalation, note: str = "") -> Escalation:
    """Close the escalation once its outcome is recorded."""
    now = timezone.now()
    _advance(
        actor,
        escalation,
        from_states=[State.OUTCOME],
        to_state=State.CLOSED,
        refusal=_("Record the outcome before closing; a closed escalation stays closed."),
        closed_at=now,
    )
    _add_event(escalation, EventKind.CLOSED, actor, note.strip())
    return escalation


@transaction.atomic
def add_escalation_note(actor, *, escalation: Escalation, note: str) -> EscalationEvent:
    """Add a note to the escalation's timeline, in any state; raises ValidationError if empty."""
    _require_responder(actor, escalation)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write the note first.")})
    return _add_event(escalation, EventKind.NOTE, actor, note)


def record_escalation_view(actor, *, escalation: Escalation, request=None) -> None:
    """Log that the actor opened the escalation, a read of the member's health data."""
    record_access(
        actor,
        actor_role=access.staff_role_of(actor, escalation.program),
        subject=escalation.member,
        obj=escalation,
        purpose=ESCALATION_PURPOSE,
        program=escalation.program,
        request=request,
    )


@dataclass(frozen=True)
class Screened:
    """What screening made of one piece of writing, for the writer's page to act on."""

    assessment: Assessment
    flag: Flag | None
    escalation: Escalation | None
    held: bool

    @property
    def show_crisis_panel(self) -> bool:
        return self.flag is not None


def _value(choice) -> str:
    """An enum member's value, or the string itself: levels and categories compare as text."""
    return str(getattr(choice, "value", choice))


def assess(text: str, language: str) -> Assessment:
    """The screening service's assessment of `text`, never an exception.

    Screening that breaks must not lose what a member wrote nor let it through unseen: the
    failure is logged and the text counts as a concern, so a person looks at it.
    """
    try:
        return screen(text, language)
    except Exception:
        logger.exception("Screening failed; the text goes to the concern queue instead")
        return Assessment(
            Level.CONCERN,
            reasons=(Reason("screening", None, SCREENING_FAILED, ""),),
        )


def screen_writing(
    author, *, program: Program, path: str, text: str, item=None, anonymous: bool = False
) -> Screened:
    """Screen what `author` wrote at writing path `path`, inside the writer's transaction and
    after `item` is saved: flag it on concern or urgent, open an escalation on urgent, tell the
    moderators on concern. Nothing the author wrote is refused or lost. `anonymous`: it was
    written under an anonymous name, so the concern queues must not name the author.

    Raises ValueError for a path nobody registered (see alongside.safety.writing).
    """
    if not writing.is_registered(path):
        raise ValueError(f"Unregistered writing path {path!r}: register it in safety.writing.")
    profile = getattr(author, "profile", None)
    language = getattr(profile, "preferred_language", "") or "en"
    assessment = assess(text, language)
    level = _value(assessment.level)
    if level not in FlagLevel.values:
        return Screened(assessment, None, None, held=False)
    with transaction.atomic():
        flag = _write_flag(
            author,
            program=program,
            path=path,
            item=item,
            assessment=assessment,
            anonymous=anonymous,
        )
        escalation = None
        if level == FlagLevel.URGENT:
            escalation = open_escalation(
                author,
                program=program,
                origin=Origin.SCREENING,
                categories=flag.categories,
                flag=flag,
            )
        else:
            _tell_moderators(flag)
    return Screened(assessment, flag, escalation, held=flag.held)


# A pasted page can hold thousands of matches; the first hundred distinct reasons say why.
MOST_STORED_REASONS = 100


def stored_reasons(assessment) -> str:
    """The assessment's reasons as stored with a flag: JSON, each distinct reason once, at most
    MOST_STORED_REASONS of the rules' and every one of the classifier's."""
    distinct = list(dict.fromkeys(assessment.reasons))
    kept = [reason for reason in distinct if reason.source != "classifier"][:MOST_STORED_REASONS]
    kept += [reason for reason in distinct if reason.source == "classifier"]
    return json.dumps([reason.as_dict() for reason in kept])


def _write_flag(
    author, *, program: Program, path: str, item, assessment, anonymous: bool = False
) -> Flag:
    categories = [_value(category) for category in assessment.categories]
    return Flag.objects.create(
        program=program,
        author=author,
        writing_path=path,
        content_type=ContentType.objects.get_for_model(item) if item is not None else None,
        object_id=str(item.pk) if item is not None else "",
        level=_value(assessment.level),
        categories=categories,
        reasons=stored_reasons(assessment),
        held=access.settings_of(program).hold_flagged_for_review,
        is_anonymous=anonymous,
    )


def _tell_moderators(flag: Flag) -> None:
    url = reverse("safety:concerns", args=[flag.program.slug])
    moderators = get_user_model().objects.filter(pk__in=access.moderators_of(flag.program))
    try:
        # A savepoint: a failing notification must not undo what the member wrote.
        with transaction.atomic():
            notify_each(
                moderators,
                kind=kinds.CONCERN,
                title=_("Something a member wrote may need a kind word"),
                url=url,
                program=flag.program,
            )
    except Exception:
        logger.exception("Could not tell the moderators about flag %s", flag.pk)


REPORTED_AT_RISK = "reported_at_risk"


@transaction.atomic
def flag_reported_writing(author, *, program: Program, path: str, item, anonymous: bool) -> Flag:
    """Queue `item`, which `author` wrote at `path`, as a concern because a member reported that
    its writer may be at risk: the same queue and the same moderators as screening's concerns,
    so a person trained for it looks even when screening saw nothing."""
    assessment = Assessment(
        Level.CONCERN, reasons=(Reason("screening", None, REPORTED_AT_RISK, ""),)
    )
    flag = _write_flag(
        author, program=program, path=path, item=item, assessment=assessment, anonymous=anonymous
    )
    _tell_moderators(flag)
    return flag


@transaction.atomic
def review_flag(actor, *, flag: Flag, note: str = "", request=None) -> Flag:
    """Mark the flag reviewed by the actor with an optional note; reviewing twice is refused."""
    if not access.can_review_concerns(actor, flag.program):
        raise Http404
    reviewed = Flag.objects.filter(pk=flag.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(), reviewed_by=actor, review_note=note.strip()
    )
    if not reviewed:
        raise ValidationError(_("Someone has already reviewed this."))
    flag.refresh_from_db()
    record_access(
        actor,
        actor_role=access.staff_role_of(actor, flag.program),
        subject=flag.author,
        obj=flag,
        purpose=CONCERN_PURPOSE,
        program=flag.program,
        request=request,
    )
    return flag


@transaction.atomic
def add_on_call_shift(
    actor, *, program: Program, person, starts_at, ends_at, position: int = 1
) -> OnCallShift:
    """Put `person`, a clinician or coordinator of `program`, on call from `starts_at` to
    `ends_at` (aware datetimes); raises ValidationError keyed by field for a bad shift."""
    if not can_manage(actor, program):
        raise Http404
    errors: dict[str, str] = {}
    if not access.responders_of(program).filter(pk=person.pk).exists():
        errors["person"] = _("Only clinicians and coordinators of this program can be on call.")
    problem = roster.shift_problem(starts_at, ends_at)
    if problem == "ends_before_start":
        errors["ends_at"] = _("The shift must end after it starts.")
    elif problem == "too_long":
        errors["ends_at"] = _("A shift can be at most 31 days long.")
    if position < 1:
        errors["position"] = _("The order starts at 1.")
    if errors:
        raise ValidationError(errors)
    return OnCallShift.objects.create(
        program=program,
        person=person,
        starts_at=starts_at,
        ends_at=ends_at,
        position=position,
        created_by=actor,
    )


@transaction.atomic
def remove_on_call_shift(actor, *, shift: OnCallShift) -> None:
    """Take the shift off the roster."""
    if not can_manage(actor, shift.program):
        raise Http404
    shift.delete()


@transaction.atomic
def update_safety_settings(actor, *, program: Program, **values) -> SafetySettings:
    """Change the program's safety settings; raises ValidationError keyed by field (nothing
    saved) for values out of range or a webhook that is not https in production."""
    if not can_manage(actor, program):
        raise Http404
    allowed = {
        "hold_flagged_for_review",
        "acknowledge_within_minutes",
        "webhook_url",
        "webhook_secret",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Unknown safety settings: {sorted(unknown)}")
    safety_settings = access.settings_of(program)
    for name, value in values.items():
        setattr(safety_settings, name, value)
    safety_settings.full_clean(exclude=["program"])
    if (
        safety_settings.webhook_url
        and django_settings.PRODUCTION
        and not safety_settings.webhook_url.startswith("https://")
    ):
        raise ValidationError({"webhook_url": _("The webhook address must start with https://.")})
    safety_settings.save()
    return safety_settings


def record_escalation_list_view(actor, *, program: Program, escalations, request=None) -> None:
    """Log that the actor saw these escalations listed, one row per member shown."""
    record_list_access(
        actor,
        actor_role=access.staff_role_of(actor, program),
        records=[(escalation.member, escalation) for escalation in escalations],
        purpose=ESCALATION_PURPOSE,
        program=program,
        request=request,
    )


def record_concern_list_view(actor, *, program: Program, flags, request=None) -> None:
    """Log that the actor saw these flags in the concern queue, one row per flag shown."""
    record_list_access(
        actor,
        actor_role=access.staff_role_of(actor, program),
        records=[(flag.author, flag) for flag in flags],
        purpose=CONCERN_PURPOSE,
        program=program,
        request=request,
    )


# --- Member side: asking for help, safety plans ------------------------------------------------

# A second request for help this soon, while the first still waits to be acknowledged, joins it:
# the people on call are already being alerted, and a second escalation would only split them.
HELP_REQUEST_JOINS_WITHIN = timedelta(minutes=30)
SHARED_PLAN_PURPOSE = "shared_safety_plan"


@dataclass(frozen=True)
class HelpRequested:
    """The escalation a request for help went to; `opened` is False when it joined one open."""

    escalation: Escalation
    opened: bool


@transaction.atomic
def ask_for_help(member, *, program: Program, message: str = "") -> HelpRequested:
    """Alert `program`'s on-call team that `member` asks for help now, with their consent given.

    Opens an urgent escalation (origin HELP_NOW) carrying the member's message, screened so the
    team sees its categories; while an escalation of theirs in the program opened in the last 30
    minutes still waits to be acknowledged, the message is added to it as a note instead.
    Nothing here refuses a person: screening that fails is logged and the alert goes out without
    it. Raises Http404 unless `member` is a member of `program`.
    """
    if not has_role(member, program, Role.MEMBER):
        raise Http404
    # Two taps at once must not open two escalations: requests of one person queue on their row.
    get_user_model().objects.select_for_update().filter(pk=member.pk).first()
    message = message.strip()
    assessment = _screen_help_message(member, message)
    categories = [_value(category) for category in getattr(assessment, "categories", ())]
    waiting = (
        Escalation.objects.filter(member=member, program=program, state=State.OPEN)
        .filter(created_at__gte=timezone.now() - HELP_REQUEST_JOINS_WITHIN)
        .order_by("-created_at", "-id")
        .first()
    )
    if waiting is not None:
        new_categories = [c for c in categories if c not in waiting.categories]
        if new_categories:
            waiting.categories = [*waiting.categories, *new_categories]
            waiting.save(update_fields=["categories"])
        _add_event(waiting, EventKind.NOTE, member, message or _("They asked for help again."))
        return HelpRequested(waiting, opened=False)
    flag = None
    if assessment is not None and _value(assessment.level) in FlagLevel.values:
        flag = Flag.objects.create(
            program=program,
            author=member,
            writing_path=writing.HELP_NOW.name,
            level=FlagLevel.URGENT,
            categories=categories,
            reasons=stored_reasons(assessment),
        )
    escalation = open_escalation(
        member,
        program=program,
        origin=Origin.HELP_NOW,
        categories=categories,
        flag=flag,
        message=message,
    )
    return HelpRequested(escalation, opened=True)


def _screen_help_message(member, message: str):
    """The screening of a help-now message (path safety.help_now), or None without one.

    Not through `screen_writing`: that would open a second escalation for words that already
    come with one, urgent by the member's own request. Same assessment, one escalation.
    """
    if not message:
        return None
    language = getattr(getattr(member, "profile", None), "preferred_language", "") or "en"
    return assess(message, language)


@transaction.atomic
def save_safety_plan(actor, *, sections: dict[str, str]) -> SafetyPlan:
    """Make the actor's own safety plan exactly `sections` (a missing section is emptied).

    Raises ValidationError keyed by section, saving nothing, for a section longer than its limit
    or a name that is not a section.
    """
    unknown = set(sections) - set(SAFETY_PLAN_SECTIONS)
    if unknown:
        raise ValidationError(
            {name: _("This is not a section of the safety plan.") for name in unknown}
        )
    cleaned = {name: (sections.get(name) or "").strip() for name in SAFETY_PLAN_SECTIONS}
    errors = {}
    for name, text in cleaned.items():
        limit = support.section_limit(name)
        if len(text) > limit:
            errors[name] = _("Keep this to %(limit)d characters; it has %(count)d.") % {
                "limit": limit,
                "count": len(text),
            }
    if errors:
        raise ValidationError(errors)
    plan, _created = SafetyPlan.objects.select_for_update().get_or_create(member=actor)
    for name, text in cleaned.items():
        setattr(plan, name, text)
    plan.updated_at = timezone.now()
    plan.save()
    return plan


@transaction.atomic
def read_shared_plan(actor, *, shared: access.SharedPlan, request=None) -> SafetyPlan | None:
    """Log that the actor opens `shared.member`'s safety plan (emergency access marked as such)
    and return it; None, and nothing logged, while the member has not started one."""
    if shared.plan is None:
        return None
    record_access(
        actor,
        actor_role=shared.actor_role,
        subject=shared.member,
        obj=shared.plan,
        purpose=EMERGENCY_PURPOSE if shared.emergency else SHARED_PLAN_PURPOSE,
        program=shared.program,
        request=request,
        emergency=shared.emergency,
    )
    return shared.plan
