"""Huey tasks of groups, each a thin wrapper around an action."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alongside.groups import actions


@db_periodic_task(crontab(minute="*/5"))
def send_meeting_reminders() -> int:
    """Every five minutes, so a reminder goes out close to REMINDER_LEAD before each meeting."""
    return actions.send_due_meeting_reminders().sent
