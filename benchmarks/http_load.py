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


class KeepAlive:
    """One client connection kept open across requests (HTTP/1.1 keep-alive), reopened if the
    server closed it."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port, self.timeout = port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                headers = {"Content-Type": "application/json"} if body is not None else {}
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def keepalive_loop(port: int, path: str, bodies: list[bytes], concurrency: int = 4) -> dict:
    """Closed loop as the issue measures it: ``concurrency`` client threads, each on one
    keep-alive connection, send every body once; req/s and latency percentiles."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = iter(bodies)

    def worker() -> None:
        nonlocal errors
        client = KeepAlive(port)
        try:
            while True:
                with lock:
                    body = next(queue, None)
                if body is None:
                    return
                t = time.perf_counter()
                status, _ = client.request("POST", path, body)
                elapsed = time.perf_counter() - t
                with lock:
                    latencies.append(elapsed)
                    errors += status != 200
        finally:
            client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _summary(latencies, errors, time.perf_counter() - started)


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


SERVERS = (
    ("wsgi", "benchmarks.echo_app:app", "/echo"),
    ("flask", "benchmarks.flask_app:app", "/echo"),
    ("service", "risk_service.web.wsgi:app", "/v1/score"),
)


def http_ratios(
    models_dir,
    *,
    warmup: list[dict],
    cold: list[dict],
    warm: list[dict],
    new_text: list[dict],
    warm_requests: int = 600,
    rate: float = 200,
) -> dict:
    """Issue 15's HTTP figures for the service, a bare Flask app and a bare WSGI app under the
    same gunicorn command: closed loop (4 keep-alive clients) on ``cold`` roles (text no worker
    has seen) and on ``warm`` roles (a few bodies repeated; every worker has answered each of
    them before), and an open loop of ``new_text`` at ``rate`` req/s.

    Each server first answers ``warmup`` (other roles), as a running server has.
    """
    encode = lambda roles: [json.dumps(r).encode() for r in roles]  # noqa: E731
    warm_bodies = encode(warm)
    repeated = [warm_bodies[i % len(warm_bodies)] for i in range(warm_requests)]
    results: dict = {}
    for name, app, path in SERVERS:
        server = Server(app, models_dir)
        try:
            cold_start = server.wait_ready()
            keepalive_loop(server.port, path, encode(warmup))
            cold_run = keepalive_loop(server.port, path, encode(cold))
            keepalive_loop(server.port, path, warm_bodies * 4)  # both workers have seen them
            warm_run = keepalive_loop(server.port, path, repeated)
            opened = open_loop(server.port, path, encode(new_text), rate)
            results[name] = {
                "cold_start_s": round(cold_start, 2),
                "cold": cold_run,
                "warm": warm_run,
                "open_loop": opened,
                "worker_rss_mb": server.worker_rss_mb(),
            }
        finally:
            server.stop()
    for kind in ("cold", "warm"):
        service = results["service"][kind]["req_per_s"]
        results[f"{kind}_vs_flask"] = round(service / results["flask"][kind]["req_per_s"], 3)
        results[f"{kind}_vs_wsgi"] = round(service / results["wsgi"][kind]["req_per_s"], 3)
    return results


def main() -> None:
    import argparse

    from benchmarks.cold import build_cold_roles, new_text_roles

    parser = argparse.ArgumentParser(description="issue 15's HTTP ratios")
    parser.add_argument("--models-dir", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--cold", type=int, default=1_200)
    args = parser.parse_args()
    roles = build_cold_roles()
    n_open = int(args.rate * args.seconds)
    results = http_ratios(
        args.models_dir,
        warmup=roles[-300:],
        cold=roles[: args.cold],
        warm=roles[args.cold : args.cold + 50],
        new_text=new_text_roles(n_open),
        rate=args.rate,
    )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
