"""Huey tasks of crisis safety, each a thin wrapper around an action."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from alongside.core import health, queue
from alongside.safety import actions

# --- Staff side: escalation alerts ------------------------------------------------------------


@db_task(priority=queue.URGENT)
def deliver_safety_outbox() -> int:
    return actions.deliver_outbox()


@db_periodic_task(crontab(minute="*"), priority=queue.URGENT)
def sweep_escalations() -> int:
    """Every minute: pass on escalations nobody acknowledged, then deliver what is due. Its
    heartbeat tells the health check the worker is alive (core/health.py)."""
    health.beat(health.SWEEP)
    actions.re_escalate_overdue()
    return actions.deliver_outbox()
