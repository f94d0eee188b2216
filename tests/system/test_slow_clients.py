"""Slow and stalled clients against a real ``risk-service serve`` (gunicorn, gevent workers).

Before this was fixed, two connections that sent ~100 bytes of a body and waited held both sync
workers: ``/healthz`` timed out for 30 s and both workers were killed. Here 60 connections
stall or dribble their bodies and 30 stop inside the request head, while ``/healthz`` and a
normal ``POST /v1/score`` must answer about as fast as on an idle server; every slow body ends
with a 408 problem+json at ``RISK_BODY_READ_TIMEOUT``, every slow head is closed after the
keep-alive deadline. The load itself is ``benchmarks/slow_clients.py`` (which also gives the
before/after figures). gunicorn's own errors and chunked bodies are checked on the same server.
"""

from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

import pytest

from benchmarks.slow_clients import KINDS, NORMAL_ROLE, SlowClients, probes
from risk_service import config
from risk_service.web import gunicorn_conf
from tests.servers import Server, running_gunicorn

BODY_TIMEOUT = 4.0  # RISK_BODY_READ_TIMEOUT for this server (default 10): keeps the test short
SLOW_BODIES = 60
SLOW_HEADS = 30
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def server(registry_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("slow-clients")
    env = {
        "RISK_MODELS_DIR": str(registry_dir),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
        "DATABASE_URL": f"sqlite:///{tmp / 'audit.db'}",
        "RISK_BODY_READ_TIMEOUT": str(BODY_TIMEOUT),
    }
    with running_gunicorn(env, tmp / "server.log", serve=True) as running:
        yield running


def port_of(server: Server) -> int:
    return urlsplit(server.url).port


def within(loaded: dict, unloaded: dict) -> None:
    """Latency under load stays near the idle server's: a few ms more, not seconds."""
    assert loaded["failures"] == 0, loaded
    assert loaded["requests"] >= 10, loaded  # sequential requests kept being answered
    assert loaded["p50_ms"] <= 3 * unloaded["p50_ms"] + 25, (loaded, unloaded)
    assert loaded["p99_ms"] <= 5 * unloaded["p99_ms"] + 150, (loaded, unloaded)


def test_stalled_and_dribbling_clients_do_not_take_the_service(server):
    port = port_of(server)
    unloaded = {name: p.summary() for name, p in probes(port, 2.0).items()}
    bodies = SlowClients(port, SLOW_BODIES, kinds=KINDS)
    heads = SlowClients(port, SLOW_HEADS, kinds=("head",))
    bodies.start()
    heads.start()
    try:
        # Probe while every slow connection is still open (they end after BODY_TIMEOUT).
        loaded = {name: p.summary() for name, p in probes(port, BODY_TIMEOUT - 1.5).items()}
        assert bodies.wait_answered(BODY_TIMEOUT + 5) and heads.wait_answered(10)
    finally:
        bodies.close()
        heads.close()
    within(loaded["healthz"], unloaded["healthz"])
    within(loaded["score"], unloaded["score"])

    # Every slow body: 408 problem+json once its time is up, not before and not much later.
    assert [c.status for c in bodies.connections] == [408] * SLOW_BODIES
    assert all(c.content_type == PROBLEM for c in bodies.connections)
    seconds = [c.seconds for c in bodies.connections]
    assert min(seconds) >= BODY_TIMEOUT - 0.2 and max(seconds) <= BODY_TIMEOUT + 2, seconds
    problem = json.loads(bodies.connections[0].answer.split(b"\r\n\r\n", 1)[1])
    assert problem["status"] == 408 and problem["type"].endswith("/request-timeout")

    # A head that never completes is closed without an answer after the keep-alive deadline.
    assert all(c.answered is None for c in heads.connections)
    closed = [c.closed_after for c in heads.connections]
    assert max(closed) <= gunicorn_conf.keepalive + 2, closed


def raw_exchange(port: int, request: bytes) -> tuple[int, str, dict]:
    """Send ``request`` as is; (status, content type, JSON body) of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    return int(lines[0].split()[1]), content_type, json.loads(body)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /v1/score?title=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (
            b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-F%d: 1\r\n" % i for i in range(150))
            + b"\r\n",
            431,
        ),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
        (b"GET /he llo HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET /healthz HTTP/1.1\r\nBad Header: x\r\n\r\n", 400),
    ],
    ids=["request-line-too-long", "too-many-headers", "header-too-large", "bad-line", "bad-header"],
)
def test_errors_gunicorn_raises_before_the_app_are_problem_json(server, request_bytes, status):
    got, content_type, problem = raw_exchange(port_of(server), request_bytes)
    assert (got, content_type) == (status, PROBLEM)
    assert problem["status"] == status and problem["type"].startswith("https://")
    assert problem["title"] and problem["detail"]


def chunked_post(port: int, body: bytes) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        pieces = (body[i : i + 65536] for i in range(0, len(body), 65536))
        conn.request(
            "POST",
            "/v1/score",
            body=pieces,
            headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
            encode_chunked=True,
        )
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


def test_chunked_bodies_are_limited_not_truncated_under_gunicorn(server):
    port = port_of(server)
    role = json.dumps(NORMAL_ROLE).encode()
    status, content_type, body = chunked_post(port, role + b" " * 5_000_000)
    assert (status, content_type) == (413, PROBLEM), body[:300]
    assert str(config.DEFAULTS.max_body_bytes) in json.loads(body)["detail"]

    status, _, body = chunked_post(port, role + b" " * 100_000)
    assert status == 200, body[:300]
    assert json.loads(body)["risk_band"] in {"low", "medium", "high"}
