"""A member shares a goal with their peer supporter: the supporter reads it (logged), comments
and cheers like staff; revoking the consent or ending the pairing hides it at once."""

import pytest
from django.urls import reverse

from alongside.core.models import AccessLogEntry
from alongside.goals import actions, kinds
from alongside.goals.access import get_goal_for
from alongside.goals.models import Cheer, Comment
from alongside.goals.tests.conftest import set_goal, share_goals_with_staff
from alongside.notifications.models import Notification
from alongside.pairing import actions as pairing_actions
from alongside.privacy.actions import grant_sharing_consent, revoke_sharing_consent
from alongside.privacy.models import Audience, Scope
from alongside.safety.models import Flag
from alongside.testing import assessment, make_pairing, make_person

pytestmark = pytest.mark.django_db


def share_goals_with_supporter(member, program):
    grant_sharing_consent(
        member, program=program, audience=Audience.SUPPORTER, scopes=[Scope.GOALS]
    )


@pytest.fixture
def pairing(member, supporter, coordinator, program):
    return make_pairing(member, supporter, coordinator, program)


@pytest.fixture
def supported_goal(member, program, pairing):
    share_goals_with_supporter(member, program)
    return set_goal(member, program, shared=True)


def reached_step(member, goal, title="First walk"):
    step = actions.add_milestone(member, goal=goal, title=title).item
    actions.reach_milestone(member, goal=goal, milestone=step)
    step.refresh_from_db()
    return step


def test_the_supporter_reads_a_goal_shared_with_them_and_the_read_is_logged(
    supported_goal, member, supporter, client_of
):
    response = client_of(supporter).get(supported_goal.get_absolute_url())

    assert response.status_code == 200
    assert "as their peer supporter" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.actor_role, entry.purpose) == (
        supporter,
        member,
        "supporter",
        "shared_goals",
    )


def test_without_supporter_consent_the_supporter_gets_not_found(
    member, supporter, program, pairing, client_of
):
    share_goals_with_staff(member, program)
    goal = set_goal(member, program, shared=True)

    assert client_of(supporter).get(goal.get_absolute_url()).status_code == 404


def test_a_private_goal_stays_hidden_from_the_supporter(
    member, supporter, program, pairing, client_of
):
    share_goals_with_supporter(member, program)
    goal = set_goal(member, program, shared=False)

    assert client_of(supporter).get(goal.get_absolute_url()).status_code == 404


def test_another_supporter_of_the_program_does_not_see_it(supported_goal, program, client_of):
    someone_else = make_person(program, "supporter")

    assert client_of(someone_else).get(supported_goal.get_absolute_url()).status_code == 404


def test_revoking_the_consent_hides_the_goal_at_the_next_request(
    supported_goal, member, supporter, program, client_of
):
    client = client_of(supporter)
    assert client.get(supported_goal.get_absolute_url()).status_code == 200

    revoke_sharing_consent(
        member, program=program, audience=Audience.SUPPORTER, scopes=[Scope.GOALS]
    )

    assert client.get(supported_goal.get_absolute_url()).status_code == 404
    shared_list = client.get(reverse("goals:shared", args=[program.slug]))
    assert "Walk 20 minutes" not in shared_list.content.decode()


def test_a_closed_pairing_hides_the_goal(supported_goal, supporter, pairing, client_of):
    pairing_actions.close_pairing(supporter, pairing=pairing, reason="completed")

    assert client_of(supporter).get(supported_goal.get_absolute_url()).status_code == 404


def test_the_supporter_comments_and_cheers_and_the_member_is_told(
    supported_goal, member, supporter, client_of
):
    step = reached_step(member, supported_goal)
    client = client_of(supporter)

    comment = client.post(
        reverse("goals:comment_add", args=[supported_goal.pk]), {"text": "So proud of you"}
    )
    cheer = client.post(reverse("goals:milestone_cheer", args=[supported_goal.pk, step.pk]))

    assert comment.status_code == 302 and cheer.status_code == 302
    assert Comment.objects.get(goal=supported_goal).author == supporter
    assert Cheer.objects.get(milestone=step).person == supporter
    assert Notification.objects.filter(recipient=member, kind=kinds.CHEER).count() == 1


def test_the_supporter_cannot_change_the_goal(supported_goal, supporter, client_of):
    client = client_of(supporter)

    assert client.get(reverse("goals:edit", args=[supported_goal.pk])).status_code == 404
    assert client.post(reverse("goals:delete", args=[supported_goal.pk])).status_code == 404


def test_a_reached_step_is_told_to_the_supporter(supported_goal, member, supporter):
    reached_step(member, supported_goal)

    assert Notification.objects.filter(recipient=supporter, kind=kinds.MILESTONE_REACHED).exists()


def test_the_supporter_lists_the_goals_shared_with_them_only(
    supported_goal, member, supporter, program, coordinator, client_of
):
    other_member = make_person(program, "member")
    share_goals_with_supporter(other_member, program)
    set_goal(other_member, program, what="Someone else's goal", shared=True)

    response = client_of(supporter).get(reverse("goals:shared", args=[program.slug]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Walk 20 minutes" in page
    assert "Someone else&#x27;s goal" not in page
    logged = AccessLogEntry.objects.filter(actor=supporter)
    assert [(entry.subject, entry.actor_role) for entry in logged] == [(member, "supporter")]


def test_the_staff_list_ignores_supporter_consent(supported_goal, coordinator, program, client_of):
    response = client_of(coordinator).get(reverse("goals:shared", args=[program.slug]))

    assert "Walk 20 minutes" not in response.content.decode()


def test_the_api_list_serves_the_supporter_too(supported_goal, supporter, program, api_as):
    response = api_as(supporter).get(f"/api/v1/programs/{program.slug}/shared-goals/")

    assert response.status_code == 200
    assert [goal["id"] for goal in response.json()["results"]] == [supported_goal.pk]


def test_a_supporters_comment_is_screened_like_a_members(supported_goal, supporter, screening):
    screening["I want to die some days too"] = assessment("urgent", "suicide")
    opened = get_goal_for(supporter, supported_goal.pk, need="comment")

    written = actions.add_comment(supporter, opened=opened, text="I want to die some days too")

    assert written.show_crisis_panel
    assert Flag.objects.get().author == supporter
