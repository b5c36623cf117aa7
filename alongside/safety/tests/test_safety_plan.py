"""A member's own safety plan: the empty state, writing it, reading it, printing it."""

import pytest
from django.urls import reverse

from alongside.privacy import actions as privacy_actions
from alongside.safety import actions
from alongside.safety.models import SAFETY_PLAN_SECTIONS, SafetyPlan

PLAN_URL = reverse("safety:plan")
EDIT_URL = reverse("safety:plan_edit")
PRINT_URL = reverse("safety:plan_print")


def full_plan(**changes):
    sections = {name: f"My {name.replace('_', ' ')}" for name in SAFETY_PLAN_SECTIONS}
    return {**sections, **changes}


def test_the_empty_plan_explains_itself_and_offers_to_start(member, client_of):
    response = client_of(member).get(PLAN_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "A safety plan is a short list" in page
    assert f'href="{EDIT_URL}">Start my plan</a>' in page
    assert "Only you. Nobody else can read your plan" in page


def test_a_member_writes_their_plan_and_reads_it_back_in_order(member, client_of):
    client = client_of(member)

    form_page = client.get(EDIT_URL).content.decode()
    response = client.post(EDIT_URL, full_plan(reasons_to_live="  My daughter  "))

    assert response.status_code == 302
    assert response["Location"] == PLAN_URL
    plan = SafetyPlan.objects.get(member=member)
    assert plan.reasons_to_live == "My daughter"
    page = client.get(PLAN_URL).content.decode()
    assert "Your safety plan is saved." in page
    positions = [page.index(f"My {name.replace('_', ' ')}") for name in SAFETY_PLAN_SECTIONS[:-1]]
    assert positions == sorted(positions)
    assert "Step 7" in page
    for name in SAFETY_PLAN_SECTIONS:
        assert f'name="{name}"' in form_page
    assert "Thoughts, moods, situations or behaviours" in form_page


def test_a_plan_can_be_partly_filled_and_the_rest_is_marked_unfilled(member, client_of):
    client = client_of(member)
    client.post(EDIT_URL, {"coping_strategies": "Walk the dog"})

    page = client.get(PLAN_URL).content.decode()

    assert "Walk the dog" in page
    assert page.count("Not filled in yet.") == 6


def test_editing_replaces_the_whole_plan(member, client_of):
    actions.save_safety_plan(member, sections=full_plan())

    client_of(member).post(EDIT_URL, {"warning_signs": "Not sleeping"})

    plan = SafetyPlan.objects.get(member=member)
    assert plan.warning_signs == "Not sleeping"
    assert plan.coping_strategies == ""
    assert SafetyPlan.objects.count() == 1


def test_a_section_too_long_is_shown_beside_it_and_nothing_is_saved(member, client_of):
    actions.save_safety_plan(member, sections=full_plan())

    response = client_of(member).post(
        EDIT_URL, full_plan(warning_signs="new signs", distractions="x" * 4001)
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved yet" in page
    error = page.index("at most 4000 characters")
    assert page.index('for="id_distractions"') < error < page.index('name="distractions"')
    assert SafetyPlan.objects.get(member=member).warning_signs == "My warning signs"


def test_the_form_shows_the_plan_as_it_is(member, client_of):
    actions.save_safety_plan(member, sections=full_plan(people_to_ask="Sam 555 0101"))

    page = client_of(member).get(EDIT_URL).content.decode()

    assert "Sam 555 0101" in page
    assert "Edit my safety plan" in page


def test_what_a_member_writes_is_escaped(member, client_of):
    client = client_of(member)
    client.post(EDIT_URL, {"warning_signs": "<script>alert(1)</script>\nline two"})

    page = client.get(PLAN_URL).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>line two" in page


def test_the_plan_is_encrypted_at_rest(member):
    from django.db import connection

    actions.save_safety_plan(member, sections={"reasons_to_live": "my grandson"})

    with connection.cursor() as cursor:
        cursor.execute("SELECT reasons_to_live FROM safety_safetyplan")
        (stored,) = cursor.fetchone()
    assert "grandson" not in stored


def test_editing_is_not_screened_nor_escalated(member, program, client_of, monkeypatch):
    from alongside.safety.models import Escalation, Flag

    def must_not_screen(*args, **kwargs):
        raise AssertionError("a safety plan is about crisis by design and is not screened")

    monkeypatch.setattr(actions, "assess", must_not_screen)
    monkeypatch.setattr(actions, "screen_writing", must_not_screen)

    response = client_of(member).post(
        EDIT_URL, {"warning_signs": "When I start thinking about killing myself"}
    )

    assert response.status_code == 302
    assert not Flag.objects.exists()
    assert not Escalation.objects.exists()


def test_the_action_refuses_unknown_sections_and_saves_nothing(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.save_safety_plan(member, sections={"warning_signs": "ok", "diary": "secret"})

    assert "diary" in refused.value.message_dict
    assert not SafetyPlan.objects.exists()


def test_the_action_checks_lengths_itself(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        actions.save_safety_plan(member, sections={"professionals": "y" * 4001})

    assert list(refused.value.message_dict) == ["professionals"]
    assert not SafetyPlan.objects.exists()


def test_the_plan_page_links_to_sharing_and_says_who_can_see_it(member, program, client_of):
    actions.save_safety_plan(member, sections=full_plan())
    privacy_actions.grant_sharing_consent(
        member, program=program, audience="staff", scopes=["safety_plan"]
    )

    page = client_of(member).get(PLAN_URL).content.decode()

    assert "Program staff of Riverside Recovery" in page
    assert f'href="{reverse("privacy:home")}"' in page


def test_the_print_page_has_the_plan_the_lines_and_no_inline_script(member, client_of):
    actions.save_safety_plan(member, sections=full_plan(reasons_to_live="The sea"))

    response = client_of(member).get(PRINT_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The sea" in page
    assert "988 Suicide" in page
    assert "Ctrl+P" in page
    assert "data-print-button hidden" in page
    assert "/static/alongside/js/safety.js" in page
    assert "<script>" not in page
    assert "onclick" not in page


def test_an_empty_plan_prints_with_room_to_write(member, client_of):
    page = client_of(member).get(PRINT_URL).content.decode()

    assert page.count("Not filled in yet.") == 7


@pytest.mark.parametrize("url", [PLAN_URL, EDIT_URL, PRINT_URL])
def test_the_plan_pages_need_sign_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("url", [PLAN_URL, PRINT_URL])
def test_the_reading_pages_refuse_post(member, client_of, url):
    assert client_of(member).post(url).status_code == 405


def test_each_person_sees_only_their_own_plan(member, supporter, client_of):
    actions.save_safety_plan(member, sections={"reasons_to_live": "Only mine"})

    page = client_of(supporter).get(PLAN_URL).content.decode()

    assert "Only mine" not in page
    assert "Start my plan" in page
