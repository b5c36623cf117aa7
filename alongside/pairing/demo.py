"""Demo data for pairing: supporter profiles (one awaiting approval), members waiting for a match,
and a pairing in every state, the demo member's active one with the demo supporter.

The demo program lets members choose their supporter (self-selection), so every waiting member
(the first is `members[len(PAIRINGS)]`) sees their three best matches with the reasons on their
pairing page, while the coordinator can still match them all in one batch.

`seed_pairing(data)` is idempotent: profiles and requests are made only where missing, and each
demo pairing belongs to its own demo member and is made only if that member has no pairing yet.
The program's pairing settings are made with self-selection on only if it has none yet, so a
coordinator who turns it off keeps it off.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from alongside.pairing.models import (
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
from alongside.programs.models import Membership, Role

PROGRAM = "riverside"
WAITING_MEMBERS = 10
# Weekday evenings and Saturday mornings, in each person's own zone.
EVENINGS = [day * 24 + hour for day in range(5) for hour in (18, 19, 20)]
SATURDAY_MORNING = [5 * 24 + hour for hour in range(9, 12)]
# (member index, supporter index, state, close reason, days since proposed)
PAIRINGS = [
    (0, 0, State.ACTIVE, "", 60),
    (1, 0, State.PROPOSED, "", 1),
    (2, 1, State.PAUSED, "", 45),
    (3, 1, State.CLOSED, CloseReason.COMPLETED, 200),
    (4, 2, State.CLOSED, CloseReason.MEMBER_REQUEST, 30),
    (5, 2, State.CLOSED, CloseReason.DECLINED, 10),
]
SESSIONS = [
    (3, 45, "phone", ["check_in"]),
    (10, 30, "chat", ["cravings"]),
    (17, 60, "video", ["goals"]),
]


def seed_pairing(data) -> dict[str, int]:
    """Add what is missing of the pairing demo to `data` (a core.demo.DemoData); returns counts."""
    program = data.programs[PROGRAM]
    people = data.people[PROGRAM]
    supporters = people[Role.SUPPORTER]
    members = people[Role.MEMBER]
    coordinator = people[Role.COORDINATOR][0]
    created = {"settings": 0, "profiles": 0, "requests": 0, "pairings": 0, "sessions": 0}
    with transaction.atomic():
        _settings, made = PairingSettings.objects.get_or_create(
            program=program, defaults={"allow_self_selection": True}
        )
        created["settings"] += made
        memberships = {
            m.user_id: m
            for m in Membership.objects.filter(program=program).prefetch_related(
                "user__profile__areas_of_concern"
            )
        }
        for position, supporter in enumerate(supporters):
            membership = memberships[supporter.pk]
            if SupporterMatchProfile.objects.filter(membership=membership).exists():
                continue
            # The last supporter waits for approval, so the coordinator has one to approve.
            status = (
                SupporterStatus.PENDING
                if position == len(supporters) - 1
                else SupporterStatus.APPROVED
            )
            profile = SupporterMatchProfile.objects.create(
                membership=membership,
                experiences=["alcohol"] if position % 2 == 0 else ["opioid"],
                years_in_recovery=2 + position,
                availability=EVENINGS if position % 3 else EVENINGS + SATURDAY_MORNING,
                modalities=["phone", "video"] if position % 2 else ["chat", "phone", "in_person"],
                identities=["parent"] if position % 3 == 0 else [],
                capacity=3,
                status=status,
                status_changed_by=coordinator if status == SupporterStatus.APPROVED else None,
                status_changed_at=timezone.now() if status == SupporterStatus.APPROVED else None,
            )
            profile.areas.set(supporter.profile.areas_of_concern.all())
            created["profiles"] += 1
        for member in members[: len(PAIRINGS) + WAITING_MEMBERS]:
            membership = memberships[member.pk]
            if MemberMatchRequest.objects.filter(membership=membership).exists():
                continue
            request = MemberMatchRequest.objects.create(
                membership=membership,
                experiences=["alcohol"],
                languages=member.profile.languages or ["en"],
                availability=EVENINGS,
                modalities=["phone"],
                identity_preferences={"parent": "nice"} if member.pk % 2 else {},
            )
            request.areas.set(member.profile.areas_of_concern.all())
            created["requests"] += 1
        for member_index, supporter_index, state, reason, days in PAIRINGS:
            member, supporter = members[member_index], supporters[supporter_index]
            if Pairing.objects.filter(program=program, member=member).exists():
                continue
            _make_pairing(program, member, supporter, coordinator, state, reason, days, created)
    return created


def _make_pairing(program, member, supporter, coordinator, state, reason, days, created) -> None:
    now = timezone.now()
    proposed_at = now - timedelta(days=days)
    accepted = state != State.PROPOSED and reason != CloseReason.DECLINED
    started_at = proposed_at + timedelta(days=1) if accepted else None
    closed = state == State.CLOSED
    pairing = Pairing.objects.create(
        program=program,
        member=member,
        supporter=supporter,
        state=state,
        created_by=coordinator,
        proposed_at=proposed_at,
        member_accepted_at=started_at,
        supporter_accepted_at=started_at,
        started_at=started_at,
        paused_at=now - timedelta(days=5) if state == State.PAUSED else None,
        closed_at=now - timedelta(days=2) if closed else None,
        closed_by=(member if reason == CloseReason.MEMBER_REQUEST else supporter)
        if closed
        else None,
        close_reason=reason,
        ended_badly=reason == CloseReason.MEMBER_REQUEST,
    )
    created["pairings"] += 1
    if started_at is None:
        return
    for side, person in (("member", member), ("supporter", supporter)):
        BoundariesAgreement.objects.create(
            pairing=pairing, side=side, person=person, accepted_at=started_at
        )
    if state in (State.ACTIVE, State.PAUSED):
        for days_ago, minutes, modality, topics in SESSIONS:
            SessionLog.objects.create(
                pairing=pairing,
                date=timezone.localdate() - timedelta(days=days_ago),
                duration_minutes=minutes,
                modality=modality,
                topics=topics,
                notes="Checked in about the week; agreed to talk again on Thursday.",
            )
            created["sessions"] += 1
    if reason == CloseReason.COMPLETED:
        MemberMatchRequest.objects.filter(
            membership__user=member, membership__program=program
        ).update(wants_supporter=False)
