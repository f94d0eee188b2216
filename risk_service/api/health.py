"""Liveness and readiness."""

from __future__ import annotations

from flask import Blueprint

from risk_service.api import live_model

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    live = live_model()
    if live.model is None:
        return {"status": "not ready", "detail": live.last_error or "no model loaded"}, 503
    return {"status": "ready", "model_version": live.version}
