"""Days and reminder times in the member's own time zone, across midnight and DST changes."""

from datetime import UTC, date, datetime, time

from alongside.checkins import schedule

NEW_YORK = "America/New_York"


def test_the_day_is_the_members_local_day_not_utcs():
    late_evening_in_new_york = datetime(2025, 6, 11, 3, 30, tzinfo=UTC)

    assert schedule.local_day(late_evening_in_new_york, NEW_YORK) == date(2025, 6, 10)
    assert schedule.local_day(late_evening_in_new_york, "Europe/Berlin") == date(2025, 6, 11)


def test_a_reminder_keeps_its_wall_clock_time_across_the_spring_change():
    before = schedule.reminder_instant(date(2025, 3, 8), time(20, 0), NEW_YORK)
    after = schedule.reminder_instant(date(2025, 3, 9), time(20, 0), NEW_YORK)

    assert before == datetime(2025, 3, 9, 1, 0, tzinfo=UTC)  # EST, UTC-5
    assert after == datetime(2025, 3, 10, 0, 0, tzinfo=UTC)  # EDT, UTC-4


def test_a_reminder_in_the_skipped_hour_comes_an_hour_later_as_icalendar_does():
    # 02:30 does not exist in New York on 9 March 2025: read with the offset before the gap.
    instant = schedule.reminder_instant(date(2025, 3, 9), time(2, 30), NEW_YORK)

    assert instant == datetime(2025, 3, 9, 7, 30, tzinfo=UTC)  # 03:30 EDT


def test_a_reminder_in_the_repeated_hour_is_due_once_at_the_first():
    first = datetime(2025, 11, 2, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = datetime(2025, 11, 2, 6, 30, tzinfo=UTC)  # 01:30 EST
    at = time(1, 30)

    assert schedule.reminder_due(first, at=at, zone=NEW_YORK, handled_on=None)
    assert not schedule.reminder_due(second, at=at, zone=NEW_YORK, handled_on=None)
    assert not schedule.reminder_due(first, at=at, zone=NEW_YORK, handled_on=date(2025, 11, 2))


def test_a_reminder_is_due_within_its_grace_and_not_after():
    at = time(20, 0)
    on_time = datetime(2025, 6, 10, 0, 0, tzinfo=UTC)  # 20:00 EDT on the 9th

    assert schedule.reminder_due(on_time, at=at, zone=NEW_YORK, handled_on=date(2025, 6, 8))
    late = on_time + schedule.REMINDER_GRACE
    assert not schedule.reminder_due(late, at=at, zone=NEW_YORK, handled_on=None)


def test_a_questionnaire_is_due_when_never_answered_or_every_n_days():
    today = date(2025, 6, 20)

    assert schedule.questionnaire_due(None, every_days=14, today=today)
    assert not schedule.questionnaire_due(date(2025, 6, 7), every_days=14, today=today)
    assert schedule.questionnaire_due(date(2025, 6, 6), every_days=14, today=today)
    assert schedule.next_due_day(date(2025, 6, 7), every_days=14, today=today) == date(2025, 6, 21)


def test_missed_days_do_not_count_today_before_it_is_over():
    assert schedule.missed_days(date(2025, 6, 10), date(2025, 6, 11)) == 0
    assert schedule.missed_days(date(2025, 6, 10), date(2025, 6, 14)) == 3
    assert schedule.streak_start(date(2025, 6, 10)) == date(2025, 6, 11)
