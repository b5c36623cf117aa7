"""Batch-match the waiting members of one program and propose the pairs, with the reasons.

    python manage.py match --program SLUG [--dry-run]

The same exact matching as the coordinator's batch page, with the program's weights and top K.
Without --dry-run the proposals are made at once and both sides of each are told.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from alongside.pairing import actions, profiles
from alongside.programs.models import Program


class Command(BaseCommand):
    help = "Match a program's waiting members with its supporters and propose the pairs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--program", required=True, help="The program's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the proposals without making them."
        )

    def handle(self, *args, **options) -> None:
        program = Program.objects.filter(slug=options["program"], is_active=True).first()
        if program is None:
            raise CommandError(f"No active program with the slug {options['program']!r}.")
        proposals = profiles.cohort_proposals(program)
        for proposal in proposals:
            self.stdout.write(
                f"{proposal.member.display_name} (#{proposal.member.pk}) -> "
                f"{proposal.supporter.display_name} (#{proposal.supporter.pk})  "
                f"fit {proposal.total:.2f}"
            )
            for reason in proposal.reasons:
                self.stdout.write(f"    +{reason.contribution:.2f}  {reason.sentence}")
        if options["dry_run"]:
            self.stdout.write(f"{len(proposals)} proposals (dry run: nothing was proposed).")
            return
        try:
            made = actions.propose_pairings_from_command(
                program=program, pairs=[(p.member.pk, p.supporter.pk) for p in proposals]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{len(made)} proposals made; both sides of each have been told.")
