"""Demo data for crisis safety: the demo clinician and coordinator on call, an escalation in every
state (one opened by screening a check-in note), and a few concerns waiting for review.

`seed_safety(data)` is idempotent: shifts are added only when the person has none still to come,
each demo escalation belongs to its own demo member and is made only if that member has none,
and flags are looked up by author and writing path.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from alongside.programs.models import Role
from alongside.safety import actions
from alongside.safety.models import (
    Escalation,
    EscalationEvent,
    Flag,
    FlagLevel,
    OnCallShift,
    Origin,
)

PROGRAM = "riverside"
SHIFT_DAYS = 7
# (state to reach, hours ago it was opened, what the member wrote when asking for help)
ESCALATIONS = [
    ("open", 0, "I don't feel safe tonight. Can someone call me?"),
    ("overdue", 0.5, "I can't stop thinking about ending it."),
    ("acknowledged", 2, "Everything is too much right now, I need to talk to someone."),
    ("contacted", 6, "I relapsed and I have a lot of pills here."),
    ("outcome", 26, "My partner hit me again and I don't know where to go."),
    ("closed", 72, "I wrote a goodbye letter last night."),
]
# Opened by screening what a member wrote, not by asking: the review screen quotes the words.
SCREENED_STATE = "acknowledged"
SCREENED_PATH = "checkins.note"
SCREENED_NOTE = (
    "Relapsed again after 40 days. I wrote a goodbye letter to my kids and I have the pills ready."
)
CONCERNS = [
    (FlagLevel.CONCERN, ["self_harm"]),
    (FlagLevel.CONCERN, ["suicide"]),
    (FlagLevel.URGENT, ["overdose"]),
]
STEP_MINUTES = 4


def seed_safety(data) -> dict[str, int]:
    """Add what is missing of the safety demo to `data` (a core.demo.DemoData); returns counts."""
    program = data.programs[PROGRAM]
    people = data.people[PROGRAM]
    clinician = people[Role.CLINICIAN][0]
    coordinator = people[Role.COORDINATOR][0]
    members = people[Role.MEMBER]
    created = {"shifts": 0, "escalations": 0, "flags": 0}
    with transaction.atomic():
        now = timezone.now()
        for position, person in enumerate([clinician, coordinator], start=1):
            if not OnCallShift.objects.filter(
                program=program, person=person, ends_at__gt=now
            ).exists():
                OnCallShift.objects.create(
                    program=program,
                    person=person,
                    starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(days=SHIFT_DAYS),
                    position=position,
                    created_by=coordinator,
                )
                created["shifts"] += 1
        for member, (state, hours_ago, message) in zip(members[1:], ESCALATIONS, strict=False):
            if Escalation.objects.filter(member=member, program=program).exists():
                continue
            _demo_escalation(member, program, clinician, state, hours_ago, message, now)
            created["escalations"] += 1
        concern_authors = members[len(ESCALATIONS) + 1 :]
        for author, (level, categories) in zip(concern_authors, CONCERNS, strict=False):
            _flag, made = Flag.objects.get_or_create(
                program=program,
                author=author,
                writing_path="safety.help_now",
                defaults={
                    "level": level,
                    "categories": categories,
                    "reasons": "[]",
                    "created_at": now - timedelta(hours=3),
                },
            )
            created["flags"] += made
    return created


def _demo_escalation(member, program, clinician, state, hours_ago, message, now) -> None:
    if state == SCREENED_STATE:
        screened = actions.screen_writing(
            member, program=program, path=SCREENED_PATH, text=SCREENED_NOTE
        )
        if screened.escalation is None:
            raise RuntimeError("the demo's screened note no longer screens as urgent")
        escalation = screened.escalation
    else:
        escalation = actions.open_escalation(
            member,
            program=program,
            origin=Origin.HELP_NOW,
            categories=["suicide"],
            message=message,
        )
    if state == "overdue":
        # Nobody took it: passed on once, and now overdue again.
        Escalation.objects.filter(pk=escalation.pk).update(
            acknowledge_by=now - timedelta(minutes=1)
        )
        actions.re_escalate_overdue(now=now)
        Escalation.objects.filter(pk=escalation.pk).update(
            acknowledge_by=now - timedelta(minutes=2)
        )
    steps = ["acknowledged", "contacted", "outcome", "closed"]
    if state in steps:
        actions.acknowledge_escalation(clinician, escalation=escalation)
    if state in steps[1:]:
        actions.record_contact(
            clinician, escalation=escalation, note="Phoned; we talked for 25 minutes."
        )
    if state in steps[2:]:
        actions.record_outcome(
            clinician,
            escalation=escalation,
            outcome="referred" if state == "outcome" else "safe",
            note="Safety plan reviewed together; follow-up call booked.",
        )
    if state == "closed":
        actions.close_escalation(clinician, escalation=escalation)
    _backdate(escalation, now - timedelta(hours=hours_ago))


def _backdate(escalation: Escalation, opened_at) -> None:
    """Spread the timeline a few minutes apart from `opened_at`, as it would have happened."""
    if opened_at >= escalation.created_at - timedelta(minutes=1):
        return
    shift = escalation.created_at - opened_at
    events = list(EscalationEvent.objects.filter(escalation=escalation))
    for number, event in enumerate(events):
        event.at = opened_at + timedelta(minutes=STEP_MINUTES * number)
    EscalationEvent.objects.bulk_update(events, ["at"])
    escalation.refresh_from_db()
    changes = {"created_at": opened_at}
    if escalation.acknowledged_at:
        changes["acknowledged_at"] = opened_at + timedelta(minutes=STEP_MINUTES)
        changes["acknowledge_by"] = None
    if escalation.closed_at:
        changes["closed_at"] = escalation.closed_at - shift
    Escalation.objects.filter(pk=escalation.pk).update(**changes)
