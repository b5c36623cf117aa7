"""The coordinator's check-in settings through the API: the same actions as the pages, the same
people let in, answers as the OpenAPI schema promises, and bad input refused with nothing saved."""

import pytest

from alongside.checkins import access
from alongside.checkins.models import CheckInSettings, QuestionnaireSchedule, TrackedItem
from alongside.testing import assert_matches_schema

pytestmark = pytest.mark.django_db


def rules_path(program):
    return f"/api/v1/programs/{program.slug}/checkin-settings/"


def items_path(program):
    return f"/api/v1/programs/{program.slug}/checkin-settings/items/"


def item_path(program, item):
    return f"/api/v1/programs/{program.slug}/checkin-settings/items/{item.pk}/"


def schedule_of(program, code):
    return QuestionnaireSchedule.objects.get(program=program, questionnaire=code)


def test_the_coordinator_reads_the_rules_with_every_item(coordinator, program, api_as, schema):
    response = api_as(coordinator).get(rules_path(program))

    assert response.status_code == 200
    body = response.json()
    assert body["missed_streak_days"] == 3
    assert [rule["code"] for rule in body["questionnaires"]] == ["phq9", "gad7", "who5"]
    assert all(rule["is_active"] and rule["every_days"] == 14 for rule in body["questionnaires"])
    assert "sleep_hours" in [item["key"] for item in body["items"]]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_the_coordinator_changes_the_threshold_and_one_questionnaire(
    method, coordinator, program, api_as, schema
):
    response = getattr(api_as(coordinator), method)(
        rules_path(program),
        {"missed_streak_days": 5, "questionnaires": [{"code": "who5", "is_active": False}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert CheckInSettings.objects.get(program=program).missed_streak_days == 5
    who5 = schedule_of(program, "who5")
    assert (who5.is_active, who5.every_days) == (False, 14)
    assert schedule_of(program, "phq9").is_active  # not listed: unchanged
    assert {rule["code"]: rule["is_active"] for rule in response.json()["questionnaires"]} == {
        "phq9": True,
        "gad7": True,
        "who5": False,
    }


def test_the_schedule_alone_keeps_the_threshold(coordinator, program, api_as):
    access.settings_of(program)
    CheckInSettings.objects.filter(program=program).update(missed_streak_days=7)

    response = api_as(coordinator).patch(
        rules_path(program), {"questionnaires": [{"code": "phq9", "every_days": 30}]}, format="json"
    )

    assert response.status_code == 200
    assert CheckInSettings.objects.get(program=program).missed_streak_days == 7
    assert schedule_of(program, "phq9").every_days == 30


def test_a_site_admin_may_change_any_programs_rules(admin_user, program, api_as):
    response = api_as(admin_user).patch(
        rules_path(program), {"missed_streak_days": 2}, format="json"
    )

    assert response.status_code == 200
    assert CheckInSettings.objects.get(program=program).missed_streak_days == 2


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"missed_streak_days": 0}, "missed_streak_days", "Choose from 1 to 60 days."),
        ({"missed_streak_days": None}, "missed_streak_days", "Choose from 1 to 60 days."),
        (
            {"questionnaires": [{"code": "gad7", "every_days": 400}]},
            "questionnaires.gad7.every_days",
            "Choose every 1 to 365 days.",
        ),
        (
            {"questionnaires": [{"code": "gad7"}, {"code": "gad7", "is_active": False}]},
            "questionnaires",
            "List each questionnaire once.",
        ),
    ],
)
def test_bad_rules_answer_400_naming_the_field_and_save_nothing(
    body, field, message, coordinator, program, api_as
):
    # A good change alongside the bad one must not be saved either.
    body = {**body}
    body.setdefault("missed_streak_days", 9)
    body.setdefault("questionnaires", [])
    body["questionnaires"] = [*body["questionnaires"], {"code": "who5", "is_active": False}]

    response = api_as(coordinator).put(rules_path(program), body, format="json")

    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert access.settings_of(program).missed_streak_days == 3
    assert schedule_of(program, "who5").is_active
    assert schedule_of(program, "gad7").every_days == 14


def test_an_unknown_questionnaire_or_a_word_for_a_number_is_refused(coordinator, program, api_as):
    api = api_as(coordinator)

    unknown = api.put(rules_path(program), {"questionnaires": [{"code": "audit"}]}, format="json")
    word = api.put(rules_path(program), {"missed_streak_days": "three"}, format="json")

    assert unknown.status_code == 400 and "questionnaires" in unknown.json()
    assert word.status_code == 400 and "missed_streak_days" in word.json()
    assert access.settings_of(program).missed_streak_days == 3


