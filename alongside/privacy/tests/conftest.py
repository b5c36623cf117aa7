import pytest

from alongside.core.audit import record_access


@pytest.fixture
def member_records_opened(member, supporter, on_call_clinician, program):
    """The member's profile opened once by their supporter and once, in an emergency, by the clinician."""
    return [
        record_access(
            supporter,
            actor_role="supporter",
            subject=member,
            obj=member.profile,
            purpose="support",
            program=program,
        ),
        record_access(
            on_call_clinician,
            actor_role="clinician",
            subject=member,
            obj=member.profile,
            purpose="emergency",
            program=program,
            emergency=True,
        ),
    ]
