"""Huey tasks of groups, each a thin wrapper around an action."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alongside.groups import actions, directory


@db_periodic_task(crontab(minute="*/5"))
def send_meeting_reminders() -> int:
    """Every five minutes, so a reminder goes out close to REMINDER_LEAD before each meeting."""
    return actions.send_due_meeting_reminders().sent


@db_periodic_task(crontab(minute="17", hour="3"))
def extend_directory() -> int:
    """Nightly, so the directory always reaches directory.HORIZON ahead."""
    return directory.rebuild_all()


@db_periodic_task(crontab(minute="*/5"))
def move_directory_on() -> int:
    """Every five minutes, so a meeting that has started is listed at its next time soon after."""
    return directory.move_on()
