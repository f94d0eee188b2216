"""Scoring endpoints: single (POST and GET), batch and workforce roll-up."""

from __future__ import annotations

from flask import Blueprint, request

from risk_service.schemas import BatchRequest, Role, WorkforceRequest
from risk_service.scoring import RoleError, score_rows
from risk_service.web import telemetry
from risk_service.web.api import require_model
from risk_service.web.problems import HTTPProblem, parse_body, unprocessable, validate
from risk_service.web.store import record_assessments
from risk_service.workforce import plan, rollup

bp = Blueprint("score", __name__, url_prefix="/v1")


def _role_problem(error: RoleError, prefix: tuple = ("body",)) -> HTTPProblem:
    suggestions = [m.as_dict() for m in error.suggestions]
    extra = {"suggestions": suggestions} if suggestions else {}
    return unprocessable(
        [{"loc": [*prefix, *error.loc], "msg": error.msg}], detail=error.msg, **extra
    )


def _score_one(role: Role, prefix: tuple) -> dict:
    result = score_rows([role], require_model())[0]
    record_assessments([role], [result])
    telemetry.count_assessments([result])
    if isinstance(result, RoleError):
        raise _role_problem(result, prefix)
    return result


@bp.post("/score")
def score_post():
    return _score_one(parse_body(Role), ("body",))


@bp.get("/score")
def score_get():
    allowed = {"title", "description", "language"}
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise unprocessable([{"loc": ["query", k], "msg": "unknown parameter"} for k in unknown])
    role = validate(Role, dict(request.args), prefix=("query",))
    return _score_one(role, ("query",))


@bp.post("/score/batch")
def score_batch():
    batch = parse_body(BatchRequest)
    results = []
    assessed = score_rows(batch.roles, require_model())
    record_assessments(batch.roles, assessed)
    telemetry.count_assessments(assessed)
    for i, result in enumerate(assessed):
        if isinstance(result, RoleError):
            result = _role_problem(result, ("body", "roles", i)).body()
        results.append(result)
    return {"results": results}


@bp.post("/workforce")
def workforce():
    body = parse_body(WorkforceRequest)
    results = score_rows(body.roles, require_model())
    record_assessments(body.roles, results)
    telemetry.count_assessments(results)
    per_role = []
    for i, (role, result) in enumerate(zip(body.roles, results, strict=True)):
        if isinstance(result, RoleError):
            per_role.append(_role_problem(result, ("body", "roles", i)).body())
        else:
            per_role.append({"headcount": role.headcount, **result})
    scored = [None if isinstance(r, RoleError) else r for r in results]
    headcounts = [r.headcount for r in body.roles]
    transition = plan(
        headcounts,
        scored,
        attrition_rate=body.attrition_rate,
        costs_per_fte=[r.cost_per_fte for r in body.roles],
        implementation_cost=body.implementation_cost,
    )
    return {**rollup(headcounts, scored), "plan": transition, "results": per_role}
