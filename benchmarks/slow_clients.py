"""Slow-client load: many connections that stall or dribble their request bodies.

Measures what a normal client sees meanwhile (``/healthz`` and ``POST /v1/score`` latency,
before and during the load) and how each slow connection ends (status, content type, seconds
after it was opened). The system test ``tests/system/test_slow_clients.py`` uses the same load.

    python -m benchmarks.slow_clients --models-dir DIR [--connections 50] [--option=--threads=8]

serves with the product's gunicorn settings (``risk-service serve``); ``--option`` adds gunicorn
command-line options, which override the configuration file (to compare worker models).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import selectors
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import ROOT, cli_env, percentile

HOST = "127.0.0.1"
KINDS = ("stall", "dribble", "chunked")  # slow bodies; "head" stalls inside the request head
NORMAL_ROLE = {
    "title": "Buchhalter/in",
    "description": "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen",
}
# A body announced as 4,000 bytes: at one byte per interval it never completes in a test run.
_ANNOUNCED = 4_000
_OPENING = b'{"title": "Buchhalter/in", "description": "'


def _head(kind: str, port: int) -> bytes:
    framing = "Transfer-Encoding: chunked" if kind == "chunked" else f"Content-Length: {_ANNOUNCED}"
    return (
        f"POST /v1/score HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
        f"Content-Type: application/json\r\n{framing}\r\n\r\n"
    ).encode()


def _opening(kind: str, port: int) -> bytes:
    """What a slow client of ``kind`` sends before it stalls or starts dribbling."""
    if kind == "head":
        return _head("stall", port)[:60]  # stops inside a header line
    if kind == "chunked":
        return _head(kind, port) + b"%x\r\n" % 100 + _OPENING + b"a" * 40  # 84 of 100 bytes
    return _head(kind, port) + _OPENING + b"a" * 56  # 100 of 4,000 bytes


@dataclass
class SlowConnection:
    """One slow client: what it sent, and when and how the server answered."""

    kind: str
    sock: socket.socket
    opened: float
    answer: bytes = b""
    answered: float | None = None  # monotonic time of the first answer byte
    closed: float | None = None  # monotonic time the server closed the connection

    @property
    def status(self) -> int | None:
        line = self.answer.split(b"\r\n", 1)[0].split()
        return int(line[1]) if len(line) > 1 and line[1].isdigit() else None

    @property
    def content_type(self) -> str | None:
        head = self.answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
        for line in head.split("\r\n")[1:]:
            name, _, value = line.partition(":")
            if name.strip() == "content-type":
                return value.strip()
        return None

    @property
    def seconds(self) -> float | None:
        """Seconds from opening to the first answer byte (None: no answer)."""
        return None if self.answered is None else self.answered - self.opened

    @property
    def closed_after(self) -> float | None:
        """Seconds from opening until the server closed the connection (None: still open)."""
        return None if self.closed is None else self.closed - self.opened


@dataclass
class SlowClients:
    """``n`` connections to ``port``, taking turns over ``kinds``: send a ~100-byte partial
    body and wait (``stall``), dribble one byte every ``interval`` seconds (``dribble``), send
    part of a chunk and wait (``chunked``), or stop in the middle of the request head
    (``head``). A background thread keeps dribbling and collects answers."""

    port: int
    n: int = 50
    interval: float = 0.5
    kinds: tuple[str, ...] = KINDS
    connections: list[SlowConnection] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        for i in range(self.n):
            kind = self.kinds[i % len(self.kinds)]
            sock = socket.create_connection((HOST, self.port), timeout=5)
            sock.sendall(_opening(kind, self.port))
            sock.setblocking(False)
            self.connections.append(SlowConnection(kind, sock, time.monotonic()))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        selector = selectors.DefaultSelector()
        for conn in self.connections:
            selector.register(conn.sock, selectors.EVENT_READ, conn)
        next_drip = time.monotonic() + self.interval
        while not self._stop.is_set() and any(c.closed is None for c in self.connections):
            for key, _ in selector.select(timeout=max(0.0, next_drip - time.monotonic())):
                conn = key.data
                try:
                    data = conn.sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if data and conn.answered is None:
                    conn.answered = time.monotonic()
                conn.answer += data
                if not data:
                    conn.closed = time.monotonic()
                    selector.unregister(conn.sock)
            if time.monotonic() >= next_drip:
                next_drip += self.interval
                for conn in self.connections:
                    if conn.kind == "dribble" and conn.answered is None and conn.closed is None:
                        with contextlib.suppress(OSError):  # the server may have closed it
                            conn.sock.send(b"a")
        selector.close()

    def wait_answered(self, timeout: float) -> bool:
        """Wait until every connection has an answer or was closed; False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(c.answered is not None or c.closed is not None for c in self.connections):
                return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for conn in self.connections:
            conn.sock.close()

    def summary(self) -> dict:
        answered = [c.seconds for c in self.connections if c.seconds is not None]
        statuses: dict[str, int] = {}
        for c in self.connections:
            key = str(c.status) if c.status else ("closed" if c.closed is not None else "no answer")
            statuses[key] = statuses.get(key, 0) + 1
        return {
            "connections": self.n,
            "statuses": statuses,
            "problem_json": sum(
                c.content_type == "application/problem+json" for c in self.connections
            ),
            "answer_s_min": round(min(answered), 2) if answered else None,
            "answer_s_max": round(max(answered), 2) if answered else None,
        }


