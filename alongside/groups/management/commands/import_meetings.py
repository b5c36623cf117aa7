"""manage.py import_meetings FILE_OR_URL --program SLUG: load a Meeting Guide feed."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.groups import feeds, fetch, meetingguide
from alongside.programs.models import Program


def read_feed(source: str, *, max_bytes: int = meetingguide.MAX_FEED_BYTES) -> bytes:
    """The bytes of a feed file or http(s) URL, at most `max_bytes` + 1 (parse_feed refuses more).

    An operator may import from any address, a private one included; the import page may not.
    """
    if source.startswith(("http://", "https://")):
        try:
            return fetch.fetch_feed(source, public_only=False, max_bytes=max_bytes)
        except fetch.FetchError as error:
            raise CommandError(f"Could not fetch {source}: {error}") from error
    path = Path(source)
    try:
        with path.open("rb") as feed_file:
            return feed_file.read(max_bytes + 1)
    except OSError as error:
        raise CommandError(f"Could not read {source}: {error.strerror}") from error


class Command(BaseCommand):
    help = "Create or update a program's meetings from a Meeting Guide JSON feed (file or URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="A feed file, or an http(s) URL of one.")
        parser.add_argument("--program", required=True, help="The program's short name.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the groups this import creates (existing groups are left as they are).",
        )

    def handle(self, *args, source: str, program: str, publish: bool, **options) -> None:
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise CommandError(f"No program {program!r}.")
        data = read_feed(source)
        try:
            report = feeds.import_feed(found, data, publish=publish)
        except meetingguide.FeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{report.total} meetings read: {len(report.created)} created, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len({problem.index for problem in report.rejected})} rejected."
        )
        for problem in report.rejected:
            self.stdout.write(
                f"Rejected #{problem.index + 1} {problem.label}: {problem.field}: {problem.message}"
            )
        for warning in report.warnings:
            self.stdout.write(
                f"Warning #{warning.index + 1} {warning.label}: {warning.field}: {warning.message}"
            )
