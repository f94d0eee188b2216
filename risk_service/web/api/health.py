"""Liveness and readiness."""

from __future__ import annotations

from flask import Blueprint

from risk_service.schemas import Health, Readiness
from risk_service.web.api import live_model
from risk_service.web.contracts import contract
from risk_service.web.store import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@contract(summary="Liveness", tag="operations", response=Health)
def healthz() -> Health:
    return Health(status="ok")


@bp.get("/readyz")
@contract(
    summary="Readiness: 503 until a model is loaded and while the audit log cannot be written",
    tag="operations",
    response=Readiness,
    other_responses={503: Readiness},
)
def readyz() -> Readiness | tuple[Readiness, int]:
    """Ready when a model is loaded and the audit log can be written (scoring needs both).

    The store check is cheap: a file check, the last write's outcome, or one probe write per
    ``RISK_STORE_PROBE_SECONDS`` (see :meth:`risk_service.web.store.Store.unavailable`).
    """
    live = live_model()
    if live.model is None:
        return Readiness(status="not ready", detail=live.last_error or "no model loaded"), 503
    problem = get_store().unavailable()
    if problem is not None:
        detail = f"the audit log cannot be written: {problem}"
        return Readiness(status="not ready", detail=detail, model_version=live.version), 503
    if live.last_error:  # a refused reload: still serving the loaded, verified model
        detail = f"reload refused, still serving {live.version}: {live.last_error}"
        return Readiness(status="ready", model_version=live.version, detail=detail)
    return Readiness(status="ready", model_version=live.version)
