"""Signed-in devices: a person sees where they are signed in and can sign out elsewhere or
everywhere."""

import datetime

import pytest
from allauth.usersessions.models import UserSession
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from alongside.accounts.templatetags.account_sessions import device_name
from alongside.accounts.tests.test_allauth_pages import assert_alongside_page
from alongside.testing import sign_in_through_the_form

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
SESSIONS_URL = reverse("usersessions_list")
SIGN_OUT_EVERYWHERE_URL = reverse("accounts:sign_out_everywhere")
LOGIN_URL = reverse("account_login")


def signed_in_client(user, user_agent: str, ip: str) -> Client:
    client = Client(headers={"user-agent": user_agent}, REMOTE_ADDR=ip)
    sign_in_through_the_form(client, user)
    return client


@pytest.fixture
def laptop(member):
    return signed_in_client(member, FIREFOX_ON_WINDOWS, "192.0.2.10")


@pytest.fixture
def phone(member):
    return signed_in_client(member, SAFARI_ON_IPHONE, "198.51.100.20")


def assert_sent_to_sign_in(response, next_url: str):
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={next_url}"


def test_the_page_lists_each_signed_in_device_and_marks_this_one(laptop, phone):
    response = laptop.get(SESSIONS_URL)

    content = response.content.decode()
    assert_alongside_page(response)
    assert len(response.context["sessions"]) == 2
    assert "Firefox on Windows" in content
    assert "Safari on iPhone" in content
    assert "192.0.2.10" in content
    assert "198.51.100.20" in content
    assert content.count("This device") == 1
    assert content.index("This device") > content.index("Firefox on Windows")
    assert "Sign out other devices" in content
    assert "Sign out everywhere, including here" in content


def test_last_seen_is_shown_in_the_viewers_time_zone(member, laptop, phone):
    member.profile.time_zone = "America/Los_Angeles"
    member.profile.save()
    UserSession.objects.filter(user_agent=SAFARI_ON_IPHONE).update(
        last_seen_at=datetime.datetime(2025, 1, 15, 12, 0, tzinfo=datetime.UTC)
    )

    content = laptop.get(SESSIONS_URL).content.decode()

    assert '<time datetime="2025-01-15T04:00:00-08:00">' in content


def test_the_page_lists_only_the_viewers_own_sessions(laptop, supporter):
    signed_in_client(supporter, SAFARI_ON_IPHONE, "198.51.100.20")

    response = laptop.get(SESSIONS_URL)

    assert len(response.context["sessions"]) == 1
    assert "Safari on iPhone" not in response.content.decode()


def test_the_page_query_count_is_pinned(laptop, phone, django_assert_num_queries):
    # allauth's view checks every listed session is still alive: three queries per device (does it
    # exist, load it, whose is it). Bounded by how many devices one person signs in on.
    with django_assert_num_queries(17):
        laptop.get(SESSIONS_URL)


def test_signing_out_everywhere_ends_every_session_of_the_person(member, laptop, phone):
    response = laptop.post(SIGN_OUT_EVERYWHERE_URL, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "You have been signed out on every device." in response.content.decode()
    assert not UserSession.objects.filter(user=member).exists()
    assert_sent_to_sign_in(laptop.get("/home/"), "/home/")
    assert_sent_to_sign_in(phone.get("/home/"), "/home/")


def test_signing_out_everywhere_leaves_other_people_signed_in(laptop, supporter):
    supporters_client = signed_in_client(supporter, SAFARI_ON_IPHONE, "198.51.100.20")

    laptop.post(SIGN_OUT_EVERYWHERE_URL)

    assert supporters_client.get("/home/").status_code == 200
    assert UserSession.objects.filter(user=supporter).count() == 1


def test_signing_out_other_devices_keeps_this_one(member, laptop, phone):
    response = laptop.post(SESSIONS_URL)

    assert response.status_code == 302
    assert laptop.get("/home/").status_code == 200
    assert_sent_to_sign_in(phone.get("/home/"), "/home/")
    assert UserSession.objects.filter(user=member).count() == 1


def test_signing_out_everywhere_needs_a_post(laptop):
    response = laptop.get(SIGN_OUT_EVERYWHERE_URL)

    assert response.status_code == 405
    assert laptop.get("/home/").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_people_are_sent_to_sign_in(client, db, method):
    for url in (SESSIONS_URL, SIGN_OUT_EVERYWHERE_URL):
        assert_sent_to_sign_in(getattr(client, method)(url), url)


def test_the_profile_links_to_signed_in_devices(client_of, member):
    content = client_of(member).get(reverse("accounts:profile")).content.decode()

    assert f'href="{SESSIONS_URL}"' in content
    assert "Signed-in devices" in content


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX_ON_WINDOWS, "Firefox on Windows"),
        (SAFARI_ON_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        ("curl/8.5.0", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_devices_are_named_from_the_user_agent(user_agent, expected):
    assert device_name(user_agent) == expected


def last_seen(member, user_agent: str):
    return UserSession.objects.get(user=member, user_agent=user_agent).last_seen_at


def test_a_device_is_recorded_at_most_every_five_minutes(member, laptop, time_machine):
    laptop.get(SESSIONS_URL)
    first = last_seen(member, FIREFOX_ON_WINDOWS)
    time_machine.move_to(first + datetime.timedelta(minutes=1))
    laptop.get(SESSIONS_URL)
    assert last_seen(member, FIREFOX_ON_WINDOWS) == first

    # Once the five minutes are up, the cache forgets the session and the next request writes.
    cache.delete(f"usersession-seen:{laptop.session.session_key}")
    laptop.get(SESSIONS_URL)
    assert last_seen(member, FIREFOX_ON_WINDOWS) >= first + datetime.timedelta(minutes=1)


def test_a_new_address_is_recorded_at_once(member, laptop):
    laptop.get(SESSIONS_URL)
    laptop.get(SESSIONS_URL, REMOTE_ADDR="203.0.113.7")
    assert UserSession.objects.get(user=member).ip == "203.0.113.7"


def test_a_second_request_writes_nothing(laptop, django_assert_num_queries):
    laptop.get(SESSIONS_URL)
    with django_assert_num_queries(9):
        laptop.get(SESSIONS_URL)
