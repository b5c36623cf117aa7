"""Numbers about programs for the home page, a fixed handful of queries however many programs."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from alongside.programs.models import Invitation, Membership, MembershipRole, Program, Role


@dataclass
class ProgramNumbers:
    """Counts of active people by role, newcomers of the last 30 days, invitations waiting."""

    people_by_role: dict[str, int] = field(default_factory=dict)
    people: int = 0
    joined_recently: int = 0
    pending_invitations: int = 0

    @property
    def members(self) -> int:
        return self.people_by_role.get(Role.MEMBER, 0)

    @property
    def role_rows(self) -> list[tuple[str, int]]:
        """(role label, count) for every role, in the order roles are listed everywhere."""
        return [(str(label), self.people_by_role.get(value, 0)) for value, label in Role.choices]


RECENT_DAYS = 30


def numbers_for(programs: list[Program], *, with_staff_counts: bool) -> dict[int, ProgramNumbers]:
    """ProgramNumbers per program id; the staff-only counts only when asked for."""
    numbers = {program.pk: ProgramNumbers() for program in programs}
    if not numbers:
        return numbers
    by_role = (
        MembershipRole.objects.filter(membership__program__in=numbers)
        .filter(membership__is_active=True)
        .values_list("membership__program", "role")
        .annotate(n=Count("id"))
        .order_by()
    )
    for program_id, role, count in by_role:
        numbers[program_id].people_by_role[role] = count
    if not with_staff_counts:
        return numbers
    active = Membership.objects.filter(program__in=numbers).filter(is_active=True)
    recently = Q(joined_at__gte=timezone.now() - timedelta(days=RECENT_DAYS))
    for program_id, total, recent in (
        active.values_list("program")
        .annotate(
            total=Count("id"),
            recent=Count("id", filter=recently),
        )
        .order_by()
    ):
        numbers[program_id].people = total
        numbers[program_id].joined_recently = recent
    pending = (
        Invitation.objects.pending()
        .filter(program__in=numbers)
        .values_list("program")
        .annotate(n=Count("id"))
        .order_by()
    )
    for program_id, count in pending:
        numbers[program_id].pending_invitations = count
    return numbers
