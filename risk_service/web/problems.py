"""RFC 9457 problem details for every error, and strict JSON request parsing."""

from __future__ import annotations

import codecs
import json
from typing import TypeVar, cast

import orjson
from flask import Flask, Response, request
from flask.json.provider import DefaultJSONProvider
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from risk_service.config import Settings
from risk_service.web import telemetry

PROBLEM_TYPE = "https://risk-service.example/problems/"
T = TypeVar("T", bound=BaseModel)
# Charsets a JSON body may declare, by Python codec name: UTF-8 (RFC 8259) and the two
# single-byte ones clients still send. Anything else is refused rather than guessed.
BODY_CHARSETS = {"utf-8": "UTF-8", "ascii": "US-ASCII", "iso8859-1": "ISO-8859-1"}


class HTTPProblem(Exception):
    """Raise to answer with a problem+json document (its shape: :class:`schemas.Problem`)."""

    def __init__(self, status: int, slug: str, title: str, detail: str, **extra) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail, self.extra = (
            status,
            slug,
            title,
            detail,
            extra,
        )

    def body(self) -> dict:
        return {
            "type": PROBLEM_TYPE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }


def problem_response(problem: HTTPProblem) -> Response:
    telemetry.count_problem(problem.slug, problem.status)  # every problem answer passes here
    return Response(
        json.dumps(problem.body(), ensure_ascii=False),
        status=problem.status,
        mimetype="application/problem+json",
    )


def validation_errors(exc: ValidationError, prefix: tuple = ()) -> list[dict]:
    """Pydantic errors as ``[{"loc": [...], "msg": ...}]`` without echoing the input."""
    return [
        {"loc": [*prefix, *err["loc"]], "msg": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]


def unprocessable(errors: list[dict], detail: str | None = None, **extra) -> HTTPProblem:
    fields = ", ".join(".".join(map(str, e["loc"])) or "body" for e in errors[:5])
    return HTTPProblem(
        422,
        "validation",
        "Unprocessable request",
        detail or f"invalid field(s): {fields}",
        errors=errors,
        **extra,
    )


def body_codec() -> str:
    """The Python codec of the request's declared ``charset`` (UTF-8 when none), or a 415."""
    declared = request.mimetype_params.get("charset")
    if declared is None:
        return "utf-8"
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        codec = ""
    if codec not in BODY_CHARSETS:
        shown = declared[:40]
        supported = ", ".join(BODY_CHARSETS.values())
        raise HTTPProblem(
            415,
            "unsupported-charset",
            "Unsupported charset",
            f"charset {shown!r} is not supported; send {supported} (JSON is UTF-8 by default)",
            errors=[{"loc": ["header", "Content-Type"], "msg": f"unsupported charset {shown!r}"}],
        )
    return codec


def parse_body(schema: type[T]) -> T:
    """The request's JSON body validated against ``schema``, or a :class:`HTTPProblem`.

    The body is decoded by its declared ``charset`` (see :data:`BODY_CHARSETS`), UTF-8 if none.
    """
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise HTTPProblem(
            415,
            "unsupported-media-type",
            "Unsupported media type",
            f"send the body as application/json, not {request.mimetype or 'nothing'}",
        )
    codec = body_codec()
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise HTTPProblem(400, "malformed-json", "Malformed JSON", "the request body is empty")
    try:
        data = json.loads(raw.decode(codec))
    except UnicodeDecodeError as exc:
        raise HTTPProblem(
            400,
            "malformed-json",
            "Malformed JSON",
            f"body is not {BODY_CHARSETS[codec]}: {exc.reason}",
        ) from None
    except json.JSONDecodeError as exc:
        raise HTTPProblem(
            400,
            "malformed-json",
            "Malformed JSON",
            f"{exc.msg} (line {exc.lineno} column {exc.colno})",
        ) from None
    except ValueError:
        # Python refuses integers of more than sys.get_int_max_str_digits() digits (4,300).
        raise HTTPProblem(400, "malformed-json", "Malformed JSON", "a number is too long") from None
    except RecursionError:
        raise HTTPProblem(
            400, "malformed-json", "Malformed JSON", "JSON nested too deeply"
        ) from None
    return validate(schema, data)


def validate(schema: type[T], data: object, prefix: tuple = ("body",)) -> T:
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise unprocessable(validation_errors(exc, prefix)) from None
    except RecursionError:
        raise HTTPProblem(
            400, "malformed-json", "Malformed JSON", "JSON nested too deeply"
        ) from None


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON responses written by orjson: ~10× faster than the standard library on a
    scoring response, and what makes large batch responses cheap. Key order is kept; numpy
    scalars and non-string keys are accepted, as the standard library accepts them."""

    sort_keys = False  # also for the standard-library fallback below
    _OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS

    def dumps(self, obj, **kwargs) -> str:
        if kwargs:  # options only the standard library knows (indent, …)
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=self.default, option=self._OPTIONS).decode()

    def response(self, *args, **kwargs) -> Response:
        app = cast(Flask, self._app)  # the provider of a Flask app, not of a bare sansio App
        if app.debug:  # pretty-printed, as Flask does in debug mode
            return cast(Response, super().response(*args, **kwargs))
        obj = self._prepare_response_obj(args, kwargs)
        return app.response_class(
            orjson.dumps(obj, default=self.default, option=self._OPTIONS), mimetype=self.mimetype
        )


def init_app(app: Flask, settings: Settings) -> None:
    app.json = OrjsonProvider(app)

    @app.errorhandler(HTTPProblem)
    def _problem(exc: HTTPProblem):
        return problem_response(exc)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        slug = (exc.name or "error").lower().replace(" ", "-")
        detail = exc.description or exc.name
        if exc.code == 413:
            detail = f"the request body exceeds the limit of {settings.max_body_bytes} bytes"
        response = problem_response(HTTPProblem(exc.code or 500, slug, exc.name, detail))
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        return problem_response(
            HTTPProblem(500, "internal", "Internal server error", "the error was logged")
        )
