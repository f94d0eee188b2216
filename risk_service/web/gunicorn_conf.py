"""Gunicorn settings used by ``risk-service serve`` (``-c python:risk_service.web.gunicorn_conf``).

Worker model: one gevent worker per core. Scoring is CPU-bound, so one process per core uses
the machine; gevent lets each of them hold up to ``worker_connections`` open connections
while it computes, so clients that are slow to send cannot occupy it. Their time is bounded
twice: the request head must arrive within ``keepalive`` seconds (gevent's read deadline in
gunicorn's keep-alive loop), the body within ``RISK_BODY_READ_TIMEOUT`` (408, see
:mod:`risk_service.web.request_body`). A request that computes for longer than ``timeout`` blocks
its worker's heartbeat and the worker is replaced. Measured in ``benchmarks/slow_clients.py``;
the production set-up (a buffering reverse proxy in front) is in the README, Operations.

Workers import the app themselves, after gevent has patched the standard library (no
``--preload``): locks, queues and the database pool created at import are then cooperative.

Metrics of all workers are kept in one directory (prometheus_client multiprocess mode), so a
scrape answered by any worker reports the totals. The directory must be empty at start and
is named by ``PROMETHEUS_MULTIPROC_DIR``; :func:`fresh_metrics_dir` prepares it.

Errors gunicorn answers itself, before the app runs (400 malformed request line or header,
414 request line over ``limit_request_line``, 431 headers over the limits, 500 when a worker
dies mid-request), are written as problem+json too (:func:`problem_error`).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

from prometheus_client import multiprocess

_PREFIX = "risk-service-metrics-"
# Same base URI as risk_service.web.problems (not imported: it would load Flask into the master).
_PROBLEM_TYPE = "https://risk-service.example/problems/"

worker_class = "gevent"
workers = os.cpu_count() or 1  # `risk-service serve --workers` overrides
worker_connections = 1000  # open connections per worker; more wait in the listen backlog
timeout = 30  # seconds a worker may block its event loop (one long computation) before restart
graceful_timeout = 30
keepalive = 5  # seconds for a request head to arrive, on a new or a kept-alive connection
# gunicorn's defaults, stated because the OpenAPI document quotes them (414, 431).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


def fresh_metrics_dir() -> str:
    """An empty directory for multiprocess metrics.

    The one named by ``PROMETHEUS_MULTIPROC_DIR`` if set (its ``*.db`` files are removed: values
    of an earlier run would be added to this one's), else a new temporary directory.

    Returns
    -------
    str
        Path to pass on as ``PROMETHEUS_MULTIPROC_DIR``.
    """
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not given:
        return tempfile.mkdtemp(prefix=_PREFIX)
    path = Path(given)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    return str(path)


def problem_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own error answers as RFC 9457 problem+json instead of an HTML page.

    Same signature as ``gunicorn.util.write_error``, which :func:`post_fork` replaces: gunicorn
    offers no setting for the format of the errors it raises before the app is called.
    """
    slug = "internal" if status_int == 500 else reason.lower().replace(" ", "-")
    body = json.dumps(
        {
            "type": _PROBLEM_TYPE + slug,
            "title": reason,
            "status": status_int,
            "detail": (mesg or ("the error was logged" if status_int == 500 else reason))[:500],
        },
        ensure_ascii=False,
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/problem+json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    from gunicorn import util

    util.write_nonblock(sock, head.encode("latin-1") + body)


def when_ready(server) -> None:
    """Listening sockets hand a connection to a worker only once its first bytes arrived.

    A gevent worker that accepts a connection whose request is not there yet goes back to
    accepting, and can end up holding several requests while the other worker idles; with
    ``TCP_DEFER_ACCEPT`` (Linux) a worker accepts only what it can start on at once, as a
    sync worker would. Connections that never send anything stay in the kernel.
    """
    if hasattr(socket, "TCP_DEFER_ACCEPT"):
        for listener in server.LISTENERS:
            if listener.sock.family in (socket.AF_INET, socket.AF_INET6):
                listener.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 1)


def post_fork(server, worker) -> None:
    """In each worker: gunicorn's pre-app errors as problem+json; one accept per wake-up."""
    from gunicorn import util

    util.write_error = problem_error
    if type(worker).__module__ == "gunicorn.workers.ggevent":
        from gevent.baseserver import BaseServer

        # gevent accepts up to 100 waiting connections per wake-up: an idle worker would take
        # them all and compute them one after the other while the other worker idles.
        BaseServer.max_accept = 1


def child_exit(server, worker) -> None:
    """Drop the live-only gauges of a worker that exited; its counters keep counting."""
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    """Remove the metrics directory if :func:`fresh_metrics_dir` created it."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if Path(path).name.startswith(_PREFIX) and Path(path).parent == Path(tempfile.gettempdir()):
        shutil.rmtree(path, ignore_errors=True)


def serve_argv(
    host: str, port: int, workers: int, app: str = "risk_service.web.wsgi:app"
) -> list[str]:
    """The gunicorn command line of ``risk-service serve``; the benchmarks use it too."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:risk_service.web.gunicorn_conf",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        app,
    ]
