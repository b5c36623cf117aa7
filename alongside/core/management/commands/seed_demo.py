"""`manage.py seed_demo`: load the demo programs and people, then show how to log in."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alongside.core import demo


class Command(BaseCommand):
    help = "Create demo programs and people (idempotent) and print one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when ALONGSIDE_ENV=production (the demo password is public).",
        )

    def handle(self, *args, allow_production: bool, **options):
        if getattr(settings, "PRODUCTION", False) and not allow_production:
            raise CommandError(
                "Refusing to load demo data with ALONGSIDE_ENV=production: every demo login "
                "shares a published password. Pass --allow-production if you really mean it."
            )
        data = demo.seed()
        created = ", ".join(f"{count} {what}" for what, count in data.created.items() if count)
        self.stdout.write(
            f"Demo data ready ({'created ' + created if created else 'nothing new'})."
        )
        self.stdout.write("Demo logins (sign in at /accounts/login/):")
        self.stdout.write(self._logins_table(data.logins))
        self.stdout.write(
            "Staff logins (coordinator, clinician, moderator, admin) also ask for a two-factor code: "
            "run `.venv/bin/python manage.py demo_totp` for the current one, or add the secret "
            f"{demo.DEMO_TOTP_SECRET} to an authenticator app."
        )

    def _logins_table(self, logins: list[demo.DemoLogin]) -> str:
        rows = [("Role", "Email", "Password")]
        rows += [(login.role, login.email, demo.DEMO_PASSWORD) for login in logins]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines)
