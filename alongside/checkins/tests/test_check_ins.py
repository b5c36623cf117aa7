"""The daily check-in: one per member per program per local day, replaced when edited, never
duplicated by a resubmission, refusing bad input with a message and nothing saved."""

import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from alongside.checkins import actions
from alongside.checkins.models import CheckIn
from alongside.safety.models import Escalation, Flag
from alongside.safety.support import SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_new_york(member):
    member.profile.time_zone = "America/New_York"
    member.profile.save()
    return member


def check_in(member, program, **fields):
    fields.setdefault("mood", 6)
    return actions.record_check_in(member, program=program, **fields)


def test_a_check_in_belongs_to_the_members_local_day_around_midnight(in_new_york, program):
    # 23:50 on 10 June in New York is already 11 June in UTC.
    with time_machine.travel(datetime(2025, 6, 11, 3, 50, tzinfo=UTC), tick=False):
        evening = check_in(in_new_york, program, mood=4).check_in
    with time_machine.travel(datetime(2025, 6, 11, 4, 10, tzinfo=UTC), tick=False):
        after_midnight = check_in(in_new_york, program, mood=7).check_in

    assert str(evening.day) == "2025-06-10"
    assert str(after_midnight.day) == "2025-06-11"
    assert CheckIn.objects.count() == 2


def test_a_second_check_in_the_same_local_day_replaces_the_first(in_new_york, program):
    with time_machine.travel(datetime(2025, 6, 10, 13, 0, tzinfo=UTC), tick=False):
        first = check_in(in_new_york, program, mood=3, values={"cravings": 8})
    with time_machine.travel(datetime(2025, 6, 11, 3, 59, tzinfo=UTC), tick=False):
        second = check_in(in_new_york, program, mood=8, values={"pain": 2})

    assert first.created and not second.created
    saved = CheckIn.objects.get()
    assert (saved.mood, saved.values) == (8, {"pain": 2})


def test_the_day_follows_the_wall_clock_across_the_autumn_dst_change(in_new_york, program):
    # Clocks go back at 02:00 on 2 November 2025: 23:30 local is 03:30 UTC before, 04:30 after.
    with time_machine.travel(datetime(2025, 11, 2, 3, 30, tzinfo=UTC), tick=False):
        saturday = check_in(in_new_york, program).check_in
    with time_machine.travel(datetime(2025, 11, 3, 4, 30, tzinfo=UTC), tick=False):
        sunday_late = check_in(in_new_york, program).check_in
    with time_machine.travel(datetime(2025, 11, 3, 5, 1, tzinfo=UTC), tick=False):
        monday = check_in(in_new_york, program).check_in

    assert [str(c.day) for c in (saturday, sunday_late, monday)] == [
        "2025-11-01",
        "2025-11-02",
        "2025-11-03",
    ]


def test_the_same_idempotency_key_returns_the_same_check_in_and_changes_nothing(member, program):
    key = uuid.uuid4()
    first = check_in(member, program, mood=5, idempotency_key=key)
    check_in(member, program, mood=9, idempotency_key=uuid.uuid4())  # a later edit

    again = check_in(member, program, mood=5, idempotency_key=key)

    assert again.replayed and not again.created
    assert again.check_in.pk == first.check_in.pk
    assert CheckIn.objects.get().mood == 9


def test_a_key_resent_after_midnight_makes_no_second_check_in(in_new_york, program):
    key = uuid.uuid4()
    with time_machine.travel(datetime(2025, 6, 11, 3, 55, tzinfo=UTC), tick=False):
        check_in(in_new_york, program, idempotency_key=key)
    with time_machine.travel(datetime(2025, 6, 11, 4, 5, tzinfo=UTC), tick=False):
        resent = check_in(in_new_york, program, idempotency_key=key)

    assert resent.replayed
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"mood": 11}, "mood", "Mood goes from 1 (awful) to 10 (excellent)."),
        ({"mood": None}, "mood", "Choose how you feel, from 1 to 10."),
        (
            {"values": {"sleep_hours": -1}},
            "values.sleep_hours",
            "“Hours of sleep” cannot be below 0.",
        ),
        (
            {"values": {"sleep_hours": 25}},
            "values.sleep_hours",
            "“Hours of sleep” can be at most 24 hours.",
        ),
        ({"values": {"cravings": 11}}, "values.cravings", "“Cravings” goes from 0 to 10."),
        (
            {"values": {"routine_done": "maybe"}},
            "values.routine_done",
            "Choose one of the answers for “Routine done”.",
        ),
        ({"values": {"jogging": 3}}, "values", "This program does not track “jogging”."),
        ({"note": "x" * 2001}, "note", "Keep the note to 2000 characters; it has 2001."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    member, program, fields, key, message
):
    fields = {"mood": 6, **fields}

    with pytest.raises(ValidationError) as refused:
        actions.record_check_in(member, program=program, **fields)

    assert refused.value.message_dict[key] == [
        message.replace("Routine done", "Exercise or rehab routine done")
    ]
    assert not CheckIn.objects.exists()


