"""The programs API: the same gate and the same actions as the pages."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alongside.programs.models import Membership
from alongside.testing import make_person


def test_my_memberships_list_programs_and_roles(api_as, facilitator, program, other_program):
    response = api_as(facilitator).get(reverse("api-memberships"))
    assert response.status_code == 200
    [membership] = response.json()["results"]
    assert membership["program"] == {"slug": program.slug, "name": program.name}
    assert membership["roles"] == ["facilitator", "supporter"]


def test_memberships_need_authentication(db):
    assert APIClient().get(reverse("api-memberships")).status_code in (401, 403)


def test_memberships_reject_post(api_as, member):
    assert api_as(member).post(reverse("api-memberships")).status_code == 405


def test_leave_through_the_api(api_as, member):
    membership = Membership.objects.get(user=member)
    response = api_as(member).post(reverse("api-membership-leave", args=[membership.pk]))
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    membership.refresh_from_db()
    assert membership.left_at is not None


def test_leaving_someone_elses_membership_is_404(api_as, member, supporter):
    membership = Membership.objects.get(user=supporter)
    response = api_as(member).post(reverse("api-membership-leave", args=[membership.pk]))
    assert response.status_code == 404
    assert Membership.objects.get(user=supporter).is_active


def test_last_coordinator_leaving_through_the_api_is_a_400(api_as, coordinator):
    membership = Membership.objects.get(user=coordinator)
    response = api_as(coordinator).post(reverse("api-membership-leave", args=[membership.pk]))
    assert response.status_code == 400
    assert "only coordinator" in response.json()["detail"][0]


def test_leave_rejects_get(api_as, member):
    membership = Membership.objects.get(user=member)
    assert (
        api_as(member).get(reverse("api-membership-leave", args=[membership.pk])).status_code == 405
    )


def test_program_detail_for_a_member(api_as, member, program):
    response = api_as(member).get(reverse("api-program", args=[program.slug]))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == program.name
    assert body["crisis_line"]["phone"] == "988"
    assert body["my_roles"] == ["member"]
    assert "join_code" not in body


def test_program_detail_is_404_for_outsiders_and_missing(api_as, outsider, program):
    client = api_as(outsider)
    assert client.get(reverse("api-program", args=[program.slug])).status_code == 404
    assert client.get(reverse("api-program", args=["no-such"])).status_code == 404


def test_members_list_for_coordinators_without_emails(api_as, coordinator, member, program):
    response = api_as(coordinator).get(reverse("api-program-members", args=[program.slug]))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    names = {row["display_name"]: row["roles"] for row in body["results"]}
    assert names[member.display_name] == ["member"]
    assert "@" not in response.content.decode()


def test_members_list_is_paginated(api_as, coordinator, program):
    for _ in range(55):
        make_person(program, "member")
    response = api_as(coordinator).get(reverse("api-program-members", args=[program.slug]))
    body = response.json()
    assert len(body["results"]) == 50
    assert body["next"]


@pytest.mark.parametrize("persona", ["member", "supporter", "outsider"])
def test_members_list_is_404_for_non_coordinators(request, api_as, persona, program):
    user = request.getfixturevalue(persona)
    response = api_as(user).get(reverse("api-program-members", args=[program.slug]))
    assert response.status_code == 404


def test_members_list_query_count_is_fixed(api_as, coordinator, program, django_assert_num_queries):
    for _ in range(10):
        make_person(program, "member", "supporter")
    client = api_as(coordinator)
    with django_assert_num_queries(4):
        assert client.get(reverse("api-program-members", args=[program.slug])).status_code == 200


def test_join_with_code_through_the_api(api_as, program):
    newcomer = make_person(None)
    response = api_as(newcomer).post(
        reverse("api-program-join"), {"code": program.join_code.lower()}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["program"]["slug"] == program.slug
    assert response.json()["roles"] == ["member"]


@pytest.mark.parametrize(
    "payload", [{}, {"code": ""}, {"code": "WRONG234"}, {"code": "X" * 100}, {"code": ["A"]}]
)
def test_join_with_bad_input_is_a_400(api_as, program, payload):
    newcomer = make_person(None)
    response = api_as(newcomer).post(reverse("api-program-join"), payload, format="json")
    assert response.status_code == 400
    assert "code" in response.json()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_join_when_already_a_member_is_a_400(api_as, member, program):
    response = api_as(member).post(
        reverse("api-program-join"), {"code": program.join_code}, format="json"
    )
    assert response.status_code == 400
    assert "already in" in response.json()["code"][0]


def test_join_rejects_get(api_as, member):
    assert api_as(member).get(reverse("api-program-join")).status_code == 405


def test_schema_describes_the_programs_endpoints(client_of, member):
    response = client_of(member).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/memberships/",
        "/api/v1/memberships/{membership_id}/leave/",
        "/api/v1/programs/join/",
        "/api/v1/programs/{slug}/",
        "/api/v1/programs/{slug}/members/",
    ):
        assert path in paths
