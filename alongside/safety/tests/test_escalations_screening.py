"""The one screening hook every writing path calls: flags, escalations and the moderators' queue."""

import json

import pytest
from django.db import connection, transaction

from alongside.notifications.models import Notification
from alongside.safety import actions
from alongside.safety.models import Escalation, Flag, Origin, SafetySettings
from alongside.safety.screening.assessment import Assessment, Category, Level, Reason
from alongside.testing import make_person

PATH = "safety.help_now"


def assessed(level, *categories):
    reasons = tuple(
        Reason("rules", category, "test_rule", "the words that matched") for category in categories
    )
    return Assessment(Level(level), tuple(categories), reasons)


@pytest.fixture
def screening_says(monkeypatch):
    """`screening_says(assessment)` makes the screening service return it, recording its calls."""
    calls = []

    def install(assessment):
        def fake_assess(text, language):
            calls.append((text, language))
            return assessment

        monkeypatch.setattr(actions, "assess", fake_assess)
        return calls

    return install


def screen(member, program, text="words", item=None):
    return actions.screen_writing(member, program=program, path=PATH, text=text, item=item)


def test_writing_without_concern_leaves_no_trace(member, program, screening_says):
    screening_says(assessed("none"))

    screened = screen(member, program)

    assert (screened.flag, screened.escalation, screened.held) == (None, None, False)
    assert screened.show_crisis_panel is False
    assert not Flag.objects.exists()


def test_a_concern_is_flagged_and_the_moderators_told_once_without_details(
    member, moderator, coordinator, program, screening_says
):
    screening_says(assessed("concern", Category.SELF_HARM))

    screened = screen(member, program, text="I cut again last night", item=member.profile)

    flag = Flag.objects.get()
    assert screened.flag == flag
    assert screened.show_crisis_panel is True
    assert screened.escalation is None
    assert (flag.level, flag.categories, flag.writing_path) == ("concern", ["self_harm"], PATH)
    assert flag.item == member.profile
    assert json.loads(flag.reasons)[0]["code"] == "test_rule"
    notification = Notification.objects.get()
    assert notification.recipient == moderator
    assert "cut" not in notification.title
    assert not Escalation.objects.exists()


def test_without_moderators_a_concern_goes_to_the_coordinators(
    member, coordinator, program, screening_says
):
    screening_says(assessed("concern", Category.SUICIDE))

    screen(member, program)

    assert Notification.objects.get().recipient == coordinator


def test_urgent_writing_opens_an_escalation_pointing_at_the_flag(
    member, coordinator, program, screening_says
):
    screening_says(assessed("urgent", Category.SUICIDE, Category.OVERDOSE))

    screened = screen(member, program, text="I took all of them")

    escalation = Escalation.objects.get()
    assert screened.escalation == escalation
    assert escalation.flag == screened.flag
    assert escalation.origin == Origin.SCREENING
    assert escalation.categories == ["suicide", "overdose"]
    assert escalation.member_message == "", "the text stays where it was written"


def test_held_follows_the_programs_setting(member, coordinator, program, screening_says):
    SafetySettings.objects.create(program=program, hold_flagged_for_review=True)
    screening_says(assessed("concern", Category.SELF_HARM))

    assert screen(member, program).held is True


def test_screening_uses_the_writers_language(member, program, screening_says):
    member.profile.preferred_language = "es"
    member.profile.save()
    calls = screening_says(assessed("none"))

    screen(member, program, text="ya no puedo más")

    assert calls == [("ya no puedo más", "es")]


def test_an_unregistered_writing_path_is_refused(member, program, screening_says):
    screening_says(assessed("urgent", Category.SUICIDE))

    with pytest.raises(ValueError, match="Unregistered writing path"):
        actions.screen_writing(member, program=program, path="blog.post", text="words")


def test_a_failing_notification_does_not_undo_the_writing(
    member, moderator, program, screening_says, monkeypatch
):
    screening_says(assessed("concern", Category.SELF_HARM))

    def broken_notify(*args, **kwargs):
        raise ConnectionError("notifications are down")

    monkeypatch.setattr(actions, "notify", broken_notify)
    monkeypatch.setattr(actions, "notify_each", broken_notify)
    with transaction.atomic():
        screened = screen(member, program)

    assert screened.show_crisis_panel is True
    assert Flag.objects.get() == screened.flag


def test_the_reasons_quoting_the_member_are_encrypted_at_rest(
    member, moderator, program, screening_says
):
    screening_says(assessed("concern", Category.SELF_HARM))
    screen(member, program)

    with connection.cursor() as cursor:
        cursor.execute("SELECT reasons FROM safety_flag")
        stored = cursor.fetchone()[0]
    assert "the words that matched" not in stored


def test_the_real_screening_service_escalates_a_clear_crisis(member, coordinator, program):
    screening = pytest.importorskip("alongside.safety.screening")
    if not hasattr(screening, "screen"):
        pytest.skip("the screening package does not export screen() yet")

    screened = screen(member, program, text="I am going to kill myself tonight, I have the pills")

    assert screened.escalation is not None
    assert "suicide" in screened.flag.categories


def test_a_person_of_another_program_is_not_told(
    member, moderator, program, other_program, screening_says
):
    make_person(other_program, "moderator")
    screening_says(assessed("concern", Category.SELF_HARM))

    screen(member, program)

    assert Notification.objects.get().recipient == moderator


def test_writing_is_kept_and_queued_for_a_person_when_screening_itself_breaks(
    member, program, monkeypatch
):
    def broken_screen(text, language):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(actions, "screen", broken_screen)

    screened = actions.screen_writing(
        member, program=program, path="safety.help_now", text="anything at all"
    )

    assert screened.flag is not None
    assert screened.show_crisis_panel
    assert screened.flag.level == "concern"
    assert actions.SCREENING_FAILED in screened.flag.reasons
    assert screened.escalation is None


def test_stored_reasons_keep_each_reason_once_and_at_most_a_hundred_of_the_rules(
    member, program, screening_says
):
    repeated = tuple(Reason("rules", Category.SUICIDE, "goodbye", "my note") for _ in range(300))
    distinct = tuple(
        Reason("rules", Category.SUICIDE, "wish_to_die", f"want to die {n}") for n in range(150)
    )
    classifier = Reason("classifier", Category.SUICIDE, "suicidal_language", "probability 0.97")
    screening_says(
        Assessment(Level.URGENT, (Category.SUICIDE,), repeated + distinct + (classifier,))
    )

    flag = screen(member, program).flag

    stored = json.loads(flag.reasons)
    assert len(stored) == actions.MOST_STORED_REASONS + 1
    assert [reason["evidence"] for reason in stored[:2]] == ["my note", "want to die 0"]
    assert stored[-1]["source"] == "classifier"
