"""The goals API, each answer checked against the OpenAPI schema."""

import pytest

from alongside.core.models import AccessLogEntry
from alongside.goals import actions
from alongside.goals.models import Goal, Milestone, ProgressUpdate, RecoveryCounter
from alongside.goals.tests.conftest import in_days, stop_sharing_goals
from alongside.safety.models import Flag
from alongside.testing import assert_matches_schema, assessment

GOALS = "/api/v1/goals/"
GOAL = "/api/v1/goals/{goal_id}/"
MILESTONES = "/api/v1/goals/{goal_id}/milestones/"
REACH = "/api/v1/goals/{goal_id}/milestones/{milestone_id}/reach/"
CHEER = "/api/v1/goals/{goal_id}/milestones/{milestone_id}/cheer/"
PROGRESS = "/api/v1/goals/{goal_id}/progress/"
COMMENTS = "/api/v1/goals/{goal_id}/comments/"
SHARED = "/api/v1/programs/{slug}/shared-goals/"
COUNTER = "/api/v1/me/recovery-counter/"


def url(template, **parts):
    return template.format(**parts)


def new_goal(**changes):
    return {
        "what": "Walk 20 minutes, three days a week",
        "why": "To sleep better",
        "how_measured": "Days walked each week",
        "target_date": in_days(30).isoformat(),
    } | changes


