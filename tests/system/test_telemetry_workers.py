"""Metrics summed over two gunicorn workers of `risk-service serve`."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from risk_service.registry import Registry
from tests.servers import running_gunicorn
from tests.service.test_telemetry import BOOKKEEPER, SCORE_COUNT, metric


def http(method: str, url: str, body: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def served(registry_dir, tmp_path):
    """``risk-service serve`` with 2 workers on a free localhost port; yields (url, log path)."""
    env = {
        "RISK_MODELS_DIR": str(registry_dir),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'audit.db'}",
    }
    with running_gunicorn(env, tmp_path / "server.log", serve=True) as server:
        yield server.url, server.log


def test_metrics_add_up_over_gunicorn_workers(served, registry_dir):
    url, log_path = served

    def served_by() -> set[int]:
        return {
            record["pid"]
            for line in log_path.read_text().splitlines()
            if line.startswith("{")
            for record in [json.loads(line)]
            if record.get("path") == "/v1/score" and record.get("status") == 200
        }

    # A gevent worker may take a whole burst on its own: send bursts until both have answered
    # (the sums below must then cover the requests of both processes).
    n = 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(12):
            answers = list(
                pool.map(lambda _: http("POST", f"{url}/v1/score", BOOKKEEPER), range(40))
            )
            assert [status for status, _ in answers] == [200] * 40
            n += 40
            if len(served_by()) == 2:
                break
    assert len(served_by()) == 2, "both workers should have answered some requests"

    version = Registry(registry_dir).current_version()
    route = {"endpoint": "/v1/score", "method": "POST", "status": "2xx"}
    # each scrape is answered by whichever worker accepts it; every one must see all n
    for _ in range(6):
        status, raw = http("GET", f"{url}/metrics")
        assert status == 200
        text = raw.decode()
        assert metric(text, "risk_assessments_total") == n
        assert metric(text, "risk_assessments_total", language="de") == n
        assert metric(text, SCORE_COUNT, **route) == n
        assert metric(text, "risk_model_info", version=version) == 1
