"""POST /v1/feedback, the audit log behind the scoring endpoints, and `feedback export`."""

from __future__ import annotations

import json
import logging

import pandas as pd
import pytest

from risk_service import config, create_app, schemas
from risk_service.cli import main as cli
from risk_service.schemas import Role
from risk_service.web.store import Store, assessments, input_hash
from tests.postgres_server import fresh_database_url
from training.corpus import load_corpus

BOOKKEEPER = {
    "title": "Buchhalter/in",
    "description": "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen",
}
SECRET_TEXT = "Vertrauliche Umstrukturierung der Filiale Musterstadt"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Overrides conftest's: the ``app`` fixture runs on SQLite and on PostgreSQL."""
    return fresh_database_url(request.param, tmp_path)


@pytest.fixture
def store(app):
    return app.extensions["risk_store"]


def assessment_id(client, role: dict = BOOKKEEPER) -> str:
    response = client.post("/v1/score", json=role)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["assessment_id"]


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    if field is not None:
        assert any(field in err["loc"] for err in body["errors"]), body["errors"]
    return body


def test_feedback_is_committed_and_readable_at_location(client, database_url):
    aid = assessment_id(client)
    body = {
        "assessment_id": aid,
        "risk_score": 35,
        "tasks": [
            {"text": "Mahnwesen", "rule_based": True},
            {
                "text": "Beratung bei Sonderfällen",
                "rule_based": False,
                "category": "nonroutine_analytic",
            },
        ],
        "comment": "Das Mahnwesen läuft bei uns schon automatisch.",
    }
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["assessment_id"] == aid
    assert response.headers["Location"].endswith(f"/v1/feedback/{created['feedback_id']}")
    # Committed before the answer: a separate connection (another worker) already sees it.
    other = Store(database_url)
    assert other.feedback(created["feedback_id"])["comment"] == body["comment"]
    other.dispose()
    stored = client.get(response.headers["Location"]).get_json()
    assert stored["risk_score"] == 35
    assert stored["tasks"] == body["tasks"]


def test_unknown_assessment_is_404_naming_the_field(client, store):
    response = client.post("/v1/feedback", json={"assessment_id": "f" * 32, "comment": "x"})
    assert_problem(response, 404, "assessment_id")
    assert store.feedback_ids() == set()
    for feedback_id in ["f" * 32, "x" * 65, "a%00b", "%C3%A9t%C3%A9"]:
        assert_problem(client.get(f"/v1/feedback/{feedback_id}"), 404, "feedback_id")


SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE_ONLY  # validation happens before the database: one backend is enough
@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({}, "body"),  # nothing but the id: no feedback at all
        ({"comment": "   "}, "body"),
        ({"risk_score": 101}, "risk_score"),
        ({"risk_score": -0.5}, "risk_score"),
        ({"risk_score": "high"}, "risk_score"),
        ({"tasks": [{"text": "Mahnwesen", "rule_based": "yes"}]}, "rule_based"),
        ({"tasks": [{"text": "Mahnwesen"}]}, "rule_based"),
        ({"tasks": [{"text": "  ", "rule_based": True}]}, "text"),
        ({"tasks": [{"text": "Mahnwesen", "rule_based": True, "category": "easy"}]}, "category"),
        ({"tasks": [{"text": "t", "rule_based": True}] * (schemas.MAX_TASKS + 1)}, "tasks"),
        ({"comment": "x" * 5001}, "comment"),
        ({"comment": "nul \x00 byte"}, "comment"),
        ({"comment": "ok", "rating": 5}, "rating"),
    ],
)
def test_invalid_feedback_is_422_naming_the_field(client, store, extra, field):
    aid = assessment_id(client)
    response = client.post("/v1/feedback", json={"assessment_id": aid, **extra})
    body = assert_problem(response, 422)
    locs = [loc for err in body["errors"] for loc in err["loc"]]
    assert field in locs, body["errors"]
    assert store.feedback_ids() == set()


@SQLITE_ONLY
@pytest.mark.parametrize(
    "payload",
    [{"comment": "x"}, {"assessment_id": "../etc/passwd", "comment": "x"}, {"assessment_id": 7}],
)
def test_bad_assessment_id_is_422(client, payload):
    assert_problem(client.post("/v1/feedback", json=payload), 422, "assessment_id")


@SQLITE_ONLY
def test_feedback_needs_json(client):
    response = client.post("/v1/feedback", data="assessment_id=x", content_type="text/plain")
    assert_problem(response, 415)


