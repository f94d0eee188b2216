"""Scoring endpoints: single (POST and GET), batch and workforce roll-up."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, current_app, request

from risk_service.api import require_model
from risk_service.problems import Problem, parse_body, unprocessable, validate
from risk_service.schemas import BatchRequest, Role, WorkforceRequest
from risk_service.scoring import RoleError, assess_many

bp = Blueprint("score", __name__, url_prefix="/v1")


def _role_problem(error: RoleError, prefix: tuple = ("body",)) -> Problem:
    suggestions = [m.as_dict() for m in error.suggestions]
    extra = {"suggestions": suggestions} if suggestions else {}
    return unprocessable(
        [{"loc": [*prefix, *error.loc], "msg": error.msg}], detail=error.msg, **extra
    )


def _score_one(role: Role, prefix: tuple) -> dict:
    result = assess_many([role], require_model())[0]
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
    for i, result in enumerate(assess_many(batch.roles, require_model())):
        if isinstance(result, RoleError):
            result = _role_problem(result, ("body", "roles", i)).body()
        results.append(result)
    return {"results": results}


@bp.post("/workforce")
def workforce():
    body = parse_body(WorkforceRequest)
    results = assess_many(list(body.roles), require_model())
    total = 0
    weighted = 0.0
    bands: dict[str, int] = {"low": 0, "medium": 0, "high": 0}
    exposure: dict[str, float] = defaultdict(float)
    per_role = []
    for i, (role, result) in enumerate(zip(body.roles, results, strict=True)):
        if isinstance(result, RoleError):
            per_role.append(_role_problem(result, ("body", "roles", i)).body())
            continue
        per_role.append({"headcount": role.headcount, **result})
        total += role.headcount
        weighted += role.headcount * result["risk_score"]
        bands[result["risk_band"]] += role.headcount
        for task in result["tasks"]:
            exposure[task["text"]] += role.headcount * task["weight"] * task["rule_based"]
    top = sorted(exposure.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    current_app.logger.debug("workforce roll-up over %d roles", len(body.roles))
    return {
        "headcount": total,
        "risk_score": round(weighted / total, 1) if total else None,
        "band_share": {k: round(v / total, 4) if total else 0.0 for k, v in bands.items()},
        "top_exposed_tasks": [
            {"text": text, "exposed_fte": round(value, 2)} for text, value in top if value > 0
        ],
        "results": per_role,
    }
