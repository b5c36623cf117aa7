"""Check-in speed on PostgreSQL with 10,000 members' 90-day history in the database.

    python -m bench.checkins [--members 10000] [--samples 300] [--keep | --reuse]

Creates its own database next to DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/test,
whose own database is never touched), migrates it, seeds one program with `--members` members
(bulk_create) and 90 days of check-ins (an encrypted note on one day in five, a missed day in
six) and fortnightly PHQ-9 and GAD-7 answers (COPY), then times requests through Django's test
Client in process: the server's handling of each request, middleware and database included,
network not. Each sampled member views today's page, checks in, checks in again (replacing it)
and opens their 90-day trends; the /checkins/ redirect is the floor every request pays
(session, user, middleware). The database is dropped at the end unless --keep; --reuse
measures again on a kept one. Wall-clock times: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/test"
BENCH_DATABASE = "alongside_bench_checkins"
PROGRAM_SLUG = "bench-recovery"
HISTORY_DAYS = 90
NOTE_SHARE = 0.2
MISSED_SHARE = 1 / 6
QUESTIONNAIRE_EVERY_DAYS = 14
BATCH = 5_000
WARM_UP = 10
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
CHECK_IN_COLUMNS = (
    "member_id",
    "program_id",
    "day",
    "mood",
    "values",
    "note",
    "created_at",
    "updated_at",
)
RESPONSE_COLUMNS = (
    "member_id",
    "program_id",
    "questionnaire",
    "answers",
    "score",
    "band",
    "day",
    "submitted_at",
)
TARGETS_MS = {"submit": 50.0, "trends_90": 100.0}
NOTES = (
    "Went to my evening meeting and called my sponsor.",
    "Slept badly, but I made it to work on time.",
    "Cravings after the family dinner; took a walk instead.",
    "Good day at physio, the knee feels stronger.",
)


@dataclass(frozen=True)
class Row:
    """One kind of request: its wall-clock and CPU times in ms, and the wall-clock p95 target."""

    name: str
    target_ms: float | None
    timings_ms: list[float]
    cpu_ms: list[float]

    def percentile(self, share: float, timings: list[float] | None = None) -> float:
        ordered = sorted(self.timings_ms if timings is None else timings)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return "-"
        return "PASS" if self.percentile(0.95) < self.target_ms else "FAIL"


def _database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _recreate_database(server_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _close_django_connections() -> None:
    """Close this process's database connections, pooled ones too, before a forced drop ends them.

    `connections.close_all()` only hands a pooled connection back to its pool, where the drop
    would leave it dead for the next query.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()


