"""Pair goals: a member and their peer supporter set a goal together and both work on it."""

import pytest
from django.urls import reverse

from alongside.core.models import AccessLogEntry
from alongside.goals import actions
from alongside.goals.models import Comment, Goal, OwnerKind, ProgressUpdate
from alongside.goals.tests.conftest import in_days
from alongside.notifications.models import Notification
from alongside.pairing import actions as pairing_actions
from alongside.safety.models import Flag
from alongside.testing import assert_matches_schema, assessment, make_pairing, make_person

GOALS = "/api/v1/goals/"


@pytest.fixture
def pairing(member, supporter, coordinator, program):
    return make_pairing(member, supporter, coordinator, program)


@pytest.fixture
def other_supporter(program):
    return make_person(program, "supporter", email="other-supporter@example.test")


def set_pair_goal(actor, pairing, **more):
    return actions.create_pair_goal(
        actor,
        pairing=pairing,
        what=more.pop("what", "Talk on the phone every Sunday"),
        why="A steady start to the week",
        how_measured="Sundays we spoke",
        target_date=more.pop("target_date", in_days(30)),
    ).item


@pytest.fixture
def pair_goal(supporter, pairing):
    return set_pair_goal(supporter, pairing)


def goal_form(**changes):
    return {
        "what": "Talk on the phone every Sunday",
        "why": "",
        "how_measured": "",
        "target_date": in_days(30).isoformat(),
        "visibility": "private",
    } | changes


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("member", 200),
        ("supporter", 200),
        ("other_supporter", 404),
        ("coordinator", 404),
        ("on_call_clinician", 404),
        ("outsider", 404),
    ],
)
def test_only_the_two_people_of_the_pairing_see_a_pair_goal(
    request, client_of, pair_goal, person, status
):
    response = client_of(request.getfixturevalue(person)).get(pair_goal.get_absolute_url())

    assert response.status_code == status


def test_the_supporters_read_of_a_pair_goal_is_logged_and_the_members_is_not(
    client_of, member, supporter, pair_goal
):
    client_of(member).get(pair_goal.get_absolute_url())
    assert not AccessLogEntry.objects.exists()

    client_of(supporter).get(pair_goal.get_absolute_url())

    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.actor_role) == (supporter, member, "supporter")


def test_a_member_sets_a_pair_goal_from_the_goal_form(client_of, member, pairing):
    client = client_of(member)
    page = client.get(reverse("goals:create"))
    assert "Whose goal is it?" in page.content.decode()

    response = client.post(reverse("goals:create"), goal_form(owner=f"pair:{pairing.pk}"))

    goal = Goal.objects.get()
    assert response.status_code == 302
    assert (goal.owner_kind, goal.owner_pairing, goal.owner_member) == ("pair", pairing, None)
    assert goal.program == pairing.program


def test_without_a_pairing_or_a_group_the_form_does_not_ask_whose_goal(client_of, member):
    page = client_of(member).get(reverse("goals:create"))

    assert "Whose goal is it?" not in page.content.decode()


def test_a_past_target_date_is_refused_next_to_the_field_and_nothing_is_saved(
    client_of, supporter, pairing
):
    response = client_of(supporter).post(
        reverse("goals:create"),
        goal_form(owner=f"pair:{pairing.pk}", target_date=in_days(-1).isoformat()),
    )

    assert response.status_code == 200
    assert "This date has passed" in response.content.decode()
    assert response.context["form"].errors["target_date"]
    assert not Goal.objects.exists()


def test_the_partner_comments_and_writes_progress(client_of, member, supporter, pair_goal):
    commented = client_of(member).post(
        reverse("goals:comment_add", args=[pair_goal.pk]), {"text": "Sunday works for me"}
    )
    progressed = client_of(supporter).post(
        reverse("goals:progress_add", args=[pair_goal.pk]), {"text": "Two calls so far"}
    )

    assert commented.status_code == progressed.status_code == 302
    assert Comment.objects.get().author == member
    assert ProgressUpdate.objects.get().author == supporter


