"""WSGI entry point for gunicorn: ``gunicorn risk_service.wsgi:app``."""

from risk_service import create_app

app = create_app()
