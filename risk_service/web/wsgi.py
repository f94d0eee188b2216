"""WSGI entry point for gunicorn, as ``risk-service serve`` runs it:
``gunicorn -c python:risk_service.web.gunicorn_conf risk_service.web.wsgi:app``."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from risk_service.config import Settings
from risk_service.web.app import app_settings, create_app


def serving_app(settings: Settings | Mapping[str, object] | None = None) -> Flask:
    """The app as served. The setting ``proxy_hops`` (``RISK_PROXY_HOPS``, default 0) is the
    number of reverse proxies in front: their ``X-Forwarded-For``/``-Proto`` then give the
    client's address (rate limit) and scheme. Leave it 0 when clients reach gunicorn directly,
    or they could choose their own address."""
    app = create_app(settings)
    hops = app_settings(app).proxy_hops
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # Flask's middleware idiom
            app.wsgi_app, x_for=hops, x_proto=hops
        )
    return app


app = serving_app()
