"""Model card and authenticated reload."""

from __future__ import annotations

import hmac

from flask import Blueprint, request

from risk_service.registry import RegistryError
from risk_service.schemas import ModelCard, ReloadResult
from risk_service.web.api import live_model, require_model
from risk_service.web.app import app_settings
from risk_service.web.contracts import contract
from risk_service.web.problems import HTTPProblem

bp = Blueprint("model_admin", __name__, url_prefix="/v1/model")


def require_admin() -> None:
    """Bearer token check in constant time; no token configured means admin is disabled."""
    expected = app_settings().admin_token
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if (
        not expected
        or scheme.lower() != "bearer"
        or not hmac.compare_digest(given.strip().encode(), expected.encode())
    ):
        raise HTTPProblem(
            401, "unauthorized", "Unauthorized", "a valid admin bearer token is required"
        )


@bp.get("")
@contract(
    summary="Model card of the serving model", tag="model", response=ModelCard, problems=(503,)
)
def model_card() -> ModelCard:
    meta = require_model().meta
    return ModelCard(
        version=meta.get("version"),
        trained_at=meta.get("created"),
        data_hash=meta.get("data_hash"),
        metrics=meta.get("metrics", {}),
        libraries=meta.get("libraries", {}),
        corpus=meta.get("corpus", {}),
    )


@bp.post("/reload")
@contract(
    summary="Load the registry's current model",
    tag="model",
    response=ReloadResult,
    problems=(401, 409),
    secured=True,
)
def reload_model() -> ReloadResult:
    require_admin()
    live = live_model()
    previous = live.version
    try:
        version = live.reload()
    except RegistryError as exc:
        raise HTTPProblem(
            409, "model-refused", "Model refused", f"{exc}; still serving {previous}"
        ) from None
    return ReloadResult(version=version, previous=previous)
