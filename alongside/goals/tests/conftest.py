"""Goal stories: a member's goal and their consent to show goals to staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from alongside.goals import actions
from alongside.goals.models import Visibility
from alongside.privacy.actions import grant_sharing_consent, revoke_sharing_consent
from alongside.privacy.models import Audience, Scope


def in_days(days: int):
    return timezone.now().date() + timedelta(days=days)


def set_goal(member, program, *, what="Walk 20 minutes, three days a week", shared=False, **more):
    """A goal of `member` in `program`, set through the action as the member would."""
    return actions.create_goal(
        member,
        program=program,
        what=what,
        why=more.pop("why", "To sleep better"),
        how_measured=more.pop("how_measured", "Days walked each week"),
        target_date=more.pop("target_date", in_days(60)),
        visibility=Visibility.STAFF if shared else Visibility.PRIVATE,
    ).item


def share_goals_with_staff(member, program):
    grant_sharing_consent(member, program=program, audience=Audience.STAFF, scopes=[Scope.GOALS])


def stop_sharing_goals(member, program):
    revoke_sharing_consent(member, program=program, audience=Audience.STAFF, scopes=[Scope.GOALS])


@pytest.fixture
def goal(member, program):
    return set_goal(member, program)


@pytest.fixture
def shared_goal(member, program):
    share_goals_with_staff(member, program)
    return set_goal(member, program, shared=True)
