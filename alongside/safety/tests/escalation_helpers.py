"""Small helpers for the escalation tests: shifts on call and escalations opened in one line."""

from datetime import timedelta

from django.utils import timezone

from alongside.safety import actions
from alongside.safety.models import OnCallShift, Origin


def put_on_call(program, person, *, position=1, starts_at=None, hours=12) -> OnCallShift:
    """`person` on call in `program` from `starts_at` (now by default) for `hours`."""
    starts_at = starts_at or timezone.now() - timedelta(minutes=1)
    return OnCallShift.objects.create(
        program=program,
        person=person,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        position=position,
    )


def open_for(member, program, *, origin=Origin.HELP_NOW, message=""):
    """An escalation about `member`, as "I need help now" opens it."""
    return actions.open_escalation(
        member, program=program, origin=origin, categories=["suicide"], message=message
    )


def advance_to(escalation, state, actor):
    """Walk the escalation forward through the real actions until it is in `state`."""
    steps = [
        ("acknowledged", lambda: actions.acknowledge_escalation(actor, escalation=escalation)),
        ("contacted", lambda: actions.record_contact(actor, escalation=escalation, note="Called.")),
        (
            "outcome",
            lambda: actions.record_outcome(
                actor, escalation=escalation, outcome="safe", note="Plan in place."
            ),
        ),
        ("closed", lambda: actions.close_escalation(actor, escalation=escalation)),
    ]
    for step_state, step in steps:
        step()
        if step_state == state:
            return escalation
    return escalation


# Urgent, with words a reader could search the community for.
ANONYMOUS_CRISIS = "I wrote my note to my family, tonight is the night I end it."


def escalation_from_anonymous_post(member, program):
    """The escalation screening opens for `member`'s anonymous community post of a crisis."""
    screened = actions.screen_writing(
        member, program=program, path="community.post", text=ANONYMOUS_CRISIS, anonymous=True
    )
    assert screened.escalation is not None
    return screened.escalation
