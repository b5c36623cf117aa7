"""Community pages under load: a 5,000-reply thread and its space, Alongside against django-machina.

    python -m bench.community [--rounds 2] [--duration 10] [--warm-up 3] [--clients 16]
                              [--think SECONDS] [--rebuild] [--skip-machina]

Without --think the 16 clients never pause (each asks again the moment it has an answer): a
measure of capacity, where latency is about 16 / (requests per second). --think S makes each
client pause a random time of mean S seconds between pages, as people reading do.

Both forums get the same data, generated here from one seed: one space (machina: one forum) of
30 threads, one of them a thread of 5,000 replies by 200 members (a third of the posts
anonymous, each body one to three Markdown paragraphs, some quoting an earlier post), and
reactions on Alongside's (machina has none). Each runs on its own PostgreSQL database next to
DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/test, whose own database is never
touched): `alongside_bench_community`, built through the app's own code where it decides
something (authors through community.identity, the search index) and bulk inserts elsewhere,
and `machina_bench`, loaded by bench/community_machina/tool.py inside machina's own virtualenv
(bench/.venv-machina/, made here on first use: django-machina 1.3.1 on Django 4.2, the latest
it supports). Both databases are kept and reused; --rebuild builds them again.

Both are served the same way, as production serves Alongside (docs/production.md): uvicorn with
2 workers on 127.0.0.1, DEBUG off, a cache on Redis (its own database number each), a database
connection per request; machina through Django's own ASGI handler, as Alongside's HTTP is. Each
side signs in one member who has written nothing (a session cookie made by Django's test
client) and 16 client threads with keep-alive connections ask for 50-post pages of the long
thread (first, middle and last full page at random) and then the space index (machina: the
forum's topic list, 25 a page as Alongside's), for a warm-up and then `--duration` seconds.
Both servers stay up and take turns, `--rounds` times, in ABBA order, so other processes on the
machine weigh on both alike.

Prints requests per second, latency p50/p95/p99 and errors for each, the throughput ratio
Alongside/machina, the targets (Alongside p95 < 100 ms; ratio >= 1.0), the SQL queries each
page makes (counted once in process through the test client), the server's CPU time per
request (its processes' own, from /proc: the figure least swayed by neighbours) and the lowest
and highest load average seen around the runs: the client threads share the 2 CPUs with the
servers, and so do other people's test runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.checkins import (
    DEFAULT_SERVER_URL,
    _close_django_connections,
    _database_exists,
    _database_url,
    _recreate_database,
)

ROOT = Path(__file__).resolve().parent.parent
MACHINA_DIR = ROOT / "bench" / "community_machina"
MACHINA_VENV = ROOT / "bench" / ".venv-machina"
# django-machina's last release supports Django 3.2 to 4.2; uvicorn and its speed-ups at the
# versions of requirements/base.lock, so both servers are the same program.
MACHINA_REQUIREMENTS = (
    "django-machina==1.3.1",
    "Django>=4.2,<4.3",
    "psycopg[binary]==3.3.9",
    "redis==8.1.0",
    "uvicorn==0.54.0",
    "uvloop==0.23.0",
    "httptools==0.9.0",
)
DATA_FILE = ROOT / "var" / "bench_community.json"
BENCH_DATABASE = "alongside_bench_community"
MACHINA_DATABASE = "machina_bench"
ALONGSIDE_REDIS = "redis://127.0.0.1:6379/13"
MACHINA_REDIS = "redis://127.0.0.1:6379/14"
PROGRAM_SLUG = "bench-community"
SPACE_SLUG = "general"
MEMBERS = 200
REPLIES = 5_000
THREADS = 30
REACTIONS = 2_500
PAGE_SIZE = 50
READER_EMAIL = "reader@example.test"
TARGET_P95_MS = 100.0
KEEP_ALIVE_S = 4.0
TARGET_RATIO = 1.0
DATA_VERSION = 1

SENTENCES = (
    "Today was harder than I expected, but I kept my evening routine.",
    "I went to the Tuesday meeting and actually spoke for the first time.",
    "My sponsor reminded me that *feelings are not facts*, and it helped.",
    "Cravings came around six; I made tea and waited them out.",
    "Sleep is still patchy, though better than last month.",
    "I told my sister what I have been going through. She listened.",
    "Work was stressful, so I took a **proper lunch break** outside.",
    "Reading this thread every morning keeps me going.",
    "I am grateful for the people here who answer at 3am.",
    "Physio went well; the stairs feel less scary now.",
    "I slipped on Saturday. I am back, and I am not giving up.",
    "Cooked a real meal for the first time in weeks.",
    "Journaling before bed has become a habit I look forward to.",
    "Some days the best I can do is show up, and that counts.",
    "A walk by the river cleared my head after a tense call.",
    "Thank you for sharing that; it is exactly how I felt at ninety days.",
)
ITEMS = (
    "- call someone\n- drink water\n- go to bed before eleven",
    "1. meeting at noon\n2. groceries\n3. an early night",
)
TITLES = (
    "How do you handle weekends?",
    "Sleep after the first month",
    "Telling family",
    "Cravings in the evening",
    "Back to work part-time",
    "Small wins this week",
    "What helped in your first ninety days",
    "Staying steady over the holidays",
    "Meetings online or in person?",
    "Dealing with old friends",
)


# --- The data, the same for both forums ------------------------------------------------------


def generate(seed: int) -> dict:
    """Members, threads and posts as plain data: bodies, authors (member index, anonymous or
    not, anonymous name) and days since the first post. Written to DATA_FILE for machina's
    loader too."""
    rng = random.Random(seed)
    first = ("Sam", "Alex", "Jo", "Robin", "Kim", "Lee", "Pat", "Chris", "Dana", "Morgan")
    last = ("River", "Oak", "Stone", "Field", "Brook", "Hill", "Vale", "Wood", "Lake", "Moor")
    members = [
        f"{first[n % 10]} {last[(n // 10) % 10]}{'' if n < 100 else ' ' + str(n // 100)}"
        for n in range(MEMBERS)
    ]

    def body(thread_posts: list[dict]) -> str:
        paragraphs = []
        if thread_posts and rng.random() < 0.15:
            quoted = rng.choice(thread_posts[-30:])
            name = quoted["name"]
            lines = [f"**{name}** wrote:", "", *quoted["body"].splitlines()[:3]]
            paragraphs.append("\n".join(f"> {line}".rstrip() for line in lines))
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.1:
                paragraphs.append(rng.choice(ITEMS))
            else:
                paragraphs.append(" ".join(rng.sample(SENTENCES, rng.randint(2, 5))))
        return "\n\n".join(paragraphs)

    def post(thread_posts: list[dict], minutes: int) -> dict:
        member = rng.randrange(MEMBERS)
        anonymous = rng.random() < 1 / 3
        name = f"Quiet {rng.choice(last)} {rng.randrange(1000)}" if anonymous else members[member]
        made = {
            "member": member,
            "anonymous": anonymous,
            "name": name,
            "body": body(thread_posts),
            "minutes": minutes,
        }
        thread_posts.append(made)
        return made

    threads = []
    for number in range(THREADS):
        count = REPLIES + 1 if number == 0 else rng.randint(3, 20)
        start = rng.randrange(60 * 24 * 300)
        posts: list[dict] = []
        for n in range(count):
            post(posts, start + n * (90 if number == 0 else 300))
        title = TITLES[number % len(TITLES)] if number else "Daily check-in thread"
        if number >= len(TITLES):
            title = f"{title} ({number // len(TITLES) + 1})"
        threads.append({"title": title, "posts": posts})
    long_thread = threads[0]["posts"]
    reactions: set[tuple[int, int, str]] = set()
    while len(reactions) < REACTIONS:
        reactions.add(
            (
                rng.randrange(len(long_thread)),
                rng.randrange(MEMBERS),
                rng.choice(("me_too", "support", "thanks")),
            )
        )
    return {
        "version": DATA_VERSION,
        "seed": seed,
        "members": members,
        "threads": threads,
        "reactions": sorted(reactions),
    }


# --- Alongside -------------------------------------------------------------------------------


def _set_up_alongside(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = ALONGSIDE_REDIS
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alongside.settings")
    os.environ["ALONGSIDE_DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    import django

    django.setup()
    from django.core.management import call_command
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True  # nothing the benchmark does may land in a real queue
    logging.getLogger("axes").setLevel(logging.WARNING)  # the reader signs in twice
    call_command("migrate", verbosity=0)


def _alongside_built() -> bool:
    from alongside.community.models import Thread

    thread = Thread.objects.filter(space__program__slug=PROGRAM_SLUG).order_by("pk").first()
    return thread is not None and thread.post_count == REPLIES + 1


def build_alongside(data: dict) -> None:
    """The program, its members, the space, threads, posts and reactions of `data`."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from alongside.accounts.models import Profile, User
    from alongside.community import identity, search
    from alongside.community.models import Author, Post, Reaction, Space, Thread, ThreadReader
    from alongside.programs.models import Membership, MembershipRole, Program, Role

    now = _now()
    with transaction.atomic():
        program = Program.objects.create(name="Bench Community", slug=PROGRAM_SLUG)
        password = make_password(None)
        emails = [f"member{n}@example.test" for n in range(MEMBERS)] + [READER_EMAIL]
        names = [*data["members"], "Bench Reader"]
        users = User.objects.bulk_create([User(email=e, password=password) for e in emails])
        Profile.objects.bulk_create(
            [Profile(user=user, display_name=name) for user, name in zip(users, names, strict=True)]
        )
        memberships = Membership.objects.bulk_create(
            [Membership(user=user, program=program) for user in users]
        )
        MembershipRole.objects.bulk_create(
            [MembershipRole(membership=m, role=Role.MEMBER) for m in memberships]
        )
        users = list(User.objects.filter(pk__in=[u.pk for u in users]).select_related("profile"))
        by_email = {user.email: user for user in users}
        members = [by_email[email] for email in emails[:MEMBERS]]
        space = Space.objects.create(program=program, slug=SPACE_SLUG, name="General")
        # Authors as the app makes them: one named author per member, a fresh anonymous one
        # per anonymous post (its generated name then replaced by the data's, as machina's).
        named = {
            n: identity.author_for(member, program, anonymous=False)
            for n, member in enumerate(members)
        }
        renamed: list[Author] = []
        origin = now - timedelta(days=320)
        for number, spec in enumerate(data["threads"]):
            authors = []
            for post in spec["posts"]:
                if post["anonymous"]:
                    author = identity.author_for(members[post["member"]], program, anonymous=True)
                    author.display_name = post["name"]
                    renamed.append(author)
                else:
                    author = named[post["member"]]
                authors.append(author)
            created = [origin + timedelta(minutes=p["minutes"]) for p in spec["posts"]]
            thread = Thread.objects.create(
                space=space,
                title=spec["title"],
                author=authors[0],
                created_at=created[0],
                last_post_at=created[-1],
                post_count=len(spec["posts"]),
            )
            Post.objects.bulk_create(
                [
                    Post(
                        thread=thread,
                        number=n,
                        author=author,
                        body=post["body"],
                        created_at=at,
                    )
                    for n, (post, author, at) in enumerate(
                        zip(spec["posts"], authors, created, strict=True), start=1
                    )
                ],
                batch_size=1_000,
            )
            # Writers follow what they wrote, read up to their last post there.
            last_by_member: dict[int, int] = {}
            for n, post in enumerate(spec["posts"], start=1):
                last_by_member[post["member"]] = n
            ThreadReader.objects.bulk_create(
                [
                    ThreadReader(
                        thread=thread,
                        user=members[m],
                        last_read_number=n,
                        is_following=True,
                        updated_at=now,
                    )
                    for m, n in last_by_member.items()
                ]
            )
            if number == 0:
                long_thread = thread
        Author.objects.bulk_update(renamed, ["display_name"], batch_size=1_000)
        post_ids = dict(Post.objects.filter(thread=long_thread).values_list("number", "pk"))
        Reaction.objects.bulk_create(
            [
                Reaction(post_id=post_ids[index + 1], user=members[member], kind=kind)
                for index, member, kind in data["reactions"]
            ],
            batch_size=1_000,
        )
        search.reindex(Post.objects.filter(thread__space=space))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _now():
    from django.utils import timezone

    return timezone.now()


