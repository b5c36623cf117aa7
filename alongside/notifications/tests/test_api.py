import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alongside.notifications import actions

LIST_URL = reverse("api-notifications")
READ_ALL_URL = reverse("api-notifications-read-all")
PREFERENCES_URL = reverse("api-notification-preferences")


def notify_member(member, **fields):
    fields.setdefault("kind", "programs.invitation")
    fields.setdefault("title", "You are invited to Riverside Recovery")
    return actions.notify(member, **fields)


def read_url(notification_id):
    return reverse("api-notification-read", args=[notification_id])


def test_list_returns_only_my_notifications_paginated(member, outsider, program, api_as):
    mine = notify_member(member, url="/programs/riverside/", program=program)
    notify_member(outsider, title="Theirs")

    response = api_as(member).get(LIST_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["id"] == mine.pk
    assert item["kind"] == "programs.invitation"
    assert item["url"] == "/programs/riverside/"
    assert item["program"] == program.pk
    assert item["is_read"] is False


@pytest.mark.parametrize(("value", "titles"), [("true", ["Unread"]), ("false", ["Read"])])
def test_list_filters_by_unread(member, api_as, value, titles):
    notify_member(member, title="Unread")
    read = notify_member(member, title="Read")
    actions.mark_read(member, notification=read)

    response = api_as(member).get(LIST_URL, {"unread": value})

    assert [item["title"] for item in response.json()["results"]] == titles


def test_list_refuses_a_bad_unread_filter(member, api_as):
    response = api_as(member).get(LIST_URL, {"unread": "maybe"})
    assert response.status_code == 400
    assert "unread" in response.json()


def test_the_api_needs_authentication(member):
    assert APIClient().get(LIST_URL).status_code == 401
    assert APIClient().get(PREFERENCES_URL).status_code == 401


def test_list_refuses_post(member, api_as):
    assert api_as(member).post(LIST_URL, {}).status_code == 405


def test_mark_one_read(member, api_as):
    notification = notify_member(member)

    response = api_as(member).post(read_url(notification.pk))

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    notification.refresh_from_db()
    assert notification.is_read


def test_mark_read_of_someone_elses_notification_is_404(member, outsider, api_as):
    notification = notify_member(member)

    assert api_as(outsider).post(read_url(notification.pk)).status_code == 404
    assert api_as(outsider).post(read_url(999999)).status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_read_refuses_get(member, api_as):
    notification = notify_member(member)
    assert api_as(member).get(read_url(notification.pk)).status_code == 405


def test_mark_all_read(member, outsider, api_as):
    notify_member(member)
    notify_member(member)
    theirs = notify_member(outsider)

    response = api_as(member).post(READ_ALL_URL)

    assert response.json() == {"marked_read": 2}
    assert member.notifications.unread().count() == 0
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_preferences_list_every_kind_with_my_choice(member, api_as):
    actions.update_preferences(member, choices={"programs.invitation": "never"})

    response = api_as(member).get(PREFERENCES_URL)

    by_kind = {item["kind"]: item for item in response.json()["preferences"]}
    assert by_kind["programs.invitation"]["email"] == "never"
    assert by_kind["programs.member_joined"]["email"] == "immediately"
    assert by_kind["account.security"]["mandatory_email"] is True
    assert by_kind["programs.member_joined"]["label"] == "Someone joined your program"


def test_preferences_put_changes_only_the_kinds_listed(member, api_as):
    actions.update_preferences(member, choices={"programs.member_joined": "never"})

    response = api_as(member).put(
        PREFERENCES_URL,
        {"preferences": [{"kind": "programs.invitation", "email": "never"}]},
        format="json",
    )

    assert response.status_code == 200
    stored = dict(member.notification_preferences.values_list("kind", "email"))
    assert stored == {"programs.member_joined": "never", "programs.invitation": "never"}


@pytest.mark.parametrize(
    "payload",
    [
        {"preferences": [{"kind": "programs.no_such_thing", "email": "never"}]},
        {"preferences": [{"kind": "programs.invitation", "email": "weekly"}]},
        {"preferences": [{"kind": "account.security", "email": "never"}]},
        {"preferences": [{"kind": "programs.invitation"}]},
        {"preferences": []},
        {"preferences": "never"},
        {},
        {
            "preferences": [
                {"kind": "programs.invitation", "email": "never"},
                {"kind": "programs.invitation", "email": "immediately"},
            ]
        },
    ],
)
def test_preferences_put_refuses_bad_input_and_saves_nothing(member, api_as, payload):
    valid = {"kind": "programs.member_joined", "email": "never"}
    if isinstance(payload.get("preferences"), list) and payload["preferences"]:
        payload = {"preferences": [valid, *payload["preferences"]]}

    response = api_as(member).put(PREFERENCES_URL, payload, format="json")

    assert response.status_code == 400
    assert "preferences" in response.json()
    assert not member.notification_preferences.exists()


def test_the_schema_documents_the_notification_endpoints(admin_user, api_as):
    response = api_as(admin_user).get(reverse("api-schema"), {"format": "json"})

    paths = response.json()["paths"]
    assert set(paths["/api/v1/notifications/"]) == {"get"}
    assert "unread" in {
        parameter["name"] for parameter in paths["/api/v1/notifications/"]["get"]["parameters"]
    }
    assert set(paths["/api/v1/notifications/{notification_id}/read/"]) == {"post"}
    assert set(paths["/api/v1/notifications/read-all/"]) == {"post"}
    assert set(paths["/api/v1/notifications/preferences/"]) == {"get", "put"}
