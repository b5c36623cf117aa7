"""The daily summary: notifications a person chose "daily" for wait for one email at 08:00 in
their own time zone."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from alongside.notifications import access, actions, registry, tasks
from alongside.notifications.models import DigestState, Notification, NotificationPreference
from alongside.testing import make_person

pytestmark = pytest.mark.django_db

DAILY = NotificationPreference.Email.DAILY


@pytest.fixture
def daily_kind(monkeypatch):
    """A kind that may wait for the summary, as community replies do, registered for one test."""
    definition = registry.NotificationKind(
        "tests.reply", "Replies to you", "When someone replies to you.", digest_allowed=True
    )
    monkeypatch.setitem(registry._kinds, definition.kind, definition)
    return definition


def person_in(zone: str, *, email: str | None = None, language: str = "en"):
    person = make_person(email=email)
    person.profile.time_zone = zone
    person.profile.preferred_language = language
    person.profile.save()
    return person


def choose_daily(person, kind) -> None:
    actions.update_preferences(person, choices={kind.kind: DAILY})


def notify(person, kind, title: str, **fields) -> Notification:
    return actions.notify(person, kind=kind.kind, title=title, **fields)


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment)


def digests_to(person) -> list[EmailMultiAlternatives]:
    digests = []
    for email in mail.outbox:
        if isinstance(email, EmailMultiAlternatives) and person.email in email.to:
            digests.append(email)
    return digests


def test_a_daily_kind_is_not_emailed_at_once_but_in_the_next_mornings_summary(
    member, program, daily_kind, time_machine, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://alongside.example"
    choose_daily(member, daily_kind)  # member lives in New York
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)  # 11:00 in New York
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(member, daily_kind, "Sam replied to your post", program=program)
        second = notify(member, daily_kind, "Ana replied to your post")
    assert mail.outbox == []
    # Today's 08:00 has passed, but these arrived after it: they wait for tomorrow's.
    assert actions.send_daily_digests() == 0

    time_machine.move_to(at("2026-06-11T11:59:00+00:00"), tick=False)  # 07:59 in New York
    assert actions.send_daily_digests() == 0
    assert mail.outbox == []

    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)  # 08:00 in New York
    tasks.send_daily_digests()
    tasks.send_daily_digests()
    assert actions.send_daily_digests() == 0

    [email] = digests_to(member)
    assert len(mail.outbox) == 1
    assert email.subject == "[Alongside] Your daily summary: 2 updates"
    assert "Sam replied to your post (Riverside Recovery)" in email.body
    assert f"https://alongside.example/notifications/{first.pk}/" in email.body
    assert f"https://alongside.example/notifications/{second.pk}/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://alongside.example/notifications/{first.pk}/"' in str(html)
    assert Notification.objects.filter(recipient=member, emailed_at__isnull=True).count() == 0
    assert member.notification_digest.last_sent_at == at("2026-06-11T12:00:00+00:00")


@pytest.mark.parametrize(
    ("zone", "before", "eight_oclock"),
    [
        # Los Angeles springs forward on 8 March 2026: 08:00 is 16:00 UTC on the 7th, 15:00 on the 8th.
        ("America/Los_Angeles", "2026-03-06T20:00:00+00:00", "2026-03-07T16:00:00+00:00"),
        ("America/Los_Angeles", "2026-03-07T20:00:00+00:00", "2026-03-08T15:00:00+00:00"),
        # London springs forward on 29 March 2026: 08:00 is 08:00 UTC on the 28th, 07:00 on the 29th.
        ("Europe/London", "2026-03-27T20:00:00+00:00", "2026-03-28T08:00:00+00:00"),
        ("Europe/London", "2026-03-28T20:00:00+00:00", "2026-03-29T07:00:00+00:00"),
    ],
)
def test_each_person_gets_the_summary_at_eight_in_their_own_zone_across_daylight_saving(
    daily_kind, time_machine, zone, before, eight_oclock
):
    person = person_in(zone)
    choose_daily(person, daily_kind)
    time_machine.move_to(at(before), tick=False)
    notify(person, daily_kind, "Someone replied")

    eight = at(eight_oclock)
    time_machine.move_to(eight - timedelta(minutes=1), tick=False)
    assert actions.send_daily_digests() == 0

    time_machine.move_to(eight, tick=False)
    assert actions.send_daily_digests() == 1
    assert len(digests_to(person)) == 1


def test_people_in_different_zones_get_theirs_at_their_own_eight(daily_kind, time_machine):
    angeleno = person_in("America/Los_Angeles", email="la@example.test")
    londoner = person_in("Europe/London", email="london@example.test")
    for person in (angeleno, londoner):
        choose_daily(person, daily_kind)
    time_machine.move_to(at("2026-03-28T20:00:00+00:00"), tick=False)
    notify(angeleno, daily_kind, "A reply in Los Angeles")
    notify(londoner, daily_kind, "A reply in London")

    time_machine.move_to(at("2026-03-29T07:00:00+00:00"), tick=False)  # 08:00 BST, 00:00 PDT
    assert actions.send_daily_digests() == 1
    assert [len(digests_to(angeleno)), len(digests_to(londoner))] == [0, 1]

    time_machine.move_to(at("2026-03-29T15:00:00+00:00"), tick=False)  # 08:00 PDT
    assert actions.send_daily_digests() == 1
    assert [len(digests_to(angeleno)), len(digests_to(londoner))] == [1, 1]
    assert "A reply in Los Angeles" in digests_to(angeleno)[0].body
    assert "A reply in London" not in digests_to(angeleno)[0].body


def test_notifications_read_in_the_app_are_left_out(member, daily_kind, time_machine):
    choose_daily(member, daily_kind)
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)
    notify(member, daily_kind, "Still unread")
    read = notify(member, daily_kind, "Already read")
    actions.mark_read(member, notification=read)

    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)
    assert actions.send_daily_digests() == 1

    [email] = digests_to(member)
    assert email.subject == "[Alongside] Your daily summary: 1 update"
    assert "Still unread" in email.body
    assert "Already read" not in email.body
    read.refresh_from_db()
    assert read.emailed_at is None


def test_no_summary_when_everything_was_read(member, daily_kind, time_machine):
    choose_daily(member, daily_kind)
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)
    notify(member, daily_kind, "Read before morning")
    actions.mark_all_read(member)

    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)
    assert actions.send_daily_digests() == 0
    assert mail.outbox == []


def test_the_summary_lists_only_the_persons_own_notifications(
    member, outsider, daily_kind, time_machine
):
    for person in (member, outsider):
        choose_daily(person, daily_kind)
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)
    notify(member, daily_kind, "Mine")
    notify(outsider, daily_kind, "Theirs")

    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)
    assert actions.send_daily_digests() == 2

    [email] = digests_to(member)
    assert email.to == [member.email]
    assert "Mine" in email.body
    assert "Theirs" not in email.body


def test_kinds_chosen_right_away_or_never_stay_out_of_the_summary(
    member, daily_kind, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(member, daily_kind, "Emailed at once")  # default: right away
    actions.update_preferences(member, choices={daily_kind.kind: "never"})
    notify(member, daily_kind, "Only in the app")
    assert len(mail.outbox) == 1

    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)
    assert actions.send_daily_digests() == 0
    assert len(mail.outbox) == 1


def test_choosing_daily_does_not_mail_an_old_backlog(member, daily_kind, time_machine):
    time_machine.move_to(at("2026-05-01T15:00:00+00:00"), tick=False)
    actions.update_preferences(member, choices={daily_kind.kind: "never"})
    notify(member, daily_kind, "Weeks old")
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)
    choose_daily(member, daily_kind)
    notify(member, daily_kind, "Yesterday's")

    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)
    assert actions.send_daily_digests() == 1
    [email] = digests_to(member)
    assert "Yesterday's" in email.body
    assert "Weeks old" not in email.body


def test_a_failed_send_releases_the_claim_for_the_next_run(
    member, outsider, daily_kind, time_machine, monkeypatch
):
    for person in (member, outsider):
        choose_daily(person, daily_kind)
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)
    notification = notify(member, daily_kind, "A reply")
    notify(outsider, daily_kind, "Another reply")
    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)
    real_send = EmailMultiAlternatives.send
    smtp_down = True

    def fail_for_member(message, *args, **kwargs):
        if smtp_down and message.to == [member.email]:
            raise ConnectionRefusedError("SMTP is down")
        return real_send(message, *args, **kwargs)

    monkeypatch.setattr(EmailMultiAlternatives, "send", fail_for_member)
    # One person's failure does not stop the others.
    assert actions.send_daily_digests() == 1
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert DigestState.objects.get(user=member).last_sent_at is None

    smtp_down = False
    time_machine.move_to(at("2026-06-11T12:15:00+00:00"), tick=False)
    assert actions.send_daily_digests() == 1
    assert len(digests_to(member)) == 1
    assert len(mail.outbox) == 2


def test_the_summary_is_in_the_persons_language(daily_kind, time_machine):
    person = person_in("America/New_York", language="es")
    choose_daily(person, daily_kind)
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)
    notify(person, daily_kind, "A reply")
    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)
    actions.send_daily_digests()

    [email] = digests_to(person)
    html, _ = email.alternatives[0]
    assert 'lang="es"' in str(html)


def test_the_query_count_does_not_grow_with_notifications(
    daily_kind, time_machine, django_assert_num_queries
):
    people = [person_in("America/New_York") for _ in range(3)]
    for person in people:
        choose_daily(person, daily_kind)
    time_machine.move_to(at("2026-06-10T15:00:00+00:00"), tick=False)
    for person in people:
        for number in range(5):
            notify(person, daily_kind, f"Reply {number}")

    time_machine.move_to(at("2026-06-11T12:00:00+00:00"), tick=False)
    # People, their notifications and their day records, then per person: claim the day and
    # claim the notifications.
    with django_assert_num_queries(3 + 2 * len(people)):
        assert actions.send_daily_digests() == 3
    assert len(mail.outbox) == 3
    assert all("5 updates" in email.subject for email in mail.outbox)


# Who may choose "daily" -------------------------------------------------------------------------


def test_only_kinds_that_may_wait_are_offered_the_daily_summary(member, daily_kind, client_of):
    response = client_of(member).get(reverse("notifications:preferences"))

    form = response.context["form"]
    assert DAILY in dict(form.fields[daily_kind.kind].choices)
    assert DAILY not in dict(form.fields["programs.invitation"].choices)
    assert DAILY not in dict(form.fields["account.security"].choices)
    assert "In a daily summary" in response.content.decode()


def test_the_form_saves_daily_for_a_kind_that_may_wait(member, daily_kind, client_of):
    choices = {k.kind: "immediately" for k in registry.all_kinds() if not k.mandatory_email}
    response = client_of(member).post(
        reverse("notifications:preferences"), {**choices, daily_kind.kind: DAILY}
    )

    assert response.status_code == 302
    assert access.wants_digest(member, daily_kind)
    assert not access.wants_email(member, daily_kind)


def test_the_form_refuses_daily_for_a_kind_that_cannot_wait(member, daily_kind, client_of):
    choices = {k.kind: "immediately" for k in registry.all_kinds() if not k.mandatory_email}
    response = client_of(member).post(
        reverse("notifications:preferences"), {**choices, "programs.invitation": DAILY}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["programs.invitation"]
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_the_api_refuses_daily_for_a_kind_that_cannot_wait(member, daily_kind, api_as):
    response = api_as(member).put(
        reverse("api-notification-preferences"),
        {
            "preferences": [
                {"kind": daily_kind.kind, "email": DAILY},
                {"kind": "programs.invitation", "email": DAILY},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["preferences"]) == {"programs.invitation"}
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_the_api_saves_daily_and_says_which_kinds_may_wait(member, daily_kind, api_as):
    url = reverse("api-notification-preferences")
    response = api_as(member).put(
        url, {"preferences": [{"kind": daily_kind.kind, "email": DAILY}]}, format="json"
    )

    assert response.status_code == 200
    by_kind = {item["kind"]: item for item in response.json()["preferences"]}
    assert by_kind[daily_kind.kind]["email"] == DAILY
    assert by_kind[daily_kind.kind]["digest_allowed"] is True
    assert by_kind["programs.invitation"]["digest_allowed"] is False


@pytest.mark.parametrize("kind", ["programs.invitation", "account.security"])
def test_update_preferences_refuses_daily_for_a_kind_that_cannot_wait(member, daily_kind, kind):
    with pytest.raises(ValidationError) as error:
        actions.update_preferences(member, choices={daily_kind.kind: DAILY, kind: DAILY})
    assert set(error.value.message_dict) == {kind}
    assert not member.notification_preferences.exists()


def test_a_stored_daily_for_a_kind_that_no_longer_may_wait_is_emailed_at_once(member):
    # E.g. written before the kind's registration changed: it must not fall silent.
    NotificationPreference.objects.create(user=member, kind="programs.invitation", email=DAILY)
    kind = registry.get_kind("programs.invitation")
    assert access.wants_email(member, kind)
    assert not access.wants_digest(member, kind)
    assert access.email_choices_of(member)["programs.invitation"] == "immediately"


def test_a_mandatory_kind_cannot_be_registered_for_the_summary():
    with pytest.raises(ValueError, match="never in a summary"):
        registry.register_kind(
            "tests.locked", label="Locked", mandatory_email=True, digest_allowed=True
        )
    assert not registry.is_registered("tests.locked")
