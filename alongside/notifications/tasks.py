"""Background jobs of notifications, each a thin wrapper around an action."""

from huey.contrib.djhuey import db_task

from alongside.notifications import actions


@db_task(retries=3, retry_delay=60)
def send_notification_email(notification_id: int) -> bool:
    return actions.deliver_notification_email(notification_id=notification_id)
