"""A crisis alert is never stuck behind routine work: the worker's queue takes it first."""

import os
import uuid

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import PriorityRedisStorage, SqliteStorage

from alongside.community import tasks as community_tasks
from alongside.core import queue
from alongside.notifications import actions as notification_actions
from alongside.safety import kinds
from alongside.safety import tasks as safety_tasks
from alongside.testing import make_person


def _sqlite_storage(tmp_path):
    return SqliteStorage("priorities", filename=str(tmp_path / "queue.sqlite3"))


def _redis_storage(tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("production's queue needs Redis (REDIS_URL); .ci/run sets it")
    return PriorityRedisStorage(f"priorities-{uuid.uuid4().hex}", url=os.environ["REDIS_URL"])


@pytest.fixture(params=[_sqlite_storage, _redis_storage], ids=["one machine", "production"])
def real_queue(request, tmp_path, monkeypatch):
    """The app's tasks enqueue into a real, empty queue of the kind settings.py configures,
    instead of running at once as elsewhere in the tests."""
    storage = request.param(tmp_path)
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", storage)
    yield storage
    storage.flush_all()


def test_crisis_alerts_are_taken_before_routine_jobs_queued_earlier(
    real_queue, program, member, django_capture_on_commit_callbacks
):
    clinician = make_person(program, "clinician")
    community_tasks.tell_about_post(1)
    community_tasks.tell_about_post(2)
    with django_capture_on_commit_callbacks(execute=True):
        notification_actions.notify(member, kind="programs.invitation", title="Join us")
        notification_actions.notify(clinician, kind=kinds.ESCALATION, title="A member needs you")
    safety_tasks.deliver_safety_outbox()
    safety_tasks.sweep_escalations()

    taken = []
    while (task := HUEY.dequeue()) is not None:
        taken.append((task.name.rsplit(".", 1)[-1], task.priority or 0))

    urgent = [
        ("send_notification_email", queue.URGENT),
        ("deliver_safety_outbox", queue.URGENT),
        ("sweep_escalations", queue.URGENT),
    ]
    routine = [("tell_about_post", 0), ("tell_about_post", 0), ("send_notification_email", 0)]
    assert taken == urgent + routine
