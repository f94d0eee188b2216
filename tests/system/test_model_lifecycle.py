"""Acceptance: a real gunicorn server follows promote / rollback under load, refuses tampering.

Two gunicorn workers serve from a temporary registry while a client thread keeps scoring. The
CLI promotes and rolls back; every worker must switch without a restart and without a failed
request. A tampered artifact pointed at by ``current`` is refused and the old model keeps serving.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner

from risk_service.cli import main as cli
from risk_service.registry import ARTIFACT, Registry
from tests.servers import running_gunicorn

TOKEN = "lifecycle-admin-token"
# Workers poll `current` once a second; the switch then waits for the artifact to load, which
# takes from 0.3 s on an idle machine to seconds on a busy runner where both workers load at once
# on two cores, so the measured load time is added twice.
POLL_SECONDS = 1.0
SWITCH_MARGIN = 1.0
ROLE = {
    "tasks": ["Enter supplier invoices into the accounting system", "Comfort grieving relatives"],
    "language": "en",
}


def _request(url: str, body: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.fixture(scope="module")
def lifecycle_registry(tmp_path_factory, model):
    """Three versions of the session model: old (current), new (better), and tampered."""
    root = tmp_path_factory.mktemp("lifecycle_models")
    registry = Registry(root)
    copy = dataclasses.replace(model, meta={})  # save() resets meta; keep the fixture's intact
    old = registry.save(copy, metrics={"rule_auc_min": 0.90}, data_hash="lifecycle")
    new = registry.save(copy, metrics={"rule_auc_min": 0.92}, data_hash="lifecycle")
    bad = registry.save(copy, metrics={"rule_auc_min": 0.95}, data_hash="lifecycle")
    artifact = root / bad / ARTIFACT
    data = bytearray(artifact.read_bytes())
    data[len(data) // 2] ^= 0x01  # one byte changed
    artifact.write_bytes(bytes(data))
    registry.promote(old)
    started = time.perf_counter()
    registry.load(new)
    load_seconds = time.perf_counter() - started
    return registry, old, new, bad, load_seconds


@pytest.fixture(scope="module")
def server(lifecycle_registry, tmp_path_factory):
    """Gunicorn with two workers on a free localhost port: (base URL, master pid)."""
    registry = lifecycle_registry[0]
    workdir = tmp_path_factory.mktemp("gunicorn")
    env = {
        "RISK_MODELS_DIR": str(registry.root),
        "RISK_ADMIN_TOKEN": TOKEN,
        # Keep any audit store this server opens inside the test's folder.
        "DATABASE_URL": f"sqlite:///{workdir / 'risk.db'}",
        "RISK_DATABASE_URL": f"sqlite:///{workdir / 'risk.db'}",
    }
    with running_gunicorn(
        env, workdir / "gunicorn.log", options=["--timeout", "60"], cwd=workdir
    ) as running:
        yield running.url, running.pid


class ScoringClient(threading.Thread):
    """Scores one role again and again until stopped (at most ``max_seconds``)."""

    def __init__(self, base: str, max_seconds: float = 120.0) -> None:
        super().__init__(daemon=True)
        self.url = f"{base}/v1/score"
        self.max_seconds = max_seconds
        self.stop = threading.Event()
        self.results: list[tuple[int, str | None]] = []
        self.errors: list[str] = []

    def run(self) -> None:
        deadline = time.monotonic() + self.max_seconds
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                status, body = _request(self.url, ROLE)
                self.results.append((status, body.get("model_version")))
            except (OSError, ValueError) as exc:  # refused connection, reset, bad JSON
                self.errors.append(repr(exc))

    def versions(self) -> set[str | None]:
        return {version for _, version in self.results}


def _wait_for_version(base: str, version: str, limit: float) -> tuple[float, float]:
    """Seconds until GET /v1/model first reports ``version``, and until it always does."""
    started = time.monotonic()
    first, streak = None, 0
    while time.monotonic() - started < limit + 5:
        status, card = _request(f"{base}/v1/model")
        if status == 200 and card["version"] == version:
            first = first or time.monotonic() - started
            streak += 1
        else:
            streak = 0
        if streak >= 8:  # consecutive answers: every worker has switched
            return first, time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"GET /v1/model did not report {version} within {limit + 5:.1f} s")


def _workers(pid: int) -> set[int]:
    """Child process ids of the gunicorn master (Linux /proc)."""
    children = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as fh:
            children |= {int(c) for c in fh.read().split()}
    return children


def test_promote_and_rollback_switch_a_running_server_without_failed_requests(
    server, lifecycle_registry
):
    base, master = server
    registry, old, new, _, load_seconds = lifecycle_registry
    limit = POLL_SECONDS + 2 * load_seconds + SWITCH_MARGIN
    assert _request(f"{base}/v1/model")[1]["version"] == old
    workers = _workers(master)
    assert len(workers) == 2

    client = ScoringClient(base)
    client.start()
    try:
        time.sleep(1.0)  # requests are flowing on the old model
        result = CliRunner().invoke(
            cli, ["models", "promote", new, "--models-dir", str(registry.root)]
        )
        assert result.exit_code == 0, result.output
        promoted = _wait_for_version(base, new, limit)
        time.sleep(1.0)

        result = CliRunner().invoke(cli, ["models", "rollback", "--models-dir", str(registry.root)])
        assert result.exit_code == 0 and old in result.output, result.output
        rolled_back = _wait_for_version(base, old, limit)
        time.sleep(1.0)
    finally:
        client.stop.set()
        client.join(timeout=60)

    print(f"switch seconds (first seen, all workers): promote {promoted}, rollback {rolled_back}")
    print(f"model load {load_seconds:.2f} s; {len(client.results)} scoring requests")
    assert promoted[0] < limit and rolled_back[0] < limit, (promoted, rolled_back, limit)
    assert _workers(master) == workers  # same worker processes: no restart
    assert client.errors == []
    failed = [status for status, _ in client.results if status != 200]
    assert failed == [], f"{len(failed)} of {len(client.results)} scoring requests failed"
    assert len(client.results) >= 10
    assert client.versions() == {old, new}  # requests were served by both models, live
    assert client.results[-1][1] == old  # and the last ones by the rolled-back model


def test_tampered_artifact_is_refused_and_previous_model_keeps_serving(server, lifecycle_registry):
    base, master = server
    registry, _, _, bad, _ = lifecycle_registry
    serving = _request(f"{base}/v1/model")[1]["version"]
    assert serving != bad
    workers = _workers(master)

    # Someone bypasses the CLI (which verifies) and points `current` at the tampered version.
    (registry.root / "current").write_text(bad + "\n")
    try:
        status, problem = _request(f"{base}/v1/model/reload", body={}, token=TOKEN)
        assert status == 409
        assert "sha256" in problem["detail"] and serving in problem["detail"]

        time.sleep(POLL_SECONDS + SWITCH_MARGIN)  # let both workers' polling try the pointer too
        for _ in range(8):  # whichever worker answers
            assert _request(f"{base}/v1/model")[1]["version"] == serving
            status, assessment = _request(f"{base}/v1/score", ROLE)
            assert status == 200 and assessment["model_version"] == serving
        assert _request(f"{base}/readyz")[0] == 200
        assert _workers(master) == workers
    finally:
        registry.promote(serving, force=True)  # leave a sane pointer behind
