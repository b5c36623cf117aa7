"""Run the whole app from one command: uvicorn for HTTP and websockets, huey for background jobs.

`make demo` uses this; production runs the same two processes separately (see docs/production.md)
so that each can be scaled and restarted on its own.
"""

import os
import signal
import subprocess
import sys
import time
from types import FrameType

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# How long the children get to finish what they are doing (a request, a task) after Ctrl-C.
GRACE_SECONDS = 10.0
POLL_SECONDS = 0.2


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM this child if `serve` itself is killed outright (SIGKILL, OOM)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except OSError:
        pass


class Command(BaseCommand):
    help = "Serve Alongside with uvicorn and run the huey worker beside it; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="Port to listen on (default: $PORT or 8000).",
        )
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to bind (default: 127.0.0.1)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Number of uvicorn web worker processes (default: 1).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the huey background worker (run `manage.py run_huey` elsewhere).",
        )

    def handle(self, *args, host: str, port: int, workers: int, no_worker: bool, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if workers > 1 and not settings.REDIS_URL:
            self.stderr.write(
                "Warning: without REDIS_URL each web process has its own channel layer, so live "
                "updates reach only the browsers connected to the same process."
            )
        commands = {"web": self._uvicorn_command(host, port, workers)}
        if not no_worker:
            commands["worker"] = [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_huey"]

        self.stopping = 0
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        self.children: dict[str, subprocess.Popen] = {}
        try:
            for name, command in commands.items():
                # A session of their own: Ctrl-C in the terminal reaches only this process, which
                # then stops each child exactly once and in order, instead of a double signal.
                self.children[name] = subprocess.Popen(  # noqa: S603 - our own fixed command
                    command,
                    cwd=settings.BASE_DIR,
                    start_new_session=True,
                    preexec_fn=_die_with_parent,
                )
            shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
            self.stdout.write(
                self.style.SUCCESS(f"Alongside is serving at http://{shown_host}:{port}/")
                + (" with the background worker." if not no_worker else " (no background worker).")
                + " Press Ctrl-C to stop.",
            )
            exit_code = self._supervise()
        finally:
            self._stop_children()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if exit_code:
            sys.exit(exit_code)

    def _uvicorn_command(self, host: str, port: int, workers: int) -> list[str]:
        command = [sys.executable, "-m", "uvicorn", "alongside.asgi:application"]
        command += ["--host", host, "--port", str(port), "--workers", str(workers)]
        # Django's ASGI handler does not speak the lifespan protocol; open requests and
        # websockets get a few seconds to finish, well inside our own grace period.
        command += ["--lifespan", "off", "--timeout-graceful-shutdown", str(int(GRACE_SECONDS / 2))]
        return command

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping += 1

    def _supervise(self) -> int:
        """Wait until asked to stop (exit 0) or until a child dies on its own (exit non-zero)."""
        while not self.stopping:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    self.stderr.write(f"The {name} process exited with code {code}; stopping.")
                    return code or 1
            time.sleep(POLL_SECONDS)
        self.stdout.write("Stopping…")
        return 0

    def _stop_children(self) -> None:
        """Stop gracefully, then firmly: a second Ctrl-C or the grace period ends the waiting."""
        for child in self.children.values():
            if child.poll() is None:
                # huey finishes running tasks on SIGINT (SIGTERM would abandon them); uvicorn
                # treats both alike and finishes open requests.
                child.send_signal(signal.SIGINT)
        asked_at, stopping_when_asked = time.monotonic(), self.stopping
        while any(child.poll() is None for child in self.children.values()):
            impatient = self.stopping > stopping_when_asked
            if impatient or time.monotonic() - asked_at > GRACE_SECONDS:
                for child in self.children.values():
                    if child.poll() is None:
                        child.kill()
            time.sleep(POLL_SECONDS)
        for child in self.children.values():
            child.wait()
