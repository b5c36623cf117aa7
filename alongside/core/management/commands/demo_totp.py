"""`manage.py demo_totp`: the two-factor code the demo's staff logins need right now."""

from django.core.management.base import BaseCommand

from alongside.core import demo


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff logins (demo data only)."

    def handle(self, *args, **options):
        from allauth.mfa.totp.internal.auth import (
            format_hotp_value,
            hotp_value,
            yield_hotp_counters_from_time,
        )

        counter = next(iter(yield_hotp_counters_from_time()))
        code = format_hotp_value(hotp_value(demo.DEMO_TOTP_SECRET, counter))
        self.stdout.write(
            f"Two-factor code for demo staff logins: {code}  (changes every 30 seconds)"
        )
        self.stdout.write(f"Or add this secret to an authenticator app: {demo.DEMO_TOTP_SECRET}")