def timed_request(port: int, method: str, path: str, body: bytes | None, timeout: float):
    """(status or None on timeout/error, seconds) of one request on a new connection."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        status: int | None = response.status
    except OSError:
        status = None
    finally:
        conn.close()
    return status, time.perf_counter() - started


@dataclass
class Probe:
    """Latencies of one request sent again and again (sequentially) for a while."""

    port: int
    method: str
    path: str
    body: bytes | None = None
    timeout: float = 10.0
    latencies: list[float] = field(default_factory=list)
    failures: int = 0  # timeouts, refused connections and non-200 answers

    def run(self, seconds: float, pause: float = 0.05) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            status, elapsed = timed_request(
                self.port, self.method, self.path, self.body, self.timeout
            )
            self.latencies.append(elapsed)
            self.failures += status != 200
            time.sleep(pause)

    def summary(self) -> dict:
        return {
            "requests": len(self.latencies),
            "failures": self.failures,
            "p50_ms": round(1000 * percentile(self.latencies, 50), 1),
            "p99_ms": round(1000 * percentile(self.latencies, 99), 1),
            "max_ms": round(1000 * max(self.latencies, default=float("nan")), 1),
        }


def probes(port: int, seconds: float, timeout: float = 10.0) -> dict[str, Probe]:
    """``/healthz`` and a normal ``POST /v1/score``, side by side, for ``seconds``."""
    found = {
        "healthz": Probe(port, "GET", "/healthz", timeout=timeout),
        "score": Probe(port, "POST", "/v1/score", json.dumps(NORMAL_ROLE).encode(), timeout),
    }
    threads = [threading.Thread(target=p.run, args=(seconds,)) for p in found.values()]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(
    models_dir: Path, options: Sequence[str] = (), workers: int = 2, **env: str
) -> Iterator[int]:
    """The service with the product's gunicorn settings plus ``options``; yields its port."""
    from risk_service.web.gunicorn_conf import serve_argv

    port = free_port()
    argv = serve_argv(HOST, port, workers)
    argv[-1:-1] = list(options)  # before the app, after the configuration file
    with tempfile.TemporaryDirectory(prefix="risk-slow-clients-") as tmp:
        environment = cli_env(
            models_dir,
            PROMETHEUS_MULTIPROC_DIR=tmp,
            RISK_DATABASE_URL=f"sqlite:///{tmp}/risk.db",
            **env,
        )
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 60
            while timed_request(port, "GET", "/readyz", None, 1.0)[0] != 200:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start (exit code {proc.poll()})")
                time.sleep(0.1)
            yield port
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def measure(port: int, connections: int, load_seconds: float, answer_within: float) -> dict:
    """Unloaded probes, then the same probes while ``connections`` slow clients are open, then
    how the slow clients ended (waiting at most ``answer_within`` s from opening)."""
    unloaded = probes(port, 3.0)
    slow = SlowClients(port, connections)
    slow.start()
    try:
        loaded = probes(port, load_seconds)
        slow.wait_answered(
            max(0.0, answer_within - (time.monotonic() - slow.connections[0].opened))
        )
        after = probes(port, 2.0)
    finally:
        slow.close()
    return {
        "unloaded": {k: p.summary() for k, p in unloaded.items()},
        "under_slow_clients": {k: p.summary() for k, p in loaded.items()},
        "slow_clients": slow.summary(),
        "after": {k: p.summary() for k, p in after.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--models-dir", type=Path, required=True)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--load-seconds", type=float, default=8.0)
    parser.add_argument("--answer-within", type=float, default=45.0)
    parser.add_argument("--option", action="append", default=[], help="extra gunicorn option")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server")
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    with serving(args.models_dir, args.option, args.workers, **env) as port:
        result = measure(port, args.connections, args.load_seconds, args.answer_within)
    print(json.dumps({"options": args.option, "env": env, **result}, indent=2))


if __name__ == "__main__":
    main()
