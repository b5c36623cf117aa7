"""Huey tasks of goals, each a thin wrapper around an action."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alongside.goals import actions


@db_periodic_task(crontab(minute="7"))
def celebrate_recovery_badges() -> int:
    """Hourly, so each member hears of a new badge soon after their own midnight."""
    return actions.celebrate_due_recovery_badges()
