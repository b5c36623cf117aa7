"""A member shares a goal with program staff: they read it (logged), comment and cheer; when the
member stops sharing, the goal is gone from them at once."""

from django.urls import reverse

from alongside.core.models import AccessLogEntry
from alongside.goals import actions, kinds
from alongside.goals.access import get_goal_for
from alongside.goals.models import Cheer, Comment, Milestone
from alongside.goals.tests.conftest import (
    set_goal,
    share_goals_with_staff,
    stop_sharing_goals,
)
from alongside.notifications.models import Notification
from alongside.programs.models import Membership
from alongside.safety.models import Flag
from alongside.testing import assessment, make_person


def reached_step(member, goal, title="First walk"):
    step = actions.add_milestone(member, goal=goal, title=title).item
    actions.reach_milestone(member, goal=goal, milestone=step)
    step.refresh_from_db()
    return step


def test_a_coordinator_reads_a_shared_goal_and_the_read_is_logged(
    shared_goal, member, coordinator, client_of
):
    response = client_of(coordinator).get(shared_goal.get_absolute_url())

    assert response.status_code == 200
    assert "Walk 20 minutes" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.actor_role, entry.purpose) == (
        coordinator,
        member,
        "coordinator",
        "shared_goals",
    )
    assert entry.object_type == "goals.Goal" and entry.object_id == str(shared_goal.pk)


def test_a_clinician_reads_it_too(shared_goal, on_call_clinician, client_of):
    assert client_of(on_call_clinician).get(shared_goal.get_absolute_url()).status_code == 200


def test_peers_moderators_and_site_admins_do_not_see_a_goal_shared_with_staff(
    shared_goal, supporter, facilitator, moderator, admin_user, outsider, client_of
):
    for person in (supporter, facilitator, moderator, admin_user, outsider):
        assert client_of(person).get(shared_goal.get_absolute_url()).status_code == 404


def test_a_private_goal_stays_private_even_with_consent(member, program, coordinator, client_of):
    share_goals_with_staff(member, program)
    private = set_goal(member, program, shared=False)

    assert client_of(coordinator).get(private.get_absolute_url()).status_code == 404


def test_a_goal_shared_without_consent_is_not_shown_and_the_member_is_told(
    member, program, coordinator, client_of
):
    goal = set_goal(member, program, shared=True)

    assert client_of(coordinator).get(goal.get_absolute_url()).status_code == 404
    page = client_of(member).get(goal.get_absolute_url()).content.decode()
    assert "you do not let program staff or your peer supporter see your goals" in page


def test_revoking_consent_hides_goals_from_staff_at_once(
    shared_goal, member, program, coordinator, client_of
):
    client = client_of(coordinator)
    assert client.get(shared_goal.get_absolute_url()).status_code == 200
    assert (
        "Walk 20 minutes"
        in client.get(reverse("goals:shared", args=[program.slug])).content.decode()
    )

    stop_sharing_goals(member, program)

    assert client.get(shared_goal.get_absolute_url()).status_code == 404
    listing = client.get(reverse("goals:shared", args=[program.slug])).content.decode()
    assert "Walk 20 minutes" not in listing
    assert (
        client.post(reverse("goals:comment_add", args=[shared_goal.pk]), {"text": "Hi"}).status_code
        == 404
    )


def test_a_member_who_left_the_program_is_no_longer_seen_by_its_staff(
    shared_goal, member, coordinator, client_of
):
    Membership.objects.filter(user=member).update(is_active=False)

    assert client_of(coordinator).get(shared_goal.get_absolute_url()).status_code == 404


def test_the_shared_list_logs_one_read_per_goal_shown(member, program, coordinator, client_of):
    share_goals_with_staff(member, program)
    for number in range(3):
        set_goal(member, program, what=f"Goal {number}", shared=True)
    set_goal(member, program, what="Kept to myself")

    page = client_of(coordinator).get(reverse("goals:shared", args=[program.slug])).content.decode()

    assert "Goal 2" in page and "Kept to myself" not in page
    assert AccessLogEntry.objects.filter(actor=coordinator, purpose="shared_goals").count() == 3


def test_the_shared_list_takes_a_fixed_number_of_queries(
    program, coordinator, client_of, django_assert_max_num_queries
):
    def add_member_with_goal():
        person = make_person(program, "member")
        share_goals_with_staff(person, program)
        set_goal(person, program, shared=True)

    add_member_with_goal()
    client = client_of(coordinator)
    client.get(reverse("goals:shared", args=[program.slug]))
    with django_assert_max_num_queries(25) as captured:
        client.get(reverse("goals:shared", args=[program.slug]))
    for _ in range(4):
        add_member_with_goal()
    with django_assert_max_num_queries(len(captured)):
        client.get(reverse("goals:shared", args=[program.slug]))


