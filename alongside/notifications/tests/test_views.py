import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.notifications import actions, registry
from alongside.notifications.models import NotificationPreference

LIST_URL = reverse("notifications:list")


def notify_member(member, **fields):
    fields.setdefault("kind", "programs.invitation")
    fields.setdefault("title", "You are invited to Riverside Recovery")
    return actions.notify(member, **fields)


def open_url(notification):
    return reverse("notifications:open", args=[notification.pk])


def read_url(notification):
    return reverse("notifications:read", args=[notification.pk])


# The centre -------------------------------------------------------------------------------


def test_the_centre_lists_my_notifications_with_unread_ones_marked(member, outsider, client_of):
    notify_member(member, title="A new member joined", kind="programs.member_joined")
    read = notify_member(member, title="Old news")
    actions.mark_read(member, notification=read)
    notify_member(outsider, title="Not for the member")

    response = client_of(member).get(LIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "A new member joined" in page
    assert "Old news" in page
    assert "Not for the member" not in page
    assert page.count("notification--unread") == 1
    assert page.count(">Unread<") == 1
    assert "Mark all read" in page


def test_the_centre_says_when_there_is_nothing(member, client_of):
    response = client_of(member).get(LIST_URL)
    assert "No notifications yet" in response.content.decode()
    assert "Mark all read" not in response.content.decode()


def test_the_centre_is_paginated(member, client_of):
    for number in range(25):
        notify_member(member, title=f"Notification {number}")
    client = client_of(member)

    first = client.get(LIST_URL).content.decode()
    second = client.get(LIST_URL, {"page": 2}).content.decode()
    beyond = client.get(LIST_URL, {"page": "nonsense"})

    assert "Notification 24" in first and "Notification 4<" not in first
    assert "Notification 4<" in second and "Page 2 of 2" in second
    assert beyond.status_code == 200


def test_the_centre_query_count_does_not_grow_with_notifications(
    member, program, client_of, django_assert_num_queries
):
    client = client_of(member)
    notify_member(member, title="The first one", program=program)
    client.get(LIST_URL)  # settles what a first request after sign-in does once
    with CaptureQueriesContext(connection) as one_notification:
        client.get(LIST_URL)
    for number in range(15):
        notify_member(member, title=f"Notification {number}", program=program)

    with django_assert_num_queries(len(one_notification.captured_queries)) as sixteen:
        response = client.get(LIST_URL)

    assert response.status_code == 200
    # The layout's own queries belong to others; the centre's are the header's unread count,
    # the page count and the page's rows with their programs joined in.
    ours = [
        query for query in sixteen.captured_queries if "notifications_notification" in query["sql"]
    ]
    assert len(ours) == 3
    assert 'JOIN "programs_program"' in ours[-1]["sql"]


def test_the_centre_needs_a_sign_in(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_centre_refuses_post(member, client_of):
    assert client_of(member).post(LIST_URL).status_code == 405


# Opening one --------------------------------------------------------------------------------


def test_opening_marks_read_and_follows_a_local_url(member, client_of):
    notification = notify_member(member, url="/programs/riverside/?tab=members")

    response = client_of(member).get(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/programs/riverside/?tab=members"
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example/phish",
        "javascript:alert(1)",
        "programs/relative",
        "",
    ],
)
def test_opening_never_follows_a_url_off_the_site(member, client_of, url):
    notification = notify_member(member, url=url)

    response = client_of(member).get(open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == LIST_URL


def test_opening_someone_elses_notification_is_404_and_leaves_it_unread(
    member, outsider, client_of
):
    notification = notify_member(member, url="/programs/riverside/")

    response = client_of(outsider).get(open_url(notification))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_opening_a_missing_notification_is_404(member, client_of):
    assert client_of(member).get(reverse("notifications:open", args=[999999])).status_code == 404


def test_opening_refuses_post(member, client_of):
    notification = notify_member(member)
    assert client_of(member).post(open_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert not notification.is_read


# Marking read -------------------------------------------------------------------------------


def test_mark_read_without_javascript_returns_to_the_same_page(member, client_of):
    notification = notify_member(member)

    response = client_of(member).post(read_url(notification), {"page": "2"}, follow=False)

    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?page=2"
    notification.refresh_from_db()
    assert notification.is_read


def test_mark_read_with_htmx_swaps_the_item_and_the_badge(member, client_of):
    notification = notify_member(member, title="Swap me")
    notify_member(member, title="Still unread")

    response = client_of(member).post(read_url(notification), headers={"HX-Request": "true"})

    assert response.status_code == 200
    fragment = response.content.decode()
    assert f'id="notification-{notification.pk}"' in fragment
    assert "notification--unread" not in fragment
    assert "Mark read" not in fragment
    assert 'id="unread-count"' in fragment
    assert 'hx-swap-oob="true"' in fragment
    assert 'data-count="1"' in fragment
    assert "<html" not in fragment


def test_mark_read_refuses_get(member, client_of):
    notification = notify_member(member)
    assert client_of(member).get(read_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_read_of_someone_elses_notification_is_404(member, outsider, client_of):
    notification = notify_member(member)
    response = client_of(outsider).post(read_url(notification))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read_marks_only_mine(member, outsider, client_of):
    notify_member(member)
    notify_member(member)
    theirs = notify_member(outsider)

    response = client_of(member).post(reverse("notifications:read_all"), follow=True)

    assert "All your notifications are marked as read." in response.content.decode()
    assert member.notifications.unread().count() == 0
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_mark_all_read_refuses_get(member, client_of):
    notify_member(member)
    assert client_of(member).get(reverse("notifications:read_all")).status_code == 405
    assert member.notifications.unread().count() == 1


# The header badge ---------------------------------------------------------------------------


def test_the_badge_fragment_shows_the_unread_count(member, client_of):
    notify_member(member)
    notify_member(member)

    response = client_of(member).get(reverse("notifications:unread"))

    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.startswith('<span id="unread-count" class="badge"')
    assert 'data-count="2"' in fragment
    assert "2 unread" in fragment
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_badge_fragment_is_empty_without_unread(member, client_of):
    fragment = client_of(member).get(reverse("notifications:unread")).content.decode()
    assert "badge--empty" in fragment
    assert "unread<" not in fragment


def test_the_badge_fragment_refuses_post(member, client_of):
    assert client_of(member).post(reverse("notifications:unread")).status_code == 405


# Email settings -----------------------------------------------------------------------------

PREFERENCES_URL = reverse("notifications:preferences")


def test_preferences_show_every_kind_with_security_locked(member, client_of):
    response = client_of(member).get(PREFERENCES_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone joined your program" in page
    assert "Account security" in page
    form = response.context["form"]
    assert form["account.security"].field.disabled
    assert not form["programs.invitation"].field.disabled


def _every_optional_kind(email: str) -> dict[str, str]:
    """A choice for every kind a person may set, as the form posts it; apps keep adding kinds."""
    return {k.kind: email for k in registry.all_kinds() if not k.mandatory_email}


def test_preferences_save_with_a_clear_message(member, client_of):
    choices = {
        **_every_optional_kind("immediately"),
        "programs.member_joined": "never",
        "account.security": "never",  # locked: ignored
    }
    response = client_of(member).post(PREFERENCES_URL, choices, follow=True)

    assert "Your email settings are saved." in response.content.decode()
    stored = dict(member.notification_preferences.values_list("kind", "email"))
    assert stored == {**_every_optional_kind("immediately"), "programs.member_joined": "never"}


def test_preferences_refuse_a_bad_choice_and_save_nothing(member, client_of):
    response = client_of(member).post(
        PREFERENCES_URL, {"programs.member_joined": "never", "programs.invitation": "weekly"}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_preferences_ignore_unknown_kinds_in_the_form(member, client_of):
    response = client_of(member).post(
        PREFERENCES_URL,
        {
            **_every_optional_kind("never"),
            "programs.no_such_thing": "never",
        },
    )
    assert response.status_code == 302
    assert not NotificationPreference.objects.filter(kind="programs.no_such_thing").exists()


def test_preferences_refuse_put(member, client_of):
    assert client_of(member).put(PREFERENCES_URL).status_code == 405


def test_preferences_are_per_person(member, outsider, client_of):
    actions.update_preferences(outsider, choices={"programs.invitation": "never"})

    response = client_of(member).get(PREFERENCES_URL)

    assert response.context["form"]["programs.invitation"].value() == "immediately"
