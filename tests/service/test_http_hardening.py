"""HTTP hardening, fast tier: body limits and reading, strict types, charsets, CSV cells, logs.

The same behaviour under a real gunicorn (stalled bodies → 408, chunked bodies, gunicorn's own
errors) is in ``tests/system/test_slow_clients.py``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging

import pandas as pd
import pytest

from risk_service import config, create_app
from risk_service.batch.files import csv_safe, score_file
from risk_service.web import telemetry
from risk_service.web.request_body import BodyBuffer

PROBLEM = "application/problem+json"
GOOD_ROLE = {
    "title": "Buchhalter/in",
    "description": "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen",
}


def problem_fields(response) -> list[str]:
    """Every element of every ``errors[].loc`` of a problem answer, as strings."""
    assert response.mimetype == PROBLEM, response.data[:200]
    return [str(part) for error in response.get_json().get("errors", []) for part in error["loc"]]


# --- bodies: read in full, within the limit ------------------------------------------------


def chunked(client, body: bytes):
    """A POST whose body arrives without Content-Length, as a chunked upload does."""
    return client.post(
        "/v1/score",
        input_stream=io.BytesIO(body),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
    )


def test_chunked_body_over_the_limit_is_413_not_truncated(client):
    # valid JSON followed by 5 MB of whitespace: truncating it at 1 MB would still parse
    body = json.dumps(GOOD_ROLE).encode() + b" " * 5_000_000
    response = chunked(client, body)
    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert str(config.DEFAULTS.max_body_bytes) in response.get_json()["detail"]


def test_chunked_body_within_the_limit_is_scored(client):
    body = json.dumps(GOOD_ROLE).encode() + b" " * (config.DEFAULTS.max_body_bytes - 200)
    response = chunked(client, body)
    assert response.status_code == 200, response.data[:300]
    assert response.get_json()["risk_band"] in {"low", "medium", "high"}


def buffered(environ: dict) -> dict:
    """The environ the app behind :class:`BodyBuffer` sees."""
    seen: dict = {}

    def app(environ, start_response):
        seen.update(environ)
        return [b""]

    BodyBuffer(app, max_bytes=1_000_000, timeout=10)(environ, lambda *a: None)
    return seen


def test_announced_length_over_the_limit_is_refused_without_reading():
    class Unreadable(io.RawIOBase):
        def read(self, size=-1):
            raise AssertionError("the body must not be read")

    seen = buffered({"CONTENT_LENGTH": "2000000", "wsgi.input": Unreadable()})
    assert seen["risk_service.body_problem"].code == 413


def test_body_shorter_than_announced_is_a_400_problem():
    seen = buffered({"CONTENT_LENGTH": "500", "wsgi.input": io.BytesIO(b'{"title": "Koch"}')})
    problem = seen["risk_service.body_problem"]
    assert problem.status == 400 and "ended after 17 of 500 bytes" in problem.detail


def test_the_app_sees_the_whole_body_with_its_length():
    body = b'{"title": "Koch"}'
    seen = buffered(
        {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": ""}
    )
    assert "risk_service.body_problem" not in seen and "HTTP_TRANSFER_ENCODING" not in seen
    assert seen["CONTENT_LENGTH"] == str(len(body)) and seen["wsgi.input"].read() == body


# --- strict numbers and booleans ------------------------------------------------------------

NOT_NUMBERS = ["3", True, "3e2", None, [3]]


@pytest.mark.parametrize("weight", NOT_NUMBERS)
def test_task_weight_must_be_a_json_number(client, weight):
    role = {"tasks": [{"text": "Enter supplier invoices into SAP", "weight": weight}]}
    response = client.post("/v1/score", json=role)
    assert response.status_code == 422
    assert "weight" in problem_fields(response)


@pytest.mark.parametrize("weight", [3, 2.5, 1e2])
def test_numeric_weights_are_accepted(client, weight):
    role = {
        "tasks": [
            {"text": "Enter supplier invoices into SAP", "weight": weight},
            {"text": "Negotiate payment terms with suppliers", "weight": 1},
        ]
    }
    response = client.post("/v1/score", json=role)
    assert response.status_code == 200, response.data[:300]
    weights = [task["weight"] for task in response.get_json()["tasks"]]
    assert weights[0] == pytest.approx(weight / (weight + 1), abs=1e-3)


@pytest.mark.parametrize("headcount", [*NOT_NUMBERS, 12.0])
def test_headcount_must_be_a_json_integer(client, headcount):
    body = {"roles": [{**GOOD_ROLE, "headcount": headcount}]}
    response = client.post("/v1/workforce", json=body)
    assert response.status_code == 422
    fields = problem_fields(response)
    assert "headcount" in fields and "roles" in fields


@pytest.mark.parametrize("flag", ["true", 1, 0, "yes"])
def test_feedback_rule_based_must_be_a_json_boolean(client, flag):
    body = {"assessment_id": "a" * 32, "tasks": [{"text": "Mahnwesen", "rule_based": flag}]}
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 422
    assert "rule_based" in problem_fields(response)


@pytest.mark.parametrize("score", ["50", True, "5e1"])
def test_feedback_risk_score_must_be_a_json_number(client, score):
    response = client.post("/v1/feedback", json={"assessment_id": "a" * 32, "risk_score": score})
    assert response.status_code == 422
    assert "risk_score" in problem_fields(response)


# --- charset -----------------------------------------------------------------------------


def post_bytes(client, body: bytes, content_type: str):
    return client.post("/v1/score", data=body, headers={"Content-Type": content_type})


@pytest.mark.parametrize("charset", ["ISO-8859-1", "latin-1", "latin1"])
def test_latin1_body_is_decoded_as_declared(client, charset):
    body = json.dumps(GOOD_ROLE, ensure_ascii=False).encode("latin-1")
    response = post_bytes(client, body, f"application/json; charset={charset}")
    assert response.status_code == 200, response.data[:300]
    texts = [task["text"] for task in response.get_json()["tasks"]]
    assert "Abgleich der Kontoauszüge" in texts  # the ü of the latin-1 body, not mojibake


def test_latin1_bytes_without_a_charset_are_not_taken_for_utf8(client):
    body = json.dumps(GOOD_ROLE, ensure_ascii=False).encode("latin-1")
    response = post_bytes(client, body, "application/json")
    assert response.status_code == 400
    assert "not UTF-8" in response.get_json()["detail"]


@pytest.mark.parametrize("content_type", ["application/json; charset=UTF-8", "application/json"])
def test_utf8_body_is_scored(client, content_type):
    body = json.dumps(GOOD_ROLE, ensure_ascii=False).encode()
    assert post_bytes(client, body, content_type).status_code == 200


@pytest.mark.parametrize("charset", ["utf-16", "shift_jis", "no-such-charset", "utf-8-sig"])
def test_other_charsets_are_refused_with_415(client, charset):
    body = json.dumps(GOOD_ROLE).encode(
        "utf-16" if charset == "utf-16" else "ascii", errors="strict"
    )
    response = post_bytes(client, body, f"application/json; charset={charset}")
    assert response.status_code == 415
    assert response.get_json()["type"].endswith("/unsupported-charset")
    assert "Content-Type" in problem_fields(response)
    assert charset in response.get_json()["detail"]


def test_ascii_body_with_other_bytes_is_a_400(client):
    body = json.dumps(GOOD_ROLE, ensure_ascii=False).encode()
    response = post_bytes(client, body, "application/json; charset=us-ascii")
    assert response.status_code == 400
    assert "not US-ASCII" in response.get_json()["detail"]


# --- CSV output cells ----------------------------------------------------------------------

FORMULA_IDS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1:A2)", "\tx"]


def test_csv_output_neutralises_formula_cells(tmp_path, model):
    ids = [*FORMULA_IDS, "r-1", "plain"]
    source = tmp_path / "roles.csv"
    pd.DataFrame({"id": ids, "title": ["Buchhalter/in"] * len(ids), "description": ""}).to_csv(
        source, index=False
    )
    score_file(source, tmp_path / "out.csv", model)
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["id"] for row in rows] == [*("'" + i for i in FORMULA_IDS), "r-1", "plain"]
    # numbers are not text: a score stays a number a spreadsheet can compute with
    assert all(0 <= float(row["risk_score"]) <= 100 for row in rows)


def test_csv_safe_leaves_numeric_columns_and_safe_text_alone():
    frame = pd.DataFrame({"id": ["-1", "a-1", None, "\rx"], "interval_low": [-0.5, 1.5, 2.0, 3.0]})
    out = csv_safe(frame)
    assert out["id"].fillna("<missing>").tolist() == ["'-1", "a-1", "<missing>", "'\rx"]
    assert out["interval_low"].tolist() == [-0.5, 1.5, 2.0, 3.0]
    assert frame["id"].iloc[0] == "-1"  # the input frame is unchanged


# --- plain-text logs ------------------------------------------------------------------------


@contextlib.contextmanager
def app_log(app):
    """What the app's log handler writes while the block runs."""
    (handler,) = [
        h
        for h in logging.getLogger(app.logger.name).handlers
        if h.get_name() == telemetry.LOG_HANDLER_NAME
    ]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_plain_log_lines_cannot_be_forged_through_the_path(registry_dir, database_url):
    app = create_app(
        {
            "TESTING": True,
            "MODELS_DIR": str(registry_dir),
            "DATABASE_URL": database_url,
            "LOG_JSON": False,
        }
    )
    forged = "2026-01-01 00:00:00,000 INFO risk_service.access [admin] POST /v1/model/reload 200"
    with app_log(app) as log:
        response = app.test_client().get("/nothing%0a" + forged.replace(" ", "%20") + "%1b[2J")
    assert response.status_code == 404
    lines = log.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "GET /nothing\\x0a2026-01-01" in lines[0] and "\\x1b[2J 404" in lines[0]


