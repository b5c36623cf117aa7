"""The health checks: /health/ for load balancers (this web process and its database) and
/health/alerts/ for the monitoring that pages an operator (will crisis alerts go out?)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from alongside.core import health
from alongside.safety import tasks
from alongside.safety.models import OutboxMessage
from alongside.safety.tests.escalation_helpers import put_on_call
from alongside.testing import make_person

WEB = reverse("core:health")
ALERTS = reverse("core:health_alerts")


def test_a_working_site_answers_ok_to_both(client, db):
    tasks.sweep_escalations.call_local()  # the worker's minute sweep

    web = client.get(WEB)
    alerts = client.get(ALERTS)

    assert (web.status_code, web.json()["status"]) == (200, "ok")
    assert (alerts.status_code, alerts.json()["status"]) == (200, "ok")
    assert set(alerts.json()["checks"]) == {"database", "queue", "worker", "safety_outbox"}
    assert "no-store" in alerts["Cache-Control"] or "no-cache" in alerts["Cache-Control"]


def test_a_stopped_worker_fails_the_alert_check_but_not_the_web_one(client, db):
    tasks.sweep_escalations.call_local()

    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        alerts = client.get(ALERTS)
        web = client.get(WEB)

    assert alerts.status_code == 503
    assert alerts.json()["checks"]["worker"] == {
        "ok": False,
        "reason": "the minute sweep has not run for over 3 minutes",
    }
    # Load balancers keep serving the crisis lines and Help now.
    assert web.status_code == 200


def test_a_worker_that_never_ran_fails_the_alert_check(client, db):
    assert client.get(ALERTS).json()["checks"]["worker"]["reason"] == (
        "the minute sweep has never run"
    )


def test_an_alert_stuck_in_the_outbox_fails_the_check_without_saying_who(
    client, program, member, monkeypatch
):
    from alongside.safety import actions

    put_on_call(program, make_person(program, "clinician"))
    tasks.sweep_escalations.call_local()
    monkeypatch.setattr(actions, "deliver_outbox", lambda now=None: 0)  # nobody delivers
    actions.open_escalation(member, program=program, origin="help_now", categories=["suicide"])
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).exists()

    assert client.get(ALERTS).status_code == 200  # just written: not late yet
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        health.beat(health.SWEEP)
        stuck = client.get(ALERTS)

    assert stuck.status_code == 503
    assert stuck.json()["checks"]["safety_outbox"] == {
        "ok": False,
        "reason": "an alert has waited over 5 minutes",
    }
    assert member.email not in stuck.content.decode()
    assert program.slug not in stuck.content.decode()


def test_a_queue_that_does_not_answer_fails_the_alert_check(client, db, monkeypatch):
    from huey.contrib.djhuey import HUEY

    def gone():
        raise ConnectionError("Redis is down")

    tasks.sweep_escalations.call_local()
    monkeypatch.setattr(HUEY.storage, "queue_size", gone)

    response = client.get(ALERTS)

    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == {"ok": False, "reason": "ConnectionError"}


def test_a_database_that_does_not_answer_fails_both(client, db, monkeypatch):
    class Gone:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Gone())

    for url in (WEB, ALERTS):
        response = client.get(url)
        assert response.status_code == 503
        assert response.json()["checks"] == {
            "database": {"ok": False, "reason": "OperationalError"}
        }


@pytest.mark.parametrize("url", [WEB, ALERTS])
def test_the_checks_only_answer_get(client, db, url):
    assert client.post(url).status_code == 405
