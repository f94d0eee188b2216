"""Prometheus scrape endpoint."""

from __future__ import annotations

from flask import Blueprint, Response, request

from risk_service.web import telemetry
from risk_service.web.api import live_model
from risk_service.web.contracts import contract

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
@contract(summary="Prometheus metrics", tag="operations", media_type="text/plain")
def metrics() -> Response:
    # Reading .model polls the registry, so a promotion shows here even without traffic.
    model = live_model().model
    telemetry.show_model_version(model.meta.get("version") if model is not None else None)
    body, content_type = telemetry.exposition(request.headers.get("Accept"))
    return Response(body, content_type=content_type)
