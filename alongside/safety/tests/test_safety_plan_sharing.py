"""Staff and the member's peer supporter read a member's safety plan only while the member shares
it with them, or in an emergency; every read is in the member's access log."""

import pytest
from django.urls import reverse

from alongside.core.models import AccessLogEntry
from alongside.pairing import actions as pairing_actions
from alongside.privacy import actions as privacy_actions
from alongside.safety import actions
from alongside.safety.models import SafetyPlan
from alongside.testing import TEST_PASSWORD, assert_matches_schema, make_pairing, make_person


def page_url(program, member):
    return reverse("safety:member_plan", args=[program.slug, member.pk])


def api_url(program, member):
    return reverse("api-member-safety-plan", args=[program.slug, member.pk])


def share(member, program):
    privacy_actions.grant_sharing_consent(
        member, program=program, audience="staff", scopes=["safety_plan"]
    )


def stop_sharing(member, program):
    privacy_actions.revoke_sharing_consent(
        member, program=program, audience="staff", scopes=["safety_plan"]
    )


@pytest.fixture
def plan(member):
    return actions.save_safety_plan(
        member, sections={"warning_signs": "Skipping meals", "reasons_to_live": "My garden"}
    )


def test_a_coordinator_reads_a_shared_plan_and_the_read_is_logged(
    member, program, coordinator, plan, client_of
):
    share(member, program)

    response = client_of(coordinator).get(page_url(program, member))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Skipping meals" in page and "My garden" in page
    assert "because the member chose to share it" in page
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.program) == (coordinator, member, program)
    assert (entry.object_type, entry.object_id) == ("safety.SafetyPlan", str(plan.pk))
    assert (entry.actor_role, entry.purpose) == ("coordinator", "shared_safety_plan")
    assert entry.emergency_access is False


def test_a_clinician_reads_a_shared_plan(member, program, on_call_clinician, plan, client_of):
    share(member, program)

    assert client_of(on_call_clinician).get(page_url(program, member)).status_code == 200
    assert AccessLogEntry.objects.get().actor_role == "clinician"


def test_without_consent_staff_get_404_and_nothing_is_logged(
    member, program, coordinator, plan, client_of
):
    assert client_of(coordinator).get(page_url(program, member)).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_consent_for_another_scope_or_audience_does_not_open_the_plan(
    member, program, coordinator, plan, client_of
):
    privacy_actions.grant_sharing_consent(
        member, program=program, audience="staff", scopes=["checkins", "goals"]
    )
    privacy_actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["safety_plan"]
    )

    assert client_of(coordinator).get(page_url(program, member)).status_code == 404


def test_a_revoked_consent_closes_the_plan_on_the_next_request(
    member, program, coordinator, plan, client_of
):
    share(member, program)
    client = client_of(coordinator)
    assert client.get(page_url(program, member)).status_code == 200

    stop_sharing(member, program)

    assert client.get(page_url(program, member)).status_code == 404
    assert AccessLogEntry.objects.count() == 1


def test_consent_in_one_program_does_not_open_the_plan_to_another(
    member, program, other_program, plan, client_of
):
    share(member, program)
    foreign_coordinator = make_person(other_program, "coordinator")

    response = client_of(foreign_coordinator).get(page_url(other_program, member))

    assert response.status_code == 404
    assert client_of(foreign_coordinator).get(page_url(program, member)).status_code == 404


@pytest.mark.parametrize("role", ["supporter", "facilitator", "moderator", "member"])
def test_other_roles_get_404_even_with_consent(member, program, plan, client_of, role):
    share(member, program)
    someone = make_person(program, role)

    assert client_of(someone).get(page_url(program, member)).status_code == 404


def test_a_site_admin_gets_404(member, program, admin_user, plan, client_of):
    share(member, program)

    assert client_of(admin_user).get(page_url(program, member)).status_code == 404


def test_an_unknown_member_or_program_is_the_same_404(member, program, coordinator, client_of):
    share(member, program)
    client = client_of(coordinator)

    assert client.get(reverse("safety:member_plan", args=[program.slug, 999999])).status_code == 404
    assert client.get(reverse("safety:member_plan", args=["nowhere", member.pk])).status_code == 404


def test_emergency_access_opens_the_plan_to_that_clinician_marked_as_emergency(
    member, program, on_call_clinician, coordinator, plan, client_of
):
    privacy_actions.start_emergency_access(
        on_call_clinician,
        program=program,
        member=member,
        reason="Member texted goodbye and is not answering the phone.",
        password=TEST_PASSWORD,
    )

    response = client_of(on_call_clinician).get(page_url(program, member))

    assert response.status_code == 200
    assert "under emergency access" in response.content.decode()
    read = AccessLogEntry.objects.filter(object_type="safety.SafetyPlan").get()
    assert read.emergency_access is True
    assert client_of(coordinator).get(page_url(program, member)).status_code == 404


