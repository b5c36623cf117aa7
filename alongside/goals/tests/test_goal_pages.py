"""A member sets a goal, breaks it into steps, writes progress and reaches a step."""

import pytest
from django.urls import reverse

from alongside.core.models import AccessLogEntry
from alongside.goals.models import Goal, Milestone, ProgressUpdate, Status, Visibility
from alongside.goals.tests.conftest import in_days, set_goal
from alongside.goals.views import CELEBRATION_KEY
from alongside.safety.models import Escalation, Flag
from alongside.safety.support import SESSION_KEY
from alongside.testing import assessment, make_person

PANEL_HEADING = "You don't have to go through this alone"


def goal_form(**changes):
    return {
        "what": "Walk 20 minutes, three days a week",
        "why": "To sleep better",
        "how_measured": "Days walked each week",
        "target_date": in_days(30).isoformat(),
        "visibility": Visibility.PRIVATE,
    } | changes


def test_a_member_sets_a_goal_and_lands_on_its_page(member, program, client_of):
    client = client_of(member)

    response = client.post(reverse("goals:create"), goal_form(), follow=True)

    goal = Goal.objects.get()
    assert goal.owner_member == member and goal.program == program
    assert goal.status == Status.ACTIVE and goal.visibility == Visibility.PRIVATE
    page = response.content.decode()
    assert "Walk 20 minutes, three days a week" in page
    assert "Only you can see this goal." in page
    assert not AccessLogEntry.objects.exists()


def test_the_goal_words_are_encrypted_at_rest(goal):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT what, why FROM goals_goal WHERE id = %s", [goal.pk])
        stored = cursor.fetchone()

    assert all(value.startswith("fernet:") for value in stored)
    assert "Walk" not in "".join(stored)


def test_a_past_target_date_is_refused_next_to_the_field_and_nothing_is_saved(member, client_of):
    response = client_of(member).post(
        reverse("goals:create"), goal_form(target_date=in_days(-1).isoformat())
    )

    assert response.status_code == 200
    assert not Goal.objects.exists()
    page = response.content.decode()
    assert "This date has passed. Choose today or a later date." in page
    assert 'id="id_target_date_error"' in page


def test_an_empty_what_is_refused_and_nothing_is_saved(member, client_of):
    response = client_of(member).post(reverse("goals:create"), goal_form(what="   "))

    assert not Goal.objects.exists()
    assert "Say what you want to do, in a few words." in response.content.decode()


def test_keeping_a_target_date_that_has_since_passed_is_allowed_when_editing(
    member, program, client_of, time_machine
):
    goal = set_goal(member, program, target_date=in_days(3))
    time_machine.move_to(in_days(10).isoformat() + "T12:00:00Z")

    response = client_of(member).post(
        reverse("goals:edit", args=[goal.pk]),
        goal_form(what="Walk every day", target_date=goal.target_date.isoformat()),
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.what == "Walk every day"


def test_someone_who_is_not_a_member_of_any_program_cannot_set_goals(coordinator, client_of):
    assert client_of(coordinator).get(reverse("goals:create")).status_code == 404


def test_the_program_is_asked_only_of_a_member_of_several(
    member, program, other_program, client_of
):
    from alongside.programs.models import Membership, MembershipRole

    membership = Membership.objects.create(user=member, program=other_program)
    MembershipRole.objects.create(membership=membership, role="member")

    response = client_of(member).post(
        reverse("goals:create"), goal_form(program=other_program.slug)
    )

    assert response.status_code == 302
    assert Goal.objects.get().program == other_program


def test_steps_are_added_in_order_and_reaching_one_celebrates_once(member, goal, client_of):
    client = client_of(member)
    client.post(reverse("goals:milestone_add", args=[goal.pk]), {"title": "Buy walking shoes"})
    client.post(reverse("goals:milestone_add", args=[goal.pk]), {"title": "First walk"})
    first, second = Milestone.objects.order_by("position")
    assert (first.position, second.position) == (1, 2)

    response = client.post(reverse("goals:milestone_reach", args=[goal.pk, first.pk]), follow=True)
    again = client.get(goal.get_absolute_url())

    page = response.content.decode()
    assert "You reached a step. Well done!" in page
    assert 'class="celebration" role="status"' in page
    assert "You reached a step" not in again.content.decode()
    first.refresh_from_db()
    assert first.reached_at is not None


def test_reaching_a_step_twice_celebrates_only_the_first_time(member, goal, client_of):
    client = client_of(member)
    client.post(reverse("goals:milestone_add", args=[goal.pk]), {"title": "First walk"})
    step = Milestone.objects.get()
    client.post(reverse("goals:milestone_reach", args=[goal.pk, step.pk]))
    client.get(goal.get_absolute_url())

    client.post(reverse("goals:milestone_reach", args=[goal.pk, step.pk]))

    assert CELEBRATION_KEY not in client.session


def test_progress_is_saved_with_a_percentage(member, goal, client_of):
    response = client_of(member).post(
        reverse("goals:progress_add", args=[goal.pk]),
        {"text": "Walked twice this week", "percent": "40"},
        follow=True,
    )

    update = ProgressUpdate.objects.get()
    assert (update.text, update.percent, update.author) == ("Walked twice this week", 40, member)
    assert "40% of the way" in response.content.decode()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"text": "Walked", "percent": "101"}, "Give a percentage from 0 to 100"),
        ({"text": "Walked", "percent": "-1"}, "Give a percentage from 0 to 100"),
        ({"text": "  ", "percent": "10"}, "Say what happened, even in a few words."),
    ],
)
def test_bad_progress_is_refused_next_to_the_field(member, goal, client_of, form, message):
    response = client_of(member).post(reverse("goals:progress_add", args=[goal.pk]), form)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_the_member_marks_the_goal_achieved_then_works_on_it_again(member, goal, client_of):
    client = client_of(member)

    client.post(reverse("goals:status", args=[goal.pk]), {"status": Status.ACHIEVED})
    goal.refresh_from_db()
    assert goal.status == Status.ACHIEVED and goal.closed_at is not None

    client.post(reverse("goals:status", args=[goal.pk]), {"status": Status.ACTIVE})
    goal.refresh_from_db()
    assert goal.status == Status.ACTIVE and goal.closed_at is None


