"""The pages of programs: success, wrong method, wrong role and bad input for each."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.programs.models import Invitation, Membership, Program
from alongside.testing import make_person


def url(name, *args):
    return reverse(f"programs:{name}", args=args)


# --- My programs and joining ---------------------------------------------------------------


def test_program_list_shows_my_programs_and_the_join_form(client_of, facilitator, program):
    page = client_of(facilitator).get(url("list")).content.decode()
    assert program.name in page
    assert "Facilitator" in page
    assert 'name="code"' in page


def test_program_list_lists_every_program_for_site_admins(
    client_of, admin_user, program, other_program
):
    page = client_of(admin_user).get(url("list")).content.decode()
    assert program.name in page and other_program.name in page


def test_program_list_does_not_list_other_programs(client_of, member, other_program):
    assert other_program.name not in client_of(member).get(url("list")).content.decode()


def test_program_list_rejects_post(client_of, member):
    assert client_of(member).post(url("list")).status_code == 405


def test_join_with_code(client_of, program):
    newcomer = make_person(None)
    response = client_of(newcomer).post(url("join"), {"code": program.join_code.lower()})
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert Membership.objects.get(user=newcomer).program == program


def test_join_with_bad_code_shows_the_error_next_to_the_field(client_of, program):
    newcomer = make_person(None)
    response = client_of(newcomer).post(url("join"), {"code": "WRONG234"})
    assert response.status_code == 200
    assert "does not open any program" in response.content.decode()
    assert 'class="field field--error"' in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_join_with_empty_or_oversized_code_is_a_form_error(client_of, program):
    newcomer = make_person(None)
    client = client_of(newcomer)
    assert client.post(url("join"), {"code": ""}).status_code == 200
    assert client.post(url("join"), {"code": "X" * 500}).status_code == 200
    assert not Membership.objects.filter(user=newcomer).exists()


def test_join_rejects_put(client_of, member):
    assert client_of(member).put(url("join")).status_code == 405


def test_join_link_shows_the_program_and_joins(client_of, program):
    newcomer = make_person(None)
    client = client_of(newcomer)
    page = client.get(url("join_link", program.join_code)).content.decode()
    assert f"Join {program.name}" in page
    response = client.post(url("join_link", program.join_code))
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer).role_names == {"member"}


def test_join_link_for_a_member_says_already_in(client_of, member, program):
    page = client_of(member).get(url("join_link", program.join_code)).content.decode()
    assert "already in this program" in page


def test_join_link_rejects_put(client_of, member, program):
    assert client_of(member).put(url("join_link", program.join_code)).status_code == 405


# --- The program page and leaving ----------------------------------------------------------


def test_program_page_shows_details_roles_and_crisis_line(client_of, facilitator, program):
    program.description = "Peer support for people in recovery from alcohol."
    program.contact_email = "hello@riverside.test"
    program.save()
    page = client_of(facilitator).get(program.get_absolute_url()).content.decode()
    assert program.description in page
    assert "hello@riverside.test" in page
    assert 'href="tel:988"' in page
    assert "Peer supporter" in page and "Facilitator" in page
    assert url("leave", program.slug) in page
    assert url("people", program.slug) not in page


def test_program_page_shows_coordinator_links_to_coordinators(client_of, coordinator, program):
    page = client_of(coordinator).get(program.get_absolute_url()).content.decode()
    assert url("people", program.slug) in page


def test_program_page_rejects_post(client_of, member, program):
    assert client_of(member).post(program.get_absolute_url()).status_code == 405


def test_outsider_gets_404_on_program_page(client_of, outsider, program):
    assert client_of(outsider).get(program.get_absolute_url()).status_code == 404


def test_leave_asks_for_confirmation_then_leaves(client_of, member, program):
    client = client_of(member)
    page = client.get(url("leave", program.slug)).content.decode()
    assert "Leave the program" in page
    assert Membership.objects.get(user=member).is_active
    response = client.post(url("leave", program.slug))
    assert response.status_code == 302
    assert not Membership.objects.get(user=member).is_active
    assert client.get(program.get_absolute_url()).status_code == 404


def test_last_coordinator_leaving_is_told_why_not(client_of, coordinator, program):
    response = client_of(coordinator).post(url("leave", program.slug), follow=True)
    assert "only coordinator" in response.content.decode()
    assert Membership.objects.get(user=coordinator).is_active


def test_leave_rejects_put(client_of, member, program):
    assert client_of(member).put(url("leave", program.slug)).status_code == 405


# --- People --------------------------------------------------------------------------------


def test_people_page_lists_members_with_roles(client_of, coordinator, member, facilitator, program):
    page = client_of(coordinator).get(url("people", program.slug)).content.decode()
    assert member.display_name in page
    assert facilitator.display_name in page
    assert member.email not in page


def test_people_page_filters_by_role(client_of, coordinator, member, facilitator, program):
    page = (
        client_of(coordinator)
        .get(url("people", program.slug), {"role": "facilitator"})
        .content.decode()
    )
    assert facilitator.display_name in page
    assert member.display_name not in page


def test_people_page_ignores_an_unknown_filter(client_of, coordinator, member, program):
    response = client_of(coordinator).get(
        url("people", program.slug), {"role": "nope", "page": "x"}
    )
    assert response.status_code == 200
    assert member.display_name in response.content.decode()


def test_people_page_is_paginated(client_of, coordinator, program):
    for _ in range(30):
        make_person(program, "member")
    client = client_of(coordinator)
    first = client.get(url("people", program.slug)).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(url("people", program.slug), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


@pytest.mark.parametrize(
    "persona", ["member", "supporter", "facilitator", "moderator", "on_call_clinician"]
)
def test_coordinator_pages_are_404_for_other_roles(
    request, client_of, persona, program, coordinator
):
    client = client_of(request.getfixturevalue(persona))
    for name in ("people", "invitations", "settings"):
        assert client.get(url(name, program.slug)).status_code == 404, name


def test_people_page_rejects_post(client_of, coordinator, program):
    assert client_of(coordinator).post(url("people", program.slug)).status_code == 405


def queries_of(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def own_queries_of_people_page(client, program) -> int:
    """Queries of the page beyond what every page costs (session, middleware, header badge).

    The join page does no queries of its own, so it measures what every page costs; the site's
    middleware changes as features arrive, and that is not this page's doing.
    """
    client.get(url("join"))  # the session's first request records the session
    return queries_of(client, url("people", program.slug)) - queries_of(client, url("join"))


def test_people_page_query_count_does_not_grow_with_people(client_of, coordinator, program):
    client = client_of(coordinator)
    make_person(program, "member")
    # The gate, the page count, people with their profiles, their roles.
    assert own_queries_of_people_page(client, program) == 4
    for _ in range(20):
        make_person(program, "supporter", "facilitator")
    assert own_queries_of_people_page(client, program) == 4


def test_grant_role_without_javascript_redirects_back(client_of, coordinator, member, program):
    membership = Membership.objects.get(user=member)
    next_url = url("people", program.slug) + "?role=member"
    response = client_of(coordinator).post(
        url("grant_role", program.slug, membership.pk), {"role": "supporter", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert Membership.objects.get(user=member).role_names == {"member", "supporter"}


def test_grant_role_never_redirects_off_site(client_of, coordinator, member, program):
    membership = Membership.objects.get(user=member)
    response = client_of(coordinator).post(
        url("grant_role", program.slug, membership.pk),
        {"role": "supporter", "next": "https://evil.example/"},
    )
    assert response["Location"] == url("people", program.slug)


def test_grant_role_with_htmx_returns_the_updated_row(client_of, coordinator, member, program):
    membership = Membership.objects.get(user=member)
    response = client_of(coordinator).post(
        url("grant_role", program.slug, membership.pk),
        {"role": "moderator"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="person-{membership.pk}"')
    assert "Moderator" in row


def test_revoking_the_last_coordinator_shows_the_reason_in_the_row(client_of, coordinator, program):
    membership = Membership.objects.get(user=coordinator)
    response = client_of(coordinator).post(
        url("revoke_role", program.slug, membership.pk),
        {"role": "coordinator"},
        HTTP_HX_REQUEST="true",
    )
    assert "at least one coordinator" in response.content.decode()
    assert Membership.objects.get(user=coordinator).role_names == {"coordinator"}


def test_revoke_role_without_javascript(client_of, coordinator, facilitator, program):
    membership = Membership.objects.get(user=facilitator)
    response = client_of(coordinator).post(
        url("revoke_role", program.slug, membership.pk), {"role": "facilitator"}, follow=True
    )
    assert "Role removed." in response.content.decode()
    assert Membership.objects.get(user=facilitator).role_names == {"supporter"}


def test_grant_unknown_role_is_refused(client_of, coordinator, member, program):
    membership = Membership.objects.get(user=member)
    response = client_of(coordinator).post(
        url("grant_role", program.slug, membership.pk), {"role": "overlord"}, follow=True
    )
    assert "Choose a role from the list." in response.content.decode()
    assert Membership.objects.get(user=member).role_names == {"member"}


def test_role_changes_reject_get(client_of, coordinator, member, program):
    membership = Membership.objects.get(user=member)
    client = client_of(coordinator)
    assert client.get(url("grant_role", program.slug, membership.pk)).status_code == 405
    assert client.get(url("revoke_role", program.slug, membership.pk)).status_code == 405


def test_supporter_cannot_grant_roles(client_of, supporter, member, program):
    membership = Membership.objects.get(user=member)
    response = client_of(supporter).post(
        url("grant_role", program.slug, membership.pk), {"role": "coordinator"}
    )
    assert response.status_code == 404
    assert Membership.objects.get(user=member).role_names == {"member"}


def test_membership_must_belong_to_the_program_in_the_url(client_of, admin_user, program, outsider):
    """Even a site admin, who reaches both programs, cannot mix them in one URL."""
    membership = Membership.objects.get(user=outsider)
    response = client_of(admin_user).post(
        url("grant_role", program.slug, membership.pk), {"role": "supporter"}
    )
    assert response.status_code == 404


# --- Invitations ---------------------------------------------------------------------------


def test_invite_sends_and_lists_the_invitation(
    client_of, coordinator, program, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_of(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("invitations", program.slug),
            {"email": "new@example.test", "roles": ["supporter", "member"]},
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    page = client.get(url("invitations", program.slug)).content.decode()
    assert "new@example.test" in page
    assert "Peer supporter" in page


def test_duplicate_invitation_error_is_shown_next_to_the_email(client_of, coordinator, program):
    client = client_of(coordinator)
    data = {"email": "new@example.test", "roles": ["member"]}
    client.post(url("invitations", program.slug), data)
    response = client.post(url("invitations", program.slug), data)
    assert response.status_code == 200
    assert "already waiting" in response.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email", "roles": ["member"]},
        {"email": "new@example.test"},
        {"email": "new@example.test", "roles": ["overlord"]},
        {"email": "x" * 300 + "@example.test", "roles": ["member"]},
    ],
)
def test_bad_invitation_input_is_a_form_error(client_of, coordinator, program, data):
    response = client_of(coordinator).post(url("invitations", program.slug), data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Invitation.objects.exists()


def test_revoke_invitation(client_of, coordinator, program):
    invitation = Invitation.objects.create(
        program=program, email="a@example.test", roles=["member"]
    )
    client = client_of(coordinator)
    response = client.post(url("revoke_invitation", program.slug, invitation.pk), follow=True)
    assert "was revoked" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    again = client.post(url("revoke_invitation", program.slug, invitation.pk), follow=True)
    assert "no longer pending" in again.content.decode()


def test_revoke_invitation_rejects_get(client_of, coordinator, program):
    invitation = Invitation.objects.create(
        program=program, email="a@example.test", roles=["member"]
    )
    assert (
        client_of(coordinator)
        .get(url("revoke_invitation", program.slug, invitation.pk))
        .status_code
        == 405
    )


def test_invitations_page_rejects_put(client_of, coordinator, program):
    assert client_of(coordinator).put(url("invitations", program.slug)).status_code == 405


# --- Settings ------------------------------------------------------------------------------


def settings_data(program, **changes):
    data = {
        "description": program.description,
        "contact_email": program.contact_email,
        "contact_phone": program.contact_phone,
        "crisis_line_name": program.crisis_line_name,
        "crisis_line_phone": program.crisis_line_phone,
        "crisis_line_text": program.crisis_line_text,
        "default_time_zone": program.default_time_zone,
        "join_code_enabled": "on" if program.join_code_enabled else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_settings_show_the_join_code_and_link(client_of, coordinator, program):
    page = client_of(coordinator).get(url("settings", program.slug)).content.decode()
    assert program.join_code in page
    assert url("join_link", program.join_code) in page


def test_settings_save_and_switch_the_code_off(client_of, coordinator, program):
    data = settings_data(program, description="New words", crisis_line_phone="911")
    data.pop("join_code_enabled")
    response = client_of(coordinator).post(url("settings", program.slug), data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.description == "New words"
    assert program.crisis_line_phone == "911"
    assert not program.join_code_enabled


def test_bad_settings_save_nothing(client_of, coordinator, program):
    data = settings_data(
        program, description="New words", contact_email="nope", crisis_line_name="x" * 500
    )
    response = client_of(coordinator).post(url("settings", program.slug), data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    program.refresh_from_db()
    assert program.description == ""


def test_regenerate_code(client_of, coordinator, program):
    old = program.join_code
    response = client_of(coordinator).post(url("regenerate_code", program.slug), follow=True)
    program.refresh_from_db()
    assert program.join_code != old
    assert program.join_code in response.content.decode()


def test_regenerate_code_rejects_get(client_of, coordinator, program):
    assert client_of(coordinator).get(url("regenerate_code", program.slug)).status_code == 405


def test_settings_reject_put(client_of, coordinator, program):
    assert client_of(coordinator).put(url("settings", program.slug)).status_code == 405


# --- Accepting an invitation ---------------------------------------------------------------


@pytest.fixture
def invitation(program, coordinator):
    return Invitation.objects.create(
        program=program, email="new@example.test", roles=["supporter"], invited_by=coordinator
    )


def test_invitation_page_is_public_with_sign_up_and_sign_in_links(client, invitation, program):
    response = client.get(invitation.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert program.name in page
    assert f"{reverse('account_signup')}?next={invitation.get_absolute_url()}" in page
    assert f"{reverse('account_login')}?next={invitation.get_absolute_url()}" in page


def test_anonymous_post_to_invitation_goes_to_sign_in(client, invitation):
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_invited_person_accepts(client_of, invitation, program):
    newcomer = make_person(None, email="new@example.test")
    response = client_of(newcomer).post(invitation.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert Membership.objects.get(user=newcomer).role_names == {"supporter"}


def test_invitation_with_email_mismatch_is_refused_with_a_message(client_of, invitation):
    other = make_person(None, email="other@example.test")
    response = client_of(other).post(invitation.get_absolute_url(), follow=True)
    assert "different email address" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()


def test_expired_invitation_page_says_so(client_of, invitation):
    invitation.expires_at = timezone.now() - timedelta(days=1)
    invitation.save()
    newcomer = make_person(None, email="new@example.test")
    client = client_of(newcomer)
    assert "no longer valid" in client.get(invitation.get_absolute_url()).content.decode()
    response = client.post(invitation.get_absolute_url(), follow=True)
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_unknown_invitation_token_is_404(client, db):
    assert client.get(url("invitation", "no-such-token")).status_code == 404


def test_invitation_rejects_put(client, invitation):
    assert client.put(invitation.get_absolute_url()).status_code == 405


# --- New program ---------------------------------------------------------------------------


def test_site_admin_creates_a_program(client_of, admin_user):
    response = client_of(admin_user).post(
        url("new"),
        {
            "name": "Lakeside",
            "slug": "lakeside",
            "country": "US",
            "default_time_zone": "America/Chicago",
            "join_code_enabled": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("invitations", "lakeside")
    assert Program.objects.filter(slug="lakeside").exists()


@pytest.mark.parametrize("slug", ["join", "riverside", "Not a slug!"])
def test_new_program_with_a_reserved_taken_or_bad_slug_is_refused(
    client_of, admin_user, program, slug
):
    response = client_of(admin_user).post(
        url("new"), {"name": "Lakeside", "slug": slug, "country": "US", "default_time_zone": "UTC"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert Program.objects.count() == 1


def test_coordinators_cannot_create_programs(client_of, coordinator):
    assert client_of(coordinator).get(url("new")).status_code == 404


def test_new_program_rejects_put(client_of, admin_user):
    assert client_of(admin_user).put(url("new")).status_code == 405
