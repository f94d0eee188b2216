"""Kept for deployments that name ``risk_service.wsgi:app``: the app is
:data:`risk_service.web.wsgi.app` (``risk-service serve`` runs that one)."""

from risk_service.web.wsgi import app, serving_app

__all__ = ["app", "serving_app"]
