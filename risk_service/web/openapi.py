"""OpenAPI 3.1 document built from the route contracts of the app's views.

Every operation is declared once, at its route (:func:`risk_service.web.contracts.contract`):
the body and query models it validates with, the models its answers are serialised by, its
problem statuses and prose. This module only reads those contracts off the app's URL map, so
an operation is documented exactly when its route is registered, with the very models that
check its input and output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from risk_service import __version__, config, schemas
from risk_service.web import gunicorn_conf
from risk_service.web.contracts import Contract, contract_of

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
# Answered by gunicorn before the app runs, on any route (also as problem+json).
PRE_APP_PROBLEMS = (400, 414, 431)


@dataclass(frozen=True)
class Operation:
    """A served route and method with the contract of its view."""

    path: str
    method: str
    contract: Contract
    path_params: tuple[str, ...] = ()


def _component_schemas(operations: list[Operation]) -> tuple[dict, dict]:
    """JSON Schemas of every model the operations use, as (refs by model key, components)."""
    keys: list[tuple[type[BaseModel], JsonSchemaMode]] = [(schemas.Problem, "serialization")]
    for op in operations:
        c = op.contract
        if c.body is not None:
            keys.append((c.body, "validation"))
        if c.query is not None:
            keys.append((c.query.model, "validation"))
        for model in (c.response, *c.other_responses.values()):
            if model is not None:
                keys.append((model, "serialization"))
    refs, top = models_json_schema(list(dict.fromkeys(keys)), ref_template=REF_TEMPLATE)
    return refs, top.get("$defs", {})


def _query_parameters(c: Contract, components: dict) -> list[dict]:
    """Query parameters from the query model's fields (a parameter is never JSON null)."""
    assert c.query is not None
    properties = components[c.query.model.__name__]["properties"]
    parameters = []
    for name in c.query.names:
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
    c = op.contract

    def ref(model: type[BaseModel], mode: str) -> dict:
        return refs[(model, mode)]

    def content(model: type[BaseModel] | None) -> dict:
        if model is not None:
            return {c.media_type: {"schema": ref(model, "serialization")}}
        if c.media_type == "application/json":
            return {c.media_type: {"schema": {"type": "object"}}}
        return {c.media_type: {"schema": {"type": "string"}}}

    responses: dict[str, dict] = {
        str(c.status): {"description": c.summary, "content": content(c.response)}
    }
    for status, model in c.other_responses.items():
        responses[str(status)] = {"description": c.summary, "content": content(model)}
    problem = {PROBLEM_MEDIA_TYPE: {"schema": ref(schemas.Problem, "serialization")}}
    if c.headers:
        responses[str(c.status)]["headers"] = {
            name: {"required": True, "schema": {"type": "string"}} for name in c.headers
        }
    limited = (429,) if rate_limited and op.path.startswith("/v1/") else ()
    for status in sorted({*c.all_problems, *limited, *PRE_APP_PROBLEMS}):
        responses[str(status)] = {"description": PROBLEM_REASONS[status], "content": problem}

    slug = re.sub(r"[^a-z0-9]+", "_", op.path.lower()).strip("_") or "page"
    document: dict = {
        "operationId": f"{op.method}_{slug}",
        "summary": c.summary,
        "tags": [c.tag],
        "responses": responses,
    }
    if c.description:
        document["description"] = c.description
    if c.body is not None:
        document["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(c.body, "validation")}},
        }
    if op.path_params:
        document["parameters"] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in op.path_params
        ]
    if c.secured:
        document["security"] = [{"adminToken": []}]
    return document


_PATH_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def served_operations(app: Flask) -> list[Operation]:
    """Every route and method the app serves whose view declares a contract.

    Parameters
    ----------
    app : Flask
        The application.

    Returns
    -------
    list of Operation
        In the order the routes were registered; static files and the Swagger UI's assets
        have no contract and are not operations.
    """
    operations = []
    for rule in app.url_map.iter_rules():
        declared = contract_of(app.view_functions[rule.endpoint])
        if declared is None or declared.only_rule not in (None, rule.rule):
            continue
        path = _PATH_PARAMETER.sub(r"{\1}", rule.rule)  # Flask's <conv:name> as {name}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            params = tuple(_PATH_PARAMETER.findall(rule.rule))
            operations.append(Operation(path, method.lower(), declared, params))
    return operations


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
        if op.contract.query is not None:
            entry.setdefault("parameters", []).extend(_query_parameters(op.contract, components))
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
