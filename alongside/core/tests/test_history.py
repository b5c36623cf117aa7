"""Changes to sensitive records keep a history: who changed what, and when."""

from alongside.privacy import actions as privacy_actions
from alongside.privacy.models import SharingConsent
from alongside.programs import actions as program_actions
from alongside.programs.models import MembershipRole


def test_granting_and_revoking_a_role_is_remembered(coordinator, member):
    membership = member.memberships.get()
    program_actions.grant_role(coordinator, membership=membership, role="supporter")
    program_actions.revoke_role(coordinator, membership=membership, role="supporter")
    changes = MembershipRole.history.filter(membership_id=membership.pk, role="supporter")
    assert [change.history_type for change in changes.order_by("history_date")] == ["+", "-"]


def test_consent_changes_are_remembered(member, program):
    privacy_actions.grant_sharing_consent(
        member, program=program, audience="supporter", scopes=["checkins"]
    )
    privacy_actions.revoke_sharing_consent(
        member, program=program, audience="supporter", scopes=["checkins"]
    )
    history = SharingConsent.history.filter(member_id=member.pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~"]
    assert history.last().revoked_at is not None


def test_the_person_who_changed_a_program_is_recorded(client_of, coordinator, program):
    response = client_of(coordinator).post(
        f"/programs/{program.slug}/settings/",
        {
            "description": "Meetings moved to the library.",
            "contact_email": "help@riverside.example",
            "contact_phone": "",
            "crisis_line_name": "988 Suicide & Crisis Lifeline",
            "crisis_line_phone": "988",
            "crisis_line_text": "",
            "default_time_zone": "America/New_York",
            "join_code_enabled": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    latest = program.history.latest()
    assert latest.description == "Meetings moved to the library."
    assert latest.history_user == coordinator