def test_an_unknown_status_changes_nothing(member, goal, client_of):
    client_of(member).post(reverse("goals:status", args=[goal.pk]), {"status": "won"})

    goal.refresh_from_db()
    assert goal.status == Status.ACTIVE


def test_the_member_deletes_their_goal(member, goal, client_of):
    response = client_of(member).post(reverse("goals:delete", args=[goal.pk]))

    assert response.status_code == 302
    assert not Goal.objects.exists()


def test_flagged_progress_is_kept_screened_and_shows_the_crisis_panel(
    member, goal, client_of, screening
):
    screening["I can't see the point of going on"] = assessment("urgent", "suicide")

    response = client_of(member).post(
        reverse("goals:progress_add", args=[goal.pk]),
        {"text": "I can't see the point of going on"},
        follow=True,
    )

    assert ProgressUpdate.objects.get().text == "I can't see the point of going on"
    flag = Flag.objects.get()
    assert (flag.writing_path, flag.author, flag.object_id) == (
        "goals.progress_update",
        member,
        str(ProgressUpdate.objects.get().pk),
    )
    assert Escalation.objects.filter(member=member).exists()
    assert PANEL_HEADING in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "form", "path"),
    [
        ("goals:milestone_add", {"title": "I want to disappear"}, "goals.milestone"),
        ("goals:comment_add", {"text": "I want to disappear"}, "goals.comment"),
        ("goals:edit", goal_form(why="I want to disappear"), "goals.goal"),
    ],
)
def test_every_piece_of_writing_on_a_goal_is_screened(
    member, goal, client_of, screening, url_name, form, path
):
    screening["I want to disappear"] = assessment("concern", "suicide")
    screening[
        "Walk 20 minutes, three days a week\n\nI want to disappear\n\nDays walked each week"
    ] = assessment("concern", "suicide")
    client = client_of(member)

    client.post(reverse(url_name, args=[goal.pk]), form)

    assert Flag.objects.get().writing_path == path
    assert SESSION_KEY in client.session


def test_a_new_goal_is_screened_too(member, program, client_of, screening):
    screening["Stop drinking\n\nBefore it kills me"] = assessment("concern", "overdose")

    client_of(member).post(
        reverse("goals:create"),
        goal_form(what="Stop drinking", why="Before it kills me", how_measured=""),
    )

    assert Goal.objects.exists()
    assert Flag.objects.get().writing_path == "goals.goal"


def test_unflagged_writing_offers_no_panel(member, goal, client_of, screening):
    client = client_of(member)

    client.post(reverse("goals:progress_add", args=[goal.pk]), {"text": "Walked twice"})

    assert not Flag.objects.exists()
    assert SESSION_KEY not in client.session


def test_another_member_of_the_same_program_gets_404_everywhere(goal, program, client_of):
    neighbour = make_person(program, "member")
    client = client_of(neighbour)

    assert client.get(goal.get_absolute_url()).status_code == 404
    assert client.get(reverse("goals:edit", args=[goal.pk])).status_code == 404
    assert (
        client.post(reverse("goals:progress_add", args=[goal.pk]), {"text": "x"}).status_code == 404
    )
    assert client.post(reverse("goals:delete", args=[goal.pk])).status_code == 404
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_an_outsider_gets_the_same_404_as_for_a_goal_that_does_not_exist(goal, outsider, client_of):
    client = client_of(outsider)

    assert client.get(goal.get_absolute_url()).status_code == 404
    assert client.get(reverse("goals:detail", args=[goal.pk + 1000])).status_code == 404


def test_writing_pages_refuse_get(member, goal, client_of):
    client = client_of(member)

    for name in ("goals:status", "goals:delete", "goals:milestone_add", "goals:progress_add"):
        assert client.get(reverse(name, args=[goal.pk])).status_code == 405
    assert client.post(goal.get_absolute_url()).status_code == 405


def test_the_goal_list_shows_goals_in_a_fixed_number_of_queries(
    member, program, client_of, django_assert_max_num_queries
):
    for number in range(5):
        goal = set_goal(member, program, what=f"Goal {number}")
        Milestone.objects.create(goal=goal, position=1, title="Step")
    client = client_of(member)
    client.get(reverse("goals:list"))

    with django_assert_max_num_queries(20) as captured:
        response = client.get(reverse("goals:list"))
    fewer = len(captured)
    set_goal(member, program, what="One more")
    with django_assert_max_num_queries(fewer):
        client.get(reverse("goals:list"))

    assert "Goal 4" in response.content.decode()


def test_the_goal_page_loads_its_parts_in_a_fixed_number_of_queries(
    member, goal, client_of, django_assert_max_num_queries
):
    for position in range(1, 4):
        Milestone.objects.create(goal=goal, position=position, title=f"Step {position}")
    client = client_of(member)
    client.get(goal.get_absolute_url())

    with django_assert_max_num_queries(20) as captured:
        client.get(goal.get_absolute_url())
    for position in range(4, 8):
        Milestone.objects.create(goal=goal, position=position, title=f"Step {position}")
    with django_assert_max_num_queries(len(captured)):
        client.get(goal.get_absolute_url())
