"""The Flask application factory of the web service (flaskr style)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from risk_service import config as settings


def create_app(config: Mapping | None = None) -> Flask:
    """Flask application factory.

    Parameters
    ----------
    config : mapping, optional
        Overrides of :data:`risk_service.config.DEFAULTS` (tests pass ``MODELS_DIR`` here).
        Environment variables prefixed ``RISK_`` (e.g. ``RISK_MODELS_DIR``) are read too.

    Returns
    -------
    flask.Flask
        The app with every blueprint registered and the registry's current model loaded (or,
        if none loads, ``/readyz`` answering 503 until one does).
    """
    # Named "risk_service" as before the web package existed (logger name, instance folder of
    # the SQLite store beside the package); static files and templates are those of web/.
    app = Flask("risk_service", root_path=str(Path(__file__).resolve().parent))
    app.config.from_mapping(settings.DEFAULTS)
    app.config.from_prefixed_env("RISK")
    if config is not None:
        app.config.from_mapping(config)

    from risk_service.registry import Registry
    from risk_service.web import problems, ratelimit, request_body, store, telemetry
    from risk_service.web.api import init_app as init_api
    from risk_service.web.live_model import LiveModel

    problems.init_app(app)
    telemetry.init_app(app)  # before the limiter: its hooks time and log rate-limited requests too
    ratelimit.init_app(app)
    request_body.init_app(app)  # after telemetry: a 408 is timed and logged like any answer
    store.init_app(app)
    live = LiveModel(Registry(app.config["MODELS_DIR"]), app.config.get("MODEL_POLL_SECONDS", 1.0))
    app.extensions["risk_model"] = live
    try:
        live.reload()
    except Exception as exc:  # noqa: BLE001 - readiness reports it; the app still starts
        app.logger.error("no model loaded at start: %s", exc)
    init_api(app)
    return app
