"""Moderation as people do it: a member reports a post, a moderator works the queue (hide,
restore, dismiss, approve), locks, moves and hides threads, warns and pauses writers without
learning who they are; every action is in the log, writers are told, bad input gets a message."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alongside.community import actions, moderation
from alongside.community.models import (
    ActionKind,
    ModerationAction,
    Post,
    Report,
    ReportReason,
    Space,
    SpaceKind,
    Thread,
)
from alongside.community.tests.conftest import MARKER, thread_url
from alongside.notifications.models import Notification
from alongside.safety.models import Flag
from alongside.testing import make_person


def report_url(post) -> str:
    return f"/community/report/{post.thread.space.program.slug}/{post.pk}/"


def queue_url(program) -> str:
    return f"/community/moderation/{program.slug}/"


def post_action_url(post) -> str:
    return f"/community/moderation/{post.thread.space.program.slug}/posts/{post.pk}/"


def writer_url(post) -> str:
    return post_action_url(post) + "writer/"


def thread_action_url(thread) -> str:
    return f"/community/moderation/{thread.space.program.slug}/threads/{thread.pk}/"


@pytest.fixture
def reader(program):
    return make_person(program, "member", email="reader@example.test")


@pytest.fixture
def post(thread):
    return thread.posts.get(number=1)


@pytest.fixture
def anonymous_post(canary, space):
    thread = actions.start_thread(
        canary, space=space, title="Rough week", body="Everyone here is useless.", anonymous=True
    ).item
    return thread.posts.get()


# --- Reporting ------------------------------------------------------------------------------


def test_a_member_reports_a_post_and_the_moderators_see_it_in_its_thread(
    client_of, reader, moderator, post, program
):
    client = client_of(reader)
    assert client.get(report_url(post)).status_code == 200

    response = client.post(
        report_url(post), {"reason": ReportReason.UNKIND, "details": "It mocks a newcomer."}
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.post, report.reporter, report.reason) == (post, reader, "unkind")
    assert Notification.objects.filter(recipient=moderator, kind="community.reported").count() == 1
    page = client_of(moderator).get(queue_url(program)).content.decode()
    assert "It mocks a newcomer." in page
    assert "Unkind, harassing or hateful" in page
    assert post.thread.title in page
    # Moderators are not told who reported.
    assert reader.email not in page and reader.display_name not in page


def test_reporting_again_adds_nothing_and_your_own_post_cannot_be_reported(
    reader, member, post, moderator
):
    moderation.report_post(reader, post=post, reason=ReportReason.SPAM)
    moderation.report_post(reader, post=post, reason=ReportReason.OTHER)
    assert Report.objects.count() == 1
    assert Notification.objects.filter(kind="community.reported").count() == 1

    with pytest.raises(Exception, match="your own post"):
        moderation.report_post(member, post=post, reason=ReportReason.SPAM)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "", "details": ""}, "reason", "This field is required."),
        ({"reason": "boring"}, "reason", "Select a valid choice."),
        ({"reason": "spam", "details": "x" * 1001}, "details", "at most 1000 characters"),
    ],
)
def test_a_bad_report_gets_a_message_next_to_the_field_and_saves_nothing(
    client_of, reader, post, data, field, message
):
    response = client_of(reader).post(report_url(post), data)

    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert not Report.objects.exists()


def test_someone_at_risk_reaches_the_concern_queue_without_naming_an_anonymous_writer(
    client_of,
    reader,
    moderator,
    anonymous_post,
    program,
    canary,
):
    moderation.report_post(reader, post=anonymous_post, reason=ReportReason.AT_RISK)

    flag = Flag.objects.get(writing_path="community.post")
    assert (flag.author, flag.is_anonymous, flag.level) == (canary, True, "concern")
    page = client_of(moderator).get(f"/safety/programs/{program.slug}/concerns/").content.decode()
    assert "A writer who posted anonymously" in page
    assert MARKER not in page.lower()


def test_a_post_nobody_may_see_cannot_be_reported(client_of, outsider, post):
    assert client_of(outsider).post(report_url(post), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


# --- Posts ----------------------------------------------------------------------------------


def test_hiding_a_post_takes_it_from_everyone_closes_its_reports_and_tells_the_writer(
    client_of, api_as, reader, moderator, member, thread, program
):
    reply = actions.reply(member, thread=thread, body="Buy cheap pills here", anonymous=False).item
    moderation.report_post(reader, post=reply, reason=ReportReason.SPAM)

    response = client_of(moderator).post(
        post_action_url(reply), {"action": "hide", "note": "Advertising is not allowed."}
    )

    assert response.status_code == 302
    assert Post.objects.get(pk=reply.pk).is_hidden
    assert not Report.objects.open().exists()
    assert "Buy cheap pills" not in client_of(reader).get(thread_url(thread)).content.decode()
    answer = api_as(reader).get(f"/api/v1/community/{program.slug}/threads/{thread.pk}/posts/")
    assert [item["number"] for item in answer.json()["results"]] == [1]
    assert "Buy cheap pills" in client_of(moderator).get(thread_url(thread)).content.decode()
    told = Notification.objects.get(recipient=member, kind="community.moderated")
    assert told.url == f"/community/notices/{program.slug}/"
    notices = client_of(member).get(told.url).content.decode()
    assert "Advertising is not allowed." in notices
    action = ModerationAction.objects.get()
    assert (action.kind, action.moderator, action.post) == ("hide_post", moderator, reply)

    client_of(moderator).post(post_action_url(reply), {"action": "restore"})
    assert not Post.objects.get(pk=reply.pk).is_hidden
    assert "Buy cheap pills" in client_of(reader).get(thread_url(thread)).content.decode()


def test_dismissing_reports_leaves_the_post_and_clears_the_queue(
    client_of, reader, moderator, post, program
):
    moderation.report_post(reader, post=post, reason=ReportReason.OFF_TOPIC)

    client_of(moderator).post(post_action_url(post), {"action": "dismiss"})

    assert not Post.objects.get(pk=post.pk).is_hidden
    page = client_of(moderator).get(queue_url(program)).content.decode()
    assert "No open reports" in page
    # Nothing left to dismiss: a message, not an error page.
    response = client_of(moderator).post(post_action_url(post), {"action": "dismiss"}, follow=True)
    assert "This post has no open reports." in response.content.decode()


def test_only_moderators_moderate(client_of, api_as, member, supporter, coordinator, post, program):
    for person in (member, supporter, coordinator):
        assert client_of(person).get(queue_url(program)).status_code == 404
        assert client_of(person).post(post_action_url(post), {"action": "hide"}).status_code == 404
        assert client_of(person).get(writer_url(post)).status_code == 404
        assert client_of(person).get(thread_action_url(post.thread)).status_code == 404
        answer = api_as(person).post(
            f"/api/v1/community/{program.slug}/moderation/posts/{post.pk}/", {"action": "hide"}
        )
        assert answer.status_code == 404
    assert not Post.objects.get(pk=post.pk).is_hidden
    assert not ModerationAction.objects.exists()


def test_the_queue_takes_the_same_queries_for_one_report_or_many(
    client_of, moderator, space, program, django_assert_max_num_queries
):
    def add_reported(count: int) -> None:
        for index in range(count):
            writer = make_person(program, "member")
            reporter = make_person(program, "member")
            thread = actions.start_thread(
                writer, space=space, title=f"T{index}", body="Words", anonymous=index % 2 == 0
            ).item
            actions.reply(writer, thread=thread, body="More words", anonymous=False)
            moderation.report_post(reporter, post=thread.posts.last(), reason="unkind")

    add_reported(1)
    client = client_of(moderator)
    client.get(queue_url(program))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(queue_url(program))
    add_reported(6)
    with django_assert_max_num_queries(len(one)):
        page = client.get(queue_url(program))
    assert page.content.decode().count('class="card queue__item"') == 7


# --- Threads --------------------------------------------------------------------------------


def test_a_locked_thread_refuses_replies_with_a_message(client_of, moderator, member, thread):
    response = client_of(moderator).post(thread_action_url(thread), {"action": "lock"})
    assert response.status_code == 302

    response = client_of(member).post(thread_url(thread) + "reply/", {"body": "Me too"})

    assert response.status_code == 400
    assert "locked" in str(response.context["form"].errors["body"])
    assert thread.posts.count() == 1

    client_of(moderator).post(thread_action_url(thread), {"action": "unlock"})
    assert (
        client_of(member).post(thread_url(thread) + "reply/", {"body": "Me too"}).status_code == 302
    )


def test_moving_a_thread_puts_it_in_the_other_space_and_logs_both(
    client_of, moderator, thread, program
):
    other = Space.objects.create(
        program=program, slug="celebrations", name="Celebrations", kind=SpaceKind.CELEBRATIONS
    )

    response = client_of(moderator).post(
        thread_action_url(thread), {"action": "move", "space": other.pk, "note": "Good news!"}
    )

    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).space == other
    action = ModerationAction.objects.get()
    assert action.details == {"from": "General", "to": "Celebrations"}
    log = client_of(moderator).get(f"/community/moderation/{program.slug}/log/").content.decode()
    assert "From General to Celebrations" in log and "Good news!" in log


def test_a_move_without_a_space_gets_a_message_next_to_the_field(client_of, moderator, thread):
    response = client_of(moderator).post(thread_action_url(thread), {"action": "move"})

    assert response.status_code == 400
    assert "Choose the space" in str(response.context["form"].errors["space"])
    assert not ModerationAction.objects.exists()


def test_a_hidden_thread_is_gone_for_members_and_its_writer_is_told(
    client_of, moderator, member, reader, thread
):
    client_of(moderator).post(thread_action_url(thread), {"action": "hide"})

    assert client_of(reader).get(thread_url(thread)).status_code == 404
    assert Notification.objects.filter(recipient=member, kind="community.moderated").exists()
    assert client_of(moderator).get(thread_url(thread)).status_code == 200


# --- Writers --------------------------------------------------------------------------------


def test_a_moderator_warns_an_anonymous_writer_without_learning_who_they_are(
    client_of,
    moderator,
    anonymous_post,
    canary,
    program,
):
    page = client_of(moderator).get(writer_url(anonymous_post)).content.decode()
    assert MARKER not in page.lower()

    response = client_of(moderator).post(
        writer_url(anonymous_post),
        {"action": "warn", "note": "Please be kind: everyone here is trying."},
    )

    assert response.status_code == 302
    told = Notification.objects.get(kind="community.moderated")
    assert told.recipient == canary
    assert "Please be kind" in client_of(canary).get(told.url).content.decode()
    for url in (
        f"/community/moderation/{program.slug}/log/",
        f"/api/v1/community/{program.slug}/moderation/log/",
    ):
        client = client_of(moderator)
        content = client.get(url).content.decode().lower()
        assert MARKER not in content and "anonymous" in content


def test_a_warning_needs_words(client_of, moderator, anonymous_post):
    response = client_of(moderator).post(writer_url(anonymous_post), {"action": "warn", "note": ""})

    assert response.status_code == 400
    assert "the writer reads this" in str(response.context["form"].errors["note"])
    assert not ModerationAction.objects.exists()
    assert not Notification.objects.filter(kind="community.moderated").exists()


def test_a_paused_writer_can_read_but_not_post_until_it_ends(
    client_of,
    moderator,
    anonymous_post,
    canary,
    space,
):
    thread = anonymous_post.thread
    response = client_of(moderator).post(
        writer_url(anonymous_post),
        {"action": "suspend", "days": "3", "note": "A break after repeated insults."},
    )
    assert response.status_code == 302

    client = client_of(canary)
    assert client.get(thread_url(thread)).status_code == 200
    response = client.post(thread_url(thread) + "reply/", {"body": "Hello?", "anonymous": "on"})
    assert response.status_code == 400
    assert "paused your posting" in str(response.context["form"].errors["body"])
    # Posting as themselves does not get round it: the pause is on the person.
    response = client.post(
        f"/community/{space.program.slug}/{space.slug}/new/", {"title": "Hi", "body": "Me"}
    )
    assert response.status_code == 400
    assert thread.posts.count() == 1
    notices = client.get(f"/community/notices/{space.program.slug}/").content.decode()
    assert "paused until" in notices

    client_of(moderator).post(writer_url(anonymous_post), {"action": "end", "note": ""})
    assert (
        client_of(canary).post(thread_url(thread) + "reply/", {"body": "Back"}).status_code == 302
    )


def test_a_pause_runs_out_by_itself(moderator, anonymous_post, canary, time_machine):
    moderation.suspend_writer(
        moderator, post=anonymous_post, days=1, note="Take a day off, please."
    )
    with pytest.raises(Exception, match="paused"):
        actions.reply(canary, thread=anonymous_post.thread, body="Hi", anonymous=False)

    time_machine.move_to(timezone.now() + timedelta(days=1, minutes=1))

    actions.reply(canary, thread=anonymous_post.thread, body="Hi", anonymous=False)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "suspend", "note": "Long enough note here."}, "days"),
        ({"action": "suspend", "days": "2", "note": "Long enough note here."}, "days"),
        ({"action": "ban", "note": "Long enough note here."}, "action"),
    ],
)
def test_a_bad_pause_gets_a_message_next_to_the_field(client_of, moderator, post, data, field):
    response = client_of(moderator).post(writer_url(post), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not ModerationAction.objects.exists()


# --- First posts waiting for approval -------------------------------------------------------


@pytest.fixture
def approving(program):
    settings = moderation.settings_of(program)
    settings.approve_first_posts = True
    settings.save()
    return settings


def test_a_new_members_first_post_waits_for_approval_then_their_next_ones_do_not(
    approving, client_of, moderator, reader, space, program
):
    newcomer = make_person(program, "member")
    response = client_of(newcomer).post(
        f"/community/{program.slug}/{space.slug}/new/",
        {"title": "First time here", "body": "Hello everyone"},
        follow=True,
    )
    assert "A moderator looks at new members" in response.content.decode()
    thread = Thread.objects.get()
    assert thread.is_pending
    assert client_of(reader).get(thread_url(thread)).status_code == 404
    assert "First time here" not in client_of(reader).get(space.get_absolute_url()).content.decode()
    assert client_of(newcomer).get(thread_url(thread)).status_code == 200
    assert "First time here" in client_of(moderator).get(queue_url(program)).content.decode()

    client_of(moderator).post(post_action_url(thread.posts.get()), {"action": "approve"})

    assert client_of(reader).get(thread_url(thread)).status_code == 200
    assert Notification.objects.filter(recipient=newcomer, kind="community.moderated").exists()
    later = actions.reply(newcomer, thread=thread, body="Thanks!", anonymous=True).item
    assert not later.is_pending


def test_staff_posts_are_never_held(approving, supporter, moderator, space):
    for person in (supporter, moderator):
        written = actions.start_thread(person, space=space, title="Hi", body="Hi", anonymous=False)
        assert not written.item.is_pending


def test_a_coordinator_turns_approval_on(client_of, coordinator, member, program):
    url = f"/community/settings/{program.slug}/"
    assert client_of(member).get(url).status_code == 404

    response = client_of(coordinator).post(url, {"approve_first_posts": "on"})

    assert response.status_code == 302
    assert moderation.settings_of(program).approve_first_posts


# --- The log and the API --------------------------------------------------------------------


def test_coordinators_read_the_log_and_members_cannot(client_of, coordinator, member, program):
    url = f"/community/moderation/{program.slug}/log/"
    assert client_of(coordinator).get(url).status_code == 200
    assert client_of(member).get(url).status_code == 404


def test_the_api_does_what_the_pages_do(api_as, reader, moderator, member, post, program):
    base = f"/api/v1/community/{program.slug}/"
    answer = api_as(reader).post(f"{base}posts/{post.pk}/reports/", {"reason": "spam"})
    assert answer.status_code == 201

    queue = api_as(moderator).get(f"{base}moderation/").json()
    assert [item["id"] for item in queue["reported"]] == [post.pk]
    assert queue["reported"][0]["reports"][0]["reason"] == "spam"

    answer = api_as(moderator).post(
        f"{base}moderation/posts/{post.pk}/writer/",
        {"action": "suspend", "days": 7, "note": "Seven days to cool down."},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["kind"] == "suspend"
    notices = api_as(member).get(f"{base}notices/").json()
    assert notices["suspended_until"] is not None
    assert notices["results"][0]["note"] == "Seven days to cool down."

    answer = api_as(moderator).post(
        f"{base}moderation/threads/{post.thread_id}/", {"action": "move", "space": "nowhere"}
    )
    assert answer.status_code == 400
    assert "space" in answer.json()

    answer = api_as(reader).post(f"{base}posts/{post.pk}/reports/", {"reason": "nonsense"})
    assert answer.status_code == 400 and "reason" in answer.json()
    assert ActionKind.SUSPEND in [a.kind for a in ModerationAction.objects.all()]


def test_a_moderation_email_says_nothing_of_the_post(
    moderator,
    anonymous_post,
    canary,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        moderation.warn_writer(moderator, post=anonymous_post, note="Please keep it kind, thanks.")

    sent = [message for message in mail.outbox if canary.email in message.to]
    assert sent, "the writer is emailed about the warning"
    assert "Please keep it kind" not in sent[0].body
    assert "useless" not in sent[0].body


def test_moderators_read_a_posts_earlier_words_and_nobody_else_does(
    client_of, api_as, moderator, member, reader, thread, program
):
    post = thread.posts.get()
    actions.edit_post(member, post=post, body="Second words")
    actions.edit_post(member, post=post, body="Third words")
    url = thread_url(thread) + f"posts/{post.pk}/history/"

    page = client_of(moderator).get(url).content.decode()

    assert page.index("Third words") < page.index("Second words") < page.index("How do you sleep?")
    assert f'href="{url}"' in client_of(moderator).get(thread_url(thread)).content.decode()
    answer = api_as(moderator).get(f"/api/v1/community/{program.slug}/posts/{post.pk}/history/")
    assert [item["body"] for item in answer.json()] == ["Second words", "How do you sleep?"]
    for person in (member, reader):
        assert client_of(person).get(url).status_code == 404
    assert f'href="{url}"' not in client_of(member).get(thread_url(thread)).content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_log_notices_and_history_take_the_same_queries_for_one_entry_or_many(
    client_of, moderator, member, thread, program
):
    post = thread.posts.get()
    log_url = f"/community/moderation/{program.slug}/log/"
    notices_url = f"/community/notices/{program.slug}/"
    history_url = thread_url(thread) + f"posts/{post.pk}/history/"
    moderation.warn_writer(moderator, post=post, note="Please be kind to newcomers.")
    actions.edit_post(member, post=post, body="Edited once")
    staff = client_of(moderator)
    staff.get(log_url)  # the first page of a session also records the device
    few = (_queries(staff, log_url), _queries(staff, history_url))
    writer = client_of(member)
    writer.get(notices_url)
    few_notices = _queries(writer, notices_url)

    for number in range(6):
        reply = actions.reply(member, thread=thread, body=f"Reply {number}", anonymous=True).item
        moderation.hide_post(moderator, post=reply, note=f"Hidden {number}")
        actions.edit_post(member, post=post, body=f"Edit {number}")

    assert _queries(writer, notices_url) == few_notices
    staff = client_of(moderator)
    staff.get(log_url)
    assert (_queries(staff, log_url), _queries(staff, history_url)) == few


def test_the_thread_tools_do_nothing_until_the_moderator_chooses(client_of, moderator, thread):
    page = client_of(moderator).get(thread_action_url(thread)).content.decode()
    assert '<option value="" selected>—</option>' in page

    response = client_of(moderator).post(thread_action_url(thread), {"action": "", "note": ""})

    assert response.status_code == 400
    assert "This field is required." in str(response.context["form"].errors["action"])
    assert not ModerationAction.objects.exists()
    assert not Thread.objects.get(pk=thread.pk).is_hidden


# --- The concern queue of crisis safety --------------------------------------------------------


def test_the_concern_queue_shows_where_to_read_a_flagged_post_to_those_who_may_see_it(
    client_of, api_as, member, moderator, space, thread, program, screening
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from alongside.safety.models import SafetySettings
    from alongside.testing import assessment

    clinician = make_person(program, "clinician")
    screening["Nothing matters any more"] = assessment("concern", "suicide")
    screening["Tired\n\nHi"] = assessment("concern", "suicide")
    seen = actions.reply(member, thread=thread, body="Nothing matters any more", anonymous=True)
    SafetySettings.objects.update_or_create(
        program=program, defaults={"hold_flagged_for_review": True}
    )
    held = actions.start_thread(member, space=space, title="Tired", body="Hi", anonymous=False)
    Flag.objects.create(
        program=program, author=member, writing_path="checkins.note", level="concern"
    )
    page_url = reverse("safety:concerns", args=[program.slug])
    api_url = reverse("api-safety-concerns", args=[program.slug])

    def addresses_seen_by(person) -> dict[str, str | None]:
        listed = api_as(person).get(api_url).json()["results"]
        return {flag["writing_path"]: flag["context_url"] for flag in listed}

    post_url = seen.item.get_absolute_url()
    thread_address = held.item.get_absolute_url()
    assert addresses_seen_by(moderator) == {
        "community.post": post_url,
        "community.thread": thread_address,
        "checkins.note": None,
    }
    # What screening held is for moderators; the clinician may read the post everyone sees.
    assert addresses_seen_by(clinician)["community.thread"] is None
    assert addresses_seen_by(clinician)["community.post"] == post_url
    page = client_of(moderator).get(page_url).content.decode()
    assert page.count("Read it where it was written") == 2
    assert f'href="{post_url}"' in page and f'href="{thread_address}"' in page

    # One question per kind of writing, however many flags of it.
    with CaptureQueriesContext(connection) as few:
        client_of(moderator).get(page_url)
    for _ in range(4):
        actions.reply(member, thread=thread, body="Nothing matters any more", anonymous=False)
        actions.start_thread(member, space=space, title="Tired", body="Hi", anonymous=False)
    with CaptureQueriesContext(connection) as many:
        client_of(moderator).get(page_url)
    assert len(many) == len(few)
    assert client_of(moderator).get(page_url).content.decode().count("Read it where") == 10


def test_the_concern_queue_does_not_show_where_an_escalated_anonymous_post_is(
    client_of, member, moderator, thread, program, screening
):
    # The escalation beside it names the writer: the two links together would unmask them.
    from django.urls import reverse

    from alongside.testing import assessment

    screening["I have the pills ready tonight"] = assessment("urgent", "suicide")
    screening["Nothing matters any more"] = assessment("concern", "suicide")
    urgent = actions.reply(
        member, thread=thread, body="I have the pills ready tonight", anonymous=True
    )
    named = actions.reply(
        member, thread=thread, body="I have the pills ready tonight", anonymous=False
    )
    quiet = actions.reply(member, thread=thread, body="Nothing matters any more", anonymous=True)

    page = client_of(moderator).get(reverse("safety:concerns", args=[program.slug]))

    body = page.content.decode()
    assert urgent.screened is not None and urgent.screened.escalation is not None
    assert f'href="{urgent.item.get_absolute_url()}"' not in body
    assert f'href="{named.item.get_absolute_url()}"' in body
    assert f'href="{quiet.item.get_absolute_url()}"' in body
