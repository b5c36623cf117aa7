"""Consent to share: granted and revoked by the member alone, effective on the next call."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from alongside.privacy import access, actions
from alongside.privacy.models import SharingConsent
from alongside.programs.models import Membership, MembershipRole
from alongside.testing import make_person


def shares(member, program, audience="supporter", scope="checkins"):
    return access.has_sharing_consent(member, program=program, audience=audience, scope=scope)


def test_nothing_is_shared_until_the_member_says_so(member, program):
    assert not shares(member, program)
    assert not shares(member, program, "staff", "questionnaires")


def test_granting_takes_effect_on_the_very_next_call(member, program):
    actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["checkins"]
    )

    assert shares(member, program, "supporter", "checkins")
    assert not shares(member, program, "supporter", "questionnaires")
    assert not shares(member, program, "staff", "checkins")


def test_revoking_takes_effect_on_the_very_next_call(member, program):
    actions.grant_sharing_consent(
        member, program=program, audience="staff", scopes=["checkins", "safety_plan"]
    )
    assert shares(member, program, "staff", "checkins")

    revoked = actions.revoke_sharing_consent(
        member, program=program, audience="staff", scopes=["checkins"]
    )

    assert revoked == 1
    assert not shares(member, program, "staff", "checkins")
    assert shares(member, program, "staff", "safety_plan")


def test_revoking_and_granting_again_keeps_the_history(member, program):
    actions.grant_sharing_consent(member, program=program, audience="supporter", scopes=["goals"])
    actions.revoke_sharing_consent(member, program=program, audience="supporter", scopes=["goals"])
    actions.grant_sharing_consent(member, program=program, audience="supporter", scopes=["goals"])

    rows = SharingConsent.objects.filter(member=member, scope="goals").order_by("id")
    assert rows.count() == 2
    first, second = rows
    assert first.revoked_at is not None and first.revoked_at >= first.granted_at
    assert second.revoked_at is None
    assert shares(member, program, "supporter", "goals")


def test_granting_twice_keeps_one_consent_in_force(member, program):
    actions.grant_sharing_consent(member, program=program, audience="supporter", scopes=["goals"])
    actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["goals", "goals"]
    )

    assert SharingConsent.objects.filter(member=member).count() == 1


def test_consent_is_per_program(member, program, other_program):
    membership = Membership.objects.create(user=member, program=other_program)
    MembershipRole.objects.create(membership=membership, role="member")
    actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["checkins"]
    )

    assert not shares(member, other_program, "supporter", "checkins")


def test_only_members_of_the_program_can_consent(outsider, supporter, program):
    with pytest.raises(Http404):
        actions.grant_sharing_consent(
            outsider, program=program, audience="supporter", scopes=["checkins"]
        )
    # A supporter holds no member role: they have no records of their own here to share.
    with pytest.raises(Http404):
        actions.grant_sharing_consent(
            supporter, program=program, audience="staff", scopes=["checkins"]
        )
    assert not SharingConsent.objects.exists()


def test_consent_is_always_the_actors_own(member, program):
    other = make_person(program, "member")
    actions.grant_sharing_consent(member, program=program, audience="staff", scopes=["checkins"])

    assert shares(member, program, "staff", "checkins")
    assert not shares(other, program, "staff", "checkins")


def test_unknown_scope_or_audience_saves_nothing(member, program):
    with pytest.raises(ValidationError):
        actions.grant_sharing_consent(
            member, program=program, audience="supporter", scopes=["checkins", "diary"]
        )
    with pytest.raises(ValidationError):
        actions.grant_sharing_consent(member, program=program, audience="family", scopes=["goals"])
    assert not SharingConsent.objects.exists()


def test_set_sharing_consents_makes_the_choices_exactly_so(member, program):
    actions.grant_sharing_consent(member, program=program, audience="staff", scopes=["goals"])

    actions.set_sharing_consents(
        member, program=program, shared={("supporter", "checkins"), ("staff", "questionnaires")}
    )

    in_force = {(c.audience, c.scope) for c in access.consents_in_force(member)}
    assert in_force == {("supporter", "checkins"), ("staff", "questionnaires")}
    assert SharingConsent.objects.filter(scope="goals", revoked_at__isnull=False).exists()