def test_json_log_keeps_the_path_as_sent(client, app):
    with app_log(app) as log:
        client.get("/nothing%0aforged")
    (record,) = [json.loads(line) for line in log.getvalue().splitlines()]
    assert record["path"] == "/nothing\nforged"  # JSON escapes it; the line stays one line


# --- behind a reverse proxy -----------------------------------------------------------------


def test_proxy_hops_give_the_client_address_to_the_rate_limit(registry_dir, database_url):
    from risk_service.web.wsgi import serving_app

    settings = {"MODELS_DIR": str(registry_dir), "DATABASE_URL": database_url}
    proxied = serving_app({**settings, "RATE_LIMIT": "1/minute", "PROXY_HOPS": 1}).test_client()
    for client_address in ("203.0.113.1", "203.0.113.2"):
        sent = proxied.post(
            "/v1/score", json=GOOD_ROLE, headers={"X-Forwarded-For": client_address}
        )
        assert sent.status_code == 200  # one per client: the proxy's own address is not the key
    again = proxied.post("/v1/score", json=GOOD_ROLE, headers={"X-Forwarded-For": "203.0.113.1"})
    assert again.status_code == 429

    direct = serving_app({**settings, "RATE_LIMIT": "1/minute"}).test_client()
    assert direct.post("/v1/score", json=GOOD_ROLE).status_code == 200
    spoofed = direct.post("/v1/score", json=GOOD_ROLE, headers={"X-Forwarded-For": "198.51.100.9"})
    assert spoofed.status_code == 429  # without PROXY_HOPS the header is not believed


def test_markup_that_htmlparser_rejects_is_read_as_text_not_a_500(client):
    # Python's HTMLParser raises AssertionError on "<![" not followed by a name.
    ad = (
        "Ihre Aufgaben:\n<ul><li>Kontieren und Buchen von Eingangsrechnungen</li>"
        "<li>Abstimmung der Kreditorenkonten</li><li>Vorbereitung der Zahlungsläufe</li></ul>"
        " <![//**"
    )
    response = client.post("/v1/score", json={"description": ad})
    assert response.status_code == 200, response.get_data(as_text=True)
    texts = " | ".join(task["text"] for task in response.get_json()["tasks"])
    assert "Kreditorenkonten" in texts and "<" not in texts
