"""Group goals: a support group's facilitators set them; the group works on them together."""

import pytest
from django.urls import reverse

from alongside.core.models import AccessLogEntry
from alongside.goals import actions
from alongside.goals.models import Comment, Goal, ProgressUpdate
from alongside.goals.tests.conftest import in_days
from alongside.groups import actions as group_actions
from alongside.notifications.models import Notification
from alongside.testing import assert_matches_schema, make_person

GOALS = "/api/v1/goals/"


@pytest.fixture
def group(coordinator, program, facilitator):
    return group_actions.create_group(
        coordinator,
        program=program,
        fields={"name": "Evening Circle", "slug": "evening-circle", "is_published": True},
        facilitators=[facilitator],
    )


@pytest.fixture
def joined(group, member):
    group_actions.join_group(member, group=group)
    return member


@pytest.fixture
def non_member(program):
    return make_person(program, "member", email="not-in-group@example.test")


def set_group_goal(actor, group, **more):
    return actions.create_group_goal(
        actor,
        group=group,
        what=more.pop("what", "Everyone brings a friend to one meeting"),
        why="The circle grows when we reach out",
        how_measured="Friends welcomed",
        target_date=more.pop("target_date", in_days(30)),
    ).item


@pytest.fixture
def group_goal(facilitator, group, joined):
    return set_group_goal(facilitator, group)


def goal_form(**changes):
    return {
        "what": "Everyone brings a friend to one meeting",
        "why": "",
        "how_measured": "",
        "target_date": in_days(30).isoformat(),
    } | changes


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("member", 200),
        ("facilitator", 200),
        ("non_member", 404),
        ("supporter", 404),
        ("on_call_clinician", 404),
        ("outsider", 404),
    ],
)
def test_the_group_and_its_facilitators_see_a_group_goal(
    request, client_of, group_goal, person, status
):
    response = client_of(request.getfixturevalue(person)).get(group_goal.get_absolute_url())

    assert response.status_code == status


def test_a_group_member_writes_progress_comments_and_cheers_but_cannot_change_it(
    client_of, member, facilitator, group_goal
):
    client = client_of(member)
    step = actions.add_milestone(facilitator, goal=group_goal, title="Five friends").item
    actions.reach_milestone(facilitator, goal=group_goal, milestone=step)

    progressed = client.post(
        reverse("goals:progress_add", args=[group_goal.pk]), {"text": "Brought my sister"}
    )
    commented = client.post(reverse("goals:comment_add", args=[group_goal.pk]), {"text": "Yes!"})
    cheered = client.post(reverse("goals:milestone_cheer", args=[group_goal.pk, step.pk]))
    edit = client.get(reverse("goals:edit", args=[group_goal.pk]))
    add_step = client.post(reverse("goals:milestone_add", args=[group_goal.pk]), {"title": "x"})

    assert progressed.status_code == commented.status_code == cheered.status_code == 302
    assert ProgressUpdate.objects.get().author == member
    assert Comment.objects.get().author == member
    assert step.cheers.get().person == member
    assert edit.status_code == add_step.status_code == 404
    assert group_goal.milestones.count() == 1
    assert not AccessLogEntry.objects.exists()


def test_a_facilitator_sets_a_group_goal_from_the_group_page(client_of, facilitator, group, joined):
    client = client_of(facilitator)
    group_page = client.get(group.get_absolute_url())
    assert reverse("goals:group", args=[group.program.slug, group.slug]) in (
        group_page.content.decode()
    )
    form_page = client.get(reverse("goals:create"), {"owner": f"group:{group.pk}"})
    assert "Whose goal is it?" in form_page.content.decode()

    response = client.post(reverse("goals:create"), goal_form(owner=f"group:{group.pk}"))

    goal = Goal.objects.get()
    assert response.status_code == 302
    assert (goal.owner_kind, goal.owner_group, goal.owner_member) == ("group", group, None)
    listed = client_of(joined).get(reverse("goals:group", args=[group.program.slug, group.slug]))
    assert goal.what in listed.content.decode()


def test_a_group_member_cannot_set_a_group_goal(client_of, member, group, joined):
    response = client_of(member).post(reverse("goals:create"), goal_form(owner=f"group:{group.pk}"))

    assert response.status_code == 200
    assert not Goal.objects.filter(owner_kind="group").exists()


def test_a_past_target_date_is_refused_next_to_the_field_and_nothing_is_saved(
    client_of, facilitator, group
):
    response = client_of(facilitator).post(
        reverse("goals:create"),
        goal_form(owner=f"group:{group.pk}", target_date=in_days(-2).isoformat()),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["target_date"] == [
        "This date has passed. Choose today or a later date."
    ]
    assert not Goal.objects.exists()


def test_reaching_a_step_tells_the_group_but_not_the_one_who_reached_it(
    client_of, member, facilitator, group, group_goal, non_member
):
    step = actions.add_milestone(facilitator, goal=group_goal, title="Five friends").item
    Notification.objects.all().delete()

    client_of(facilitator).post(reverse("goals:milestone_reach", args=[group_goal.pk, step.pk]))

    told = list(Notification.objects.values_list("recipient", "kind"))
    assert told == [(member.pk, "goals.milestone_reached")]


def test_a_member_who_leaves_the_group_loses_its_goals(client_of, member, group, group_goal):
    group_actions.leave_group(member, group=group)

    assert client_of(member).get(group_goal.get_absolute_url()).status_code == 404
    assert client_of(member).get(reverse("goals:list")).context["group_goals"] == []


@pytest.mark.parametrize(
    ("person", "status"),
    [("member", 200), ("facilitator", 200), ("non_member", 404), ("outsider", 404)],
)
def test_the_group_goals_page_is_for_the_group(request, client_of, group, joined, person, status):
    url = reverse("goals:group", args=[group.program.slug, group.slug])

    assert client_of(request.getfixturevalue(person)).get(url).status_code == status


def test_group_goal_lists_take_a_fixed_number_of_queries(
    client_of, member, facilitator, group, joined, django_assert_max_num_queries
):
    for number in range(5):
        set_group_goal(facilitator, group, what=f"Group goal {number}")
    client = client_of(member)

    with django_assert_max_num_queries(19):
        mine = client.get(reverse("goals:list"))
    with django_assert_max_num_queries(16):
        groups = client.get(reverse("goals:group", args=[group.program.slug, group.slug]))

    assert len(mine.context["group_goals"]) == len(groups.context["goals"]) == 5


def test_the_api_sets_and_reads_a_group_goal_as_the_schema_says(
    api_as, member, facilitator, group, joined, schema
):
    created = api_as(facilitator).post(
        GOALS,
        {
            "what": "Bring a friend",
            "target_date": in_days(20).isoformat(),
            "owner_kind": "group",
            "owner_id": group.pk,
        },
        format="json",
    )
    listed = api_as(member).get(GOALS)
    refused = api_as(member).post(
        GOALS,
        {
            "what": "Bring two",
            "target_date": in_days(20).isoformat(),
            "owner_kind": "group",
            "owner_id": group.pk,
        },
        format="json",
    )

    assert created.status_code == 201
    assert_matches_schema(schema, GOALS, "post", 201, created.json())
    assert (created.json()["owner_kind"], created.json()["owner_id"]) == ("group", group.pk)
    assert_matches_schema(schema, GOALS, "get", 200, listed.json())
    assert [goal["id"] for goal in listed.json()["results"]] == [created.json()["id"]]
    assert refused.status_code == 400 and "owner_id" in refused.json()
    assert Goal.objects.count() == 1
