"""Each endpoint's happy path and its validation errors (RFC 9457 problem+json)."""

import json

import pytest

from tests.conftest import ADMIN_TOKEN

BOOKKEEPER = {
    "title": "Buchhalter/in",
    "description": "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen",
}
AREAS = {"complex_problem_solving", "emotional_intelligence", "ai_process_interface"}


def assert_assessment(body: dict) -> None:
    assert set(body) >= {
        "assessment_id",
        "risk_score",
        "risk_band",
        "interval",
        "language",
        "matched_occupation",
        "tasks",
        "upskilling",
        "model_version",
    }
    assert 0 <= body["risk_score"] <= 100
    lo, hi = body["interval"]
    assert 0 <= lo <= body["risk_score"] <= hi <= 100
    expected_band = (
        "low" if body["risk_score"] <= 30 else "high" if body["risk_score"] > 70 else "medium"
    )
    assert body["risk_band"] == expected_band
    assert body["tasks"] and all(0 <= t["rule_based"] <= 1 for t in body["tasks"])
    assert abs(sum(t["weight"] for t in body["tasks"]) - 1) < 1e-3
    assert {u["area"] for u in body["upskilling"]} == AREAS
    assert [u["rank"] for u in body["upskilling"]] == [1, 2, 3]
    assert all(len(u["actions"]) >= 2 for u in body["upskilling"])


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    if field is not None:
        assert any(field in err["loc"] for err in body["errors"]), body["errors"]
    return body


def test_post_score_bookkeeper(client):
    response = client.post("/v1/score", json=BOOKKEEPER)
    assert response.status_code == 200
    body = response.get_json()
    assert_assessment(body)
    assert body["language"] == "de"
    assert [t["text"] for t in body["tasks"]] == [
        "Kontieren und Buchen von Belegen",
        "Abgleich der Kontoauszüge",
        "Mahnwesen",
    ]
    assert body["matched_occupation"]["isco08"].startswith("43") or body["matched_occupation"][
        "isco08"
    ].startswith("33")
    # actions are in German and name the role's own tasks
    actions = " ".join(a for u in body["upskilling"] for a in u["actions"])
    assert "Abgleich der Kontoauszüge" in actions or "Kontieren und Buchen" in actions
    assert "Sie" in actions


def test_get_score_title_only_nurse_scores_below_bookkeeper(client):
    bookkeeper = client.post("/v1/score", json=BOOKKEEPER).get_json()
    nurse = client.get("/v1/score?title=Pflegefachkraft")
    assert nurse.status_code == 200
    nurse = nurse.get_json()
    assert_assessment(nurse)
    assert nurse["matched_occupation"] is not None
    assert nurse["language"] == "de"
    assert nurse["risk_score"] < bookkeeper["risk_score"]


def test_explicit_tasks_with_time_shares(client):
    body = client.post(
        "/v1/score",
        json={
            "tasks": [
                {"text": "Enter supplier invoices into SAP", "weight": 3},
                {"text": "Negotiate payment terms with key suppliers", "weight": 1},
            ],
            "language": "en",
        },
    ).get_json()
    assert [t["weight"] for t in body["tasks"]] == [0.75, 0.25]
    assert body["tasks"][0]["rule_based"] > body["tasks"][1]["rule_based"]


def test_batch_keeps_order_and_reports_errors_inline(client):
    roles = [BOOKKEEPER, {"title": "zzqx"}, {"tasks": ["Answer customer calls"]}]
    response = client.post("/v1/score/batch", json={"roles": roles})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert len(results) == 3
    assert_assessment(results[0])
    assert results[1]["status"] == 422 and results[1]["errors"][0]["loc"] == [
        "body",
        "roles",
        1,
        "title",
    ]
    assert_assessment(results[2])


def test_workforce_rollup(client):
    roles = [
        {**BOOKKEEPER, "headcount": 30},
        {"title": "Pflegefachkraft", "headcount": 10},
    ]
    body = client.post("/v1/workforce", json={"roles": roles}).get_json()
    scores = [r["risk_score"] for r in body["results"]]
    assert body["headcount"] == 40
    assert body["risk_score"] == pytest.approx((30 * scores[0] + 10 * scores[1]) / 40, abs=0.1)
    assert sum(body["band_share"].values()) == pytest.approx(1.0)
    assert body["top_exposed_tasks"]


def test_model_card_and_health(client):
    card = client.get("/v1/model").get_json()
    assert card["version"] and card["data_hash"] and card["trained_at"]
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["model_version"] == card["version"]


def test_reload_needs_the_admin_token(client):
    assert_problem(client.post("/v1/model/reload"), 401)
    assert_problem(client.post("/v1/model/reload", headers={"Authorization": "Bearer wrong"}), 401)
    ok = client.post("/v1/model/reload", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert ok.status_code == 200 and ok.get_json()["version"]


def test_malformed_json_is_400(client):
    response = client.post("/v1/score", data="{not json", content_type="application/json")
    assert_problem(response, 400)


def test_invalid_utf8_is_400(client):
    response = client.post(
        "/v1/score", data=b'{"title": "\xff\xfe"}', content_type="application/json"
    )
    assert_problem(response, 400)


def test_wrong_content_type_is_415(client):
    response = client.post("/v1/score", data=json.dumps(BOOKKEEPER), content_type="text/plain")
    assert_problem(response, 415)


def test_too_large_body_is_413(client):
    response = client.post("/v1/score", data=b"x" * 2_000_000, content_type="application/json")
    assert_problem(response, 413)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"title": 5}, "title"),
        ({"description": "x" * 20_001}, "description"),
        ({"tasks": "not a list"}, "tasks"),
        ({"tasks": ["ok", ""]}, "tasks"),
        ({"title": "Koch", "language": "fr"}, "language"),
        ({"title": "Koch", "colour": "blue"}, "colour"),
        ({"title": "Buch\u0000halter"}, "title"),
        ({"tasks": [{"text": "Answer calls", "weight": -1}]}, "tasks"),
    ],
)
def test_schema_violations_are_422_naming_the_field(client, payload, field):
    assert_problem(client.post("/v1/score", json=payload), 422, field)


def test_unknown_title_is_422_with_suggestions(client):
    body = assert_problem(client.get("/v1/score?title=Xylophqwz"), 422, "title")
    assert "suggestions" in body and len(body["suggestions"]) >= 1


def test_description_without_duties_is_422(client):
    body = assert_problem(
        client.post("/v1/score", json={"description": "We offer 30 days of holiday and a bonus."}),
        422,
        "description",
    )
    assert "duties" in body["detail"]


def test_batch_limit_is_enforced(client):
    roles = [{"title": "Koch"}] * 1001
    assert_problem(client.post("/v1/score/batch", json={"roles": roles}), 422, "roles")


def test_negative_headcount_is_422(client):
    body = {"roles": [{"title": "Koch", "headcount": -1}]}
    assert_problem(client.post("/v1/workforce", json=body), 422, "headcount")


def test_get_score_rejects_unknown_query_parameters(client):
    assert_problem(client.get("/v1/score?title=Koch&foo=1"), 422, "foo")


def test_unknown_route_is_problem_json(client):
    assert_problem(client.get("/v1/nothing"), 404)


def test_json_responses_accept_numpy_scalars_and_keep_key_order(app):
    import numpy as np

    with app.app_context():
        body = app.json.response({"b": np.float64(0.5), "a": np.int64(3), 1: "x"}).get_data()
    assert body == b'{"b":0.5,"a":3,"1":"x"}'
