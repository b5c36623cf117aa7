"""Days in recovery next to a member's name, for the people who see them there, only when the
member chose to show them: never the start date, never the earlier starts, never to outsiders."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.goals import actions
from alongside.goals.profile import ShownDays, public_days_for
from alongside.goals.recovery import Badge
from alongside.groups import actions as group_actions
from alongside.testing import make_pairing, make_person

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 20, 16, 0, tzinfo=UTC)  # noon in New York, 20 June


@pytest.fixture(autouse=True)
def _june(time_machine):
    time_machine.move_to(NOW, tick=False)


def counting(person, started_on, *, shown=True, zone="America/New_York"):
    person.profile.time_zone = zone
    person.profile.save()
    actions.set_recovery_start(person, started_on=started_on)
    actions.show_recovery_counter(person, shown=shown)
    return person


@pytest.fixture
def group(coordinator, program, facilitator):
    return group_actions.create_group(
        coordinator,
        program=program,
        fields={"name": "Evening Circle", "slug": "evening-circle", "is_published": True},
        facilitators=[facilitator],
    )


def members_url(group):
    return reverse("groups:members", args=[group.program.slug, group.slug])


def supporter_url(program):
    return reverse("pairing:supporter", args=[program.slug])


# --- The lookup ---------------------------------------------------------------------------------


def test_shown_counters_in_one_query_each_in_the_members_own_zone(
    program, django_assert_num_queries
):
    new_york = counting(make_person(program, "member"), date(2025, 5, 21))
    # 06:00 on 21 June in Tokyo: a day further than in New York.
    tokyo = counting(make_person(program, "member"), date(2025, 5, 21), zone="Asia/Tokyo")
    hidden = counting(make_person(program, "member"), date(2025, 1, 1), shown=False)
    never = make_person(program, "member")

    with django_assert_num_queries(1):
        shown = public_days_for([new_york, tokyo, hidden, never.pk])

    assert shown == {
        new_york.pk: ShownDays(30, Badge(30, False, date(2025, 6, 20))),
        tokyo.pk: ShownDays(31, Badge(30, False, date(2025, 6, 20))),
    }


def test_nobody_asked_needs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert public_days_for([]) == {}


def test_the_start_day_is_day_zero_without_a_badge(program):
    today = counting(make_person(program, "member"), date(2025, 6, 20))

    assert public_days_for([today]) == {today.pk: ShownDays(0, None)}


# --- The group's members list -------------------------------------------------------------------


def test_the_group_members_list_shows_the_days_a_member_chose_to_show(
    group, program, facilitator, client_of
):
    shown = counting(make_person(program, "member", email="shown@example.test"), date(2025, 5, 11))
    hidden = counting(
        make_person(program, "member", email="hidden@example.test"), date(2024, 1, 1), shown=False
    )
    for person in (shown, hidden):
        group_actions.join_group(person, group=group)

    page = client_of(facilitator).get(members_url(group)).content.decode()

    assert shown.display_name in page and hidden.display_name in page
    assert "40 days in recovery · 30 days badge" in page
    assert page.count("days in recovery") == 1
    assert "2025" not in page.split('id="members-heading"')[1]  # never the start date


def test_the_members_list_needs_the_same_queries_for_more_members(
    group, program, facilitator, client_of
):
    client = client_of(facilitator)
    client.get(members_url(group))

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(members_url(group)).status_code == 200
        return len(queries)

    group_actions.join_group(
        counting(make_person(program, "member"), date(2025, 6, 1)), group=group
    )
    one = count_queries()
    for number in range(3):
        person = make_person(program, "member")
        counting(person, date(2025, 6, 1), shown=number % 2 == 0)
        group_actions.join_group(person, group=group)

    assert count_queries() == one


def test_an_outsider_never_sees_the_members_list(group, program, outsider, member, client_of):
    counting(member, date(2025, 5, 11))
    group_actions.join_group(member, group=group)

    response = client_of(outsider).get(members_url(group))

    assert response.status_code == 404
    assert "days in recovery" not in response.content.decode()


# --- The peer supporter's page ------------------------------------------------------------------


def test_the_supporter_sees_their_members_shown_days_and_nothing_hidden(
    program, supporter, coordinator, member, client_of
):
    counting(member, date(2025, 6, 13))
    other = counting(make_person(program, "member"), date(2024, 1, 1), shown=False)
    make_pairing(member, supporter, coordinator, program)
    make_pairing(other, supporter, coordinator, program)

    page = client_of(supporter).get(supporter_url(program)).content.decode()

    assert "7 days in recovery · 7 days badge" in page
    assert page.count("days in recovery") == 1


def test_hiding_the_counter_takes_it_off_at_once(
    program, supporter, coordinator, member, client_of
):
    counting(member, date(2025, 6, 13))
    make_pairing(member, supporter, coordinator, program)
    client = client_of(supporter)
    assert "days in recovery" in client.get(supporter_url(program)).content.decode()

    actions.show_recovery_counter(member, shown=False)  # as the member's recovery page does

    hidden = client.get(supporter_url(program))
    assert hidden.status_code == 200
    assert "days in recovery" not in hidden.content.decode()


def test_a_reset_changes_the_number_and_keeps_the_history_private(
    program, supporter, coordinator, member, client_of
):
    counting(member, date(2025, 3, 1))
    make_pairing(member, supporter, coordinator, program)
    client = client_of(supporter)
    assert (
        "111 days in recovery · 90 days badge"
        in client.get(supporter_url(program)).content.decode()
    )

    actions.set_recovery_start(member, started_on=date(2025, 6, 18))  # a private reset

    response = client.get(supporter_url(program))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 days in recovery · 1 day badge" in page
    assert "111 days" not in page and "90 days" not in page
    for private in ("2025-03-01", "March 1, 2025", "Mar. 1, 2025", "June 18, 2025"):
        assert private not in page


def test_an_ended_pairing_shows_no_days(program, supporter, coordinator, member, client_of):
    counting(member, date(2025, 6, 13))
    make_pairing(member, supporter, coordinator, program, state="closed")

    page = client_of(supporter).get(supporter_url(program)).content.decode()

    assert member.display_name in page
    assert "days in recovery" not in page


def test_the_supporter_page_needs_the_same_queries_for_more_shown_counters(
    program, supporter, coordinator, client_of
):
    client = client_of(supporter)
    make_pairing(
        counting(make_person(program, "member"), date(2025, 6, 1)), supporter, coordinator, program
    )
    client.get(supporter_url(program))

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(supporter_url(program)).status_code == 200
        return len(queries)

    one = count_queries()
    # make_supporter_profile gives room for two members at once.
    make_pairing(
        counting(make_person(program, "member"), date(2025, 1, 1)), supporter, coordinator, program
    )

    assert count_queries() == one
