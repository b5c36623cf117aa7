"""Every free-text field in the project is either screened by a writing path or exempt for a reason.

A new text field without a decision fails here: register its writing path (and call
`actions.screen_writing` where it is saved) or add it to EXEMPT with a one-line reason.
"""

import pytest
from django.apps import apps
from django.db import models

from alongside.safety import writing

# Short fields cannot hold a message; structured ones hold addresses, not words.
LONG_TEXT = 200
STRUCTURED = (models.EmailField, models.URLField, models.SlugField)

EXEMPT = {
    "programs.Program.description": "written by the program's coordinators about the program",
    "notifications.Notification.title": "written by the site itself",
    "notifications.Notification.body": "written by the site itself",
    "notifications.Notification.url": "a link the site made",
    "privacy.EmergencyAccess.reason": "written by a clinician breaking glass, reviewed by coordinators",
    "privacy.EmergencyAccess.review_note": "written by a coordinator reviewing emergency access",
    "safety.SafetySettings.webhook_secret": "a credential, not words",
    "safety.Flag.reasons": "screening's own evidence about a text already screened",
    "safety.Flag.review_note": "written by staff reviewing a concern",
    "safety.OutboxMessage.last_error": "an error message from the delivery machinery",
    "pairing.SessionLog.notes": "a peer supporter's private working notes, not a member's words",
    "groups.Group.description": "written by the group's facilitators and coordinators about it",
    "groups.Group.accessibility_notes": "written by facilitators about the meeting place",
    "groups.Meeting.rule": "a recurrence rule, not words",
    "groups.Meeting.address": "a postal address",
    "groups.Meeting.room_notes": "written by facilitators: where the room is",
    "groups.Meeting.notes": "written by facilitators or imported from a published meeting list",
    # Only facilitators and coordinators post announcements, as staff writes to a program.
    "groups.Announcement.body": "written by the group's facilitators to its members",
    "community.AuthorReveal.reason": "written by moderators: why they needed to know a writer",
    "community.ModerationAction.note": "written by moderators about a post or its writer",
    "community.Report.details": (
        "a member's note to moderators about someone else's post; a report that someone may "
        "be at risk raises a concern of its own"
    ),
    "community.Story.moderator_note": (
        "written by moderators to the writer: why a story was not published"
    ),
    "community.StoryConsent.text": "the consent words the site showed, stored exactly as agreed",
    "community.SearchEntry.body_terms": "keyed hashes of words already screened in the post",
    "community.SearchEntry.title_terms": "keyed hashes of words already screened in the title",
    "groups.DirectoryEntry.areas": "codes copied from the group by the directory index",
    "groups.DirectoryEntry.types": "codes copied from the meeting by the directory index",
    # Screening a safety plan would flag its very purpose: it names warning signs and means.
    "safety.SafetyPlan.warning_signs": "the member's safety plan",
    "safety.SafetyPlan.coping_strategies": "the member's safety plan",
    "safety.SafetyPlan.distractions": "the member's safety plan",
    "safety.SafetyPlan.people_to_ask": "the member's safety plan",
    "safety.SafetyPlan.professionals": "the member's safety plan",
    "safety.SafetyPlan.safe_environment": "the member's safety plan",
    "safety.SafetyPlan.reasons_to_live": "the member's safety plan",
}


def _original_label(model) -> str:
    """A simple-history copy answers for the model it copies: same text, same decision."""
    original = getattr(model, "instance_type", None)
    return (original or model)._meta.label


def free_text_fields() -> set[str]:
    """Every TextField, and every CharField of LONG_TEXT characters or more, of our apps."""
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("alongside."):
            continue
        for model in config.get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, STRUCTURED):
                    continue
                long_text = isinstance(field, models.TextField) or (
                    isinstance(field, models.CharField) and (field.max_length or 0) >= LONG_TEXT
                )
                if long_text:
                    found.add(f"{_original_label(model)}.{field.name}")
    return found


def test_every_free_text_field_is_screened_or_exempt_with_a_reason():
    undecided = sorted(free_text_fields() - writing.screened_fields() - set(EXEMPT))

    assert not undecided, (
        "Free-text fields with no screening decision (register a writing path in "
        "alongside/safety/writing.py, or exempt them in this test with a reason): "
        + ", ".join(undecided)
    )


def test_no_field_is_both_screened_and_exempt():
    assert not writing.screened_fields() & set(EXEMPT)


def test_every_screened_or_exempt_field_exists():
    stale = sorted((writing.screened_fields() | set(EXEMPT)) - free_text_fields())

    assert not stale, "These fields are no longer free text or no longer exist: " + ", ".join(stale)


def test_every_exemption_gives_a_reason():
    assert all(reason.strip() for reason in EXEMPT.values())


def test_the_help_now_message_is_a_writing_path():
    assert writing.is_registered("safety.help_now")
    assert "safety.Escalation.member_message" in writing.WRITING_PATHS["safety.help_now"].fields


def test_a_path_registered_twice_differently_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        writing.register_writing_path(
            "safety.help_now", label="Something else", fields=("safety.Flag.reasons",)
        )
