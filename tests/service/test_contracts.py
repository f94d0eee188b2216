"""Route contracts: a view's input is validated by its declared model and its answer must be the
declared response model, serialised by it; the OpenAPI document reads the same declarations."""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint, Flask
from pydantic import BaseModel, ConfigDict

from risk_service.config import DEFAULTS
from risk_service.web import openapi, problems
from risk_service.web.contracts import Query, contract


class Order(BaseModel):
    model_config = ConfigDict(extra="forbid")
    item: str
    quantity: int = 1


class Receipt(BaseModel):
    item: str
    total: float
    note: str | None = None


@pytest.fixture
def app() -> Flask:
    bp = Blueprint("shop", __name__)

    @bp.post("/orders")
    @contract(summary="Order", tag="shop", body=Order, response=Receipt, status=201)
    def order(body: Order):
        if body.item == "wrong-type":
            return {"item": body.item, "total": 1.0}  # a dict, not the declared Receipt
        if body.item == "undeclared-status":
            return Receipt(item=body.item, total=1.0), 202
        return Receipt(item=body.item, total=2.5 * body.quantity), {"Location": "/orders/1"}

    @bp.get("/price")
    @contract(summary="Price", tag="shop", query=Query(Order, ("item",)), response=Receipt)
    def price(query: Order) -> Receipt:
        return Receipt(item=query.item, total=2.5, note="list price")

    @bp.get("/undocumented")
    def undocumented():
        return {"ok": True}

    app = Flask(__name__)
    problems.init_app(app, DEFAULTS)
    app.register_blueprint(bp)
    return app


def test_the_body_reaches_the_view_validated_and_the_answer_is_serialised_by_its_model(app):
    response = app.test_client().post("/orders", json={"item": "tea", "quantity": 2})
    assert response.status_code == 201
    assert response.headers["Location"] == "/orders/1"
    assert response.mimetype == "application/json"
    # ``note`` was not set by the view: it stays out, as it would from a dict.
    assert response.get_json() == {"item": "tea", "total": 5.0}


def test_an_invalid_body_is_a_problem_naming_the_field(app):
    response = app.test_client().post("/orders", json={"item": "tea", "quantity": "two"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["loc"] == ["body", "quantity"]


def test_query_parameters_are_validated_and_unknown_ones_refused(app):
    client = app.test_client()
    assert client.get("/price?item=tea").get_json() == {
        "item": "tea",
        "total": 2.5,
        "note": "list price",
    }
    refused = client.get("/price?item=tea&quantity=3")
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"loc": ["query", "quantity"], "msg": "unknown parameter"}
    ]


@pytest.mark.parametrize("item", ["wrong-type", "undeclared-status"])
def test_an_answer_outside_the_contract_is_a_logged_server_error(app, item, caplog):
    with caplog.at_level(logging.ERROR):
        response = app.test_client().post("/orders", json={"item": item})
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    errors = [str(r.exc_info[1]) for r in caplog.records if r.exc_info]
    assert any("not the declared Receipt" in e or "is not declared" in e for e in errors), errors


def test_the_document_has_exactly_the_declared_operations(app):
    spec = openapi.build_spec(app)
    assert set(spec["paths"]) == {"/orders", "/price"}
    post = spec["paths"]["/orders"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Order"
    }
    assert post["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Receipt"
    }
    # A body implies the JSON body problems; every operation has gunicorn's own.
    assert {"400", "408", "413", "415", "422", "414", "431"} <= set(post["responses"])
    get = spec["paths"]["/price"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["item"]
    assert "422" in get["responses"]
