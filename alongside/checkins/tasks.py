"""Huey tasks of check-ins, each a thin wrapper around an action."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alongside.checkins import actions


@db_periodic_task(crontab(minute="*"))
def send_check_in_reminders() -> int:
    """Every minute: remind the members whose chosen local time has come."""
    return actions.send_check_in_reminders()


@db_periodic_task(crontab(minute="7"))
def notify_missed_streaks() -> int:
    """Every hour: tell staff about members who stopped checking in, once per run of days."""
    return actions.notify_missed_streaks()
