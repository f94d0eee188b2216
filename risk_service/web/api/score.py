"""Scoring endpoints: single (POST and GET), batch and workforce roll-up."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint

from risk_service.schemas import (
    MAX_BATCH,
    Assessment,
    BatchRequest,
    BatchResponse,
    Problem,
    Role,
    WorkforceRequest,
    WorkforceResponse,
)
from risk_service.scoring import RoleError, score_rows
from risk_service.web import telemetry
from risk_service.web.api import require_model
from risk_service.web.contracts import Query, contract
from risk_service.web.problems import HTTPProblem, unprocessable
from risk_service.web.store import record_assessments
from risk_service.workforce import plan, rollup

bp = Blueprint("score", __name__, url_prefix="/v1")


def _role_problem(error: RoleError, prefix: tuple = ("body",)) -> HTTPProblem:
    suggestions = [m.as_dict() for m in error.suggestions]
    extra = {"suggestions": suggestions} if suggestions else {}
    return unprocessable(
        [{"loc": [*prefix, *error.loc], "msg": error.msg}], detail=error.msg, **extra
    )


def _assess(roles: Sequence[Role]) -> list[dict | RoleError]:
    """Score ``roles`` with the live model; audit rows committed and counted before any answer."""
    assessed = score_rows(roles, require_model())
    record_assessments(roles, assessed)
    telemetry.count_assessments(assessed)
    return assessed


def _score_one(role: Role, prefix: tuple) -> Assessment:
    result = _assess([role])[0]
    if isinstance(result, RoleError):
        raise _role_problem(result, prefix)
    return Assessment.model_validate(result)


@bp.post("/score")
@contract(
    summary="Assess one role",
    tag="scoring",
    body=Role,
    response=Assessment,
    problems=(503,),
    description="Give a title, a description (a whole job ad is fine) and/or a task list.",
)
def score_post(body: Role) -> Assessment:
    return _score_one(body, ("body",))


@bp.get("/score")
@contract(
    summary="Assess one role given as query parameters",
    tag="scoring",
    query=Query(Role, ("title", "description", "language")),
    response=Assessment,
    problems=(503,),
)
def score_get(query: Role) -> Assessment:
    return _score_one(query, ("query",))


@bp.post("/score/batch")
@contract(
    summary=f"Assess up to {MAX_BATCH:,} roles",
    tag="scoring",
    body=BatchRequest,
    response=BatchResponse,
    problems=(503,),
    description="A role that cannot be scored yields a Problem in its place.",
)
def score_batch(body: BatchRequest) -> BatchResponse:
    assessed = _assess(body.roles)
    results: list[Assessment | Problem] = [
        Problem.model_validate(_role_problem(result, ("body", "roles", i)).body())
        if isinstance(result, RoleError)
        else Assessment.model_validate(result)
        for i, result in enumerate(assessed)
    ]
    return BatchResponse(results=results)


@bp.post("/workforce")
@contract(
    summary="Headcount-weighted roll-up over roles and a transition plan",
    tag="scoring",
    body=WorkforceRequest,
    response=WorkforceResponse,
    problems=(503,),
    description="`plan`: FTE in automatable and assisted work, the years natural attrition "
    "needs to absorb the automatable FTE (no dismissals), the phasing, people to retrain "
    "per upskilling area and the payback where costs are given; its `assumptions` say how. "
    "The plan makes no personnel decision about individuals.",
)
def workforce(body: WorkforceRequest) -> WorkforceResponse:
    results = _assess(body.roles)
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
    return WorkforceResponse.model_validate(
        {**rollup(headcounts, scored), "plan": transition, "results": per_role}
    )