def _database_exists(server_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(server_url) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def _set_up_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    # Timings without DEBUG's query log; the test Client calls itself "testserver".
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True  # nothing the benchmark does may land in the development queue
    logging.getLogger("axes").setLevel(logging.WARNING)  # one sign-in per sampled member
    call_command("migrate", verbosity=0)
    import_module(settings.ROOT_URLCONF)  # a broken URL configuration fails before seeding


def seed(members: int, today: date, rng: random.Random) -> tuple[object, list[int], int]:
    """One program with `members` members and their history before `today`; returns the program,
    the member ids and how many check-ins were made."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from alongside.accounts.models import Profile, User
    from alongside.checkins import access, scoring
    from alongside.checkins.models import CheckIn, QuestionnaireResponse
    from alongside.programs.models import Membership, MembershipRole, Program, Role

    program = Program.objects.create(name="Bench Recovery", slug=PROGRAM_SLUG)
    items = access.program_items_of(program)
    access.schedules_of(program)
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=f"bench{n}@example.test", password=password) for n in range(members)],
        batch_size=BATCH,
    )
    Profile.objects.bulk_create(
        [Profile(user=user, time_zone=ZONES[n % len(ZONES)]) for n, user in enumerate(users)],
        batch_size=BATCH,
    )
    memberships = Membership.objects.bulk_create(
        [Membership(user=user, program=program) for user in users], batch_size=BATCH
    )
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=m, role=Role.MEMBER) for m in memberships], batch_size=BATCH
    )
    note_field = CheckIn._meta.get_field("note")
    now = timezone.now()
    check_in_rows: list[tuple] = []
    response_rows: list[tuple] = []
    for user in users:
        offset = rng.randrange(QUESTIONNAIRE_EVERY_DAYS)
        for back in range(HISTORY_DAYS, 0, -1):
            day = today - timedelta(days=back)
            if rng.random() < MISSED_SHARE:
                continue
            note = rng.choice(NOTES) if rng.random() < NOTE_SHARE else ""
            check_in_rows.append(
                (
                    user.pk,
                    program.pk,
                    day,
                    rng.randint(1, 10),
                    json.dumps(_values(items, rng)),
                    note_field.get_prep_value(note),  # encrypted as the model stores it
                    now,
                    now,
                )
            )
            if back % QUESTIONNAIRE_EVERY_DAYS == offset:
                for code in (scoring.PHQ9, scoring.GAD7):
                    result = scoring.score(code, _answers(code, rng))
                    response_rows.append(
                        (
                            user.pk,
                            program.pk,
                            code,
                            json.dumps(list(result.answers)),
                            result.score,
                            result.band.code,
                            day,
                            now,
                        )
                    )
    # COPY rather than bulk_create: three quarters of a million rows in seconds, not minutes.
    _copy(CheckIn, CHECK_IN_COLUMNS, check_in_rows)
    _copy(QuestionnaireResponse, RESPONSE_COLUMNS, response_rows)
    return program, [user.pk for user in users], len(check_in_rows)


def _copy(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    from django.db import connection, transaction

    statement = "COPY {} ({}) FROM STDIN".format(model._meta.db_table, ", ".join(columns))
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _seeded(today: date) -> tuple[object, list[int]]:
    """The program and members of a kept database, without the check-ins earlier measurements
    made from `today` on, so each submission is new again."""
    from alongside.checkins.models import CheckIn
    from alongside.privacy.access import members_of
    from alongside.programs.models import Program

    program = Program.objects.get(slug=PROGRAM_SLUG)
    CheckIn.objects.filter(program=program, day__gte=today).delete()
    return program, list(members_of(program).values_list("pk", flat=True))


def _values(items, rng: random.Random) -> dict:
    from alongside.checkins import tracking

    values: dict = {}
    for item in items:
        if rng.random() < 0.2:
            continue
        if item.kind == tracking.SCALE_0_10:
            values[item.key] = rng.randint(0, 10)
        elif item.kind == tracking.HOURS:
            values[item.key] = rng.choice([4.5, 5, 6, 6.5, 7, 7.5, 8, 9])
        elif item.kind in tracking.CHOICES_OF:
            values[item.key] = rng.choice(tracking.CHOICES_OF[item.kind])
        else:
            values[item.key] = rng.randint(0, 2)
    return values


def _answers(code: str, rng: random.Random) -> list[int]:
    from alongside.checkins import scoring

    questionnaire = scoring.get_questionnaire(code)
    answers = [rng.choice(questionnaire.choices)[0] for _item in questionnaire.items]
    if code == scoring.PHQ9:
        answers[scoring.PHQ9_SELF_HARM_ITEM] = 0
    return answers


def _check_in_form(items, rng: random.Random) -> dict:
    from alongside.checkins.forms import ITEM_PREFIX

    form = {
        "mood": str(rng.randint(1, 10)),
        "idempotency_key": str(uuid.uuid4()),
        "note": rng.choice(NOTES) if rng.random() < 0.3 else "",
    }
    form.update({ITEM_PREFIX + key: str(value) for key, value in _values(items, rng).items()})
    return form


def measure(program, member_ids: list[int], samples: int, rng: random.Random) -> list[Row]:
    """Time the member's pages and check-in submissions, each member signed in beforehand."""
    from django.test import Client

    from alongside.accounts.models import User
    from alongside.checkins import access

    items = access.program_items_of(program)
    today_url = f"/checkins/{program.slug}/"
    trends_url = f"/checkins/{program.slug}/trends/?days={HISTORY_DAYS}"
    chosen = rng.sample(member_ids, samples + WARM_UP)
    names = ("index", "today", "submit", "submit_again", "trends_90")
    timings: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    client = Client()

    def timed(name: str, url: str, n: int, form: dict | None = None, expected: int = 200) -> None:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url) if form is None else client.post(url, form)
        elapsed = (time.perf_counter() - started) * 1000
        elapsed_cpu = (time.process_time() - started_cpu) * 1000
        if response.status_code != expected:
            raise SystemExit(f"{name}: HTTP {response.status_code}, expected {expected}")
        if n >= WARM_UP:
            timings[name].append(elapsed)
            cpu[name].append(elapsed_cpu)

    for n, member in enumerate(User.objects.filter(pk__in=chosen)):
        client.force_login(member)
        timed("index", "/checkins/", n, expected=302)
        timed("today", today_url, n)
        timed("submit", today_url, n, _check_in_form(items, rng), expected=302)
        timed("submit_again", today_url, n, _check_in_form(items, rng), expected=302)
        timed("trends_90", trends_url, n)
    described = {
        "index": ("floor: /checkins/ redirect (GET)", None),
        "today": ("today page (GET)", None),
        "submit": ("check-in, first of the day (POST)", TARGETS_MS["submit"]),
        "submit_again": ("check-in, replacing today's (POST)", TARGETS_MS["submit"]),
        "trends_90": ("90-day trends page (GET)", TARGETS_MS["trends_90"]),
    }
    return [
        Row(label, target, timings[name], cpu[name]) for name, (label, target) in described.items()
    ]