def test_ended_emergency_access_closes_the_plan(
    member, program, on_call_clinician, plan, client_of
):
    grant = privacy_actions.start_emergency_access(
        on_call_clinician,
        program=program,
        member=member,
        reason="Member texted goodbye and is not answering the phone.",
        password=TEST_PASSWORD,
    )
    privacy_actions.end_emergency_access(on_call_clinician, grant=grant)

    assert client_of(on_call_clinician).get(page_url(program, member)).status_code == 404


def test_a_shared_plan_not_yet_written_says_so_and_logs_nothing(
    member, program, coordinator, client_of
):
    share(member, program)

    response = client_of(coordinator).get(page_url(program, member))

    assert response.status_code == 200
    assert "has not written a safety plan yet" in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_the_member_sees_who_read_their_plan(member, program, coordinator, plan, client_of):
    share(member, program)
    client_of(coordinator).get(page_url(program, member))

    page = client_of(member).get(reverse("privacy:home")).content.decode()

    assert coordinator.display_name in page
    assert "safety plan" in page


def test_the_staff_page_refuses_post(member, program, coordinator, plan, client_of):
    share(member, program)

    assert client_of(coordinator).post(page_url(program, member)).status_code == 405


# The API ------------------------------------------------------------------------------------------


def test_the_api_gives_a_shared_plan_and_logs_the_read(
    member, program, coordinator, plan, api_as, schema
):
    share(member, program)
    url = api_url(program, member)

    response = api_as(coordinator).get(url)

    assert response.status_code == 200
    body = response.json()
    assert_matches_schema(
        schema, "/api/v1/programs/{slug}/members/{member_id}/safety-plan/", "get", 200, body
    )
    assert body["plan"]["warning_signs"] == "Skipping meals"
    assert body["emergency_access"] is False
    assert AccessLogEntry.objects.get().actor == coordinator


def test_the_api_answers_404_without_consent_and_after_revoking(
    member, program, coordinator, plan, api_as
):
    client = api_as(coordinator)
    assert client.get(api_url(program, member)).status_code == 404

    share(member, program)
    assert client.get(api_url(program, member)).status_code == 200
    stop_sharing(member, program)

    assert client.get(api_url(program, member)).status_code == 404
    assert AccessLogEntry.objects.count() == 1


def test_the_api_gives_an_empty_plan_for_one_not_written(
    member, program, coordinator, api_as, schema
):
    share(member, program)

    body = api_as(coordinator).get(api_url(program, member)).json()

    assert body["plan"]["updated_at"] is None
    assert body["plan"]["reasons_to_live"] == ""
    assert_matches_schema(
        schema, "/api/v1/programs/{slug}/members/{member_id}/safety-plan/", "get", 200, body
    )


def test_the_api_refuses_outsiders_and_other_methods(
    member, program, outsider, coordinator, plan, api_as
):
    share(member, program)

    assert api_as(outsider).get(api_url(program, member)).status_code == 404
    assert api_as(coordinator).put(api_url(program, member), {}).status_code == 405
    assert SafetyPlan.objects.get().warning_signs == "Skipping meals"


# The member's peer supporter --------------------------------------------------------------------


def share_with_supporter(member, program):
    privacy_actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["safety_plan"]
    )


def test_the_paired_supporter_reads_the_plan_the_member_shares_with_them(
    member, supporter, coordinator, program, plan, client_of
):
    make_pairing(member, supporter, coordinator, program)
    share_with_supporter(member, program)

    response = client_of(supporter).get(page_url(program, member))

    assert response.status_code == 200
    assert "Skipping meals" in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.subject, entry.actor_role) == (supporter, member, "supporter")


def test_the_supporter_sees_nothing_without_the_members_consent(
    member, supporter, coordinator, program, plan, client_of
):
    make_pairing(member, supporter, coordinator, program)
    share(member, program)  # with staff only

    assert client_of(supporter).get(page_url(program, member)).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_supporter_who_is_not_paired_with_the_member_sees_nothing(
    member, supporter, program, plan, client_of
):
    share_with_supporter(member, program)

    assert client_of(supporter).get(page_url(program, member)).status_code == 404


def test_the_plan_closes_to_the_supporter_when_the_pairing_ends(
    member, supporter, coordinator, program, plan, client_of
):
    pairing = make_pairing(member, supporter, coordinator, program)
    share_with_supporter(member, program)
    client = client_of(supporter)
    assert client.get(page_url(program, member)).status_code == 200

    pairing_actions.close_pairing(member, pairing=pairing, reason="completed")

    assert client.get(page_url(program, member)).status_code == 404
