"""`manage.py match`: the batch for one program from the database, printed with the reasons."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from alongside.notifications.models import Notification
from alongside.pairing.models import Pairing, SessionLog, State


def run_match(*args):
    from io import StringIO

    out = StringIO()
    call_command("match", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_prints_the_proposals_with_reasons_and_makes_none(
    program, approved_supporter, waiting_member
):
    printed = run_match("--program", program.slug, "--dry-run")

    assert f"{waiting_member.display_name} (#{waiting_member.pk}) -> " in printed
    assert "You both speak English" in printed
    assert "1 proposals (dry run" in printed
    assert not Pairing.objects.exists()


def test_a_run_proposes_the_pairs_and_tells_both_sides(program, approved_supporter, waiting_member):
    Notification.objects.all().delete()

    printed = run_match("--program", program.slug)

    pairing = Pairing.objects.get()
    assert (pairing.member, pairing.supporter, pairing.state) == (
        waiting_member,
        approved_supporter,
        State.PROPOSED,
    )
    assert pairing.created_by is None
    assert Notification.objects.filter(kind="pairing.proposed").count() == 2
    assert "1 proposals made" in printed


def test_an_unknown_program_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No active program with the slug 'nowhere'"):
        run_match("--program", "nowhere")


def test_the_admin_shows_pairings_without_the_encrypted_words(pairing_in, admin_user, client_of):
    pairing = pairing_in("active")
    SessionLog.objects.create(
        pairing=pairing,
        date=pairing.started_at.date(),
        duration_minutes=30,
        modality="phone",
        notes="private words of the supporter",
    )
    Pairing.objects.filter(pk=pairing.pk).update(member_feedback="member's own words")
    client = client_of(admin_user)

    pages = [
        client.get(reverse("admin:pairing_pairing_change", args=[pairing.pk])),
        client.get(reverse("admin:pairing_sessionlog_changelist")),
        client.get(reverse("admin:pairing_pairingsettings_changelist")),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert "member&#x27;s own words" not in pages[0].content.decode()
    assert (
        client.post(reverse("admin:pairing_pairing_delete", args=[pairing.pk])).status_code == 403
    )
