"""Meeting directory speed on PostgreSQL with 100,000 meetings across the large US metro areas.

    python -m bench.directory [--meetings 100000] [--queries 200] [--feed 10000] [--keep | --reuse]

Creates its own database next to DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/test,
whose own database is never touched), migrates it and bulk-creates `--meetings` meetings of the
demo directory's generator (alongside.groups.demo_directory), spread over 38 metro areas by population at
real ZIP code centroids, then builds the directory index and times:

- directory.search for "ZIP + 25 miles + area of concern + tonight" from random ZIP codes of the
  metros, in the ZIP code's time zone (target p95 < 30 ms), and the same search as the public
  results page GET /meetings/?zip=...&radius=25&area=...&when=tonight through Django's test
  Client, template included (target p95 < 100 ms);
- the same search at any time sorted by next meeting, sorted by distance, and online only;
- a `--feed`-meeting Meeting Guide feed (same generator, exported as meetingguide.export_feed
  writes it) imported by feeds.import_feed into an empty program (target < 20 s), and imported
  again unchanged. `--profile-import` prints where an import spends its time.

Times are wall-clock in this process (server handling; no network). The database is dropped at
the end unless --keep; --reuse measures again on a kept one without seeding. Run it on a quiet
machine.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from bench.checkins import (
    DEFAULT_SERVER_URL,
    _database_exists,
    _database_url,
    _recreate_database,
    _set_up_django,
)

BENCH_DATABASE = "alongside_bench_directory"
PROGRAM_SLUG = "bench-directory"
IMPORT_SLUG = "bench-import"
PROFILE_SLUG = "bench-import-profile"
WARM_UP = 10
TARGETS_MS = {"search": 30.0, "page": 100.0}
IMPORT_TARGET_S = 20.0
RADIUS = 25


@dataclass(frozen=True)
class Row:
    """One kind of search: its wall-clock times in ms, the p95 target, and results found."""

    name: str
    target_ms: float | None
    timings_ms: list[float]
    found: list[int]

    def percentile(self, share: float) -> float:
        ordered = sorted(self.timings_ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return "-"
        return "PASS" if self.percentile(0.95) < self.target_ms else "FAIL"


@dataclass(frozen=True)
class Step:
    """A one-off step: its seconds, target and what it did."""

    name: str
    seconds: float
    target_s: float | None
    detail: str

    @property
    def verdict(self) -> str:
        if self.target_s is None:
            return "-"
        return "PASS" if self.seconds < self.target_s else "FAIL"


def metros():
    from alongside.groups import demo_directory

    return demo_directory.us_metro_places()


def seed(meetings: int, rng: random.Random, metro_places) -> list[Step]:
    """The bench program with `meetings` published meetings, and the directory index."""
    from django.db import connection

    from alongside.groups import demo_directory, directory
    from alongside.groups.models import DirectoryEntry, Group
    from alongside.programs.models import Program

    program = Program.objects.create(name="Bench Directory", slug=PROGRAM_SLUG)
    started = time.perf_counter()
    groups = list(
        demo_directory.generate_meetings(
            metro_places, meetings, rng, first_week=demo_directory.recent_monday()
        )
    )
    demo_directory.save_groups(program, groups, publish=True)
    seeded = time.perf_counter() - started
    started = time.perf_counter()
    rows = directory.rebuild_all()
    built = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [
        Step(
            "seed meetings (bulk_create)",
            seeded,
            None,
            f"{Group.objects.count():,} groups, {meetings:,} meetings",
        ),
        Step(
            "build directory index (rebuild_all)",
            built,
            None,
            f"{rows:,} rows ({DirectoryEntry.objects.count():,} in table)",
        ),
    ]


def _samples(metro_places, count: int, rng: random.Random) -> list[tuple]:
    """(place, area slug) pairs: a ZIP code of a metro chosen by population, an area of concern
    chosen as often as groups are about it."""
    from alongside.groups import demo_directory

    usable = [(weight, places) for _name, weight, places in metro_places if places]
    weights = [weight for weight, _places in usable]
    areas = [slug for slug, _weight in demo_directory.AREAS]
    area_weights = [weight for _slug, weight in demo_directory.AREAS]
    samples = []
    for _ in range(count):
        places = rng.choices(usable, weights)[0][1]
        samples.append((rng.choice(places), rng.choices(areas, area_weights)[0]))
    return samples


def measure_searches(samples: list[tuple]) -> list[Row]:
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from alongside.core.models import AreaOfConcern
    from alongside.groups import directory

    area_ids = dict(AreaOfConcern.objects.values_list("slug", "pk"))
    anonymous = AnonymousUser()
    client = Client()
    kinds = {
        "search": ("search: ZIP + 25 mi + area + tonight", TARGETS_MS["search"]),
        "page": ("page: GET /meetings/?zip&radius&area&when", TARGETS_MS["page"]),
        "next": ("search: ZIP + 25 mi + area, any time", None),
        "distance": ("search: ... any time, nearest first", None),
        "online": ("search: online only + area, any time", None),
        "tonight_all": ("search: ZIP + 25 mi, tonight, no area", None),
    }
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    found: dict[str, list[int]] = {kind: [] for kind in kinds}

    def searched(kind: str, n: int, **fields) -> None:
        query = directory.DirectoryQuery(**fields)
        started = time.perf_counter()
        page = directory.search(query, user=anonymous)
        elapsed = (time.perf_counter() - started) * 1000
        if n >= WARM_UP:
            timings[kind].append(elapsed)
            found[kind].append(page.total)

    for n, (place, area) in enumerate(samples):
        at = {
            "latitude": place.latitude,
            "longitude": place.longitude,
            "radius_miles": RADIUS,
            "zone": place.time_zone,
        }
        searched("search", n, areas=(area_ids[area],), when="tonight", **at)
        url = "/meetings/?" + urlencode(
            {"zip": place.zip_code, "radius": RADIUS, "area": area, "when": "tonight"}
        )
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url}: HTTP {response.status_code}")
        if n >= WARM_UP:
            timings["page"].append(elapsed)
            found["page"].append(len(response.content))
        searched("next", n, areas=(area_ids[area],), **at)
        searched("distance", n, areas=(area_ids[area],), sort="distance", **at)
        searched("online", n, areas=(area_ids[area],), format="online", zone=place.time_zone)
        searched("tonight_all", n, when="tonight", **at)
    return [
        Row(label, target, timings[kind], found[kind]) for kind, (label, target) in kinds.items()
    ]


def feed_bytes(count: int, rng: random.Random, metro_places) -> bytes:
    """A Meeting Guide feed of `count` weekly meetings from the same generator."""
    from alongside.groups import demo_directory, meetingguide

    groups = demo_directory.generate_meetings(metro_places, count * 2, rng)
    records = demo_directory.feed_records(groups, count)
    feed = meetingguide.export_feed(records)
    problems = meetingguide.validate_feed(json.loads(json.dumps(feed)))
    if problems:
        raise SystemExit(f"The generated feed breaks the spec: {problems[:3]}")
    return json.dumps(feed).encode()


def measure_import(data: bytes, *, profile: bool) -> list[Step]:
    from alongside.groups import feeds
    from alongside.programs.models import Program

    program = Program.objects.create(name="Bench Import", slug=IMPORT_SLUG)
    steps = []
    for label in ("import feed into an empty program", "re-import the same feed"):
        started = time.perf_counter()
        report = feeds.import_feed(program, data, publish=True)
        elapsed = time.perf_counter() - started
        steps.append(
            Step(
                label,
                elapsed,
                IMPORT_TARGET_S,
                f"{report.total:,} records: {len(report.created):,} created, "
                f"{len(report.updated):,} updated, {len(report.unchanged):,} unchanged, "
                f"{len(report.rejected):,} rejected",
            )
        )
    if profile:
        profile_import(data)
    return steps


def profile_import(data: bytes, records: int = 1_000) -> None:
    """Where an import of `records` records spends its time, first import and re-import."""
    from alongside.groups import feeds
    from alongside.programs.models import Program

    feed = json.dumps(json.loads(data)[:records]).encode()
    program = Program.objects.create(name="Bench Import Profile", slug=PROFILE_SLUG)
    for label in ("first import", "re-import"):
        profiler = cProfile.Profile()
        profiler.enable()
        feeds.import_feed(program, feed, publish=True)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(f"--- profile: {label} of {records:,} records ---\n{out.getvalue()}", flush=True)


def print_table(steps: list[Step], rows: list[Row]) -> None:
    print(f"{'step':44} {'seconds':>8} {'target':>7}  result  detail")
    for step in steps:
        target = f"< {step.target_s:.0f}" if step.target_s is not None else ""
        print(f"{step.name:44} {step.seconds:8.1f} {target:>7}  {step.verdict:6}  {step.detail}")
    if rows:
        print()
        print(
            f"{'server time, ms':44} {'n':>4} {'p50':>6} {'p95':>6} {'p99':>6} {'target':>7}"
            f"  result  found (median)"
        )
    for row in rows:
        target = f"< {row.target_ms:.0f}" if row.target_ms is not None else ""
        median_found = sorted(row.found)[len(row.found) // 2] if row.found else 0
        unit = " bytes" if row.name.startswith("page") else " meetings"
        print(
            f"{row.name:44} {len(row.timings_ms):4d} {row.percentile(0.5):6.1f} "
            f"{row.percentile(0.95):6.1f} {row.percentile(0.99):6.1f} {target:>7}  "
            f"{row.verdict:6}  {median_found:,}{unit}"
        )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--feed", type=int, default=10_000, help="meetings in the imported feed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-search", action="store_true", help="only the feed import")
    parser.add_argument("--skip-import", action="store_true", help="only the searches")
    parser.add_argument("--profile-import", action="store_true")
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
    steps: list[Step] = []
    rows: list[Row] = []
    try:
        started = time.perf_counter()
        _set_up_django(database_url)
        print(f"migrated {BENCH_DATABASE} in {time.perf_counter() - started:.1f} s", flush=True)
        from django.db import connection

        from alongside.programs.models import Program

        metro_places = metros()
        if not args.skip_search:
            if not args.reuse:
                steps += seed(args.meetings, rng, metro_places)
                for step in steps:
                    print(f"{step.name}: {step.seconds:.1f} s, {step.detail}", flush=True)
            else:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # a kept database may hold an import's rows since
            rows = measure_searches(_samples(metro_places, args.queries + WARM_UP, rng))
        if not args.skip_import:
            Program.objects.filter(slug__in=[IMPORT_SLUG, PROFILE_SLUG]).delete()
            data = feed_bytes(args.feed, random.Random(args.seed + 1), metro_places)
            print(f"feed of {args.feed:,} meetings: {len(data) / 1e6:.1f} MB", flush=True)
            steps += measure_import(data, profile=args.profile_import)
        connection.close()
    finally:
        if not (args.keep or args.reuse):
            _recreate_database(server_url, BENCH_DATABASE, drop_only=True)
    print_table(steps, rows)
    verdicts = [step.verdict for step in steps] + [row.verdict for row in rows]
    return 0 if "FAIL" not in verdicts else 1


if __name__ == "__main__":
    sys.exit(main())
