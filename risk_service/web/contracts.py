"""Route contracts, declared once at the route: what a view takes, answers and may refuse.

``@contract(...)`` sits under the route decorator and records the request body or query model,
the response model (per status), the problem statuses and the prose of the operation. The same
record then does the work at request time and documents it:

* the body (``body=``) or query string (``query=``) is validated with its model and handed to
  the view as ``body`` or ``query``; a problem names the offending field;
* the view answers a typed structure — an instance of its response model, or of the model
  declared for the status it returns — which is serialised by that model, so every answer
  matches its schema; anything else is a programming error (500, logged);
* :func:`risk_service.web.openapi.build_spec` reads the contracts of the app's routes: an
  operation is documented exactly when its route is registered, with the same models.

Views that answer something other than JSON (the page, metrics, the Swagger UI) declare their
``media_type`` and return a :class:`flask.Response` (or what Flask makes one from).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Response, request
from pydantic import BaseModel

from risk_service.web.problems import parse_body, unprocessable, validate

# A JSON body can be malformed (400), slow (408), too large (413), of the wrong media type or
# charset (415) or invalid (422): every operation with a body may answer these.
JSON_BODY_PROBLEMS = (400, 408, 413, 415, 422)
CONTRACT_ATTRIBUTE = "contract"


@dataclass(frozen=True)
class Query:
    """Query parameters validated as ``model``; only ``names`` are accepted."""

    model: type[BaseModel]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Contract:
    """One operation: its documentation and the models that check its input and output."""

    summary: str
    tag: str
    response: type[BaseModel] | None = None
    status: int = 200
    media_type: str = "application/json"
    body: type[BaseModel] | None = None
    query: Query | None = None
    problems: tuple[int, ...] = ()
    secured: bool = False
    other_responses: dict[int, type[BaseModel]] = field(default_factory=dict)
    headers: tuple[str, ...] = ()
    description: str = ""
    # For a view that serves several rules (a third-party blueprint's page and its assets):
    # the one rule that is the documented operation.
    only_rule: str | None = None

    @property
    def all_problems(self) -> tuple[int, ...]:
        """The declared problem statuses plus those its body or query imply."""
        implied = JSON_BODY_PROBLEMS if self.body else (422,) if self.query else ()
        return tuple(sorted({*self.problems, *implied}))

    def response_model(self, status: int) -> type[BaseModel] | None:
        """The model the answer with ``status`` must be an instance of."""
        if status == self.status:
            return self.response
        if status in self.other_responses:
            return self.other_responses[status]
        raise TypeError(f"{self.summary!r}: status {status} is not declared")

    def inputs(self) -> dict[str, BaseModel]:
        """The view's keyword arguments: the validated body or query (a problem otherwise)."""
        if self.body is not None:
            return {"body": parse_body(self.body)}
        if self.query is not None:
            unknown = sorted(set(request.args) - set(self.query.names))
            if unknown:
                raise unprocessable(
                    [{"loc": ["query", k], "msg": "unknown parameter"} for k in unknown]
                )
            return {"query": validate(self.query.model, dict(request.args), prefix=("query",))}
        return {}

    def respond(self, answer: Any) -> Any:
        """The view's answer as a response, checked against the declared model.

        ``answer`` is ``structure``, ``(structure, status)``, ``(structure, headers)`` or
        ``(structure, status, headers)``; for non-JSON operations anything Flask accepts.
        """
        if self.media_type != "application/json" or not (self.response or self.other_responses):
            return answer
        structure, status, headers = _unpack(answer, self.status)
        model = self.response_model(status)
        if model is None or not isinstance(structure, model):
            raise TypeError(
                f"{self.summary!r} answered {type(structure).__name__} for status {status}, "
                f"not the declared {getattr(model, '__name__', model)}"
            )
        # Fields the view did not set (defaults) stay out, as in the view's own structure.
        body = structure.__pydantic_serializer__.to_json(structure, exclude_unset=True)
        return Response(body, status=status, headers=headers, mimetype=self.media_type)


def _unpack(answer: Any, default_status: int) -> tuple[Any, int, dict]:
    if not isinstance(answer, tuple):
        return answer, default_status, {}
    structure, *rest = answer
    status, headers = default_status, {}
    for item in rest:
        if isinstance(item, int):
            status = item
        else:
            headers = dict(item)
    return structure, status, headers


def contract(**declared: Any) -> Callable[[Callable], Callable]:
    """Declare a view's contract (the fields of :class:`Contract`) and enforce it.

    Parameters
    ----------
    **declared
        ``summary``, ``tag`` and the optional fields of :class:`Contract`.

    Returns
    -------
    callable
        A decorator; put it under ``@bp.get(...)``/``@bp.post(...)``.
    """
    declared_contract = Contract(**declared)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            answer = view(*args, **kwargs, **declared_contract.inputs())
            return declared_contract.respond(answer)

        setattr(checked, CONTRACT_ATTRIBUTE, declared_contract)
        return checked

    return decorate


def contract_of(view: Callable) -> Contract | None:
    """The contract a view was declared with (None for undocumented routes such as assets)."""
    return getattr(view, CONTRACT_ATTRIBUTE, None)
