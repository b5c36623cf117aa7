"""`manage.py serve` runs web and worker together and leaves nothing behind when it stops.

These start real processes on a free local port, against a throwaway SQLite database.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

MANAGE = str(settings.BASE_DIR / "manage.py")


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A development environment with its own var/ directory, migrated once for these tests."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("ALONGSIDE_", "DJANGO_"))
        and name not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "PORT"}
    }
    env["ALONGSIDE_VAR_DIR"] = str(tmp_path_factory.mktemp("var"))
    migrate = [sys.executable, MANAGE, "migrate", "-v0"]
    subprocess.run(migrate, env=env, check=True, timeout=120)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name in brackets may contain spaces: the parent pid follows the ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
            return response.status
    except (urllib.error.URLError, OSError):
        return None


@pytest.fixture
def serve(environment, tmp_path):
    """Start `manage.py serve` and wait until it answers; yields (process, base url, child pids)."""
    port = _free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, MANAGE, "serve", "--port", str(port)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        answered = _wait_for(lambda: _status(f"{base}/") == 200 or process.poll() is not None, 60)
        assert answered and process.poll() is None, (tmp_path / "serve.log").read_text()
        children = _children_of(process.pid)
        yield process, base, children
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in _children_of(process.pid):
            os.kill(pid, signal.SIGKILL)
        log.close()


def test_serve_answers_pages_and_static_files_then_stops_everything_on_ctrl_c(serve):
    process, base, children = serve

    assert _status(f"{base}/") == 200
    assert _status(f"{base}/static/alongside/css/alongside.css") == 200
    assert len(children) == 2  # uvicorn and the huey consumer

    process.send_signal(signal.SIGINT)

    assert process.wait(timeout=20) == 0
    assert _wait_for(lambda: not any(_is_running(pid) for pid in children), 5)


def test_serve_stops_the_web_process_and_fails_when_the_worker_dies(serve):
    process, base, children = serve
    worker = next(
        pid for pid in children if b"run_huey" in Path(f"/proc/{pid}/cmdline").read_bytes()
    )

    os.kill(worker, signal.SIGKILL)

    assert process.wait(timeout=20) != 0
    assert _wait_for(lambda: not any(_is_running(pid) for pid in children), 5)
    assert _status(f"{base}/") is None
