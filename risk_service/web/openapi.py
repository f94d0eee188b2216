"""OpenAPI 3.1 document built from the pydantic models that validate the requests.

The request schemas are the very models :func:`risk_service.web.problems.parse_body` validates
with, so the document cannot drift from what the service accepts. Only operations whose route
is registered in the app are documented: blueprints added later appear once they exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from risk_service import __version__, config, schemas
from risk_service.web import gunicorn_conf

REF_TEMPLATE = "#/components/schemas/{model}"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# Why each problem status can happen; operations pick the ones that apply to them.
PROBLEM_REASONS = {
    400: "Malformed request: a request line or header gunicorn cannot parse; for JSON bodies "
    "also an empty body, invalid UTF-8 (or invalid in the declared charset), a JSON syntax "
    "error, nesting too deep, or a broken chunked encoding",
    401: "Missing or wrong admin bearer token",
    404: "Unknown resource",
    408: "The request body did not arrive within RISK_BODY_READ_TIMEOUT seconds (default "
    f"{config.DEFAULTS.body_read_timeout:g})",
    409: "The registry's current model failed verification; the previous one keeps serving",
    413: f"Body larger than RISK_MAX_BODY_BYTES (default {config.DEFAULTS.max_body_bytes:,}) "
    "bytes, announced or sent chunked",
    414: f"Request line (method, path and query string) over "
    f"{gunicorn_conf.limit_request_line:,} bytes; send long role texts with POST",
    415: "Body not sent as application/json, or in a charset other than UTF-8, US-ASCII or "
    "ISO-8859-1",
    422: "Validation failed; `errors` names each field, `suggestions` lists close occupations",
    429: "Rate limit exceeded",
    431: f"Request headers over the limits ({gunicorn_conf.limit_request_fields} fields, "
    f"{gunicorn_conf.limit_request_field_size:,} bytes per field)",
    503: "No model loaded yet",
}
JSON_BODY_PROBLEMS = (400, 408, 413, 415, 422)
# Answered by gunicorn before the app runs, on any route (also as problem+json).
PRE_APP_PROBLEMS = (400, 414, 431)


@dataclass(frozen=True)
class Operation:
    """One documented route and method."""

    path: str
    method: str
    summary: str
    tag: str
    status: int = 200
    response: type[BaseModel] | None = None
    media_type: str = "application/json"
    body: type[BaseModel] | None = None
    query: tuple[str, ...] = ()
    problems: tuple[int, ...] = ()
    secured: bool = False
    extra_responses: dict[int, type[BaseModel]] = field(default_factory=dict)
    path_params: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    description: str = ""


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "/v1/score",
        "post",
        "Assess one role",
        "scoring",
        response=schemas.Assessment,
        body=schemas.Role,
        problems=(*JSON_BODY_PROBLEMS, 503),
        description="Give a title, a description (a whole job ad is fine) and/or a task list.",
    ),
    Operation(
        "/v1/score",
        "get",
        "Assess one role given as query parameters",
        "scoring",
        response=schemas.Assessment,
        query=("title", "description", "language"),
        problems=(422, 503),
    ),
    Operation(
        "/v1/score/batch",
        "post",
        f"Assess up to {schemas.MAX_BATCH:,} roles",
        "scoring",
        response=schemas.BatchResponse,
        body=schemas.BatchRequest,
        problems=(*JSON_BODY_PROBLEMS, 503),
        description="A role that cannot be scored yields a Problem in its place.",
    ),
    Operation(
        "/v1/workforce",
        "post",
        "Headcount-weighted roll-up over roles and a transition plan",
        "scoring",
        response=schemas.WorkforceResponse,
        body=schemas.WorkforceRequest,
        problems=(*JSON_BODY_PROBLEMS, 503),
        description="`plan`: FTE in automatable and assisted work, the years natural attrition "
        "needs to absorb the automatable FTE (no dismissals), the phasing, people to retrain "
        "per upskilling area and the payback where costs are given; its `assumptions` say how. "
        "The plan makes no personnel decision about individuals.",
    ),
    Operation(
        "/v1/model",
        "get",
        "Model card of the serving model",
        "model",
        response=schemas.ModelCard,
        problems=(503,),
    ),
    Operation(
        "/v1/model/reload",
        "post",
        "Load the registry's current model",
        "model",
        response=schemas.ReloadResult,
        problems=(401, 409),
        secured=True,
    ),
    Operation(
        "/v1/feedback",
        "post",
        "Correct an assessment: score, task labels and/or a comment",
        "feedback",
        status=201,
        response=schemas.FeedbackCreated,
        body=schemas.Feedback,
        problems=(*JSON_BODY_PROBLEMS, 404),
        headers=("Location",),
        description="The row is committed before 201; `Location` points to it.",
    ),
    Operation(
        "/v1/feedback/{feedback_id}",
        "get",
        "Stored feedback",
        "feedback",
        response=schemas.StoredFeedback,
        path_params=("feedback_id",),
        problems=(404,),
    ),
    Operation("/healthz", "get", "Liveness", "operations", response=schemas.Health),
    Operation(
        "/readyz",
        "get",
        "Readiness: 503 until a model is loaded and while the audit log cannot be written",
        "operations",
        response=schemas.Readiness,
        extra_responses={503: schemas.Readiness},
    ),
    Operation(
        "/metrics",
        "get",
        "Prometheus metrics",
        "operations",
        media_type="text/plain",
    ),
    Operation("/openapi.json", "get", "This OpenAPI document", "documentation", response=None),
    Operation(
        "/docs/", "get", "API documentation (Swagger UI)", "documentation", media_type="text/html"
    ),
    Operation("/", "get", "Web page to assess a role", "documentation", media_type="text/html"),
)


def _component_schemas(operations: list[Operation]) -> tuple[dict, dict]:
    """JSON Schemas of every model the operations use, as (refs by model key, components)."""
    keys: list[tuple[type[BaseModel], str]] = [(schemas.Problem, "serialization")]
    for op in operations:
        if op.body is not None:
            keys.append((op.body, "validation"))
        if op.query:
            keys.append((schemas.Role, "validation"))
        for model in (op.response, *op.extra_responses.values()):
            if model is not None:
                keys.append((model, "serialization"))
    refs, top = models_json_schema(list(dict.fromkeys(keys)), ref_template=REF_TEMPLATE)
    return refs, top.get("$defs", {})


def _query_parameters(names: tuple[str, ...], components: dict) -> list[dict]:
    """Query parameters from :class:`schemas.Role` fields (a parameter is never JSON null)."""
    properties = components["Role"]["properties"]
    parameters = []
    for name in names:
        schema = dict(properties[name])
        variants = [s for s in schema.pop("anyOf", [schema]) if s.get("type") != "null"]
        schema.pop("default", None)
        (variant,) = variants
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {**schema, **variant},
            }
        )
    return parameters


def _operation(op: Operation, refs: dict, rate_limited: bool) -> dict:
    def ref(model: type[BaseModel], mode: str) -> dict:
        return refs[(model, mode)]

    def content(model: type[BaseModel] | None) -> dict:
        if model is not None:
            return {op.media_type: {"schema": ref(model, "serialization")}}
        if op.media_type == "application/json":
            return {op.media_type: {"schema": {"type": "object"}}}
        return {op.media_type: {"schema": {"type": "string"}}}

    responses: dict[str, dict] = {
        str(op.status): {"description": op.summary, "content": content(op.response)}
    }
    for status, model in op.extra_responses.items():
        responses[str(status)] = {"description": op.summary, "content": content(model)}
    problem = {PROBLEM_MEDIA_TYPE: {"schema": ref(schemas.Problem, "serialization")}}
    if op.headers:
        responses[str(op.status)]["headers"] = {
            name: {"required": True, "schema": {"type": "string"}} for name in op.headers
        }
    limited = (429,) if rate_limited and op.path.startswith("/v1/") else ()
    for status in sorted({*op.problems, *limited, *PRE_APP_PROBLEMS}):
        responses[str(status)] = {"description": PROBLEM_REASONS[status], "content": problem}

    slug = re.sub(r"[^a-z0-9]+", "_", op.path.lower()).strip("_") or "page"
    document: dict = {
        "operationId": f"{op.method}_{slug}",
        "summary": op.summary,
        "tags": [op.tag],
        "responses": responses,
    }
    if op.description:
        document["description"] = op.description
    if op.body is not None:
        document["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(op.body, "validation")}},
        }
    if op.path_params:
        document["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in op.path_params
        ]
    if op.secured:
        document["security"] = [{"adminToken": []}]
    return document


def _openapi_path(rule: str) -> str:
    """Flask's ``/a/<conv:name>`` as OpenAPI's ``/a/{name}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def served_operations(app: Flask) -> list[Operation]:
    """The operations of :data:`OPERATIONS` whose route and method the app serves."""
    served = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
    }
    return [op for op in OPERATIONS if (op.path, op.method) in served]


