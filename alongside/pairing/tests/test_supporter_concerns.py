"""A supporter's queue of concern flags of the members they support now (safety app pages)."""

import pytest
from django.urls import reverse

from alongside.core.models import AccessLogEntry
from alongside.pairing import actions
from alongside.safety.access import unreviewed_flags_of
from alongside.safety.models import Flag
from alongside.testing import make_pairing, make_person


def flag_of(author, program, level="concern"):
    return Flag.objects.create(
        program=program, author=author, writing_path="safety.help_now", level=level
    )


def queue_url(program):
    return reverse("safety:member_concerns", args=[program.slug])


def reached_out_url(program, flag):
    return reverse("safety:member_concern_reached_out", args=[program.slug, flag.pk])


@pytest.fixture
def other_supporters_member(program, coordinator):
    """A member actively paired with another supporter of the same program."""
    other_member = make_person(program, "member", email="their-member@example.test")
    other_supporter = make_person(program, "supporter", email="other-supporter@example.test")
    make_pairing(other_member, other_supporter, coordinator, program)
    return other_member


def test_a_supporter_sees_unreviewed_concerns_of_their_members_only(
    program, member, pairing_in, other_supporters_member, approved_supporter, client_of
):
    pairing_in("active")
    mine = flag_of(member, program)
    flag_of(member, program, level="urgent")
    theirs = flag_of(other_supporters_member, program)

    response = client_of(approved_supporter).get(queue_url(program))

    assert response.status_code == 200
    assert [flag for flag, _where in response.context["rows"]] == [mine]
    assert reached_out_url(program, mine) in response.content.decode()
    assert reached_out_url(program, theirs) not in response.content.decode()
    (logged,) = AccessLogEntry.objects.filter(actor=approved_supporter)
    assert (logged.subject, logged.purpose, logged.object_id) == (
        member,
        actions.SUPPORTER_CONCERN_PURPOSE,
        str(mine.pk),
    )


def test_a_closed_pairing_shows_nothing(program, member, pairing_in, approved_supporter, client_of):
    pairing_in("closed")
    flag_of(member, program)

    response = client_of(approved_supporter).get(queue_url(program))

    assert response.context["rows"] == []


def test_i_reached_out_marks_the_concern_reviewed_for_everyone(
    program, member, pairing_in, approved_supporter, client_of
):
    pairing_in("paused")
    flag = flag_of(member, program)
    client = client_of(approved_supporter)

    client.post(reached_out_url(program, flag))
    again = client.post(reached_out_url(program, flag))

    flag.refresh_from_db()
    assert (flag.reviewed_by, flag.reviewed_at is not None) == (approved_supporter, True)
    assert flag not in unreviewed_flags_of(program)
    assert again.status_code == 404
    assert client.get(queue_url(program)).context["rows"] == []


def test_another_supporters_member_cannot_be_marked(
    program, pairing_in, other_supporters_member, approved_supporter, client_of
):
    pairing_in("active")
    theirs = flag_of(other_supporters_member, program)

    response = client_of(approved_supporter).post(reached_out_url(program, theirs))

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.reviewed_at is None


def test_people_who_are_not_supporters_get_404(
    program, member, pairing_in, outsider, coordinator, client_of
):
    pairing_in("active")
    flag = flag_of(member, program)

    for person in (outsider, member, coordinator):
        assert client_of(person).get(queue_url(program)).status_code == 404
        assert client_of(person).post(reached_out_url(program, flag)).status_code == 404
    flag.refresh_from_db()
    assert flag.reviewed_at is None
