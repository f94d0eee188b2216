"""Hostile and odd input: always a 4xx problem+json (or a clean answer), never a 5xx.

Two tables, 41 cases in all, each followed by a good request that must still be scored:

- ``BAD_INPUTS`` (31 cases): malformed or out-of-bounds requests, each answered with its 4xx
  status as ``application/problem+json`` naming the offending field where there is one. They
  cover the limits: body size (413 above ``MAX_CONTENT_LENGTH``), text length (422 above
  ``MAX_TEXT_CHARS``) and batch size (422 above ``MAX_BATCH``).
- ``ODD_BUT_VALID`` (10 cases): markup, emoji and right-to-left text in otherwise valid roles;
  the answer is 200 or a clear 422, always JSON, never HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from risk_service import config, create_app, schemas
from tests.conftest import ADMIN_TOKEN

GOOD_ROLE = {
    "title": "Buchhalter/in",
    "description": "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen",
}
JSON = "application/json"
PROBLEM = "application/problem+json"


@dataclass(frozen=True)
class Request:
    """One request of a table, with what it must be answered with."""

    id: str
    path: str
    status: int = 422
    data: bytes | None = None
    json: object = None
    content_type: str | None = JSON
    method: str = "POST"
    query: str | dict | None = None
    field: str | int | None = None  # an element the problem's errors[].loc must contain

    def send(self, client):
        body = self.data if self.json is None else json.dumps(self.json).encode()
        headers = {"Content-Type": self.content_type} if self.content_type else {}
        return client.open(
            self.path, method=self.method, data=body, headers=headers, query_string=self.query
        )


def roles(n: int, **extra) -> dict:
    return {"roles": [{**GOOD_ROLE, **extra} for _ in range(n)]}


BAD_INPUTS = [
    # Transport: body, media type, encoding, size.
    Request("empty-body", "/v1/score", 400, data=b""),
    Request("whitespace-body", "/v1/score", 400, data=b" \r\n\t "),
    Request("no-content-type", "/v1/score", 415, data=b'{"title": "Koch"}', content_type=None),
    Request("text-plain", "/v1/score", 415, data=b'{"title": "Koch"}', content_type="text/plain"),
    Request(
        "form-encoded",
        "/v1/score",
        415,
        data=b"title=Koch",
        content_type="application/x-www-form-urlencoded",
    ),
    Request("xml", "/v1/workforce", 415, data=b"<roles/>", content_type="application/xml"),
    Request("invalid-json", "/v1/score", 400, data=b'{"title": "Koch",}'),
    Request("truncated-json", "/v1/score/batch", 400, data=b'{"roles": [{"title": "Ko'),
    Request("invalid-utf8", "/v1/score", 400, data=b'{"title": "K\xf6ch\xff"}'),
    Request("utf16-body", "/v1/score", 400, data='{"title": "Koch"}'.encode("utf-16")),
    Request("10-mb-body", "/v1/score", 413, data=b'{"description": "' + b"a" * 10_000_000 + b'"}'),
    Request("nested-100000-arrays", "/v1/score", 400, data=b"[" * 100_000),
    Request(
        "nested-50000-objects", "/v1/score", 400, data=b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    ),
    Request(
        "5000-digit-number",
        "/v1/workforce",
        400,
        data=b'{"roles": [{"title": "Koch", "headcount": ' + b"9" * 5000 + b"}]}",
    ),
    Request("raw-nul-in-json-string", "/v1/score", 400, data=b'{"title": "Ko\x00ch"}'),
    # Validation: types, bounds and content of the fields.
    Request(
        "nul-escape-in-description",
        "/v1/score",
        json={"description": "Belege\u0000buchen"},
        field="description",
    ),
    Request(
        "nul-in-query",
        "/v1/score",
        method="GET",
        query={"title": "Ko\x00ch"},
        content_type=None,
        field="title",
    ),
    Request(
        "100000-char-description",
        "/v1/score",
        json={"description": "Belege buchen. " * 6_667},
        field="description",
    ),
    Request(
        "100000-char-query-description",
        "/v1/score",
        method="GET",
        query={"description": "x" * 100_000},
        content_type=None,
        field="description",
    ),
    Request(
        "201-char-title",
        "/v1/score",
        json={"title": "K" * (schemas.MAX_TITLE_CHARS + 1)},
        field="title",
    ),
    Request(
        "too-many-tasks",
        "/v1/score",
        json={"tasks": ["Belege buchen"] * (schemas.MAX_TASKS + 1)},
        field="tasks",
    ),
    Request(
        "1001-batch-items", "/v1/score/batch", json=roles(schemas.MAX_BATCH + 1), field="roles"
    ),
    Request(
        "1001-workforce-roles",
        "/v1/workforce",
        json=roles(schemas.MAX_BATCH + 1, headcount=1),
        field="roles",
    ),
    Request("negative-headcount", "/v1/workforce", json=roles(1, headcount=-1), field="headcount"),
    Request(
        "infinite-headcount",
        "/v1/workforce",
        data=b'{"roles": [{"title": "Koch", "headcount": Infinity}]}',
        field="headcount",
    ),
    Request(
        "nan-task-weight",
        "/v1/score",
        data=b'{"tasks": [{"text": "Belege buchen", "weight": NaN}]}',
        field="tasks",
    ),
    Request("title-is-a-number", "/v1/score", json={"title": 42}, field="title"),
    Request("tasks-is-a-string", "/v1/score", json={"tasks": "Belege buchen"}, field="tasks"),
    Request("body-is-a-list", "/v1/score", json=[GOOD_ROLE], field="body"),
    Request("batch-item-is-null", "/v1/score/batch", json={"roles": [None]}, field=0),
    Request("unknown-field", "/v1/score", json={**GOOD_ROLE, "salary": 1}, field="salary"),
]

ODD_BUT_VALID = [
    Request("script-title", "/v1/score", json={"title": "<script>alert(1)</script>"}),
    Request(
        "script-title-query",
        "/v1/score",
        method="GET",
        query={"title": "<script>alert(1)</script>"},
        content_type=None,
    ),
    Request(
        "html-job-ad",
        "/v1/score",
        json={
            "description": (
                "<h2>Ihre Aufgaben</h2><ul><li>Kontieren und Buchen von Belegen</li>"
                "<li>Mahnwesen <script>alert('x')</script></li>"
                "<li><img src=x onerror=alert(1)> Abgleich der Kontoauszüge</li></ul>"
            )
        },
    ),
    Request(
        "html-in-tasks",
        "/v1/score",
        json={"tasks": ["<b>Belege buchen</b>", "<a href='javascript:x'>Kunden beraten</a>"]},
    ),
    Request(
        "emoji-tasks",
        "/v1/score",
        json={"title": "Buchhalter/in 📊", "tasks": ["Rechnungen buchen 📊", "Kunden beraten 😊"]},
    ),
    Request("emoji-only-task", "/v1/score", json={"tasks": ["👍" * 50]}),
    Request(
        "arabic-role",
        "/v1/score",
        json={"title": "محاسب", "description": "إدخال الفواتير ومطابقة الحسابات"},
    ),
    Request(
        "hebrew-with-bidi-overrides",
        "/v1/score",
        json={
            **GOOD_ROLE,
            "description": (
                "\u202eKontieren und Buchen von Belegen\u202c; עיבוד חשבוניות; Mahnwesen"
            ),
        },
    ),
    Request(
        "emoji-batch",
        "/v1/score/batch",
        json={"roles": [{"tasks": ["Belege buchen 🧾"]}, {"title": "🙂"}]},
    ),
    Request(
        "rtl-feedback-comment",
        "/v1/feedback",
        status=404,
        json={"assessment_id": "unknown", "comment": "שלום 👋 <script>x</script>"},
    ),
]


@pytest.fixture(scope="module")
def client(registry_dir, tmp_path_factory):
    """One app for the whole table: a bad request must not spoil the ones after it."""
    app = create_app(
        {
            "TESTING": True,
            "MODELS_DIR": str(registry_dir),
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('reliability') / 'risk.db'}",
        }
    )
    return app.test_client()


def assert_still_scores(client) -> None:
    response = client.post("/v1/score", json=GOOD_ROLE)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert 0 <= response.get_json()["risk_score"] <= 100


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == PROBLEM
    body = json.loads(response.get_data())
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status and body["detail"]
    return body


@pytest.mark.parametrize("case", BAD_INPUTS, ids=lambda c: c.id)
def test_bad_input_is_a_4xx_problem_and_the_service_keeps_answering(client, case):
    body = assert_problem(case.send(client), case.status)
    if case.field is not None:
        locations = [err["loc"] for err in body["errors"]]
        assert any(case.field in loc for loc in locations), locations
    assert_still_scores(client)


@pytest.mark.parametrize("case", ODD_BUT_VALID, ids=lambda c: c.id)
def test_markup_emoji_and_rtl_are_answered_as_json(client, case):
    response = case.send(client)
    assert response.status_code in (200, case.status, 422), response.get_data(as_text=True)
    # Markup in the input is only ever data inside JSON, never a page a browser would run.
    assert response.mimetype in (JSON, PROBLEM)
    body = json.loads(response.get_data())
    if response.status_code == 200:
        texts = [t["text"] for t in body.get("tasks", [])]
        texts += [t["text"] for r in body.get("results", []) for t in r.get("tasks", [])]
        assert not any("<script" in t or "onerror" in t for t in texts), texts
    else:
        assert_problem(response, response.status_code)
        if response.status_code == 422:
            assert body["errors"] and all(err["loc"] for err in body["errors"])
    assert_still_scores(client)


def test_html_job_ad_is_scored_on_its_duties_without_tags(client):
    html_ad = next(c for c in ODD_BUT_VALID if c.id == "html-job-ad")
    response = html_ad.send(client)
    assert response.status_code == 200
    texts = [t["text"] for t in response.get_json()["tasks"]]
    assert "Kontieren und Buchen von Belegen" in texts
    assert not any("<" in t or "alert" in t for t in texts), texts


def test_limits_are_the_configured_ones(client):
    """The table's boundary cases sit just past the limits; just inside them is accepted."""
    at_limit = {"description": "Belege buchen. " * (schemas.MAX_TEXT_CHARS // 15)}
    assert len(at_limit["description"]) <= schemas.MAX_TEXT_CHARS
    assert client.post("/v1/score", json=at_limit).status_code == 200
    response = client.post("/v1/score/batch", json=roles(schemas.MAX_BATCH))
    assert response.status_code == 200
    assert len(response.get_json()["results"]) == schemas.MAX_BATCH
    assert client.application.config["MAX_CONTENT_LENGTH"] == config.DEFAULTS.max_body_bytes
    just_over = b'{"description": "' + b"a" * config.DEFAULTS.max_body_bytes + b'"}'
    assert_problem(client.post("/v1/score", data=just_over, content_type=JSON), 413)
