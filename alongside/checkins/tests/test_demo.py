"""The check-in demo: 90 days of varied history, made once however often it runs."""

import pytest

from alongside.checkins.demo import HISTORY_DAYS, seed_checkins
from alongside.checkins.models import CheckIn, CheckInPreference, QuestionnaireResponse
from alongside.core.demo import DemoData
from alongside.privacy.access import has_sharing_consent
from alongside.privacy.models import Audience, Scope
from alongside.programs.models import Role
from alongside.testing import make_person

pytestmark = pytest.mark.django_db


def test_the_demo_gives_members_varied_history_once(program, member):
    other = make_person(program, "member")
    data = DemoData(
        programs={"riverside": program}, people={"riverside": {Role.MEMBER: [member, other]}}
    )

    first = seed_checkins(data)
    second = seed_checkins(data)

    assert first["check_ins"] == CheckIn.objects.count() > HISTORY_DAYS
    assert second == {"check_ins": 0, "questionnaires": 0}
    moods = set(CheckIn.objects.values_list("mood", flat=True))
    assert len(moods) >= 5
    assert (
        QuestionnaireResponse.objects.filter(member=member)
        .values("questionnaire")
        .distinct()
        .count()
        == 3
    )
    assert CheckInPreference.objects.get(member=member).remind_at is not None
    assert has_sharing_consent(
        member, program=program, audience=Audience.STAFF, scope=Scope.CHECKINS
    )
