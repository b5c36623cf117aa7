from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.notifications import actions, tasks
from alongside.notifications.models import Notification, NotificationPreference


def notify_member(member, **fields):
    fields.setdefault("kind", "programs.invitation")
    fields.setdefault("title", "You are invited to Riverside Recovery")
    return actions.notify(member, **fields)


def test_notify_records_and_emails_after_commit(
    member, program, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_member(
            member, body="Join us on Tuesdays.", url="/programs/riverside/", program=program
        )

    assert notification.recipient == member
    assert notification.program == program
    assert not notification.is_read
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert isinstance(email, EmailMultiAlternatives)
    assert email.to == ["member@example.test"]
    assert email.subject == "[Alongside] You are invited to Riverside Recovery"
    assert "Join us on Tuesdays." in email.body
    assert f"/notifications/{notification.pk}/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "Join us on Tuesdays." in str(html)
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_nothing_is_emailed_before_the_transaction_commits(member):
    # Inside the test's transaction nothing commits, so no on-commit email may go out.
    notify_member(member)
    assert Notification.objects.filter(recipient=member).count() == 1
    assert mail.outbox == []


def test_notify_does_not_email_when_the_person_chose_never(
    member, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(
        user=member, kind="programs.invitation", email=NotificationPreference.Email.NEVER
    )
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_member(member)

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_a_kind_off_by_default_is_not_emailed_until_asked_for(
    member, quiet_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_member(member, kind=quiet_kind.kind)
    assert mail.outbox == []

    actions.update_preferences(member, choices={quiet_kind.kind: "immediately"})
    with django_capture_on_commit_callbacks(execute=True):
        notify_member(member, kind=quiet_kind.kind)
    assert len(mail.outbox) == 1


def test_security_notifications_are_emailed_whatever_is_stored(
    member, django_capture_on_commit_callbacks
):
    # Even a stored "never" (e.g. written before the kind became mandatory) cannot silence it.
    NotificationPreference.objects.create(user=member, kind="account.security", email="never")
    with django_capture_on_commit_callbacks(execute=True):
        notify_member(member, kind="account.security", title="New sign-in to your account")
    assert len(mail.outbox) == 1
    assert "always sent" in mail.outbox[0].body


def test_nothing_is_emailed_or_kept_when_the_transaction_rolls_back(
    member, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_member(member)
        raise RuntimeError("the caller's work failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=member).exists()


def test_the_email_task_never_sends_twice(member):
    notification = notify_member(member)

    tasks.send_notification_email(notification.pk)
    tasks.send_notification_email(notification.pk)

    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_claim_so_a_retry_can_send(member, monkeypatch):
    notification = notify_member(member)

    def fail(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)
    with pytest.raises(ConnectionRefusedError):
        actions.deliver_notification_email(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None

    monkeypatch.undo()
    assert actions.deliver_notification_email(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_the_email_task_skips_deleted_notifications_and_inactive_people(member):
    gone = notify_member(member)
    gone_id = gone.pk
    gone.delete()
    assert not actions.deliver_notification_email(notification_id=gone_id)

    notification = notify_member(member)
    member.is_active = False
    member.save()
    assert not actions.deliver_notification_email(notification_id=notification.pk)
    assert mail.outbox == []


def test_the_email_is_in_the_recipients_language(member, django_capture_on_commit_callbacks):
    member.profile.preferred_language = "es"
    member.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify_member(member)
    email = mail.outbox[0]
    assert isinstance(email, EmailMultiAlternatives)
    html, _ = email.alternatives[0]
    assert 'lang="es"' in str(html)


def test_unknown_kind_is_refused(member):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify_member(member, kind="programs.no_such_thing")
    assert not Notification.objects.exists()


def test_a_title_is_required_and_kept_to_one_line(member):
    with pytest.raises(ValueError):
        notify_member(member, title="  \n ")
    notification = notify_member(member, title="Line one\r\nBcc: someone@example.test")
    assert notification.title == "Line one Bcc: someone@example.test"


def test_an_overlong_url_is_refused(member):
    with pytest.raises(ValueError):
        notify_member(member, url="/" + "x" * 600)


def test_a_failing_push_does_not_break_notify(
    member, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_layer():
        raise ConnectionError("Redis is down")

    monkeypatch.setattr("alongside.notifications.live.get_channel_layer", broken_layer)
    with django_capture_on_commit_callbacks(execute=True):
        notify_member(member)
    assert Notification.objects.filter(recipient=member).count() == 1
    assert len(mail.outbox) == 1


def test_mark_read_and_mark_all_read(member):
    first = notify_member(member)
    notify_member(member)
    notify_member(member)

    actions.mark_read(member, notification=first)
    assert first.is_read
    assert member.notifications.unread().count() == 2

    assert actions.mark_all_read(member) == 2
    assert member.notifications.unread().count() == 0
    assert actions.mark_all_read(member) == 0


def test_mark_read_refuses_someone_elses_notification(member, outsider):
    notification = notify_member(member)
    with pytest.raises(PermissionDenied):
        actions.mark_read(outsider, notification=notification)
    notification.refresh_from_db()
    assert not notification.is_read


def test_update_preferences_saves_choices(member):
    actions.update_preferences(
        member, choices={"programs.invitation": "never", "programs.member_joined": "immediately"}
    )
    stored = dict(member.notification_preferences.values_list("kind", "email"))
    assert stored == {"programs.invitation": "never", "programs.member_joined": "immediately"}

    actions.update_preferences(member, choices={"programs.invitation": "immediately"})
    assert member.notification_preferences.get(kind="programs.invitation").email == "immediately"


@pytest.mark.parametrize(
    "bad",
    [
        {"programs.no_such_thing": "never"},
        {"programs.invitation": "weekly"},
        {"account.security": "never"},
    ],
)
def test_update_preferences_refuses_bad_input_and_saves_nothing(member, bad):
    choices = {"programs.member_joined": "never", **bad}
    with pytest.raises(ValidationError) as error:
        actions.update_preferences(member, choices=choices)
    assert set(error.value.message_dict) == set(bad)
    assert not member.notification_preferences.exists()


class RecordingLayer:
    """A channel layer that keeps what was pushed to whom."""

    def __init__(self):
        self.pushed: list[tuple[str, dict]] = []

    async def group_send(self, group, message):
        self.pushed.append((group, message))


def test_notify_each_tells_many_people_in_the_same_few_queries(
    program, member, monkeypatch, django_capture_on_commit_callbacks
):
    from alongside.notifications import live
    from alongside.testing import make_person

    layer = RecordingLayer()
    monkeypatch.setattr(live, "get_channel_layer", lambda: layer)
    notify_member(member)  # already one unread

    def tell(people) -> int:
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=False) as sending:
                actions.notify_each(people, kind="programs.invitation", title="Tuesday group")
            for send in sending:
                if send.func is not tasks.send_notification_email:
                    send()
        return len(queries)

    few = [member, make_person(program, "member")]
    many = few + [make_person(program, "member") for _ in range(6)]
    NotificationPreference.objects.create(
        user=many[-1], kind="programs.invitation", email=NotificationPreference.Email.NEVER
    )
    layer.pushed.clear()
    assert tell(few) == tell(many)

    told = Notification.objects.filter(title="Tuesday group")
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [person.pk for person in few + many]
    )
    # The unread counts reached each person's pages, with their own number.
    assert (f"notifications.user.{member.pk}", {"type": "notifications.unread", "unread": 3}) in (
        layer.pushed
    )
    assert len(layer.pushed) == len(few) + len(many)


def test_notify_each_emails_only_those_who_want_it(
    program, member, django_capture_on_commit_callbacks
):
    from alongside.testing import make_person

    quiet = make_person(program, "member", email="quiet@example.test")
    NotificationPreference.objects.create(
        user=quiet, kind="programs.invitation", email=NotificationPreference.Email.NEVER
    )
    with django_capture_on_commit_callbacks(execute=True):
        told = actions.notify_each([member, quiet], kind="programs.invitation", title="Hello")

    assert [notification.recipient for notification in told] == [member, quiet]
    assert [email.to for email in mail.outbox] == [["member@example.test"]]


def test_notify_each_saves_nothing_for_a_bad_title_or_nobody(member):
    with pytest.raises(ValueError):
        actions.notify_each([member], kind="programs.invitation", title=" ")
    assert actions.notify_each([], kind="programs.invitation", title="Hello") == []
    assert not Notification.objects.exists()


# --- Urgent emails are sent again until they go ------------------------------------------------


@pytest.fixture
def urgent_kind(monkeypatch):
    from alongside.notifications import registry

    definition = registry.NotificationKind(
        "tests.urgent", "Someone needs you", "", mandatory_email=True, urgent=True
    )
    monkeypatch.setitem(registry._kinds, definition.kind, definition)
    return definition


def test_an_urgent_email_that_failed_is_sent_by_the_minute_sweep_once(
    member, urgent_kind, monkeypatch, django_capture_on_commit_callbacks
):
    def smtp_down(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    with django_capture_on_commit_callbacks(execute=False):
        notification = notify_member(member, kind=urgent_kind.kind, title="A member needs you")
    with monkeypatch.context() as smtp:
        smtp.setattr(EmailMultiAlternatives, "send", smtp_down)
        for _attempt in range(4):  # the email task's try and its three retries
            with pytest.raises(ConnectionRefusedError):
                tasks.send_notification_email.call_local(notification.pk)
    assert actions.resend_urgent_emails() == 0  # not a minute old yet: its task may still run

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert actions.resend_urgent_emails() == 1
        assert actions.resend_urgent_emails() == 0

    assert [email.subject for email in mail.outbox] == ["[Alongside] A member needs you"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_lost_urgent_email_task_is_made_good_within_the_hour_only(
    member, urgent_kind, django_capture_on_commit_callbacks
):
    # The queue lost the email task: its after-commit enqueue never ran.
    with django_capture_on_commit_callbacks(execute=False):
        notify_member(member, kind=urgent_kind.kind, title="Late")
        notify_member(member, title="Routine")  # not urgent: left to its own task

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert actions.resend_urgent_emails() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert actions.resend_urgent_emails() == 1
    assert [email.subject for email in mail.outbox] == ["[Alongside] Late"]
