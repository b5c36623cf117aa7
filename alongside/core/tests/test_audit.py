"""The access log is written in the reading transaction and cannot be changed afterwards."""

import pytest
from django.db import DatabaseError, connection, transaction

from alongside.core import audit
from alongside.core.models import AccessLogEntry


def _open_profile(coordinator, member, program):
    return audit.record_access(
        coordinator,
        actor_role="coordinator",
        subject=member,
        obj=member.profile,
        purpose="care",
        program=program,
    )


def test_one_row_records_who_whose_what_and_why(coordinator, member, program, rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    entry = audit.record_access(
        coordinator,
        actor_role="coordinator",
        subject=member,
        obj=member.profile,
        purpose="care",
        program=program,
        request=request,
    )
    stored = AccessLogEntry.objects.get()
    assert stored == entry
    assert (stored.actor, stored.subject, stored.program) == (coordinator, member, program)
    assert (stored.object_type, stored.object_id) == ("accounts.Profile", str(member.profile.pk))
    assert (stored.purpose, stored.ip_address, stored.outcome) == ("care", "203.0.113.9", "allowed")


def test_a_list_page_writes_one_row_per_record_in_one_query(
    coordinator, member, supporter, program, django_assert_num_queries
):
    records = [(member, member.profile), (supporter, supporter.profile)]
    # savepoint, one INSERT for both rows, release
    with django_assert_num_queries(3):
        audit.record_list_access(
            coordinator, actor_role="coordinator", records=records, purpose="care", program=program
        )
    assert AccessLogEntry.objects.count() == 2


def test_no_row_survives_when_the_read_rolls_back(coordinator, member, program):
    with pytest.raises(RuntimeError), transaction.atomic():
        _open_profile(coordinator, member, program)
        raise RuntimeError("the read failed")
    assert not AccessLogEntry.objects.exists()


def test_rows_cannot_be_changed_or_deleted_through_the_application(coordinator, member, program):
    entry = _open_profile(coordinator, member, program)
    entry.purpose = "curiosity"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="curiosity")
    with pytest.raises(PermissionError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get().purpose == "care"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_the_database_refuses_changes_made_behind_the_application(coordinator, member, program):
    entry = _open_profile(coordinator, member, program)
    for statement in (
        "UPDATE core_accesslogentry SET purpose = 'curiosity' WHERE id = %s",
        "DELETE FROM core_accesslogentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert AccessLogEntry.objects.get().purpose == "care"


def test_a_member_sees_who_opened_their_records(coordinator, member, supporter, program):
    _open_profile(coordinator, member, program)
    audit.record_access(
        supporter, actor_role="supporter", subject=supporter, obj=supporter.profile, purpose="care"
    )
    assert [e.actor for e in audit.accesses_to_records_of(member)] == [coordinator]