def test_the_shared_list_is_for_staff_and_peer_supporters_only(
    program, member, moderator, outsider, admin_user, client_of
):
    url = reverse("goals:shared", args=[program.slug])
    for person in (member, moderator, outsider, admin_user):
        assert client_of(person).get(url).status_code == 404


def test_reaching_a_step_notifies_the_staff_it_is_shared_with_once(
    shared_goal, member, coordinator, on_call_clinician
):
    step = actions.add_milestone(member, goal=shared_goal, title="First walk").item

    assert actions.reach_milestone(member, goal=shared_goal, milestone=step) is True
    assert actions.reach_milestone(member, goal=shared_goal, milestone=step) is False

    told = Notification.objects.filter(kind=kinds.MILESTONE_REACHED)
    assert sorted(n.recipient_id for n in told) == sorted([coordinator.pk, on_call_clinician.pk])
    assert all("First walk" not in n.title for n in told)


def test_reaching_a_step_of_a_private_goal_notifies_nobody(goal, member, coordinator):
    reached_step(member, goal)

    assert not Notification.objects.filter(kind=kinds.MILESTONE_REACHED).exists()


def test_staff_cheer_a_reached_step_once_and_the_member_hears_of_it_once(
    shared_goal, member, coordinator, client_of
):
    step = reached_step(member, shared_goal)
    client = client_of(coordinator)
    url = reverse("goals:milestone_cheer", args=[shared_goal.pk, step.pk])

    client.post(url)
    client.post(url)

    assert Cheer.objects.filter(milestone=step, person=coordinator).count() == 1
    assert Notification.objects.filter(recipient=member, kind=kinds.CHEER).count() == 1
    page = client.get(shared_goal.get_absolute_url()).content.decode()
    assert "You cheered this step." in page


def test_a_step_not_reached_cannot_be_cheered(shared_goal, member, coordinator, client_of):
    step = actions.add_milestone(member, goal=shared_goal, title="First walk").item

    response = client_of(coordinator).post(
        reverse("goals:milestone_cheer", args=[shared_goal.pk, step.pk]), follow=True
    )

    assert "You can cheer a step once it is reached." in response.content.decode()
    assert not Cheer.objects.exists()


def test_the_owner_does_not_cheer_their_own_step(goal, member, client_of):
    step = reached_step(member, goal)

    response = client_of(member).post(reverse("goals:milestone_cheer", args=[goal.pk, step.pk]))

    assert response.status_code == 404


def test_staff_cannot_change_reach_or_add_to_a_shared_goal(
    shared_goal, member, coordinator, client_of
):
    step = actions.add_milestone(member, goal=shared_goal, title="First walk").item
    client = client_of(coordinator)

    assert client.get(reverse("goals:edit", args=[shared_goal.pk])).status_code == 404
    assert (
        client.post(reverse("goals:milestone_reach", args=[shared_goal.pk, step.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("goals:progress_add", args=[shared_goal.pk]), {"text": "x"}).status_code
        == 404
    )
    assert client.post(reverse("goals:delete", args=[shared_goal.pk])).status_code == 404
    step.refresh_from_db()
    assert step.reached_at is None


def test_staff_comment_and_the_member_sees_it(shared_goal, member, coordinator, client_of):
    client_of(coordinator).post(
        reverse("goals:comment_add", args=[shared_goal.pk]), {"text": "Great start!"}
    )

    page = client_of(member).get(shared_goal.get_absolute_url()).content.decode()
    assert "Great start!" in page
    assert Comment.objects.get().author == coordinator


def test_staff_comments_are_not_screened_as_if_staff_were_at_risk(
    shared_goal, coordinator, screening
):
    screening["She said she wants to die"] = assessment("urgent", "suicide")
    opened = get_goal_for(coordinator, shared_goal.pk, need="comment")

    written = actions.add_comment(coordinator, opened=opened, text="She said she wants to die")

    assert written.screened is None
    assert not Flag.objects.exists()


def test_a_cheer_on_a_step_of_another_goal_is_refused(
    shared_goal, member, program, coordinator, client_of
):
    other = set_goal(member, program, what="Other", shared=True)
    step = reached_step(member, other)

    response = client_of(coordinator).post(
        reverse("goals:milestone_cheer", args=[shared_goal.pk, step.pk])
    )

    assert response.status_code == 404
    assert not Cheer.objects.exists()
    assert Milestone.objects.count() == 1