def print_table(rows: list[Row]) -> None:
    print(
        f"{'server time, ms':38} {'n':>4} {'p50':>6} {'p95':>6} {'p99':>6} {'cpu p95':>8}"
        f" {'target':>7}  result"
    )
    for row in rows:
        target = f"< {row.target_ms:.0f}" if row.target_ms is not None else ""
        print(
            f"{row.name:38} {len(row.timings_ms):4d} {row.percentile(0.5):6.1f} "
            f"{row.percentile(0.95):6.1f} {row.percentile(0.99):6.1f} "
            f"{row.percentile(0.95, row.cpu_ms):8.1f} {target:>7}  {row.verdict}"
        )
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; cpu = this process only"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure on a database kept by --keep, unseeded"
    )
    args = parser.parse_args(argv)
    server_url = os.environ.get("DATABASE_URL", DEFAULT_SERVER_URL)
    database_url = _database_url(server_url, BENCH_DATABASE)
    rng = random.Random(args.seed)

    if not args.reuse:
        _recreate_database(server_url, BENCH_DATABASE)
    elif not _database_exists(server_url, BENCH_DATABASE):
        raise SystemExit(f"No {BENCH_DATABASE} database to reuse: run once with --keep first.")
    try:
        started = time.perf_counter()
        _set_up_django(database_url)
        print(f"migrated {BENCH_DATABASE} in {time.perf_counter() - started:.1f} s", flush=True)
        from django.db import connection
        from django.utils import timezone

        from alongside.checkins import schedule

        # History ends the day before the earliest member's today, so each submission is new.
        today = min(schedule.local_day(timezone.now(), zone) for zone in ZONES)
        started = time.perf_counter()
        if args.reuse:
            program, member_ids = _seeded(today)
        else:
            program, member_ids, check_in_count = seed(args.members, today, rng)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(
                f"seeded {len(member_ids):,} members, {check_in_count:,} check-ins "
                f"in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
        rows = measure(program, member_ids, args.samples, rng)
        connection.close()
    finally:
        if not (args.keep or args.reuse):
            _recreate_database(server_url, BENCH_DATABASE, drop_only=True)
    print_table(rows)
    return 0 if all(row.verdict != "FAIL" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