def test_every_endpoint_logs_its_assessments(client, store):
    single = client.post("/v1/score", json=BOOKKEEPER).get_json()
    by_get = client.get("/v1/score", query_string={"title": "Buchhalter/in"}).get_json()
    batch = client.post(
        "/v1/score/batch",
        json={"roles": [BOOKKEEPER, {"title": "Qwzx Vrrtpl"}, {"tasks": ["Sort incoming mail"]}]},
    ).get_json()["results"]
    workforce = client.post(
        "/v1/workforce", json={"roles": [{**BOOKKEEPER, "headcount": 4}]}
    ).get_json()["results"]
    assert batch[1]["status"] == 422  # the unknown title is not an assessment: nothing logged
    ids = [single["assessment_id"], by_get["assessment_id"], batch[0]["assessment_id"]]
    ids += [batch[2]["assessment_id"], workforce[0]["assessment_id"]]
    rows = [store.assessment(i) for i in ids]
    assert all(rows), ids
    with store.engine.connect() as conn:
        assert len(conn.execute(assessments.select()).all()) == 5
    # The same role gives the same hash on every endpoint; the headcount is not part of it.
    expected = input_hash(Role.model_validate(BOOKKEEPER))
    assert rows[0]["input_hash"] == rows[2]["input_hash"] == rows[4]["input_hash"] == expected
    assert rows[1]["input_hash"] != expected
    assert rows[0]["risk_score"] == pytest.approx(single["risk_score"])
    assert rows[0]["matched_isco08"] == single["matched_occupation"]["isco08"]
    assert all(r["raw_text"] is None for r in rows)


def test_raw_text_is_stored_only_when_configured(registry_dir, database_url):
    app = create_app(
        {"MODELS_DIR": str(registry_dir), "DATABASE_URL": database_url, "STORE_RAW_TEXT": True}
    )
    aid = assessment_id(app.test_client())
    raw = app.extensions["risk_store"].assessment(aid)["raw_text"]
    unset = {"tasks": None, "language": None, "advice_language": None}
    assert json.loads(raw) == {**BOOKKEEPER, **unset}
    app.extensions["risk_store"].dispose()


def test_role_text_stays_out_of_info_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    role = {"title": "Buchhalter/in", "description": f"{SECRET_TEXT}; Mahnwesen"}
    aid = assessment_id(client, role)
    client.post("/v1/feedback", json={"assessment_id": aid, "comment": SECRET_TEXT})
    info = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert info  # the requests were logged, or this test would prove nothing
    assert not any(SECRET_TEXT in message for message in info)


def test_broken_store_answers_503_problem(client, store):
    aid = assessment_id(client)
    from risk_service.web.store import metadata

    metadata.drop_all(store.engine)
    assert_problem(client.post("/v1/score", json=BOOKKEEPER), 503)
    assert_problem(client.post("/v1/feedback", json={"assessment_id": aid, "comment": "x"}), 503)
    assert_problem(client.get("/v1/feedback/" + "f" * 32), 503)


def test_export_loads_with_the_shipped_corpus(client, store, database_url, tmp_path):
    matched = assessment_id(client)  # matches Buchhalter/in: has an ISCO-08 code
    unmatched = assessment_id(client, {"tasks": ["Sort incoming mail", "Calm upset callers"]})
    assert store.assessment(unmatched)["matched_isco08"] is None
    isco = store.assessment(matched)["matched_isco08"]
    for body in [
        {"assessment_id": matched, "tasks": [{"text": "Mahnwesen", "rule_based": False}]},
        {
            "assessment_id": matched,
            "tasks": [
                {"text": "Mahnwesen", "rule_based": True},  # the later label wins
                {"text": "Kontieren und  Buchen", "rule_based": True},
                {
                    "text": "Klärung strittiger Posten mit Kunden",
                    "rule_based": False,
                    "category": "nonroutine_interpersonal",
                },
            ],
        },
        {"assessment_id": matched, "risk_score": 50},
        {"assessment_id": unmatched, "tasks": [{"text": "Sort incoming mail", "rule_based": True}]},
    ]:
        assert client.post("/v1/feedback", json=body).status_code == 201

    out = tmp_path / "feedback"
    result = client.application.test_cli_runner().invoke(
        cli, ["feedback", "export", "--output", str(out), "--database-url", database_url]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "output": str(out),
        "occupations": 1,
        "tasks": 3,
        "skipped_without_isco": 1,
    }
    corpus = load_corpus(config.DATA_DIR, out)
    occupation = corpus.occupations.set_index("occupation_id").loc[f"feedback_{matched[:12]}"]
    assert occupation["isco08"] == isco
    tasks = corpus.tasks[corpus.tasks["occupation_id"] == f"feedback_{matched[:12]}"]
    by_text = tasks.set_index("text")
    assert by_text.loc["Mahnwesen", "degree"] == 3
    assert by_text.loc["Mahnwesen", "category"] == "routine_cognitive"
    assert by_text.loc["Kontieren und Buchen", "degree"] == 3
    assert by_text.loc["Klärung strittiger Posten mit Kunden", "degree"] == 1
    assert by_text.loc["Klärung strittiger Posten mit Kunden", "category"] == (
        "nonroutine_interpersonal"
    )
    assert set(tasks["lang"]) == {"de"}
    assert (tasks["pair_id"] == tasks["task_id"]).all()
    assert len(pd.read_csv(out / "tasks.csv")) == 3


def test_export_without_store_fails_clearly(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(
        cli,
        ["feedback", "export", "--output", str(tmp_path / "o")],
        env={"RISK_DATABASE_URL": f"sqlite:///{tmp_path / 'missing' / 'x.db'}"},
    )
    assert result.exit_code != 0
    assert "cannot read the store" in result.output
