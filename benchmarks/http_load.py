"""HTTP benchmark: gunicorn serving the product vs an echo app, load from localhost only.

Closed loop (a few client threads, a bounded number of requests) gives req/s and p50/p99;
an open loop at a fixed rate gives p99 as a client sending 200 req/s would see it, measured
from each request's scheduled send time so a slow server cannot hide its queueing.
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import psutil

from benchmarks.measure import ROOT, cli_env, percentile
from risk_service.web.gunicorn_conf import serve_argv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``gunicorn`` with the product's settings (``risk-service serve``) for ``app``."""

    def __init__(self, app: str, models_dir, workers: int = 2) -> None:
        self.port = free_port()
        self.tmp = tempfile.TemporaryDirectory(prefix="risk-bench-http-")
        env = cli_env(
            models_dir,
            PROMETHEUS_MULTIPROC_DIR=self.tmp.name,
            RISK_DATABASE_URL=f"sqlite:///{self.tmp.name}/risk.db",
        )
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            serve_argv("127.0.0.1", self.port, workers, app),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Seconds from spawning gunicorn until ``/readyz`` answered 200."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}")
            try:
                status, _ = request(self.port, "GET", "/readyz", None, timeout=1.0)
                if status == 200:
                    return time.perf_counter() - self.started
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError("server not ready in time")

    def worker_rss_mb(self) -> list[float]:
        workers = psutil.Process(self.proc.pid).children()
        return [round(w.memory_info().rss / 2**20, 1) for w in workers]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.tmp.cleanup()


def request(port: int, method: str, path: str, body: bytes | None, timeout: float = 30.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def closed_loop(port: int, path: str, bodies: list[bytes | None], concurrency: int = 4) -> dict:
    """Send every body once from ``concurrency`` threads (``None``: a GET); req/s and latency
    percentiles."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = iter(bodies)

    def worker() -> None:
        nonlocal errors
        while True:
            with lock:
                body = next(queue, StopIteration)
            if body is StopIteration:
                return
            t = time.perf_counter()
            status, _ = request(port, "GET" if body is None else "POST", path, body)
            elapsed = time.perf_counter() - t
            with lock:
                latencies.append(elapsed)
                errors += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return _summary(latencies, errors, seconds)


def open_loop(port: int, path: str, bodies: list[bytes], rate: float) -> dict:
    """Send ``bodies`` at a fixed ``rate`` (req/s); latency counts from the scheduled time."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def send(body: bytes, due: float) -> None:
        nonlocal errors
        status, _ = request(port, "POST", path, body)
        with lock:
            latencies.append(time.perf_counter() - due)
            errors += status != 200

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=64) as pool:
        for i, body in enumerate(bodies):
            due = started + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            pool.submit(send, body, due)
    seconds = time.perf_counter() - started
    summary = _summary(latencies, errors, seconds)
    summary["target_rate"] = rate
    return summary


def _summary(latencies: list[float], errors: int, seconds: float) -> dict:
    return {
        "requests": len(latencies),
        "errors": errors,
        "req_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(1000 * percentile(latencies, 50), 2),
        "p99_ms": round(1000 * percentile(latencies, 99), 2),
    }


def http_benchmark(
    models_dir, roles: list[dict], warmup: list[dict], requests: int, rate: float, seconds: float
):
    """Cold start, closed-loop throughput vs echo, open-loop p99 and worker RSS.

    Each server first answers ``warmup`` (other roles than the measured ones), as a server that
    has been running a while has; then the measured requests send ``roles``.
    """
    bodies = [json.dumps(r).encode() for r in roles]
    closed = [bodies[i % len(bodies)] for i in range(requests)]
    opened = [bodies[(requests + i) % len(bodies)] for i in range(int(rate * seconds))]
    warm = [json.dumps(r).encode() for r in warmup]
    results: dict = {}
    for name, app, path in (
        ("echo", "benchmarks.echo_app:app", "/echo"),
        ("score", "risk_service.web.wsgi:app", "/v1/score"),
    ):
        server = Server(app, models_dir)
        try:
            cold = server.wait_ready()
            first = closed_loop(server.port, path, warm[:50])  # a fresh worker's first requests
            closed_loop(server.port, path, warm[50:])
            results[name] = {
                "cold_start_s": round(cold, 2),
                "first_requests": first,
                "closed_loop": closed_loop(server.port, path, closed),
                # The same requests again: each statement is now in the caches of the worker
                # that first saw it (the other of the two has it only if it saw it too).
                "replayed": closed_loop(server.port, path, closed),
                # The framework's floor: a trivial GET through the same app and hooks.
                "trivial_get": closed_loop(server.port, "/readyz", [None] * len(closed)),
                "open_loop": open_loop(server.port, path, opened, rate),
                "worker_rss_mb": server.worker_rss_mb(),
            }
        finally:
            server.stop()
    results["score_vs_echo_req_ratio"] = round(
        results["score"]["closed_loop"]["req_per_s"] / results["echo"]["closed_loop"]["req_per_s"],
        3,
    )
    return results