def test_reaching_a_step_tells_the_partner_and_the_partners_cheer_tells_the_reacher(
    client_of, member, supporter, pair_goal
):
    step = actions.add_milestone(member, goal=pair_goal, title="First call").item
    Notification.objects.all().delete()

    client_of(member).post(reverse("goals:milestone_reach", args=[pair_goal.pk, step.pk]))
    told = list(Notification.objects.values_list("recipient", "kind"))
    cheered = client_of(supporter).post(
        reverse("goals:milestone_cheer", args=[pair_goal.pk, step.pk])
    )
    own_cheer = client_of(member).post(
        reverse("goals:milestone_cheer", args=[pair_goal.pk, step.pk])
    )

    assert told == [(supporter.pk, "goals.milestone_reached")]
    assert cheered.status_code == 302
    assert Notification.objects.filter(recipient=member, kind="goals.cheer").count() == 1
    assert own_cheer.status_code == 302
    assert step.cheers.count() == 1


def test_when_the_pairing_ends_the_supporter_loses_the_goal_and_the_member_only_reads_it(
    client_of, member, supporter, pairing, pair_goal
):
    pairing_actions.close_pairing(member, pairing=pairing, reason="completed")

    assert client_of(supporter).get(pair_goal.get_absolute_url()).status_code == 404
    assert client_of(member).get(pair_goal.get_absolute_url()).status_code == 200
    assert client_of(member).get(reverse("goals:edit", args=[pair_goal.pk])).status_code == 404
    refused = client_of(member).post(
        reverse("goals:comment_add", args=[pair_goal.pk]), {"text": "Still here"}
    )
    assert refused.status_code == 404
    assert not Comment.objects.exists()


def test_a_pair_goal_is_screened_like_any_goal(supporter, pairing, screening):
    screening["I want to die\n\nA steady start to the week\n\nSundays we spoke"] = assessment(
        "urgent", "suicide"
    )

    goal = set_pair_goal(supporter, pairing, what="I want to die")

    flag = Flag.objects.get()
    assert (flag.writing_path, flag.object_id, flag.author) == (
        "goals.goal",
        str(goal.pk),
        supporter,
    )


def test_the_goal_list_shows_own_pair_goals_in_a_fixed_number_of_queries(
    client_of, member, supporter, pairing, django_assert_max_num_queries
):
    for number in range(5):
        set_pair_goal(supporter, pairing, what=f"Pair goal {number}")
    client = client_of(member)

    with django_assert_max_num_queries(19):
        response = client.get(reverse("goals:list"))

    assert len(response.context["pair_goals"]) == 5
    assert "Goals of my pairs" in response.content.decode()


def test_the_api_sets_and_reads_a_pair_goal_as_the_schema_says(
    api_as, member, supporter, pairing, schema
):
    created = api_as(member).post(
        GOALS,
        {
            "what": "Talk every Sunday",
            "target_date": in_days(20).isoformat(),
            "owner_kind": "pair",
            "owner_id": pairing.pk,
        },
        format="json",
    )
    listed = api_as(supporter).get(GOALS)
    read = api_as(supporter).get(f"{GOALS}{created.json()['id']}/")

    assert created.status_code == 201
    assert_matches_schema(schema, GOALS, "post", 201, created.json())
    assert (created.json()["owner_kind"], created.json()["owner_id"]) == ("pair", pairing.pk)
    assert created.json()["owner"] is None
    assert_matches_schema(schema, GOALS, "get", 200, listed.json())
    assert [goal["id"] for goal in listed.json()["results"]] == [created.json()["id"]]
    assert read.status_code == 200
    assert_matches_schema(schema, GOALS + "{goal_id}/", "get", 200, read.json())


def test_the_api_refuses_a_pairing_the_person_is_not_in(api_as, other_supporter, pairing):
    response = api_as(other_supporter).post(
        GOALS,
        {
            "what": "Talk every Sunday",
            "target_date": in_days(20).isoformat(),
            "owner_kind": "pair",
            "owner_id": pairing.pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert "owner_id" in response.json()
    assert not Goal.objects.filter(owner_kind=OwnerKind.PAIR).exists()
