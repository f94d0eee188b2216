"""Request bodies read in full before the app runs: within the size limit and a deadline.

A client that announces a body and then stalls, or dribbles it a byte at a time, would
otherwise hold a worker thread for as long as it likes. :class:`BodyBuffer` (WSGI middleware)
reads every body up front, at most ``MAX_CONTENT_LENGTH`` + 1 bytes (so a chunked body over the
limit is refused, not truncated), and gives up ``BODY_READ_TIMEOUT`` seconds after it started
(``RISK_BODY_READ_TIMEOUT``, default 10). The app then sees the body as a plain in-memory
stream with a ``Content-Length``. Failures become problem+json answers through the app's normal
path (request id, access log, metrics): 408 for a body that did not arrive in time, 413 over the
limit, 400 for a broken chunked encoding.

The deadline is absolute, not per read: gunicorn's body reader waits for whole blocks, so a
per-``recv`` timeout would never fire for a client sending a byte every second. A watchdog thread
shuts the read side of the connection at the deadline, which wakes the blocked ``recv`` whatever
the worker model (threads or gevent). It needs the connection's socket, which gunicorn passes as
``environ["gunicorn.socket"]``; under other servers the body is read without a deadline.
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge

from risk_service.config import Settings
from risk_service.web.problems import HTTPProblem

_PROBLEM_KEY = "risk_service.body_problem"
_READ_STEP = 64 * 1024


@dataclass(order=True)
class _Watch:
    deadline: float
    seq: int
    sock: socket.socket = field(compare=False)
    done: bool = field(default=False, compare=False)
    fired: bool = field(default=False, compare=False)


class _Deadlines:
    """One watchdog thread per process: shuts ``SHUT_RD`` on sockets past their deadline."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._pid: int | None = None
        self._cond = threading.Condition()
        self._heap: list[_Watch] = []
        self._seq = itertools.count()

    def _started(self) -> threading.Condition:
        # Threads do not survive fork (gunicorn --preload forks after import): start per process.
        if self._pid != os.getpid():
            with self._guard:
                if self._pid != os.getpid():
                    self._cond, self._heap = threading.Condition(), []
                    threading.Thread(
                        target=self._run,
                        args=(self._cond, self._heap),
                        daemon=True,
                        name="body-read-deadlines",
                    ).start()
                    self._pid = os.getpid()
        return self._cond

    def watch(self, sock: socket.socket, seconds: float) -> _Watch:
        cond = self._started()
        entry = _Watch(time.monotonic() + seconds, next(self._seq), sock)
        with cond:
            heapq.heappush(self._heap, entry)
            if self._heap[0] is entry:
                cond.notify()
        return entry

    def finish(self, entry: _Watch) -> bool:
        """Stop watching ``entry``; True if its deadline had already passed (read side shut)."""
        with self._cond:
            entry.done = True
            return entry.fired

    @staticmethod
    def _run(cond: threading.Condition, heap: list[_Watch]) -> None:
        with cond:
            while True:
                while heap and heap[0].done:
                    heapq.heappop(heap)
                if not heap:
                    cond.wait()
                    continue
                wait = heap[0].deadline - time.monotonic()
                if wait > 0:
                    cond.wait(wait)
                    continue
                entry = heapq.heappop(heap)
                entry.fired = True
                with contextlib.suppress(OSError):  # the client may be gone already
                    entry.sock.shutdown(socket.SHUT_RD)


_deadlines = _Deadlines()


def _announced_length(environ: dict) -> int | None:
    """The body length the request announces; None for chunked (read until its end)."""
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        return None
    try:
        return max(0, int(environ.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # gunicorn refuses a malformed Content-Length before the app runs


class BodyBuffer:
    """WSGI middleware: read the whole body within ``max_bytes`` and ``timeout`` seconds."""

    def __init__(self, app: Callable, max_bytes: int, timeout: float) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        problem = self._buffer(environ)
        if problem is not None:
            environ[_PROBLEM_KEY] = problem
        return self.app(environ, start_response)

    def _buffer(self, environ: dict) -> Exception | None:
        length = _announced_length(environ)
        if length == 0:
            return None
        if length is not None and length > self.max_bytes:
            return RequestEntityTooLarge()  # refused from the header, nothing read
        wanted = self.max_bytes + 1 if length is None else length
        sock = environ.get("gunicorn.socket")
        watch = _deadlines.watch(sock, self.timeout) if sock and self.timeout > 0 else None
        chunks: list[bytes] = []
        received = 0
        failure: Exception | None = None
        try:
            stream = environ["wsgi.input"]
            while received < wanted:
                data = stream.read(min(_READ_STEP, wanted - received))
                if not data:
                    break
                chunks.append(data)
                received += len(data)
        except Exception as exc:  # noqa: BLE001 - the reason is reported, never raised
            failure = exc
        finally:
            late = watch is not None and _deadlines.finish(watch)
        complete = failure is None and (length is None or received == length)
        if late and not complete:
            return HTTPProblem(
                408,
                "request-timeout",
                "Request Timeout",
                f"the request body did not arrive within {self.timeout:g} s",
            )
        if length is None and received > self.max_bytes:
            return RequestEntityTooLarge()
        if failure is not None:
            return HTTPProblem(
                400,
                "malformed-body",
                "Malformed request body",
                f"the request body could not be read ({type(failure).__name__})",
            )
        if not complete:
            return HTTPProblem(
                400,
                "malformed-body",
                "Malformed request body",
                f"the body ended after {received} of {length} bytes",
            )
        body = b"".join(chunks)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        return None


def _raise_body_problem() -> None:
    problem = request.environ.get(_PROBLEM_KEY)
    if problem is not None:
        raise problem


def init_app(app: Flask, settings: Settings) -> None:
    """Read bodies up front; call after :func:`risk_service.web.telemetry.init_app` so that the
    resulting 408/413/400 answers are timed and logged like any other.

    Settings ``body_read_timeout`` (seconds, ``RISK_BODY_READ_TIMEOUT``; 0 turns the deadline
    off) and ``max_body_bytes`` (``RISK_MAX_BODY_BYTES``).
    """
    # Flask's documented way to add WSGI middleware (mypy sees a method being replaced).
    app.wsgi_app = BodyBuffer(  # type: ignore[method-assign]
        app.wsgi_app, settings.max_body_bytes, settings.body_read_timeout
    )
    app.before_request(_raise_body_problem)
