"""/privacy/: a member's sharing choices and who has opened their records."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from alongside.accounts.models import Profile
from alongside.core.audit import record_access
from alongside.privacy import access, actions
from alongside.privacy.models import SharingConsent
from alongside.testing import make_person

HOME_URL = reverse("privacy:home")


def sharing_url(program):
    return reverse("privacy:sharing", args=[program.slug])


def shares(member, program, audience, scope):
    return access.has_sharing_consent(member, program=program, audience=audience, scope=scope)


def opened(viewer, member, program, *, role, purpose="support", emergency=False):
    return record_access(
        viewer,
        actor_role=role,
        subject=member,
        obj=member.profile,
        purpose=purpose,
        program=program,
        emergency=emergency,
    )


# Sharing choices --------------------------------------------------------------------------


def test_the_page_offers_plain_language_choices_per_program(member, program, client_of):
    actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["checkins"]
    )

    response = client_of(member).get(HOME_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Privacy and sharing" in page
    assert program.name in page
    assert "Your peer supporter can see your check-ins." in page
    assert "Program staff (coordinators and clinicians) can see your safety plan." in page
    assert page.count('type="checkbox"') == 8
    assert page.count("checked") == 1
    assert f'action="{sharing_url(program)}"' in page


def test_saving_the_form_grants_and_revokes_at_once(member, program, client_of):
    actions.grant_sharing_consent(member, program=program, audience="staff", scopes=["goals"])
    client = client_of(member)

    response = client.post(
        sharing_url(program),
        {
            f"{program.slug}-supporter__checkins": "on",
            f"{program.slug}-staff__questionnaires": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{HOME_URL}#sharing-{program.slug}"
    assert shares(member, program, "supporter", "checkins")
    assert shares(member, program, "staff", "questionnaires")
    assert not shares(member, program, "staff", "goals")
    assert SharingConsent.objects.filter(
        member=member, scope="goals", revoked_at__isnull=False
    ).exists()

    client.post(sharing_url(program), {})
    assert not access.consents_in_force(member).exists()


def test_the_form_cannot_change_another_members_consent(member, program, client_of):
    other = make_person(program, "member")
    actions.grant_sharing_consent(other, program=program, audience="staff", scopes=["checkins"])

    client_of(member).post(
        sharing_url(program), {"member": other.pk, "user": other.pk, "member_id": other.pk}
    )

    assert shares(other, program, "staff", "checkins")
    assert not access.consents_in_force(member).exists()


def test_sharing_in_a_program_one_is_not_a_member_of_is_404(outsider, program, client_of):
    response = client_of(outsider).post(
        sharing_url(program), {f"{program.slug}-staff__goals": "on"}
    )

    assert response.status_code == 404
    assert not SharingConsent.objects.exists()


def test_staff_without_the_member_role_get_404_on_sharing(coordinator, program, client_of):
    response = client_of(coordinator).post(sharing_url(program), {})
    assert response.status_code == 404


def test_staff_see_no_sharing_form_but_their_own_log(coordinator, program, client_of):
    page = client_of(coordinator).get(HOME_URL).content.decode()

    assert "not a member of any program yet" in page
    assert "Who has opened your records" in page


def test_sharing_refuses_get(member, program, client_of):
    assert client_of(member).get(sharing_url(program)).status_code == 405


def test_the_page_refuses_post(member, client_of):
    assert client_of(member).post(HOME_URL).status_code == 405


def test_the_page_needs_sign_in(client, db):
    response = client.get(HOME_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# Who has opened your records --------------------------------------------------------------


def test_the_page_lists_who_opened_my_records_in_my_time_zone(
    member, supporter, on_call_clinician, outsider, program, client_of
):
    Profile.objects.filter(user=member).update(time_zone="America/Los_Angeles")
    Profile.objects.filter(user=supporter).update(display_name="Kind Heron 4")
    Profile.objects.filter(user=on_call_clinician).update(display_name="Dr Night Owl")
    with time_machine.travel(datetime(2025, 3, 4, 18, 30, tzinfo=UTC), tick=False):
        opened(supporter, member, program, role="supporter")
    with time_machine.travel(datetime(2025, 3, 5, 9, 0, tzinfo=UTC), tick=False):
        opened(
            on_call_clinician,
            member,
            program,
            role="clinician",
            purpose="emergency",
            emergency=True,
        )
    opened(supporter, outsider, program, role="supporter", purpose="secret-of-someone-else")

    page = client_of(member).get(HOME_URL).content.decode()

    assert "Kind Heron 4" in page
    assert "Peer supporter" in page
    assert "Dr Night Owl" in page
    assert "Clinician" in page
    assert "profile" in page
    # 18:30 UTC is 10:30 in Los Angeles in March (before daylight saving starts on the 9th).
    assert "10:30" in page
    assert "access-log__emergency" in page
    assert page.count("tag--emergency") == 1
    assert "secret-of-someone-else" not in page


def test_the_log_is_paginated(member, supporter, program, client_of):
    for _ in range(30):
        opened(supporter, member, program, role="supporter")
    client = client_of(member)

    first = client.get(HOME_URL).content.decode()
    second = client.get(HOME_URL, {"page": 2}).content.decode()

    assert first.count("<tr") == 1 + 25
    assert second.count("<tr") == 1 + 5
    assert "Page 2 of 2" in second


def test_the_page_query_count_does_not_grow_with_the_log(
    member, supporter, coordinator, program, client_of, django_assert_max_num_queries
):
    client = client_of(member)
    opened(supporter, member, program, role="supporter")
    client.get(HOME_URL)
    with django_assert_max_num_queries(99) as captured:
        client.get(HOME_URL)
    baseline = len(captured.captured_queries)
    for viewer in (coordinator, *(make_person(program, "supporter") for _ in range(5))):
        opened(viewer, member, program, role="supporter")
    actions.grant_sharing_consent(member, program=program, audience="staff", scopes=["goals"])

    with django_assert_max_num_queries(baseline):
        response = client.get(HOME_URL)

    assert response.content.decode().count("<tr") == 1 + 7


def test_the_page_query_count_is_pinned(
    member, supporter, program, client_of, django_assert_num_queries
):
    client = client_of(member)
    for _ in range(3):
        opened(supporter, member, program, role="supporter")
    client.get(HOME_URL)

    # This page's own: consents, memberships, their roles, the log's count and one page of it
    # with actors and programs joined; the rest are sessions, two-factor and the layout's.
    with django_assert_num_queries(10):
        client.get(HOME_URL)
