"""Operations: Prometheus metrics, JSON request logs with request ids, and the rate limit."""

from __future__ import annotations

import io
import json
import logging
import os
from contextlib import contextmanager

import pytest
from prometheus_client.parser import text_string_to_metric_families

from risk_service import create_app
from risk_service.registry import Registry
from risk_service.web import telemetry
from risk_service.web.app import app_settings
from risk_service.web.gunicorn_conf import fresh_metrics_dir

BOOKKEEPER = {
    "title": "Buchhalter/in",
    "description": "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen",
}
# A phrase that appears nowhere but in the request, so finding it in a log means a leak.
SECRET = "Abstimmung der Kreditorenkonten nach dem Zebrafink-Protokoll"
SCORE_COUNT = "risk_http_request_duration_seconds_count"


def metric(text: str, sample: str, **labels: str) -> float:
    """Sum of the samples called ``sample`` whose labels include ``labels``."""
    return sum(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == sample and labels.items() <= s.labels.items()
    )


def scrape(client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_scoring_moves_latency_histogram_and_band_language_counter(client):
    before = scrape(client)
    response = client.post("/v1/score", json=BOOKKEEPER)
    assert response.status_code == 200
    body = response.get_json()
    after = scrape(client)

    labels = {"band": body["risk_band"], "language": body["language"]}
    assert body["language"] == "de"
    assert metric(after, "risk_assessments_total", **labels) - metric(
        before, "risk_assessments_total", **labels
    ) == pytest.approx(1)
    # no other band/language pair moved
    assert metric(after, "risk_assessments_total") - metric(
        before, "risk_assessments_total"
    ) == pytest.approx(1)

    route = {"endpoint": "/v1/score", "method": "POST", "status": "2xx"}
    assert metric(after, SCORE_COUNT, **route) - metric(before, SCORE_COUNT, **route) == 1
    buckets = "risk_http_request_duration_seconds_bucket"
    assert metric(after, buckets, le="+Inf", **route) - metric(
        before, buckets, le="+Inf", **route
    ) == pytest.approx(1)
    version = Registry(app_settings(client.application).models_dir).current_version()
    assert body["model_version"] == version
    assert metric(after, "risk_model_info", version=version) == 1


def test_batch_counts_every_assessment(client):
    roles = [BOOKKEEPER, {"title": "Pflegefachkraft", "language": "de"}, {"tasks": ["Enter data"]}]
    before = scrape(client)
    response = client.post("/v1/score/batch", json={"roles": roles})
    assert response.status_code == 200
    after = scrape(client)
    assert metric(after, "risk_assessments_total") - metric(
        before, "risk_assessments_total"
    ) == pytest.approx(3)


def test_error_counter_moves_on_422(client):
    before = scrape(client)
    response = client.post("/v1/score", json={"title": "Buchhalter", "language": "fr"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    after = scrape(client)
    problem = {"type": "validation", "status": "422"}
    assert metric(after, "risk_problems_total", **problem) - metric(
        before, "risk_problems_total", **problem
    ) == pytest.approx(1)
    route = {"endpoint": "/v1/score", "method": "POST", "status": "4xx"}
    assert metric(after, SCORE_COUNT, **route) - metric(before, SCORE_COUNT, **route) == 1
    assert metric(after, "risk_assessments_total") == metric(before, "risk_assessments_total")


def test_unknown_paths_and_methods_do_not_grow_labels(client):
    before = scrape(client)
    for i in range(3):
        assert client.get(f"/no/such/path/{i}").status_code == 404
    assert client.open("/v1/score", method="BREW").status_code == 405
    after = scrape(client)
    unmatched = {"endpoint": "<unmatched>", "status": "4xx"}
    assert metric(after, SCORE_COUNT, **unmatched) - metric(before, SCORE_COUNT, **unmatched) == 4
    assert "/no/such/path" not in after
    assert 'method="BREW"' not in after


def test_request_id_round_trips(client):
    given = client.get("/healthz", headers={"X-Request-ID": "req-42.abc"})
    assert given.headers["X-Request-ID"] == "req-42.abc"

    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second and len(first) == 32

    # an id that could forge log fields or headers is replaced, not echoed
    for bad in ['x" "status": 200', "a" * 200, ""]:
        answered = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert answered != bad and len(answered) == 32

    # problems carry the id too, so a user's error report can be found in the logs
    problem = client.post("/v1/score", json={}, headers={"X-Request-ID": "err-1"})
    assert problem.status_code == 422
    assert problem.headers["X-Request-ID"] == "err-1"


@contextmanager
def captured_log():
    """What the app's own log handler writes, as a string buffer."""
    handlers = [
        h
        for h in logging.getLogger("risk_service").handlers
        if h.get_name() == telemetry.LOG_HANDLER_NAME
    ]
    assert len(handlers) == 1, "every create_app must replace, not add, the log handler"
    buffer = io.StringIO()
    previous = handlers[0].setStream(buffer)
    try:
        yield buffer
    finally:
        handlers[0].setStream(previous)


@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_request_log_is_json_with_request_id_and_no_role_text(app, registry_dir, level):
    app = create_app({"TESTING": True, "MODELS_DIR": str(registry_dir), "LOG_LEVEL": level})
    client = app.test_client()
    role = {"title": "Buchhalter/in", "description": f"Kontieren von Belegen; {SECRET}"}
    with captured_log() as log:
        posted = client.post("/v1/score", json=role, headers={"X-Request-ID": "log-post-1"})
        got = client.get(
            "/v1/score",
            query_string={"title": "Buchhalter/in", "description": SECRET},
            headers={"X-Request-ID": "log-get-1"},
        )
    assert posted.status_code == 200 and got.status_code == 200
    text = log.getvalue()
    assert SECRET not in text and "Zebrafink" not in text

    records = [json.loads(line) for line in text.splitlines()]  # every line is one JSON object
    access = [r for r in records if r.get("logger") == "risk_service.access" and "status" in r]
    by_id = {r["request_id"]: r for r in access}
    assert len(access) == 2 == len(by_id), "exactly one access line per request"
    post = by_id["log-post-1"]
    assert post["method"] == "POST" and post["path"] == "/v1/score" and post["status"] == 200
    assert post["model_version"] == posted.get_json()["model_version"]
    assert post["level"] == "INFO" and post["duration_ms"] > 0
    assert by_id["log-get-1"]["path"] == "/v1/score"  # the query string stays out

    debug = [r for r in records if r["level"] == "DEBUG"]
    if level == "DEBUG":
        # the body shows up as its size only
        sizes = [r for r in debug if r["request_id"] == "log-post-1" and "bytes" in r["message"]]
        assert sizes and str(posted.request.content_length) in sizes[0]["message"]
    else:
        assert debug == []


def test_plain_log_format_when_json_is_off(registry_dir):
    app = create_app({"TESTING": True, "MODELS_DIR": str(registry_dir), "LOG_JSON": False})
    with captured_log() as log:
        app.test_client().post("/v1/score", json=BOOKKEEPER, headers={"X-Request-ID": "plain-1"})
    line = next(ln for ln in log.getvalue().splitlines() if "POST /v1/score 200" in ln)
    assert "[plain-1]" in line
    assert not line.startswith("{")


def limited_app(registry_dir, rate: str):
    return create_app({"TESTING": True, "MODELS_DIR": str(registry_dir), "RATE_LIMIT": rate})


def test_rate_limit_answers_429_problem_with_retry_after(registry_dir):
    client = limited_app(registry_dir, "2/minute").test_client()
    before = scrape(client)
    for _ in range(2):
        response = client.post("/v1/score", json=BOOKKEEPER)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "2"

    refused = client.post("/v1/score", json=BOOKKEEPER)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    body = refused.get_json()
    assert body["status"] == 429 and body["type"].endswith("/rate-limited")
    assert "2 per 1 minute" in body["detail"]
    assert 0 < int(refused.headers["Retry-After"]) <= 60

    # per client: another address still gets through; probes and scrapes stay reachable
    other = client.post("/v1/score", json=BOOKKEEPER, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200
    assert client.get("/healthz").status_code == 200
    after = scrape(client)
    limited = {"type": "rate-limited", "status": "429"}
    assert metric(after, "risk_problems_total", **limited) - metric(
        before, "risk_problems_total", **limited
    ) == pytest.approx(1)


def test_no_rate_limit_by_default(client):
    statuses = {client.get("/v1/score", query_string={"title": "Buchhalter"}).status_code}
    statuses |= {client.get("/v1/score", query_string={"title": "Koch"}).status_code}
    statuses |= {client.get("/v1/score", query_string={"title": "Lagerist"}).status_code}
    assert 429 not in statuses
    assert "X-RateLimit-Limit" not in client.get("/v1/score?title=Koch").headers


def test_bad_rate_limit_setting_fails_at_start(registry_dir):
    with pytest.raises(ValueError, match="RATE_LIMIT"):
        limited_app(registry_dir, "lots please")


def test_fresh_metrics_dir_drops_values_of_an_earlier_run(tmp_path, monkeypatch):
    stale = tmp_path / "metrics"
    stale.mkdir()
    (stale / "counter_12345.db").write_bytes(b"\0" * 16)
    (stale / "notes.txt").write_text("not ours")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(stale))
    assert fresh_metrics_dir() == str(stale)
    assert sorted(p.name for p in stale.iterdir()) == ["notes.txt"]

    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    made = fresh_metrics_dir()
    try:
        assert os.path.isdir(made) and not os.listdir(made)
    finally:
        os.rmdir(made)