@pytest.mark.parametrize(
    "who", ["member", "supporter", "facilitator", "on_call_clinician", "moderator", "outsider"]
)
def test_everyone_else_gets_not_found_and_changes_nothing(who, program, api_as, request):
    api = api_as(request.getfixturevalue(who))
    item = access.every_item_of(program)[0]

    assert api.get(rules_path(program)).status_code == 404
    assert api.put(rules_path(program), {"missed_streak_days": 9}, format="json").status_code == 404
    assert api.get(items_path(program)).status_code == 404
    assert (
        api.post(
            items_path(program), {"label": "Journal", "kind": "yes_no"}, format="json"
        ).status_code
        == 404
    )
    assert (
        api.patch(item_path(program, item), {"is_active": False}, format="json").status_code == 404
    )
    assert access.settings_of(program).missed_streak_days == 3
    assert not TrackedItem.objects.filter(key="journal").exists()
    item.refresh_from_db()
    assert item.is_active


def test_anonymous_callers_must_sign_in(program, client):
    assert client.get(rules_path(program)).status_code == 401


# --- Tracked items ------------------------------------------------------------------------------


def test_the_coordinator_lists_and_adds_an_item(coordinator, program, api_as, schema):
    api = api_as(coordinator)

    listed = api.get(items_path(program))
    added = api.post(
        items_path(program), {"label": "Journal written", "kind": "yes_no"}, format="json"
    )

    assert listed.status_code == 200
    assert added.status_code == 201, added.json()
    item = TrackedItem.objects.get(program=program, key="journal_written")
    assert added.json() == {
        "id": item.pk,
        "key": "journal_written",
        "label": "Journal written",
        "kind": "yes_no",
        "position": item.position,
        "is_active": True,
    }
    assert item.position > max(row["position"] for row in listed.json())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"label": "", "kind": "yes_no"}, "label"),
        ({"label": "x" * 81, "kind": "yes_no"}, "label"),
        ({"label": "Hours of sleep", "kind": "hours"}, "label"),
        ({"label": "Journal", "kind": "essay"}, "kind"),
        ({"label": "Journal"}, "kind"),
    ],
)
def test_a_bad_new_item_is_refused_naming_the_field(body, field, coordinator, program, api_as):
    before = len(access.every_item_of(program))

    response = api_as(coordinator).post(items_path(program), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert TrackedItem.objects.filter(program=program).count() == before


@pytest.mark.parametrize("method", ["put", "patch"])
def test_the_coordinator_renames_moves_and_turns_off_an_item(
    method, coordinator, program, api_as, schema
):
    item = access.every_item_of(program)[0]

    response = getattr(api_as(coordinator), method)(
        item_path(program, item),
        {"label": "Craving strength", "position": 20, "is_active": False},
        format="json",
    )

    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert (item.label, item.position, item.is_active) == ("Craving strength", 20, False)
    assert item not in access.program_items_of(program)


def test_an_item_keeps_its_kind_and_what_is_left_out(coordinator, program, api_as):
    item = access.every_item_of(program)[0]
    kind, label = item.kind, item.label

    response = api_as(coordinator).patch(
        item_path(program, item), {"is_active": False, "kind": "count"}, format="json"
    )

    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.kind, item.label, item.is_active) == (kind, label, False)


def test_a_bad_item_change_saves_nothing(coordinator, program, api_as):
    item = access.every_item_of(program)[0]
    label = item.label

    response = api_as(coordinator).patch(
        item_path(program, item),
        {"label": "Craving strength", "position": 5000, "is_active": False},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["position"] == ["Give a position from 0 to 999."]
    item.refresh_from_db()
    assert (item.label, item.is_active) == (label, True)


def test_another_programs_item_is_not_found(coordinator, program, other_program, api_as):
    foreign = access.every_item_of(other_program)[0]

    response = api_as(coordinator).get(
        f"/api/v1/programs/{program.slug}/checkin-settings/items/{foreign.pk}/"
    )

    assert response.status_code == 404


def test_answers_match_the_schema(coordinator, program, api_as, schema):
    api = api_as(coordinator)
    rules = "/api/v1/programs/{slug}/checkin-settings/"
    items = "/api/v1/programs/{slug}/checkin-settings/items/"
    one = "/api/v1/programs/{slug}/checkin-settings/items/{item_id}/"
    item = access.every_item_of(program)[0]

    assert_matches_schema(schema, rules, "get", 200, api.get(rules_path(program)).json())
    assert_matches_schema(
        schema,
        rules,
        "put",
        200,
        api.put(rules_path(program), {"missed_streak_days": 4}, format="json").json(),
    )
    assert_matches_schema(
        schema,
        rules,
        "patch",
        200,
        api.patch(rules_path(program), {"missed_streak_days": 4}, format="json").json(),
    )
    assert_matches_schema(schema, items, "get", 200, api.get(items_path(program)).json())
    assert_matches_schema(
        schema,
        items,
        "post",
        201,
        api.post(items_path(program), {"label": "Walk", "kind": "yes_no"}, format="json").json(),
    )
    assert_matches_schema(schema, one, "get", 200, api.get(item_path(program, item)).json())
    assert_matches_schema(
        schema,
        one,
        "patch",
        200,
        api.patch(item_path(program, item), {"position": 3}, format="json").json(),
    )
    assert_matches_schema(
        schema,
        one,
        "put",
        200,
        api.put(item_path(program, item), {"position": 4}, format="json").json(),
    )
