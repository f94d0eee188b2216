"""The Flask application factory of the web service (flaskr style)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from risk_service.config import Settings


def create_app(settings: Settings | Mapping[str, object] | None = None) -> Flask:
    """Flask application factory.

    Parameters
    ----------
    settings : Settings or mapping, optional
        The app's :class:`~risk_service.config.Settings`; default: read from the ``RISK_*``
        environment variables now. A mapping (flaskr style, as the tests pass it) overrides
        the environment for the keys that name a setting, case-insensitively
        (``{"MODELS_DIR": …, "ADMIN_TOKEN": …}``); its other keys go to Flask's own config
        (``TESTING``, …).

    Returns
    -------
    flask.Flask
        The app with every blueprint registered and the registry's current model loaded (or,
        if none loads, ``/readyz`` answering 503 until one does).
    """
    # Named "risk_service" as before the web package existed (logger name, instance folder of
    # the SQLite store beside the package); static files and templates are those of web/.
    app = Flask("risk_service", root_path=str(Path(__file__).resolve().parent))
    flask_config: dict[str, object] = {}
    if not isinstance(settings, Settings):
        overrides: dict[str, Any] = {}
        for key, value in (settings or {}).items():
            if key.lower() in Settings.model_fields:
                overrides[key.lower()] = value
            else:
                flask_config[key] = value
        settings = Settings(**overrides)
    app.config.from_mapping(flask_config)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes  # Flask's own check, with ours
    app.extensions["risk_settings"] = settings

    from risk_service.registry import Registry
    from risk_service.web import problems, ratelimit, request_body, store, telemetry
    from risk_service.web.api import init_app as init_api
    from risk_service.web.live_model import LiveModel

    problems.init_app(app, settings)
    telemetry.init_app(app, settings)  # before the limiter: it times and logs 429s too
    ratelimit.init_app(app, settings)
    request_body.init_app(app, settings)  # after telemetry: a 408 is timed and logged too
    store.init_app(app, settings)
    live = LiveModel(Registry(settings.models_dir), settings.model_poll_seconds)
    app.extensions["risk_model"] = live
    try:
        live.reload()
    except Exception as exc:  # noqa: BLE001 - readiness reports it; the app still starts
        app.logger.error("no model loaded at start: %s", exc)
    init_api(app)
    return app


def app_settings(app: Flask | None = None) -> Settings:
    """The :class:`~risk_service.config.Settings` of ``app`` (default: the current app)."""
    return (app or current_app).extensions["risk_settings"]
