"""A member counts their days in recovery, starts again privately, and hears of each badge once."""

from datetime import date, timedelta

from django.urls import reverse

from alongside.goals import actions, kinds, tasks
from alongside.goals.access import shown_recovery_counter
from alongside.goals.models import RecoveryCounter, RecoveryRestart
from alongside.notifications.models import Notification


def badge_notifications(member):
    return Notification.objects.filter(recipient=member, kind=kinds.RECOVERY_BADGE)


def test_a_member_starts_counting_and_sees_days_and_badges(member, client_of, time_machine):
    time_machine.move_to("2025-06-20T16:00:00Z")  # noon in New York
    client = client_of(member)

    client.post(reverse("goals:recovery"), {"started_on": "2025-06-10"})
    page = client.get(reverse("goals:recovery")).content.decode()

    assert RecoveryCounter.objects.get(member=member).started_on == date(2025, 6, 10)
    assert '<span class="recovery-days">10</span>' in page
    assert "7 days" in page and "Next badge, 30 days, in 20 days." in page
    assert "Only you can see these." not in page


def test_the_count_follows_the_members_time_zone(member, time_machine):
    member.profile.time_zone = "Pacific/Honolulu"
    member.profile.save()
    time_machine.move_to("2025-06-21T05:00:00Z")  # 19:00 on 20 June in Honolulu
    actions.set_recovery_start(member, started_on=date(2025, 6, 20))

    assert actions.local_today(member) == date(2025, 6, 20)


def test_a_future_start_is_refused_next_to_the_field_and_nothing_is_saved(
    member, client_of, time_machine
):
    time_machine.move_to("2025-06-20T16:00:00Z")

    response = client_of(member).post(reverse("goals:recovery"), {"started_on": "2025-06-21"})

    assert (
        "This date is still to come. Choose today or an earlier date." in response.content.decode()
    )
    assert 'id="id_started_on_error"' in response.content.decode()
    assert not RecoveryCounter.objects.exists()


def test_today_in_the_members_zone_is_not_the_future_even_when_utc_is_behind(member, time_machine):
    member.profile.time_zone = "Asia/Tokyo"
    member.profile.save()
    time_machine.move_to("2025-06-20T20:00:00Z")  # already 21 June in Tokyo

    counter = actions.set_recovery_start(member, started_on=date(2025, 6, 21))

    assert counter.started_on == date(2025, 6, 21)


def test_starting_again_keeps_the_old_start_in_a_private_history(member, client_of, time_machine):
    time_machine.move_to("2025-06-20T16:00:00Z")
    client = client_of(member)
    client.post(reverse("goals:recovery"), {"started_on": "2025-01-01"})

    client.post(reverse("goals:recovery"), {"started_on": "2025-06-20"})

    restart = RecoveryRestart.objects.get(member=member)
    assert (restart.started_on, restart.ended_on) == (date(2025, 1, 1), date(2025, 6, 20))
    assert RecoveryCounter.objects.get(member=member).started_on == date(2025, 6, 20)
    assert "Only you can see these." in client.get(reverse("goals:recovery")).content.decode()


def test_the_counter_is_hidden_until_the_member_shows_it(member, client_of):
    actions.set_recovery_start(member, started_on=date.today() - timedelta(days=3))
    assert shown_recovery_counter(member) is None

    client_of(member).post(reverse("goals:recovery_shown"), {"shown": "on"})
    assert shown_recovery_counter(member) is not None

    client_of(member).post(reverse("goals:recovery_shown"), {})
    assert shown_recovery_counter(member) is None


def test_showing_a_counter_that_does_not_exist_is_404(member, client_of):
    assert (
        client_of(member).post(reverse("goals:recovery_shown"), {"shown": "on"}).status_code == 404
    )


def test_badges_already_reached_when_starting_are_not_announced(member, time_machine):
    time_machine.move_to("2025-06-20T16:00:00Z")
    actions.set_recovery_start(member, started_on=date(2025, 1, 1))

    assert actions.celebrate_recovery_badges(member) == []
    assert not badge_notifications(member).exists()


def test_a_new_badge_is_announced_once_by_the_hourly_task(member, time_machine):
    time_machine.move_to("2025-06-20T16:00:00Z")
    actions.set_recovery_start(member, started_on=date(2025, 6, 14))
    time_machine.move_to("2025-06-21T03:59:00Z")  # 23:59 on 20 June in New York: day 6
    tasks.celebrate_recovery_badges.call_local()
    assert not badge_notifications(member).exists()

    time_machine.move_to("2025-06-21T04:00:00Z")  # midnight: day 7
    tasks.celebrate_recovery_badges.call_local()
    tasks.celebrate_recovery_badges.call_local()

    assert [n.title for n in badge_notifications(member)] == ["7 days in recovery. Well done."]


def test_opening_the_page_announces_a_new_badge_the_task_has_not_yet(
    member, client_of, time_machine
):
    time_machine.move_to("2025-06-20T16:00:00Z")
    actions.set_recovery_start(member, started_on=date(2025, 6, 20))
    time_machine.move_to("2025-06-21T16:00:00Z")
    client = client_of(member)

    client.get(reverse("goals:recovery"))
    client.get(reverse("goals:recovery"))
    tasks.celebrate_recovery_badges.call_local()

    assert [n.title for n in badge_notifications(member)] == [
        "Your first day in recovery. Well done."
    ]


def test_several_badges_reached_at_once_make_one_notification_naming_the_newest(
    member, time_machine
):
    time_machine.move_to("2025-01-01T16:00:00Z")
    actions.set_recovery_start(member, started_on=date(2025, 1, 1))
    time_machine.move_to("2025-03-05T16:00:00Z")

    celebrated = actions.celebrate_recovery_badges(member)

    assert [b.key for b in celebrated] == ["days-1", "days-7", "days-30", "days-60"]
    assert [n.title for n in badge_notifications(member)] == ["60 days in recovery. Well done."]


def test_after_starting_again_badges_are_earned_and_announced_anew(member, time_machine):
    time_machine.move_to("2025-01-01T16:00:00Z")
    actions.set_recovery_start(member, started_on=date(2024, 12, 1))
    time_machine.move_to("2025-06-20T16:00:00Z")
    actions.set_recovery_start(member, started_on=date(2025, 6, 20))
    time_machine.move_to("2025-06-21T16:00:00Z")

    actions.celebrate_recovery_badges(member)

    assert badge_notifications(member).last().title == "Your first day in recovery. Well done."


def test_the_recovery_page_refuses_other_methods(member, client_of):
    assert client_of(member).put(reverse("goals:recovery")).status_code == 405
    assert client_of(member).get(reverse("goals:recovery_shown")).status_code == 405
