"""A real gunicorn server, for the tests that need several worker processes.

``running_gunicorn`` starts the service on a free localhost port in its own process group (so
the master and its workers can be signalled together), waits until it answers ``/readyz``, and
always stops it afterwards: SIGTERM to the group, then SIGKILL if it has not exited in time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

HOST = "127.0.0.1"
READY_SECONDS = 90.0
STOP_SECONDS = 30.0


def free_port() -> int:
    """A localhost TCP port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:<port>, no trailing slash
    proc: subprocess.Popen  # the gunicorn master, leader of its own process group
    log: Path  # the server's stdout and stderr

    @property
    def pid(self) -> int:
        return self.proc.pid


def kill_group(proc: subprocess.Popen, signum: int = signal.SIGKILL, timeout: float = 10) -> None:
    """Send ``signum`` to the master and its workers (one process group) and reap the master."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signum)
    proc.wait(timeout=timeout)


def stop(proc: subprocess.Popen, grace: float = STOP_SECONDS) -> None:
    """SIGTERM to the group (gunicorn shuts down gracefully), SIGKILL after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    try:
        kill_group(proc, signal.SIGTERM, timeout=grace)
    except subprocess.TimeoutExpired:
        kill_group(proc, signal.SIGKILL)


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:  # refused, reset, timed out, or an HTTP error such as 503 while loading
        return False


def _tail(log: Path, chars: int = 3000) -> str:
    return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"


@contextlib.contextmanager
def running_gunicorn(
    env: Mapping[str, str | None],
    log: Path,
    *,
    workers: int = 2,
    options: Sequence[str] = (),
    serve: bool = False,
    cwd: Path | str | None = None,
    ready_path: str = "/readyz",
    ready_seconds: float = READY_SECONDS,
) -> Iterator[Server]:
    """The service under gunicorn on a free localhost port, stopped when the block ends.

    ``env`` is applied on top of ``os.environ``; a ``None`` value removes that variable.
    By default this runs ``python -m gunicorn risk_service.web.wsgi:app`` with ``options`` added;
    ``serve=True`` goes through ``python -m risk_service serve`` instead (the CLI's own gunicorn
    configuration, e.g. its Prometheus multiprocess directory), where ``options`` are not allowed.
    Fails the calling test if the server exits or is not ready within ``ready_seconds``.
    """
    port = free_port()
    if serve:
        if options:
            raise ValueError("risk_service serve takes no extra gunicorn options")
        command = [sys.executable, "-m", "risk_service", "serve"]
        command += ["--port", str(port), "--workers", str(workers)]
    else:
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"{HOST}:{port}"]
        command += [*options, "risk_service.web.wsgi:app"]
    environment = dict(os.environ)
    for name, value in env.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value

    with open(log, "wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: master and workers end together
        )
    server = Server(url=f"http://{HOST}:{port}", proc=proc, log=log)
    try:
        deadline = time.monotonic() + ready_seconds
        while not _ready(server.url + ready_path):
            if proc.poll() is not None:
                pytest.fail(f"gunicorn exited with {proc.returncode}:\n{_tail(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn not ready within {ready_seconds:.0f} s:\n{_tail(log)}")
            time.sleep(0.2)
        yield server
    finally:
        stop(proc)
