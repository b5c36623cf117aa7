"""Demo data for check-ins: 90 days of varied history for demo members, so the trends have
something to show.

`seed_checkins(data)` is idempotent: check-ins are made only for days a member has none (the
unique day constraint decides), questionnaire answers only for days a member has none of that
questionnaire, and the demo login's reminder and sharing only when they have none yet. Values
come from a generator seeded by the member and the day, so a second run picks the same ones.
"""

import random
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from alongside.checkins import access, schedule, scoring
from alongside.checkins.models import CheckIn, CheckInPreference, QuestionnaireResponse
from alongside.privacy.actions import grant_sharing_consent
from alongside.privacy.models import Audience, Scope, SharingConsent
from alongside.programs.models import Role

HISTORY_DAYS = 90
MEMBERS_PER_PROGRAM = 12
QUESTIONNAIRE_EVERY_DAYS = 14
DEMO_LOGIN_EMAIL_PREFIX = "member@"
# Each member's story over the 90 days: mood drifting up, down, or steady with a dip.
STORIES = ("recovering", "struggling", "steady")


def _mood(story: str, progress: float, rng: random.Random) -> int:
    base = {
        "recovering": 3 + 5 * progress,
        "struggling": 7 - 4 * progress,
        "steady": 6 - (2 if 0.4 < progress < 0.55 else 0),
    }[story]
    return max(1, min(10, round(base + rng.uniform(-1.5, 1.5))))


def _values(mood: int, rng: random.Random) -> dict:
    values: dict = {}
    if rng.random() < 0.9:
        values["cravings"] = max(0, min(10, 10 - mood + rng.randint(-2, 2)))
    if rng.random() < 0.6:
        values["pain"] = rng.randint(0, 6)
    if rng.random() < 0.85:
        values["sleep_hours"] = rng.choice([4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5])
    if rng.random() < 0.8:
        values["routine_done"] = rng.choice(
            ["yes", "yes", "partly", "no"] if mood > 4 else ["partly", "no"]
        )
    if rng.random() < 0.9:
        values["medication_taken"] = "yes" if rng.random() < 0.85 else "no"
    if rng.random() < 0.5:
        values["meetings_attended"] = rng.choice([0, 0, 1, 1, 2])
    return values


def _answers(code: str, mood: int, rng: random.Random) -> list[int]:
    questionnaire = scoring.get_questionnaire(code)
    top = max(value for value, _label in questionnaire.choices)
    # Low mood, more symptoms (PHQ-9, GAD-7) and less wellbeing (WHO-5).
    level = (10 - mood) / 9 if code != scoring.WHO5 else (mood - 1) / 9
    answers = [
        max(0, min(top, round(level * top + rng.uniform(-0.8, 0.8))))
        for _item in questionnaire.items
    ]
    if code == scoring.PHQ9:
        answers[scoring.PHQ9_SELF_HARM_ITEM] = 0  # the demo opens no escalations of its own
    return answers


def _history_of(
    member, program, today, story: str
) -> tuple[list[CheckIn], list[QuestionnaireResponse]]:
    check_ins, responses = [], []
    for back in range(HISTORY_DAYS - 1, -1, -1):
        day = today - timedelta(days=back)
        rng = random.Random(f"{member.pk}-{day.isoformat()}")
        if rng.random() < 0.18:
            continue  # a missed day
        mood = _mood(story, 1 - back / HISTORY_DAYS, rng)
        moment = timezone.now() - timedelta(days=back)
        check_ins.append(
            CheckIn(
                member=member,
                program=program,
                day=day,
                mood=mood,
                values=_values(mood, rng),
                created_at=moment,
                updated_at=moment,
            )
        )
        if back % QUESTIONNAIRE_EVERY_DAYS == 0:
            for code in scoring.QUESTIONNAIRES:
                result = scoring.score(code, _answers(code, mood, rng))
                responses.append(
                    QuestionnaireResponse(
                        member=member,
                        program=program,
                        questionnaire=code,
                        answers=list(result.answers),
                        score=result.score,
                        band=result.band.code,
                        day=day,
                        submitted_at=moment,
                    )
                )
    return check_ins, responses


def seed_checkins(data) -> dict[str, int]:
    """Add what is missing of the check-in demo to `data` (a core.demo.DemoData); returns counts."""
    created = {"check_ins": 0, "questionnaires": 0}
    with transaction.atomic():
        for slug, program in data.programs.items():
            access.program_items_of(program)
            access.schedules_of(program)
            members = data.people[slug].get(Role.MEMBER, [])[:MEMBERS_PER_PROGRAM]
            for index, member in enumerate(members):
                today = schedule.local_day(timezone.now(), access.zone_of(member))
                check_ins, responses = _history_of(
                    member, program, today, STORIES[index % len(STORIES)]
                )
                before = CheckIn.objects.filter(member=member, program=program).count()
                CheckIn.objects.bulk_create(check_ins, ignore_conflicts=True)
                created["check_ins"] += (
                    CheckIn.objects.filter(member=member, program=program).count() - before
                )
                answered = set(
                    QuestionnaireResponse.objects.filter(
                        member=member, program=program
                    ).values_list("questionnaire", "day")
                )
                new = [r for r in responses if (r.questionnaire, r.day) not in answered]
                QuestionnaireResponse.objects.bulk_create(new)
                created["questionnaires"] += len(new)
                if member.email.startswith(DEMO_LOGIN_EMAIL_PREFIX):
                    _set_up_demo_login(member, program)
    return created


def _set_up_demo_login(member, program) -> None:
    """The demo member is reminded at 20:00 and shares check-ins and questionnaires with staff,
    so the coordinator's and clinician's views have something to show."""
    CheckInPreference.objects.get_or_create(
        member=member, program=program, defaults={"remind_at": time(20, 0)}
    )
    if not SharingConsent.objects.filter(
        member=member, program=program, audience=Audience.STAFF
    ).exists():
        grant_sharing_consent(
            member,
            program=program,
            audience=Audience.STAFF,
            scopes=[Scope.CHECKINS, Scope.QUESTIONNAIRES],
        )