def test_a_member_sets_a_goal_and_lists_it(member, program, api_as, schema):
    api = api_as(member)

    created = api.post(GOALS, new_goal(visibility="staff"), format="json")
    listed = api.get(GOALS)

    assert created.status_code == 201
    assert_matches_schema(schema, GOALS, "post", 201, created.json())
    body = created.json()
    assert body["program"] == program.slug and body["visibility"] == "staff"
    assert body["crisis_support"] is None
    assert_matches_schema(schema, GOALS, "get", 200, listed.json())
    assert [g["id"] for g in listed.json()["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target_date": in_days(-1).isoformat()}, "target_date"),
        ({"what": ""}, "what"),
        ({"what": "   "}, "what"),
        ({"what": "x" * 201}, "what"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_goals_are_refused_with_the_field_named_and_nothing_saved(
    member, program, api_as, changes, field
):
    response = api_as(member).post(GOALS, new_goal(**changes), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Goal.objects.exists()


def test_the_past_target_date_message_says_what_to_do(member, program, api_as):
    response = api_as(member).post(
        GOALS, new_goal(target_date=in_days(-3).isoformat()), format="json"
    )

    assert response.json()["target_date"] == ["This date has passed. Choose today or a later date."]


def test_the_owner_reads_changes_and_deletes_a_goal(member, goal, api_as, schema):
    api = api_as(member)

    read = api.get(url(GOAL, goal_id=goal.pk))
    changed = api.patch(
        url(GOAL, goal_id=goal.pk), {"what": "Walk every day", "status": "achieved"}, format="json"
    )
    deleted = api.delete(url(GOAL, goal_id=goal.pk))

    assert_matches_schema(schema, GOAL, "get", 200, read.json())
    assert_matches_schema(schema, GOAL, "patch", 200, changed.json())
    assert changed.json()["what"] == "Walk every day"
    assert changed.json()["status"] == "achieved"
    assert deleted.status_code == 204
    assert not Goal.objects.exists()


def test_a_patch_with_one_bad_field_saves_nothing(member, goal, api_as):
    response = api_as(member).patch(
        url(GOAL, goal_id=goal.pk),
        {"what": "Changed", "target_date": in_days(-2).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    goal.refresh_from_db()
    assert goal.what == "Walk 20 minutes, three days a week"


def test_steps_progress_and_reaching_through_the_api(member, goal, api_as, schema):
    api = api_as(member)

    step = api.post(url(MILESTONES, goal_id=goal.pk), {"title": "First walk"}, format="json")
    assert step.status_code == 201
    assert_matches_schema(schema, MILESTONES, "post", 201, step.json())
    milestone_id = step.json()["id"]

    reached = api.post(url(REACH, goal_id=goal.pk, milestone_id=milestone_id))
    again = api.post(url(REACH, goal_id=goal.pk, milestone_id=milestone_id))
    assert_matches_schema(schema, REACH, "post", 200, reached.json())
    assert (reached.json()["newly_reached"], again.json()["newly_reached"]) == (True, False)

    progress = api.post(
        url(PROGRESS, goal_id=goal.pk), {"text": "Walked", "percent": 30}, format="json"
    )
    assert progress.status_code == 201
    assert_matches_schema(schema, PROGRESS, "post", 201, progress.json())


def test_a_percentage_of_101_is_refused_and_nothing_saved(member, goal, api_as):
    response = api_as(member).post(
        url(PROGRESS, goal_id=goal.pk), {"text": "Walked", "percent": 101}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["percent"] == ["Give a percentage from 0 to 100, or leave it empty."]
    assert not ProgressUpdate.objects.exists()


def test_flagged_progress_carries_crisis_support(member, goal, api_as, screening, schema):
    screening["I want to give up on everything"] = assessment("concern", "suicide")

    response = api_as(member).post(
        url(PROGRESS, goal_id=goal.pk), {"text": "I want to give up on everything"}, format="json"
    )

    assert response.status_code == 201
    assert_matches_schema(schema, PROGRESS, "post", 201, response.json())
    assert response.json()["crisis_support"]["level"] == "concern"
    assert response.json()["crisis_support"]["resources"]["lines"]
    assert Flag.objects.get().writing_path == "goals.progress_update"


def test_staff_read_comment_and_cheer_a_shared_goal(
    shared_goal, member, coordinator, program, api_as, schema
):
    step = actions.add_milestone(member, goal=shared_goal, title="First walk").item
    actions.reach_milestone(member, goal=shared_goal, milestone=step)
    api = api_as(coordinator)

    listed = api.get(url(SHARED, slug=program.slug))
    read = api.get(url(GOAL, goal_id=shared_goal.pk))
    comment = api.post(url(COMMENTS, goal_id=shared_goal.pk), {"text": "Well done!"}, format="json")
    cheer = api.post(url(CHEER, goal_id=shared_goal.pk, milestone_id=step.pk))

    assert_matches_schema(schema, SHARED, "get", 200, listed.json())
    assert listed.json()["results"][0]["owner"]["id"] == member.pk
    assert_matches_schema(schema, GOAL, "get", 200, read.json())
    assert_matches_schema(schema, COMMENTS, "post", 201, comment.json())
    assert_matches_schema(schema, CHEER, "post", 200, cheer.json())
    assert cheer.json()["newly_cheered"] is True
    assert AccessLogEntry.objects.filter(actor=coordinator, subject=member).count() == 2


def test_staff_cannot_change_a_shared_goal(shared_goal, coordinator, api_as):
    api = api_as(coordinator)

    assert (
        api.patch(url(GOAL, goal_id=shared_goal.pk), {"what": "x"}, format="json").status_code
        == 404
    )
    assert api.delete(url(GOAL, goal_id=shared_goal.pk)).status_code == 404
    assert (
        api.post(url(MILESTONES, goal_id=shared_goal.pk), {"title": "x"}, format="json").status_code
        == 404
    )


def test_revoking_consent_shuts_the_api_at_once(shared_goal, member, program, coordinator, api_as):
    api = api_as(coordinator)
    assert api.get(url(GOAL, goal_id=shared_goal.pk)).status_code == 200

    stop_sharing_goals(member, program)

    assert api.get(url(GOAL, goal_id=shared_goal.pk)).status_code == 404
    assert api.get(url(SHARED, slug=program.slug)).json()["results"] == []


def test_outsiders_get_404_and_the_list_shows_only_your_own(goal, outsider, api_as):
    api = api_as(outsider)

    assert api.get(url(GOAL, goal_id=goal.pk)).status_code == 404
    assert api.get(GOALS).json()["results"] == []
    assert api.post(GOALS, new_goal(), format="json").status_code == 201
    assert Goal.objects.filter(owner_member=outsider).count() == 1


def test_wrong_methods_are_refused(member, goal, api_as):
    api = api_as(member)

    assert api.put(url(GOAL, goal_id=goal.pk), new_goal(), format="json").status_code == 405
    assert api.get(url(MILESTONES, goal_id=goal.pk)).status_code == 405
    assert api.delete(COUNTER).status_code == 405


def test_the_recovery_counter_through_the_api(member, api_as, schema, time_machine):
    time_machine.move_to("2025-06-20T16:00:00Z")
    api = api_as(member)

    empty = api.get(COUNTER)
    started = api.patch(
        COUNTER, {"started_on": "2025-06-01", "shown_on_profile": True}, format="json"
    )
    restarted = api.patch(COUNTER, {"started_on": "2025-06-20"}, format="json")

    for response in (empty, started, restarted):
        assert_matches_schema(
            schema, COUNTER, "get" if response is empty else "patch", 200, response.json()
        )
    assert empty.json()["started_on"] is None
    assert started.json()["days"] == 19
    assert [b["key"] for b in started.json()["badges"]] == ["days-1", "days-7"]
    assert started.json()["next_badge_label"] == "30 days"
    assert restarted.json()["days"] == 0
    assert restarted.json()["earlier_starts"] == [
        {"started_on": "2025-06-01", "ended_on": "2025-06-20"}
    ]
    assert restarted.json()["shown_on_profile"] is True


def test_a_future_recovery_start_is_refused_through_the_api(member, api_as, time_machine):
    time_machine.move_to("2025-06-20T16:00:00Z")

    response = api_as(member).patch(COUNTER, {"started_on": "2025-06-22"}, format="json")

    assert response.status_code == 400
    assert "still to come" in response.json()["started_on"][0]
    assert not RecoveryCounter.objects.exists()


def test_showing_a_counter_before_starting_one_asks_for_the_start(member, api_as):
    response = api_as(member).patch(COUNTER, {"shown_on_profile": True}, format="json")

    assert response.status_code == 400
    assert "started_on" in response.json()


def test_anonymous_callers_are_refused(client, goal):
    assert client.get(GOALS).status_code in (401, 403)
    assert Milestone.objects.count() == 0
