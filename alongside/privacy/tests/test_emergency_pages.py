"""The break-glass page for clinicians and the review page for coordinators."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import Profile
from alongside.core.models import AccessLogEntry
from alongside.notifications.models import Notification
from alongside.privacy import actions
from alongside.privacy.models import EmergencyAccess
from alongside.testing import TEST_PASSWORD, make_person

REASON = "Member texted that they are not safe tonight and stopped answering."


def page_url(program):
    return reverse("privacy:emergency_access", args=[program.slug])


def review_url(program):
    return reverse("privacy:emergency_review", args=[program.slug])


def end_url(grant):
    return reverse("privacy:emergency_end", args=[grant.program.slug, grant.pk])


def review_grant_url(grant):
    return reverse("privacy:emergency_review_grant", args=[grant.program.slug, grant.pk])


def start(clinician, member, program, reason=REASON):
    return actions.start_emergency_access(
        clinician, program=program, member=member, reason=reason, password=TEST_PASSWORD
    )


# The clinician's page ---------------------------------------------------------------------


def test_the_form_lists_the_programs_members_by_display_name(
    on_call_clinician, member, supporter, outsider, program, client_of
):
    Profile.objects.filter(user=member).update(display_name="Quiet Fox 12")
    Profile.objects.filter(user=outsider).update(display_name="Far Away Finch")

    response = client_of(on_call_clinician).get(page_url(program))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Quiet Fox 12" in page
    assert "Far Away Finch" not in page
    assert supporter.display_name not in page
    assert 'type="password"' in page
    assert 'autocomplete="current-password"' in page


def test_the_clinician_breaks_glass_through_the_form(
    on_call_clinician, coordinator, member, program, client_of
):
    response = client_of(on_call_clinician).post(
        page_url(program), {"member": member.pk, "reason": REASON, "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == page_url(program)
    grant = EmergencyAccess.objects.get()
    assert (grant.clinician, grant.member, grant.program) == (on_call_clinician, member, program)
    assert AccessLogEntry.objects.get().emergency_access is True
    assert Notification.objects.get().recipient == coordinator


def test_a_wrong_password_shows_an_error_and_saves_nothing(
    on_call_clinician, member, program, client_of
):
    response = client_of(on_call_clinician).post(
        page_url(program),
        {"member": member.pk, "reason": REASON, "password": "wrong password here"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "That is not your password" in page
    assert "wrong password here" not in page
    assert not EmergencyAccess.objects.exists()
    assert not AccessLogEntry.objects.exists()


def test_a_short_reason_shows_an_error(on_call_clinician, member, program, client_of):
    response = client_of(on_call_clinician).post(
        page_url(program), {"member": member.pk, "reason": "urgent", "password": TEST_PASSWORD}
    )

    assert response.status_code == 200
    assert "at least 20 characters" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_a_member_of_another_program_cannot_be_chosen(
    on_call_clinician, outsider, program, client_of
):
    response = client_of(on_call_clinician).post(
        page_url(program), {"member": outsider.pk, "reason": REASON, "password": TEST_PASSWORD}
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_the_page_shows_own_grants_with_time_left(on_call_clinician, member, program, client_of):
    other_clinician = make_person(program, "clinician")
    other_member = make_person(program, "member")
    Profile.objects.filter(user=other_member).update(display_name="Not Mine 3")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        start(on_call_clinician, member, program)
        start(other_clinician, other_member, program)
        traveller.shift(timedelta(minutes=20))

        page = client_of(on_call_clinician).get(page_url(program)).content.decode()

    assert "40\xa0minutes left" in page
    assert "End access now" in page
    assert "Not Mine 3" not in page.split('id="grants-heading"')[1]


def test_the_page_shows_expired_grants_as_closed(on_call_clinician, member, program, client_of):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        start(on_call_clinician, member, program)
        traveller.shift(timedelta(minutes=61))

        page = client_of(on_call_clinician).get(page_url(program)).content.decode()

    assert "Closed" in page
    assert "End access now" not in page


def test_ending_through_the_page(on_call_clinician, member, program, client_of):
    grant = start(on_call_clinician, member, program)

    response = client_of(on_call_clinician).post(end_url(grant))

    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.ended_at is not None


def test_ending_someone_elses_grant_is_404(on_call_clinician, member, program, client_of):
    grant = start(make_person(program, "clinician"), member, program)

    response = client_of(on_call_clinician).post(end_url(grant))

    assert response.status_code == 404
    assert EmergencyAccess.objects.get().ended_at is None


def test_ending_refuses_get(on_call_clinician, member, program, client_of):
    grant = start(on_call_clinician, member, program)
    assert client_of(on_call_clinician).get(end_url(grant)).status_code == 405


@pytest.mark.parametrize(
    "persona",
    ["member", "supporter", "facilitator", "coordinator", "moderator", "admin_user", "outsider"],
)
def test_only_clinicians_reach_the_page(persona, program, request, client_of):
    client = client_of(request.getfixturevalue(persona))
    assert client.get(page_url(program)).status_code == 404
    assert client.post(page_url(program), {"reason": REASON}).status_code == 404


def test_a_clinician_of_another_program_gets_404(member, program, other_program, client_of):
    foreign = make_person(other_program, "clinician")
    assert client_of(foreign).get(page_url(program)).status_code == 404


def test_the_page_refuses_put(on_call_clinician, program, client_of):
    assert client_of(on_call_clinician).put(page_url(program)).status_code == 405


def test_the_page_query_count_is_pinned(
    on_call_clinician, program, client_of, django_assert_num_queries
):
    client = client_of(on_call_clinician)
    start(on_call_clinician, make_person(program, "member"), program)
    client.get(page_url(program))
    with django_assert_num_queries(11):
        client.get(page_url(program))

    for _ in range(4):
        start(on_call_clinician, make_person(program, "member"), program)
    with django_assert_num_queries(11):
        response = client.get(page_url(program))
    assert response.content.decode().count('class="card grant') == 5


# The coordinator's review page ------------------------------------------------------------


def test_the_review_page_lists_every_grant_unreviewed_first(
    on_call_clinician, coordinator, member, program, client_of
):
    Profile.objects.filter(user=on_call_clinician).update(display_name="Dr Night Owl")
    Profile.objects.filter(user=member).update(display_name="Quiet Fox 12")
    reviewed = start(
        on_call_clinician, member, program, reason="The first emergency, reviewed already."
    )
    actions.end_emergency_access(on_call_clinician, grant=reviewed)
    actions.review_emergency_access(coordinator, grant=reviewed, note="Checked with the member.")
    start(on_call_clinician, member, program, reason="The second emergency, not reviewed yet.")

    response = client_of(coordinator).get(review_url(program))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Dr Night Owl opened the records of Quiet Fox 12" in page
    assert page.index("not reviewed yet") < page.index("reviewed already")
    assert "Checked with the member." in page
    assert page.count("Save review") == 1


def test_a_coordinator_reviews_through_the_page(
    on_call_clinician, coordinator, member, program, client_of
):
    grant = start(on_call_clinician, member, program)

    response = client_of(coordinator).post(
        review_grant_url(grant), {"note": "Called them; justified."}
    )

    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.reviewed_by, grant.review_note) == (coordinator, "Called them; justified.")


def test_an_empty_review_note_shows_an_error(
    on_call_clinician, coordinator, member, program, client_of
):
    grant = start(on_call_clinician, member, program)

    response = client_of(coordinator).post(review_grant_url(grant), {"note": ""})

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert EmergencyAccess.objects.get().reviewed_at is None


def test_reviewing_twice_says_so(on_call_clinician, coordinator, member, program, client_of):
    grant = start(on_call_clinician, member, program)
    actions.review_emergency_access(coordinator, grant=grant, note="First look.")

    response = client_of(coordinator).post(review_grant_url(grant), {"note": "Second look."})

    assert "already been reviewed" in response.content.decode()
    assert EmergencyAccess.objects.get().review_note == "First look."


def test_the_site_admin_may_review(on_call_clinician, admin_user, member, program, client_of):
    start(on_call_clinician, member, program)
    assert client_of(admin_user).get(review_url(program)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["member", "supporter", "facilitator", "on_call_clinician", "moderator", "outsider"]
)
def test_only_coordinators_reach_the_review_page(persona, program, member, request, client_of):
    grant = start(make_person(program, "clinician"), member, program)
    client = client_of(request.getfixturevalue(persona))

    assert client.get(review_url(program)).status_code == 404
    assert client.post(review_grant_url(grant), {"note": "Looks fine"}).status_code == 404
    assert EmergencyAccess.objects.get().reviewed_at is None


def test_a_grant_of_another_program_is_404_on_review(
    coordinator, program, other_program, client_of
):
    foreign_grant = start(
        make_person(other_program, "clinician"), make_person(other_program, "member"), other_program
    )
    url = reverse("privacy:emergency_review_grant", args=[program.slug, foreign_grant.pk])

    assert client_of(coordinator).post(url, {"note": "Not mine"}).status_code == 404
    assert EmergencyAccess.objects.get().reviewed_at is None


def test_the_review_page_refuses_post_and_the_review_refuses_get(
    on_call_clinician, coordinator, member, program, client_of
):
    grant = start(on_call_clinician, member, program)
    client = client_of(coordinator)
    assert client.post(review_url(program)).status_code == 405
    assert client.get(review_grant_url(grant)).status_code == 405


def test_the_review_page_query_count_is_pinned(
    on_call_clinician, coordinator, program, client_of, django_assert_num_queries
):
    client = client_of(coordinator)
    start(on_call_clinician, make_person(program, "member"), program)
    client.get(review_url(program))
    with django_assert_num_queries(10):
        client.get(review_url(program))

    for index in range(4):
        grant = start(on_call_clinician, make_person(program, "member"), program)
        if index % 2:
            actions.review_emergency_access(coordinator, grant=grant, note="Fine")
    with django_assert_num_queries(10):
        response = client.get(review_url(program))
    assert response.content.decode().count('class="card grant') == 5
