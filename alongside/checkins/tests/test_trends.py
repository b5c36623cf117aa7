"""Trends: the member's own charts, and others' view of them only with the member's consent in
force, every view logged, a revocation hiding them at the very next request."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.checkins.models import CheckIn, QuestionnaireResponse
from alongside.core.models import AccessLogEntry
from alongside.pairing.models import Pairing
from alongside.privacy.actions import (
    grant_sharing_consent,
    revoke_sharing_consent,
    start_emergency_access,
)
from alongside.privacy.models import Audience, Scope
from alongside.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db
# Session, user, layout 10; program, member, roles, consents, the page's reads, two log inserts.
SHARED_PAGE_QUERIES = 23


def history(member, program, days=90):
    today = timezone.localdate()
    for back in range(days):
        CheckIn.objects.create(
            member=member,
            program=program,
            day=today - timedelta(days=back),
            mood=1 + back % 10,
            values={"cravings": back % 11, "sleep_hours": 6.5, "routine_done": "partly"},
        )
    for back in range(0, days, 14):
        QuestionnaireResponse.objects.create(
            member=member,
            program=program,
            questionnaire="phq9",
            answers=[1] * 9,
            score=9,
            band="mild",
            day=today - timedelta(days=back),
        )


def own_url(program, days=30):
    return reverse("checkins:trends", args=[program.slug]) + f"?days={days}"


def shared_url(program, member, days=30):
    return reverse("checkins:member_trends", args=[program.slug, member.pk]) + f"?days={days}"


def test_the_member_sees_accessible_svg_charts_with_a_data_table(member, program, client_of):
    history(member, program)

    content = client_of(member).get(own_url(program, 7)).content.decode()

    assert content.count('role="img"') >= 5
    assert '<title id="chart-mood-title">Mood</title>' in content
    assert "Recorded on 7 of 7 days" in content
    assert "<table>" in content and "6.5" in content and "Partly" in content
    assert 'aria-current="page">7 days' in content


def test_chart_numbers_keep_a_dot_in_spanish_and_the_table_is_escaped(member, program, client_of):
    history(member, program, days=30)
    member.profile.preferred_language = "es"
    member.profile.save()
    CheckIn.objects.filter(member=member).update(values={"sleep_hours": 6.5})

    content = client_of(member).get(own_url(program, 30)).content.decode()

    svg = "".join(re.findall(r"<svg.*?</svg>", content, flags=re.S))
    assert 'cx="34"' in svg and "<circle" in svg
    assert not re.search(r'(?:x|y|x1|x2|y1|y2|cx|cy)="-?\d+,\d', svg)
    assert "<td>6.5</td>" in content or "<td>6,5</td>" in content
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">[^<]+</time>', content)


@pytest.mark.parametrize("days", [7, 30, 90])
def test_the_trends_page_takes_a_fixed_number_of_queries_whatever_the_window(
    member, program, client_of, days
):
    history(member, program)
    client = client_of(member)
    client.get(own_url(program, days))  # the program's defaults are made on first use

    with CaptureQueriesContext(connection) as queries:
        assert client.get(own_url(program, days)).status_code == 200

    # Session, user, membership and the layout's badge are 10; the page's own are 7.
    assert len(queries) == 12, [q["sql"] for q in queries.captured_queries]


def test_staff_see_a_members_trends_only_while_the_member_shares_them(
    member, program, coordinator, client_of
):
    history(member, program, days=10)
    client = client_of(coordinator)
    assert client.get(shared_url(program, member)).status_code == 404

    grant_sharing_consent(member, program=program, audience=Audience.STAFF, scopes=[Scope.CHECKINS])
    shown = client.get(shared_url(program, member))
    assert shown.status_code == 200
    content = shown.content.decode()
    assert "chart-mood-title" in content and "chart-phq9-title" not in content

    revoke_sharing_consent(
        member, program=program, audience=Audience.STAFF, scopes=[Scope.CHECKINS]
    )
    assert client.get(shared_url(program, member)).status_code == 404


def test_every_view_by_staff_is_logged_one_row_per_record_shown(
    member, program, on_call_clinician, client_of
):
    history(member, program, days=10)
    grant_sharing_consent(
        member,
        program=program,
        audience=Audience.STAFF,
        scopes=[Scope.CHECKINS, Scope.QUESTIONNAIRES],
    )

    client_of(on_call_clinician).get(shared_url(program, member, days=7))

    rows = AccessLogEntry.objects.filter(actor=on_call_clinician, subject=member)
    assert rows.filter(purpose="shared_checkins", object_type="checkins.CheckIn").count() == 7
    assert rows.filter(purpose="shared_questionnaires").count() == 1
    assert set(rows.values_list("actor_role", flat=True)) == {"clinician"}


def test_a_clinicians_emergency_access_shows_everything_marked_as_emergency(
    member, program, on_call_clinician, client_of
):
    history(member, program, days=3)
    start_emergency_access(
        on_call_clinician,
        program=program,
        member=member,
        reason="Escalation: member unreachable after a crisis flag.",
        password=TEST_PASSWORD,
    )

    response = client_of(on_call_clinician).get(shared_url(program, member, days=7))

    assert "emergency access" in response.content.decode()
    logged = AccessLogEntry.objects.filter(actor=on_call_clinician, object_type="checkins.CheckIn")
    assert logged.count() == 3 and all(logged.values_list("emergency_access", flat=True))


def test_the_peer_supporter_sees_trends_only_with_the_pairing_and_the_consent(
    member, program, supporter, client_of
):
    history(member, program, days=3)
    client = client_of(supporter)
    grant_sharing_consent(
        member, program=program, audience=Audience.SUPPORTER, scopes=[Scope.QUESTIONNAIRES]
    )
    assert client.get(shared_url(program, member)).status_code == 404

    pairing = Pairing.objects.create(
        program=program, member=member, supporter=supporter, state="active"
    )
    content = client.get(shared_url(program, member)).content.decode()
    assert "chart-phq9-title" in content and "chart-mood-title" not in content

    pairing.state = "closed"
    pairing.save()
    assert client.get(shared_url(program, member)).status_code == 404


@pytest.mark.parametrize("who", ["admin_user", "outsider", "facilitator", "moderator"])
def test_nobody_else_sees_a_members_trends_even_with_consent(
    member, program, client_of, request, who
):
    grant_sharing_consent(
        member,
        program=program,
        audience=Audience.STAFF,
        scopes=[Scope.CHECKINS, Scope.QUESTIONNAIRES],
    )

    response = client_of(request.getfixturevalue(who)).get(shared_url(program, member))

    assert response.status_code == 404


@pytest.mark.parametrize("days", [7, 90])
def test_the_shared_trends_page_takes_a_fixed_number_of_queries(
    member, program, coordinator, client_of, days
):
    history(member, program)
    grant_sharing_consent(
        member,
        program=program,
        audience=Audience.STAFF,
        scopes=[Scope.CHECKINS, Scope.QUESTIONNAIRES],
    )
    client = client_of(coordinator)
    client.get(shared_url(program, member, days))

    with CaptureQueriesContext(connection) as queries:
        assert client.get(shared_url(program, member, days)).status_code == 200

    assert len(queries) == SHARED_PAGE_QUERIES, [q["sql"] for q in queries.captured_queries]