def alongside_urls() -> tuple[list[str], list[str]]:
    from alongside.community.models import Thread

    thread = Thread.objects.filter(space__program__slug=PROGRAM_SLUG).order_by("pk").first()
    assert thread is not None
    base = f"/community/{PROGRAM_SLUG}/{SPACE_SLUG}/"
    return [f"{base}{thread.pk}/?page={page}" for page in _pages()], [base]


def _pages() -> tuple[int, int, int]:
    """First, middle and last full page: the thread's 5,001st post is alone on page 101."""
    last_full = (REPLIES + 1) // PAGE_SIZE
    return 1, last_full // 2 + 1, last_full


def alongside_session_and_queries(urls: list[str]) -> tuple[str, str, dict[str, int]]:
    """A signed-in session of the reader (cookie name, value) and the queries of each URL,
    counted on its second request (the first also records where the reader got to)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alongside.accounts.models import User

    reader = User.objects.get(email=READER_EMAIL)
    client = Client()
    client.force_login(reader)
    counts = {}
    for url in urls:
        for attempt in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"Alongside GET {url}: HTTP {response.status_code}")
            if attempt:
                counts[url] = len(queries)
    # A session of its own for the load, so the counting client's state plays no part.
    session = Client()
    session.force_login(reader)
    name = settings.SESSION_COOKIE_NAME
    return name, session.cookies[name].value, counts


# --- django-machina --------------------------------------------------------------------------


def _machina_python() -> Path:
    python = MACHINA_VENV / "bin" / "python"
    marker = MACHINA_VENV / ".installed"
    wanted = "\n".join(MACHINA_REQUIREMENTS)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(MACHINA_VENV)], check=True)  # noqa: S603
    if not marker.exists() or marker.read_text() != wanted:
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, *MACHINA_REQUIREMENTS], check=True)  # noqa: S603
        marker.write_text(wanted)
    return python


def _machina_env(server_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "settings",
            "MACHINA_DATABASE_URL": _database_url(server_url, MACHINA_DATABASE),
            "MACHINA_REDIS_URL": MACHINA_REDIS,
            "PYTHONPATH": str(MACHINA_DIR),
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "ALONGSIDE_DEBUG", "ALLOWED_HOSTS"):
        env.pop(name, None)
    return env


def _machina_tool(python: Path, env: dict[str, str], *args: str) -> dict:
    done = subprocess.run(  # noqa: S603
        [str(python), str(MACHINA_DIR / "tool.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Serving and load ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """uvicorn with 2 workers on a free port of 127.0.0.1, stopped by its own process group."""

    def __init__(self, uvicorn: Path, app: str, env: dict[str, str], app_dir: Path) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(uvicorn),
                app,
                "--app-dir",
                str(app_dir),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "2",
                "--lifespan",
                "off",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=str(app_dir),
            start_new_session=True,
        )

    def wait_until_up(self, url: str, cookie: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server on port {self.port} stopped")
            try:
                status, _body = _get(self.port, url, cookie)
                if status == 200:
                    return
                raise SystemExit(f"GET {url}: HTTP {status}")
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"the server on port {self.port} did not start in {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server: its parent process and its workers."""
        ticks = 0
        pids = [self.process.pid]
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            pids += [int(pid) for pid in children.read_text().split()]
        except OSError:
            pass
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _get(port: int, url: str, cookie: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", url, headers={"Cookie": cookie})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Run:
    """One page kind on one server under load."""

    app: str
    kind: str
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: set[str] = field(default_factory=set)
    server_cpu_s: float = 0.0
    load_before: float = 0.0
    load_after: float = 0.0

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_s * 1000 / len(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def load(
    app: str, kind: str, server: Server, urls: list[str], cookie: str, args: argparse.Namespace
) -> Run:
    """`args.clients` threads, each with one keep-alive connection, asking for `urls` at random
    for `args.warm_up` seconds and then `args.duration` seconds, which are recorded."""
    run = Run(app, kind, load_before=os.getloadavg()[0])
    port = server.port
    started = time.monotonic()
    measure_from = started + args.warm_up
    stop_at = measure_from + args.duration
    lock = threading.Lock()

    def client(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies: list[float] = []
        errors = 0
        kinds: set[str] = set()
        last_used = time.monotonic()
        while True:
            begun = time.monotonic()
            if begun >= stop_at:
                break
            if begun - last_used > KEEP_ALIVE_S:
                # uvicorn closes a connection idle for 5 s: a browser would open a new one.
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", rng.choice(urls), headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                failure = f"HTTP {response.status}"
            except (OSError, http.client.HTTPException) as error:
                ok, failure = False, type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ended = last_used = time.monotonic()
            if begun >= measure_from and ended <= stop_at:
                if ok:
                    latencies.append((ended - begun) * 1000)
                else:
                    errors += 1
                    kinds.add(failure)
            if args.think:
                time.sleep(min(rng.expovariate(1 / args.think), max(0.0, stop_at - ended)))
        connection.close()
        with lock:
            run.latencies_ms.extend(latencies)
            run.errors += errors
            run.error_kinds |= kinds

    workers = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for worker in workers:
        worker.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    cpu_from = server.cpu_seconds()
    time.sleep(max(0.0, stop_at - time.monotonic()))
    run.server_cpu_s = server.cpu_seconds() - cpu_from
    for worker in workers:
        worker.join()
    run.seconds = args.duration
    run.load_after = os.getloadavg()[0]
    return run


def _count(body: bytes, marker: bytes) -> int:
    return body.count(marker)


# --- Report ----------------------------------------------------------------------------------


def print_report(
    runs: list[Run], queries: dict[str, dict[str, Any]], args: argparse.Namespace
) -> bool:
    passed = True
    by = {(run.app, run.kind): run for run in runs}
    for kind, label in (("thread", "thread page (50 posts)"), ("index", "space index")):
        print()
        print(
            f"{label}: {args.clients} clients, {args.rounds} x {args.duration:.0f} s"
            f" (after {args.warm_up:.0f} s of warm-up each)"
            + (f", {args.think:g} s mean think time" if args.think else "")
        )
        print(
            f"{'':10} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'n':>6} {'errors':>6}"
            f" {'queries':>8} {'server cpu ms/req':>18}  load min/max"
        )
        for app in ("alongside", "machina"):
            run = by.get((app, kind))
            if run is None:
                continue
            counted = queries.get(app, {}).get(kind, "?")
            print(
                f"{app:10} {run.rate:7.1f} {run.percentile(0.5):7.1f} {run.percentile(0.95):7.1f}"
                f" {run.percentile(0.99):7.1f} {len(run.latencies_ms):6d} {run.errors:6d}"
                f" {counted!s:>8} {run.cpu_ms_per_request:18.1f}"
                f"  {run.load_before:.2f} / {run.load_after:.2f}"
            )
        ours = by.get(("alongside", kind))
        if ours is not None:
            p95_ok = ours.percentile(0.95) < TARGET_P95_MS and ours.errors == 0
            passed &= p95_ok
            print(
                f"target: Alongside p95 < {TARGET_P95_MS:.0f} ms, no errors"
                f"{'':14}{'PASS' if p95_ok else 'FAIL'}"
            )
        theirs = by.get(("machina", kind))
        if ours is not None and theirs is not None and theirs.rate:
            ratio = ours.rate / theirs.rate
            if args.think:
                print(f"throughput Alongside/machina {ratio:.2f} (not judged with think time)")
            else:
                ratio_ok = ratio >= TARGET_RATIO
                passed &= ratio_ok
                print(
                    f"target: throughput Alongside/machina {ratio:.2f} >= {TARGET_RATIO:.1f}"
                    f"{'':12}{'PASS' if ratio_ok else 'FAIL'}"
                )
            if ours.cpu_ms_per_request:
                print(
                    f"server CPU per request machina/Alongside"
                    f" {theirs.cpu_ms_per_request / ours.cpu_ms_per_request:.2f}"
                    " (less swayed by other processes than req/s)"
                )
    print()
    # Closed loop: each client waits for its answer, so mean latency = clients / throughput.
    needed = args.clients / (TARGET_P95_MS / 1000)
    if args.think:
        print("note: with think time the req/s are what the clients asked for, not capacity")
    else:
        print(
            f"note: with {args.clients} clients always waiting on an answer, latency is about"
            f" {args.clients} / (req/s); a p95 under {TARGET_P95_MS:.0f} ms needs more than"
            f" {needed:.0f} req/s from the 2 workers"
        )
    for app, counts in queries.items():
        detail = ", ".join(f"{url} {count}" for url, count in counts.get("urls", {}).items())
        print(f"SQL queries per page, {app}: {detail}")
    print(
        f"load average now {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} CPUs"
    )
    return passed


# --- Main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=float, default=10.0, help="measured seconds of each run of a round"
    )
    parser.add_argument("--warm-up", type=float, default=3.0, help="seconds before each run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds each client waits between pages (default 0: as fast as served)",
    )
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build both databases again")
    parser.add_argument("--skip-machina", action="store_true")
    args = parser.parse_args(argv)
    server_url = os.environ.get("DATABASE_URL", DEFAULT_SERVER_URL)
    database_url = _database_url(server_url, BENCH_DATABASE)
    print(f"load average at start: {Path('/proc/loadavg').read_text().strip()}", flush=True)

    data = generate(args.seed)
    DATA_FILE.parent.mkdir(exist_ok=True)
    DATA_FILE.write_text(json.dumps(data))

    if args.rebuild or not _database_exists(server_url, BENCH_DATABASE):
        _recreate_database(server_url, BENCH_DATABASE)
    started = time.perf_counter()
    _set_up_alongside(database_url)
    if not _alongside_built():
        from django.core.management import call_command

        _close_django_connections()
        _recreate_database(server_url, BENCH_DATABASE)  # a half-built one from a stopped run
        call_command("migrate", verbosity=0)
        print("building Alongside's data...", flush=True)
        build_alongside(data)
        print(f"built {BENCH_DATABASE} in {time.perf_counter() - started:.0f} s", flush=True)
    thread_urls, index_urls = alongside_urls()
    cookie_name, cookie_value, counts = alongside_session_and_queries(thread_urls + index_urls)
    queries: dict[str, dict[str, Any]] = {
        "alongside": {
            "thread": max(counts[url] for url in thread_urls),
            "index": counts[index_urls[0]],
            "urls": counts,
        }
    }
    _close_django_connections()

    servers: dict[str, tuple[Server, str, dict[str, list[str]]]] = {}
    try:
        env = dict(os.environ)
        env.update({"OPENBLAS_NUM_THREADS": "1", "ALLOWED_HOSTS": "127.0.0.1"})
        server = Server(ROOT / ".venv" / "bin" / "uvicorn", "alongside.asgi:application", env, ROOT)
        cookie = f"{cookie_name}={cookie_value}"
        servers["alongside"] = (server, cookie, {"thread": thread_urls, "index": index_urls})
        server.wait_until_up(thread_urls[0], cookie)
        _check_page(server.port, thread_urls[0], cookie, b'<li id="post-', "alongside")
        if not args.skip_machina:
            servers["machina"], queries["machina"] = _start_machina(
                server_url, rebuild=args.rebuild
            )
        runs = measure(servers, args)
    finally:
        for server, _cookie, _urls in servers.values():
            server.stop()
    return 0 if print_report(runs, queries, args) else 1


def _start_machina(
    server_url: str, *, rebuild: bool
) -> tuple[tuple[Server, str, dict[str, list[str]]], dict[str, Any]]:
    """machina's virtualenv and database (made when missing), a signed-in session, the SQL
    queries of its pages, and its server, up."""
    python = _machina_python()
    env = _machina_env(server_url)
    if rebuild or not _database_exists(server_url, MACHINA_DATABASE):
        _recreate_database(server_url, MACHINA_DATABASE)
    started = time.perf_counter()
    if _machina_tool(python, env, "load", str(DATA_FILE)).get("built"):
        print(f"built {MACHINA_DATABASE} in {time.perf_counter() - started:.0f} s", flush=True)
    info = _machina_tool(python, env, "session", READER_EMAIL, *(str(p) for p in _pages()))
    thread_urls, index_urls = info["thread_urls"], info["index_urls"]
    queries = {
        "thread": max(info["queries"][url] for url in thread_urls),
        "index": info["queries"][index_urls[0]],
        "urls": info["queries"],
    }
    server = Server(MACHINA_VENV / "bin" / "uvicorn", "asgi:application", env, MACHINA_DIR)
    cookie = f"{info['cookie_name']}={info['cookie']}"
    try:
        server.wait_until_up(thread_urls[0], cookie)
        _check_page(server.port, thread_urls[0], cookie, info["post_marker"].encode(), "machina")
    except BaseException:
        server.stop()
        raise
    return (server, cookie, {"thread": thread_urls, "index": index_urls}), queries


def measure(
    servers: dict[str, tuple[Server, str, dict[str, list[str]]]], args: argparse.Namespace
) -> list[Run]:
    """Each page kind on each server in turn, `args.rounds` times, the order reversed every
    other round (ABBA), so a neighbour's test run weighs on both alike; the rounds of an app
    and page kind are added up."""
    totals: dict[tuple[str, str], Run] = {}
    apps = list(servers)
    for number in range(args.rounds):
        for kind in ("thread", "index"):
            for app in apps if number % 2 == 0 else apps[::-1]:
                server, cookie, urls = servers[app]
                run = load(app, kind, server, urls[kind], cookie, args)
                _progress(run)
                total = totals.setdefault((app, kind), Run(app, kind, load_before=run.load_before))
                total.seconds += run.seconds
                total.latencies_ms += run.latencies_ms
                total.errors += run.errors
                total.error_kinds |= run.error_kinds
                total.server_cpu_s += run.server_cpu_s
                total.load_before = min(total.load_before, run.load_before)
                total.load_after = max(total.load_after, run.load_after)
    return list(totals.values())


def _check_page(port: int, url: str, cookie: str, marker: bytes, app: str) -> None:
    """The page served to the signed-in reader holds 50 posts (not a sign-in form)."""
    status, body = _get(port, url, cookie)
    found = _count(body, marker)
    if status != 200 or found != PAGE_SIZE:
        raise SystemExit(f"{app} GET {url}: HTTP {status}, {found} posts on the page")
    print(f"{app}: {url} serves {found} posts, {len(body) / 1024:.0f} KiB", flush=True)


def _progress(run: Run) -> None:
    print(
        f"{run.app} {run.kind}: {run.rate:.1f} req/s, p95 {run.percentile(0.95):.1f} ms, "
        f"{run.errors} errors{' ' + ', '.join(sorted(run.error_kinds)) if run.errors else ''}, "
        f"load {run.load_before:.2f} -> {run.load_after:.2f}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