def build_spec(app: Flask) -> dict:
    """The OpenAPI 3.1 document of the routes ``app`` serves.

    Parameters
    ----------
    app : Flask
        The application; its URL map decides which operations are documented.

    Returns
    -------
    dict
        A JSON-serialisable OpenAPI 3.1 document.
    """
    operations = served_operations(app)
    refs, components = _component_schemas(operations)
    rate_limited = "risk_rate_limiter" in app.extensions
    paths: dict[str, dict] = {}
    for op in operations:
        entry = _operation(op, refs, rate_limited)
        if op.query:
            entry.setdefault("parameters", []).extend(_query_parameters(op.query, components))
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "risk-service",
            "version": __version__,
            "summary": "Job-automation risk from the rule-basedness of a role's own tasks",
            "description": (
                "Scores are 100 x the weighted mean probability that a role's duties are "
                "rule-based; bands follow the IAB cut-offs (low <= 30, high > 70). Errors are "
                "RFC 9457 problem details."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "adminToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The RISK_ADMIN_TOKEN the server was started with",
                }
            },
        },
    }


def get_spec(app: Flask) -> dict:
    """The app's document, built on first use (after every blueprint is registered)."""
    spec = app.extensions.get("openapi")
    if spec is None:
        spec = app.extensions["openapi"] = build_spec(app)
    return spec
