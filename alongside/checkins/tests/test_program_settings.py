"""How a program runs check-ins: its coordinators and site admins set the tracked items, the
questionnaire schedule and the missed-streak threshold; nobody else sees the pages."""

import pytest
from django.urls import reverse

from alongside.checkins import access, tracking
from alongside.checkins.models import CheckInSettings, QuestionnaireSchedule, TrackedItem
from alongside.testing import make_person

pytestmark = pytest.mark.django_db


def settings_url(program):
    return reverse("checkins:program_settings", args=[program.slug])


def add_url(program):
    return reverse("checkins:tracked_item_add", args=[program.slug])


def edit_url(program, item):
    return reverse("checkins:tracked_item_edit", args=[program.slug, item.pk])


def rules(**overrides):
    form = {
        "missed_streak_days": "3",
        "phq9_active": "on",
        "phq9_every_days": "14",
        "gad7_active": "on",
        "gad7_every_days": "14",
        "who5_every_days": "14",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def item_named(program, key):
    return TrackedItem.objects.get(program=program, key=key)


def test_coordinator_sees_the_items_and_schedule_of_their_program(coordinator, program, client_of):
    response = client_of(coordinator).get(settings_url(program))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Hours of sleep" in page
    assert "PHQ-9" in page
    assert 'name="missed_streak_days"' in page


def test_site_admin_may_manage_any_program(admin_user, program, client_of):
    response = client_of(admin_user).get(settings_url(program))

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["member", "supporter", "on_call_clinician", "outsider"])
def test_everyone_else_gets_not_found(who, program, client_of, request):
    client = client_of(request.getfixturevalue(who))
    item = access.every_item_of(program)[0]

    for url in (settings_url(program), add_url(program), edit_url(program, item)):
        assert client.get(url).status_code == 404
        assert client.post(url, rules()).status_code == 404
    assert CheckInSettings.objects.filter(program=program).count() == 0


def test_coordinator_of_another_program_gets_not_found(program, other_program, client_of):
    elsewhere = make_person(other_program, "coordinator")

    assert client_of(elsewhere).get(settings_url(program)).status_code == 404


def test_pages_refuse_other_methods(coordinator, program, client_of):
    client = client_of(coordinator)

    assert client.put(settings_url(program)).status_code == 405
    assert client.delete(add_url(program)).status_code == 405


def test_coordinator_sets_the_threshold_and_schedule(coordinator, program, client_of):
    response = client_of(coordinator).post(
        settings_url(program),
        rules(missed_streak_days="5", phq9_every_days="7", gad7_active=None),
    )

    assert response.status_code == 302
    assert access.settings_of(program).missed_streak_days == 5
    schedules = {row.questionnaire: row for row in access.every_schedule_of(program)}
    assert schedules["phq9"].is_active and schedules["phq9"].every_days == 7
    assert not schedules["gad7"].is_active
    assert not schedules["who5"].is_active
    assert [row.questionnaire for row in access.schedules_of(program)] == ["phq9"]


def test_turned_off_questionnaire_is_no_longer_asked(coordinator, member, program, client_of):
    client_of(coordinator).post(settings_url(program), rules(phq9_active=None))

    url = reverse("checkins:questionnaire", args=[program.slug, "phq9"])
    assert client_of(member).get(url).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [("missed_streak_days", "0"), ("missed_streak_days", ""), ("phq9_every_days", "400")],
)
def test_out_of_range_rules_are_refused_and_nothing_is_saved(
    field, value, coordinator, program, client_of
):
    response = client_of(coordinator).post(
        settings_url(program), rules(**{field: value, "gad7_active": None})
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert access.settings_of(program).missed_streak_days == 3
    assert {row.questionnaire for row in access.schedules_of(program)} == {
        "phq9",
        "gad7",
        "who5",
    }


def test_coordinator_adds_an_item_members_then_track(coordinator, member, program, client_of):
    response = client_of(coordinator).post(
        add_url(program), {"label": "Minutes outdoors", "kind": "count"}
    )

    assert response.status_code == 302
    added = item_named(program, "minutes_outdoors")
    assert added.kind == "count"
    assert added.position == len(access.every_item_of(program)) - 1
    today = client_of(member).get(reverse("checkins:today", args=[program.slug]))
    assert "Minutes outdoors" in today.content.decode()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"label": "", "kind": "count"}, "label"),
        ({"label": "Hours of sleep", "kind": "hours"}, "label"),
        ({"label": "!!!", "kind": "count"}, "label"),
        ({"label": "Steps", "kind": ""}, "kind"),
        ({"label": "x" * 81, "kind": "count"}, "label"),
    ],
)
def test_bad_new_items_are_refused_with_a_message(form, field, coordinator, program, client_of):
    before = len(access.every_item_of(program))

    response = client_of(coordinator).post(add_url(program), form)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert len(access.every_item_of(program)) == before


def test_turning_an_item_off_takes_it_out_of_check_ins_and_keeps_its_kind(
    coordinator, member, program, client_of
):
    access.every_item_of(program)  # the program starts with the default items
    pain = item_named(program, "pain")

    response = client_of(coordinator).post(
        edit_url(program, pain), {"label": "Pain today", "position": "9", "kind": "count"}
    )

    assert response.status_code == 302
    pain.refresh_from_db()
    assert (pain.label, pain.position, pain.is_active, pain.kind) == (
        "Pain today",
        9,
        False,
        tracking.SCALE_0_10,
    )
    today = client_of(member).get(reverse("checkins:today", args=[program.slug]))
    assert "item_pain" not in today.content.decode()


def test_a_negative_position_is_refused(coordinator, program, client_of):
    sleep = access.every_item_of(program)[2]

    response = client_of(coordinator).post(
        edit_url(program, sleep), {"label": sleep.label, "position": "-1", "is_active": "on"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["position"]
    sleep.refresh_from_db()
    assert sleep.position == 2


def test_an_item_of_another_program_is_not_found(coordinator, program, other_program, client_of):
    elsewhere = access.every_item_of(other_program)[0]

    url = reverse("checkins:tracked_item_edit", args=[program.slug, elsewhere.pk])
    assert client_of(coordinator).get(url).status_code == 404


def test_schedule_rows_missing_for_a_questionnaire_are_made_on_save(
    coordinator, program, client_of
):
    QuestionnaireSchedule.objects.create(program=program, questionnaire="phq9")

    client_of(coordinator).post(settings_url(program), rules(who5_active="on"))

    assert {row.questionnaire for row in access.schedules_of(program)} == {
        "phq9",
        "gad7",
        "who5",
    }