def test_only_members_of_the_program_check_in(supporter, outsider, program):
    for person in (supporter, outsider):
        with pytest.raises(Http404):
            actions.record_check_in(person, program=program, mood=5)


def test_a_member_who_left_or_a_closed_program_cannot_check_in(member, program):
    membership = member.memberships.get(program=program)
    membership.is_active = False
    membership.save()
    with pytest.raises(Http404):
        actions.record_check_in(member, program=program, mood=5)

    membership.is_active = True
    membership.save()
    program.is_active = False
    program.save()
    with pytest.raises(Http404):
        actions.record_check_in(member, program=program, mood=5)
    assert not CheckIn.objects.exists()


def test_a_worrying_note_is_screened_and_escalated(member, program):
    recorded = check_in(member, program, note="I want to kill myself tonight")

    assert recorded.show_crisis_panel
    flag = Flag.objects.get()
    assert (flag.writing_path, flag.object_id) == ("checkins.note", str(recorded.check_in.pk))
    assert Escalation.objects.filter(member=member).exists()


def test_an_unchanged_note_is_not_screened_again(member, program, monkeypatch):
    check_in(member, program, note="Slept badly")
    screened = []
    monkeypatch.setattr(actions, "screen_writing", lambda *a, **k: screened.append(k))

    check_in(member, program, mood=8, note="Slept badly")

    assert screened == []


def test_the_note_is_stored_encrypted(member, program):
    from django.db import connection

    check_in(member, program, note="Walked by the river")

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM checkins_checkin")
        (stored,) = cursor.fetchone()
    assert "river" not in stored and stored.startswith("fernet:")


# --- The page -----------------------------------------------------------------------------------


def today_url(program):
    return reverse("checkins:today", args=[program.slug])


def form_data(response, **fields):
    data = {"idempotency_key": str(response.context["form"].initial["idempotency_key"])}
    data.update(fields)
    return data


def test_the_page_saves_a_check_in_and_shows_it_saved(member, program, client_of):
    client = client_of(member)
    page = client.get(today_url(program))

    response = client.post(
        today_url(program),
        form_data(
            page, mood="7", item_cravings="2", item_sleep_hours="7.5", item_medication_taken="yes"
        ),
        follow=True,
    )

    saved = CheckIn.objects.get()
    assert (saved.mood, saved.values) == (
        7,
        {"cravings": 2, "sleep_hours": 7.5, "medication_taken": "yes"},
    )
    content = response.content.decode()
    assert "Your check-in for today is saved." in content
    assert f'data-saved-key="{saved.submissions.get().key}"' in content


def test_the_page_resubmitted_with_the_same_key_makes_one_check_in(member, program, client_of):
    client = client_of(member)
    data = form_data(client.get(today_url(program)), mood="7")

    client.post(today_url(program), data)
    client.post(today_url(program), data)

    assert CheckIn.objects.count() == 1


def test_the_page_shows_bad_input_next_to_the_field_and_saves_nothing(member, program, client_of):
    client = client_of(member)
    page = client.get(today_url(program))

    response = client.post(today_url(program), form_data(page, mood="6", item_sleep_hours="25"))

    assert response.status_code == 200
    assert response.context["form"].errors["item_sleep_hours"] == [
        "“Hours of sleep” can be at most 24 hours."
    ]
    assert "Nothing was saved yet" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_the_page_offers_the_crisis_panel_after_a_worrying_note(member, program, client_of):
    client = client_of(member)
    page = client.get(today_url(program))

    response = client.post(
        today_url(program), form_data(page, mood="2", note="I want to end my life")
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY]["level"] == "urgent"


def test_the_page_is_for_members_only(supporter, outsider, program, client_of):
    assert client_of(supporter).get(today_url(program)).status_code == 404
    assert client_of(outsider).get(today_url(program)).status_code == 404


def test_the_index_takes_a_member_of_one_program_straight_to_today(member, program, client_of):
    response = client_of(member).get(reverse("checkins:index"))

    assert response.status_code == 302 and response["Location"] == today_url(program)


def test_preferences_set_a_reminder_time_and_what_is_tracked(member, program, client_of):
    client = client_of(member)

    client.post(
        reverse("checkins:preferences", args=[program.slug]),
        {"remind_at": "20:30", "items": ["cravings", "sleep_hours"]},
    )
    page = client.get(today_url(program))

    fields = [field.name for field in page.context["form"].item_fields()]
    assert fields == ["item_cravings", "item_sleep_hours"]
    assert "Reminder at 20:30" in page.content.decode()
