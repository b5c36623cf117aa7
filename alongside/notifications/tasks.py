"""Background jobs of notifications, each a thin wrapper around an action."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from alongside.core import queue
from alongside.notifications import actions


@db_task(retries=3, retry_delay=60)
def send_notification_email(notification_id: int) -> bool:
    return actions.deliver_notification_email(notification_id=notification_id)


@db_periodic_task(crontab(minute="*/15"))
def send_daily_digests() -> int:
    """Every quarter hour, so each person's summary leaves soon after 08:00 in their own zone
    (some zones are a quarter or half hour off the hour)."""
    return actions.send_daily_digests()


@db_periodic_task(crontab(minute="*"), priority=queue.URGENT)
def resend_urgent_emails() -> int:
    """Every minute: urgent emails (crisis escalations) that failed or whose task was lost."""
    return actions.resend_urgent_emails()
