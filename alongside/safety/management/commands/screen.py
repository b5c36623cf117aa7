"""Screen JSON lines from standard input and write one JSON line per result to standard output.

    echo '{"id": 1, "text": "I want to die", "language": "en"}' | python manage.py screen

The format and the handling of bad lines are those of alongside.safety.screening.jsonl.
"""

import json
import sys

from django.core.management.base import BaseCommand

from alongside.safety.screening.jsonl import screen_lines


class Command(BaseCommand):
    help = (
        'Screen JSON lines {"id", "text", "language"} read from standard input; write '
        '{"id", "level", "categories", "reasons"} lines, or {"line", "error"} for a bad line.'
    )
    # Tests pass a StringIO here, as Django's own createsuperuser allows.
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        # Bytes when we can, so one line that is not UTF-8 is reported instead of ending the run.
        lines = getattr(stdin, "buffer", stdin)
        for result in screen_lines(lines):
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            self.stdout.flush()
