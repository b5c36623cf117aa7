"""The groups demo: 30+ groups with meetings, members, requests and RSVPs; twice is once."""

from alongside.core.demo import seed
from alongside.groups import demo_directory
from alongside.groups.demo import seed_groups
from alongside.groups.models import RSVP, Group, GroupMembership, Meeting, MembershipStatus


def test_the_demo_has_thirty_groups_with_meetings_and_a_second_run_adds_nothing(db):
    data = seed()  # once the lead wires seed_groups into seed(), that run seeds groups already
    seed_groups(data)

    again = seed_groups(data)

    assert Group.objects.exclude(program__slug=demo_directory.PROGRAM_SLUG).count() == 32
    assert again == {
        "groups": 0,
        "meetings": 0,
        "memberships": 0,
        "directory_groups": 0,
        "directory_meetings": 0,
    }
    assert Meeting.objects.count() >= 32
    assert set(Meeting.objects.values_list("group__time_zone", flat=True)) == {
        "America/New_York",
        "America/Chicago",
    }
    assert Meeting.objects.exclude(rule__contains="WEEKLY").exists()
    assert GroupMembership.objects.filter(status=MembershipStatus.REQUESTED).exists()
    assert RSVP.objects.exists()
    programs_groups = Meeting.objects.exclude(program__slug=demo_directory.PROGRAM_SLUG)
    assert all(meeting.next_occurrence(meeting.created_at) for meeting in programs_groups)
