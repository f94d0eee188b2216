"""Liveness and readiness."""

from __future__ import annotations

from flask import Blueprint

from risk_service.web.api import live_model
from risk_service.web.store import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Ready when a model is loaded and the audit log can be written (scoring needs both).

    The store check is cheap: a file check, the last write's outcome, or one probe write per
    ``RISK_STORE_PROBE_SECONDS`` (see :meth:`risk_service.web.store.Store.unavailable`).
    """
    live = live_model()
    if live.model is None:
        return {"status": "not ready", "detail": live.last_error or "no model loaded"}, 503
    problem = get_store().unavailable()
    if problem is not None:
        detail = f"the audit log cannot be written: {problem}"
        return {"status": "not ready", "detail": detail, "model_version": live.version}, 503
    body = {"status": "ready", "model_version": live.version}
    if live.last_error:  # a refused reload: still serving the loaded, verified model
        body["detail"] = f"reload refused, still serving {live.version}: {live.last_error}"
    return body
